/**
 * The gate: between a method and the measures, it decides whether the method's output is a
 * heartbeat worth reporting, and gives the verdict. Browser-safe.
 *
 * This is today's trust rule, kept behind one function for issue 11 to replace: numbers are
 * reported when the quality score is ≥ `minQuality` and there is at least one interval (a direct
 * method: a heart rate). Verdict: trusted → 'good' (score ≥ {@link GOOD_SCORE}) or 'fair';
 * not trusted → 'poor' (there were intervals / a heart rate, but the score is too low) or
 * 'none' (nothing to report).
 */
import type { Verdict } from '../../core/choices.js';
import type { MethodOutput } from '../estimator.js';

/** Quality score below which no numbers are reported (default of `minQuality`). */
export const DEFAULT_MIN_QUALITY = 0.2;
/** Score from which a trusted result is 'good' rather than 'fair'. */
export const GOOD_SCORE = 0.7;

/** Options of {@link gate}. */
export interface GateOptions {
  minQuality: number;
}

/** The gate's decision. */
export interface GateDecision {
  verdict: Verdict;
  /** verdict is good or fair: the numbers are reported. */
  trusted: boolean;
  /** The score, clamped to 0..1 (0 when not finite). */
  score: number;
  /** The method's reasons plus the gate's own. */
  reasons: string[];
  /** The intervals the measures use: finite and > 0 (all of them, trusted or not). */
  rrS: number[];
}

/** Decide whether a method's output is reported. */
export function gate(output: MethodOutput, options: GateOptions): GateDecision {
  const { minQuality } = options;
  const raw = output.quality.score;
  const score = Number.isFinite(raw) ? Math.max(0, Math.min(1, raw)) : 0;
  const reasons = [...output.quality.reasons];
  const rrS = output.rrS.filter((r) => Number.isFinite(r) && r > 0);
  const directHr = output.direct ? output.direct.heartRateBpm : undefined;
  const hasNumbers = output.direct ? directHr !== null && directHr !== undefined && Number.isFinite(directHr) : rrS.length > 0;
  const trusted = score >= minQuality && hasNumbers;
  if (!trusted) {
    reasons.push(
      !hasNumbers
        ? output.direct
          ? 'the method gave no heart rate: none reported'
          : 'no usable beat intervals: no heart rate reported'
        : `quality ${score.toFixed(2)} is below ${minQuality}: no heart rate or HRV reported`,
    );
  }
  const verdict: Verdict = trusted ? (score >= GOOD_SCORE ? 'good' : 'fair') : hasNumbers ? 'poor' : 'none';
  return { verdict, trusted, score, reasons, rrS };
}
