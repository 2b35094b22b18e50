/**
 * Time-domain HRV measures from RR intervals. Browser-safe.
 *
 * Notation: RR_i, i = 1..N, in ms; D_i = RR_{i+1} − RR_i, i = 1..N−1 (successive differences).
 *
 * | measure  | formula                                         | unit            |
 * |----------|-------------------------------------------------|-----------------|
 * | meanRrMs | mean(RR)                                        | ms              |
 * | heartRateBpm | 60 000 / meanRrMs                           | beats/min       |
 * | sdnnMs   | std(RR, ddof)                                   | ms              |
 * | rmssdMs  | sqrt(mean(D²))                                  | ms              |
 * | sdsdMs   | heartpy: std(|D|, ddof 0); neurokit: std(D, ddof 1) | ms          |
 * | pnn20, pnn50 | count(|D| > 20 / 50 ms) ÷ heartpy: (N−1), a fraction 0..1; neurokit: N, × 100 (a percentage) | — |
 * | madMs    | median(|RR − median(RR)|) × (heartpy 1, neurokit 1.4826) | ms        |
 * | sd1Ms    | std((RR_i − RR_{i+1})/√2, ddof 0)  (Poincaré, across the identity line) | ms |
 * | sd2Ms    | std((RR_i + RR_{i+1})/√2, ddof 0)  (Poincaré, along the identity line)  | ms |
 *
 * ddof (delta degrees of freedom): heartpy 0 (population std), neurokit 1 (sample std).
 * Comparisons `|D| > 20 ms` are strict, with a 1e-9 ms tolerance against floating-point noise.
 * SD1/SD2 use ddof 0 in both conventions (as both HeartPy and NeuroKit2 do).
 *
 * Default convention: **heartpy**. The seed's HRV label is `np.std(np.diff(beat_times))`, a
 * population (ddof 0) standard deviation, so with the default the classical estimator's SDNN is
 * the same quantity the CNN is trained to predict. `convention: 'neurokit'` gives NeuroKit2's
 * definitions for comparison with that library.
 *
 * A measure that needs more intervals than given is `null` (never NaN): mean RR and MAD need 1,
 * SDNN needs 1 (heartpy) / 2 (neurokit), RMSSD, pNN, SD1, SD2 need 2, SDSD 2 (heartpy) / 3 (neurokit).
 */

import { HRV_CONVENTIONS, parseChoice, type HrvConvention } from '../../core/choices.js';
import { mad, mean, MAD_NORMAL_SCALE, std as coreStd } from '../../core/stats.js';

/** HRV convention: which library's definitions to follow (declared in core/choices). */
export type { HrvConvention } from '../../core/choices.js';

/** The default convention (see the module comment for why). */
export const DEFAULT_HRV_CONVENTION: HrvConvention = 'heartpy';

/** Time-domain HRV measures; `null` where there are too few intervals. */
export interface HrvMeasures {
  convention: HrvConvention;
  /** Number of RR intervals used. */
  nIntervals: number;
  meanRrMs: number | null;
  heartRateBpm: number | null;
  sdnnMs: number | null;
  rmssdMs: number | null;
  sdsdMs: number | null;
  /** heartpy: fraction 0..1; neurokit: percentage 0..100. */
  pnn20: number | null;
  pnn50: number | null;
  madMs: number | null;
  sd1Ms: number | null;
  sd2Ms: number | null;
}

/** Options of {@link hrvMeasures}. */
export interface HrvMeasuresOptions {
  /** Default 'heartpy'. */
  convention?: HrvConvention;
}

/** Scale that turns the raw median absolute deviation into a normal-consistent estimate of σ (core/stats). */
export { MAD_NORMAL_SCALE } from '../../core/stats.js';
const EPS_MS = 1e-9;

/** core/stats' std with null (not NaN) when there are too few values. */
function std(v: ArrayLike<number>, ddof: number): number | null {
  return v.length - ddof < 1 ? null : coreStd(v, ddof);
}

/**
 * Compute the time-domain HRV measures of `rrS` (RR intervals in seconds, all finite and > 0).
 * @throws RangeError for a non-finite or non-positive interval or an unknown convention.
 */
export function hrvMeasures(rrS: readonly number[], options: HrvMeasuresOptions | HrvConvention = {}): HrvMeasures {
  const convention = (typeof options === 'string' ? options : options.convention) ?? DEFAULT_HRV_CONVENTION;
  parseChoice(HRV_CONVENTIONS, convention, 'HRV convention');
  for (const r of rrS) {
    if (!(Number.isFinite(r) && r > 0)) throw new RangeError(`RR intervals must be finite and > 0 s, got ${r}`);
  }
  const nk = convention === 'neurokit';
  const ddof = nk ? 1 : 0;
  const n = rrS.length;
  const rr = rrS.map((r) => r * 1000);
  const out: HrvMeasures = {
    convention,
    nIntervals: n,
    meanRrMs: null,
    heartRateBpm: null,
    sdnnMs: null,
    rmssdMs: null,
    sdsdMs: null,
    pnn20: null,
    pnn50: null,
    madMs: null,
    sd1Ms: null,
    sd2Ms: null,
  };
  if (n === 0) return out;
  const meanRr = mean(rr)!;
  out.meanRrMs = meanRr;
  out.heartRateBpm = 60000 / meanRr;
  out.sdnnMs = std(rr, ddof);
  out.madMs = mad(rr, nk ? MAD_NORMAL_SCALE : 1);
  if (n < 2) return out;
  const d: number[] = [];
  for (let i = 0; i + 1 < n; i++) d.push(rr[i + 1]! - rr[i]!);
  const absD = d.map(Math.abs);
  out.rmssdMs = Math.sqrt(mean(d.map((x) => x * x))!);
  out.sdsdMs = nk ? std(d, 1) : std(absD, 0);
  const over = (t: number): number => absD.filter((x) => x > t + EPS_MS).length;
  out.pnn20 = nk ? (over(20) / n) * 100 : over(20) / d.length;
  out.pnn50 = nk ? (over(50) / n) * 100 : over(50) / d.length;
  const across: number[] = [];
  const along: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    across.push((rr[i]! - rr[i + 1]!) / Math.SQRT2);
    along.push((rr[i]! + rr[i + 1]!) / Math.SQRT2);
  }
  out.sd1Ms = std(across, 0);
  out.sd2Ms = std(along, 0);
  return out;
}
