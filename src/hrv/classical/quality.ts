/**
 * Signal-quality score for a beat detection: 0 (no trustworthy heartbeat) … 1 (clean rhythm),
 * with human-readable reasons for every factor that lowered it. Browser-safe.
 *
 * The score is the product of factors in 0..1 (each documented in {@link QUALITY_RULES}):
 * silence, clipping, too few beats, coverage (share of the recording spanned by kept RR
 * intervals), beat contrast (how far the beats stand above the envelope background),
 * periodicity (autocorrelation at the cardiac period) and rhythm plausibility.
 */

/** Measurements the score is computed from. */
export interface QualityInputs {
  durationS: number;
  /** RMS of the input samples. */
  rms: number;
  /** Fraction of samples stuck at the extreme value (clipping), 0..1. */
  clippedFraction: number;
  nBeats: number;
  /** Kept (cleaned) RR intervals, s. */
  rrS: readonly number[];
  /** Candidate intervals before cleaning (same segment). */
  nCandidateIntervals: number;
  /** Median beat peak over the median envelope (≥ 1); NaN when not applicable. */
  contrast: number;
  /** Autocorrelation of the envelope at the period, −1..1; NaN when not applicable. */
  periodicity: number;
  /** Relative spread (MAD / median) of the S1→S2 intervals (PCG); NaN when not applicable. */
  systoleSpread?: number;
}

/** Quality score and reasons. */
export interface Quality {
  /** 0..1 */
  score: number;
  reasons: string[];
}

/** Thresholds of the quality factors (each factor rises linearly from 0 at `bad` to 1 at `good`). */
export const QUALITY_RULES = {
  /** RMS below this is silence (digital full scale is 1 for WAV input). */
  silenceRms: 1e-5,
  /** Clipped fraction: factor 1 at ≤ 0.1 %, 0 at ≥ 5 %. */
  clipping: { good: 0.001, bad: 0.05 },
  /** Fewer than this many beats gives 0. */
  minBeats: 3,
  /** Coverage (sum of kept RR / duration). */
  coverage: { bad: 0.25, good: 0.7 },
  /** Beat contrast (peak / median envelope). */
  contrast: { bad: 1.8, good: 3.0 },
  /** Envelope autocorrelation at the period. */
  periodicity: { bad: 0.05, good: 0.2 },
  /** Rejected share of candidate intervals. */
  rejected: { good: 0.15, bad: 0.6 },
  /** Beat-to-beat irregularity RMSSD / mean RR of the kept intervals. */
  irregularity: { good: 0.12, bad: 0.3 },
  /** Relative spread of the S1→S2 intervals (systole is stable in a real heart). */
  systoleSpread: { good: 0.06, bad: 0.12 },
} as const;

function ramp(v: number, bad: number, good: number): number {
  if (!Number.isFinite(v)) return 1;
  const t = (v - bad) / (good - bad);
  return Math.max(0, Math.min(1, t));
}

const pct = (v: number): string => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)} %`;

/** Compute the quality score and its reasons. */
export function assessQuality(q: QualityInputs): Quality {
  const R = QUALITY_RULES;
  const reasons: string[] = [];
  if (!(q.rms > R.silenceRms)) return { score: 0, reasons: ['silence: the signal is (nearly) zero'] };
  let score = 1;
  const clip = ramp(q.clippedFraction, R.clipping.bad, R.clipping.good);
  if (clip < 1) reasons.push(`clipping: ${pct(q.clippedFraction)} of samples at full scale`);
  score *= clip;
  if (q.nBeats < R.minBeats || q.rrS.length < 2) {
    reasons.push(`no heartbeat rhythm found (${q.nBeats} beat${q.nBeats === 1 ? '' : 's'}, ${q.rrS.length} usable interval${q.rrS.length === 1 ? '' : 's'})`);
    return { score: 0, reasons };
  }
  const covered = q.rrS.reduce((a, b) => a + b, 0) / Math.max(q.durationS, 1e-9);
  const cov = ramp(covered, R.coverage.bad, R.coverage.good);
  if (cov < 1) reasons.push(`consistent beats span only ${pct(covered)} of the recording`);
  score *= cov;
  const con = ramp(q.contrast, R.contrast.bad, R.contrast.good);
  if (con < 1) reasons.push(`beats barely stand out from the background (contrast ${q.contrast.toFixed(2)})`);
  score *= con;
  const per = ramp(q.periodicity, R.periodicity.bad, R.periodicity.good);
  if (per < 1) reasons.push(`weak periodicity (autocorrelation ${q.periodicity.toFixed(2)} at the period)`);
  score *= per;
  const rejectedShare = q.nCandidateIntervals > 0 ? 1 - q.rrS.length / q.nCandidateIntervals : 1;
  const rej = ramp(rejectedShare, R.rejected.bad, R.rejected.good);
  if (rej < 1) reasons.push(`${pct(rejectedShare)} of beat intervals rejected as implausible`);
  score *= rej;
  const meanRr = q.rrS.reduce((a, b) => a + b, 0) / q.rrS.length;
  let sd = 0;
  for (let i = 1; i < q.rrS.length; i++) sd += (q.rrS[i]! - q.rrS[i - 1]!) ** 2;
  const irregular = Math.sqrt(sd / (q.rrS.length - 1)) / meanRr;
  const irr = 1 - ramp(irregular, R.irregularity.good, R.irregularity.bad);
  if (irr < 1) reasons.push(`irregular beat-to-beat intervals (RMSSD ${(100 * irregular).toFixed(0)} % of the mean interval)`);
  score *= irr;
  if (q.systoleSpread !== undefined && Number.isFinite(q.systoleSpread)) {
    const sys = 1 - ramp(q.systoleSpread, R.systoleSpread.good, R.systoleSpread.bad);
    if (sys < 1) reasons.push(`no stable S1–S2 pattern (systolic interval spread ${(100 * q.systoleSpread).toFixed(0)} %)`);
    score *= sys;
  }
  return { score: Math.max(0, Math.min(1, score)), reasons };
}

/** RMS and clipped fraction of a signal (clipping: runs of ≥ 3 samples at ≥ 99.9 % of max |x|). */
export function signalLevelStats(samples: ArrayLike<number>): { rms: number; maxAbs: number; clippedFraction: number } {
  const n = samples.length;
  let ss = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const v = samples[i]!;
    ss += v * v;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
  }
  const rms = n ? Math.sqrt(ss / n) : 0;
  if (!(maxAbs > 0)) return { rms, maxAbs, clippedFraction: 0 };
  const lim = 0.999 * maxAbs;
  let clipped = 0;
  let run = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && Math.abs(samples[i]!) >= lim) run++;
    else {
      if (run >= 3) clipped += run;
      run = 0;
    }
  }
  return { rms, maxAbs, clippedFraction: n ? clipped / n : 0 };
}
