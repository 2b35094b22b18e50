/**
 * THE adapter between the page and the library's estimate (the only module in web/ that calls it).
 *
 * Today main has the synchronous classical `estimate()` in src/hrv/estimate.ts, with no `verdict`
 * and no `method` option. When the Estimator seam (issue 13) lands, `analyse` becomes
 *   return estimate(samples, sampleRateHz, { method, windowS, hopS });
 * and AVAILABLE_METHODS lists the registered methods (src/hrv/registry.ts). Until then `learned`
 * goes through learnedEstimate.ts (interim, delete it then).
 */
import { estimate, type EstimateResult } from '../../src/hrv/estimate.js';

export const PAGE_METHODS = ['classical', 'learned', 'cnn'] as const;
export type PageMethod = (typeof PAGE_METHODS)[number];
/** Methods the library can run in the page today (the others are shown, disabled). */
export const AVAILABLE_METHODS: readonly PageMethod[] = Object.freeze(['classical', 'learned']);

export type Verdict = 'good' | 'fair' | 'poor' | 'none';

/** The page's analysis options (per-window rows on by default, like `estimate --window 10 --hop 5`). */
export interface AnalyseOptions {
  method: PageMethod;
  windowS?: number;
  hopS?: number;
}

/** The estimate result as `estimate --json` prints it (no envelope), plus the verdict. */
export type PageResult = Omit<EstimateResult, 'envelope' | 'method'> & {
  method: PageMethod;
  verdict: Verdict;
  /** Heart-sound state posteriors (learned method): nFrames × 4 row-major. */
  states?: { frameRateHz: number; posteriors: Float32Array };
};

/** Today's verdict rule (the CLI's qualityVerdict); the seam's gate returns it directly. */
function verdictOf(score: number, trusted: boolean): Verdict {
  if (!trusted) return 'none';
  if (score >= 0.7) return 'good';
  if (score >= 0.4) return 'fair';
  return 'poor';
}

/** Estimate HR/HRV from mono samples. Throws RangeError (the library's) for bad input. */
export async function analyse(samples: Float32Array, sampleRateHz: number, options: AnalyseOptions): Promise<PageResult> {
  if (!AVAILABLE_METHODS.includes(options.method)) throw new RangeError(`method '${options.method}' is not available in this build`);
  if (options.method === 'learned') {
    // interim until the seam: the learned segmenter (TF.js wasm, shipped weights), loaded on demand
    const { estimateLearned } = await import('./learnedEstimate.js');
    const r = await estimateLearned(samples, sampleRateHz, options.windowS, options.hopS);
    return { ...r, verdict: verdictOf(r.quality.score, r.trusted) };
  }
  const r = estimate(samples, sampleRateHz, {
    ...(options.windowS !== undefined ? { windowS: options.windowS } : {}),
    ...(options.hopS !== undefined ? { hopS: options.hopS } : {}),
  });
  const { envelope: _envelope, ...rest } = r;
  return { ...rest, method: options.method, verdict: verdictOf(r.quality.score, r.trusted) };
}
