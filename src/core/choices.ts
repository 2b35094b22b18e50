/**
 * The option vocabularies of every layer, declared once as `as const` lists with derived types
 * (the pattern of `model/backend.ts`'s BACKEND_CHOICES), and one parse function that validates a
 * value against a list at a public boundary. Browser-safe.
 */

/** What kind of signal a recording holds: decided by the detector ('auto'), or imposed. */
export const SIGNAL_CHOICES = ['auto', 'pcg', 'pulse'] as const;
export type SignalChoice = (typeof SIGNAL_CHOICES)[number];

/** Which library's HRV definitions to follow (see hrv/measures). */
export const HRV_CONVENTIONS = ['heartpy', 'neurokit'] as const;
export type HrvConvention = (typeof HRV_CONVENTIONS)[number];

/**
 * The registered estimation methods (src/hrv/registry.ts maps each name to its Estimator).
 * Only registered methods are listed. The learned segmenter (issue 10) is added by one line here
 * ('learned'), its estimator file (src/hrv/learned/estimator.ts) and one line in the registry.
 */
export const METHODS = ['learned', 'classical', 'cnn'] as const;
export type Method = (typeof METHODS)[number];

/** Methods that predict HR (and SDNN) directly and find no beats (their MethodOutput has `direct`). */
export const DIRECT_METHODS: readonly Method[] = ['cnn'];

/** Whether `method` predicts directly: no beats, intervals or beat-based HRV to show or score. */
export function isDirectMethod(method: string): boolean {
  return (DIRECT_METHODS as readonly string[]).includes(method);
}

/** The gate's verdict on a result: good and fair are trusted (numbers reported). */
export const VERDICTS = ['good', 'fair', 'poor', 'none'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * `value` if it is one of `choices`.
 * @throws RangeError "<what> must be one of a, b, c; got 'x'"
 */
export function parseChoice<T extends string>(choices: readonly T[], value: unknown, what: string): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new RangeError(`${what} must be one of ${choices.join(', ')}; got '${String(value)}'`);
}
