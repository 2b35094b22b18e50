/**
 * THE adapter between the page and the library's estimate (the only module in web/ that calls it).
 *
 * Every method goes through the Estimator seam, `estimate(samples, rate, { method, windowS, hopS })`
 * (src/hrv/estimate.ts), which returns the one result shape with `verdict` and `trusted`.
 * The learned method first needs learnedSetup.ts's `prepareLearned` (the shipped segmenter over
 * fetch; plain-JS inference, no TF.js).
 */
import { estimate, type EstimateResult } from '../../src/hrv/estimate.js';
import { METHODS, type Method } from '../../src/core/choices.js';
import type { Verdict } from '../../src/core/choices.js';

export type { Verdict };
export const PAGE_METHODS = ['classical', 'learned', 'cnn'] as const;
export type PageMethod = (typeof PAGE_METHODS)[number];


/**
 * Methods the page can run (the others are shown, disabled): registered methods that need no
 * model folder, plus learned (shipped segmenter). cnn is listed and disabled: models/cnn ships for
 * the CLI and the library, but the page does not fetch its 6.4 MB (docs/web.md, "Left out").
 */
export const AVAILABLE_METHODS: readonly PageMethod[] = Object.freeze(
  PAGE_METHODS.filter((m) => m === 'learned' || (m !== 'cnn' && (METHODS as readonly string[]).includes(m))),
);

/** The page's analysis options (per-window rows on by default, like `estimate --window 10 --hop 5`). */
export interface AnalyseOptions {
  method: PageMethod;
  windowS?: number;
  hopS?: number;
}

/** The estimate result as `estimate --json` prints it (no envelope). */
export type PageResult = Omit<EstimateResult, 'envelope' | 'method'> & {
  method: PageMethod;
  /** Heart-sound state posteriors (learned method): nFrames × 4 row-major. */
  states?: { frameRateHz: number; posteriors: Float32Array };
};

/** Estimate HR/HRV from mono samples. Throws RangeError (the library's) for bad input. */
export async function analyse(samples: Float32Array, sampleRateHz: number, options: AnalyseOptions): Promise<PageResult> {
  if (!AVAILABLE_METHODS.includes(options.method)) throw new RangeError(`method '${options.method}' is not available in this build`);
  const windowing = {
    ...(options.windowS !== undefined ? { windowS: options.windowS } : {}),
    ...(options.hopS !== undefined ? { hopS: options.hopS } : {}),
  };
  if (options.method === 'learned') {
    // the learned segmenter (shipped weights, plain-JS inference), loaded on demand (a separate chunk)
    const { prepareLearned } = await import('./learnedSetup.js');
    await prepareLearned();
    const r = await estimate(samples, sampleRateHz, { method: 'learned' as Method, ...windowing });
    const { envelope: _envelope, ...rest } = r;
    return { ...rest, method: 'learned' };
  }
  const r = await estimate(samples, sampleRateHz, { method: options.method, ...windowing });
  const { envelope: _envelope, ...rest } = r;
  return { ...rest, method: options.method };
}
