/**
 * Pulse-train beat detector for the seed's synthetic signals (one half-Gaussian pulse per beat,
 * starting at the beat sample: a[i] = A·exp(−(i/(fs·d/6))²) for 0 ≤ i < d·fs, d = 30–70 ms, in
 * white Gaussian noise). Browser-safe.
 *
 * 1. Detection: a matched filter with the mid-width (50 ms) half-Gaussian template, peaks at
 *    least `minDistanceS` apart above an adaptive threshold.
 * 2. Localisation: around each detection, the onset sample and pulse width that maximise the
 *    generalised likelihood-ratio statistic (x·g)²/(g·g) over onset shifts ±`refineS` and widths
 *    30–70 ms in 1 ms steps (the least-squares fit of a positive pulse of that shape) — exact to
 *    the sample at the seed's SNRs.
 */

import { slidingCorrelation } from '../../dsp/correlate.js';
import { kthSmallest } from '../../core/select.js';

/** Options for {@link detectPulses}. */
export interface PulseOptions {
  /** Pulse width range searched, s (default 0.03–0.07, the seed's). */
  minWidthS: number;
  maxWidthS: number;
  /** Minimum distance between beats, s (default 0.15). */
  minDistanceS: number;
  /** Onset refinement half-range, s (default 0.01). */
  refineS: number;
  /** Width step of the refinement grid, s (default 0.001). */
  widthStepS: number;
}

export const PULSE_DEFAULTS: PulseOptions = { minWidthS: 0.03, maxWidthS: 0.07, minDistanceS: 0.15, refineS: 0.01, widthStepS: 0.001 };

/** Result of {@link detectPulses}. */
export interface PulseResult {
  /** Onset sample index of each beat. */
  onsetSamples: number[];
  /** Fitted amplitude of each beat. */
  amplitudes: number[];
  /** Fitted pulse width of each beat, s. */
  widthsS: number[];
  /** Fraction of the (baseline-removed) signal energy explained by the fitted pulses, 0..1. */
  explainedFraction: number;
  /** Matched-filter output (normalised, units of input × sqrt(samples)). */
  score: Float64Array;
  /** Median beat score over the noise level of the matched filter (a detection SNR, linear). */
  detectionSnr: number;
}

function halfGaussian(widthS: number, fs: number): Float64Array {
  const len = Math.max(1, Math.trunc(widthS * fs));
  const w = fs * (widthS / 6);
  const g = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const z = i / w;
    g[i] = Math.exp(-(z * z));
  }
  return g;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Detect half-Gaussian pulse onsets.
 * @param samples signal
 * @param sampleRateHz 500–8000 Hz
 */
export function detectPulses(samples: ArrayLike<number>, sampleRateHz: number, opts: Partial<PulseOptions> = {}): PulseResult {
  const o = { ...PULSE_DEFAULTS, ...opts };
  const fs = sampleRateHz;
  const n = samples.length;
  // baseline: the median (pulses occupy a small fraction of the samples)
  const x = Float64Array.from(samples);
  const base = n ? kthSmallest(Float64Array.from(x), n >> 1) : 0;
  for (let i = 0; i < n; i++) x[i] = x[i]! - base;

  const tmpl = halfGaussian((o.minWidthS + o.maxWidthS) / 2, fs);
  let tn = 0;
  for (const v of tmpl) tn += v * v;
  tn = Math.sqrt(tn);
  const score = slidingCorrelation(x, tmpl);
  for (let k = 0; k < n; k++) score[k] = score[k]! / tn;
  // noise level of the matched filter: robust std (MAD) of the score
  const absDev = new Float64Array(n);
  for (let k = 0; k < n; k++) absDev[k] = Math.abs(score[k]!);
  const noise = (n ? kthSmallest(absDev, n >> 1) : 0) / 0.6745;

  // local maxima (edges allowed), strongest first, min distance
  const minDist = Math.max(1, Math.round(o.minDistanceS * fs));
  const cand: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = score[k]!;
    if (v <= 0) continue;
    if ((k === 0 || v > score[k - 1]!) && (k === n - 1 || v >= score[k + 1]!)) cand.push(k);
  }
  cand.sort((a, b) => score[b]! - score[a]!);
  const taken: number[] = [];
  const blocked = new Uint8Array(n);
  for (const k of cand) {
    if (blocked[k]) continue;
    taken.push(k);
    blocked.fill(1, Math.max(0, k - minDist + 1), Math.min(n, k + minDist));
  }
  const top = taken.length ? score[taken[0]!]! : 0;
  const strong = taken.filter((k) => score[k]! >= 0.25 * top).map((k) => score[k]!);
  const thr = Math.max(0.4 * median(strong), 5 * noise);
  const beats = taken.filter((k) => score[k]! >= thr).sort((a, b) => a - b);

  // refinement: GLRT over onset shift and width
  const widths: Float64Array[] = [];
  const norms: number[] = [];
  const stepMs = Math.max(1, Math.round(o.widthStepS * 1000));
  const widthsMs: number[] = [];
  for (let wMs = Math.round(o.minWidthS * 1000); wMs <= Math.round(o.maxWidthS * 1000); wMs += stepMs) widthsMs.push(wMs);
  for (const wMs of widthsMs) {
    const g = halfGaussian(wMs / 1000, fs);
    let e = 0;
    for (const v of g) e += v * v;
    widths.push(g);
    norms.push(e);
  }
  const R = Math.max(1, Math.round(o.refineS * fs));
  const onsetSamples: number[] = [];
  const amplitudes: number[] = [];
  const widthIdx: number[] = [];
  // GLRT statistic of onset k and width index wi: (x·g)²/(g·g) for a positive amplitude
  const fit = (k: number, wi: number): { stat: number; amp: number } => {
    const g = widths[wi]!;
    const m = Math.min(g.length, n - k);
    let dot = 0;
    for (let i = 0; i < m; i++) dot += x[k + i]! * g[i]!;
    let e = norms[wi]!;
    if (m < g.length) {
      e = 0;
      for (let i = 0; i < m; i++) e += g[i]! * g[i]!;
    }
    return dot > 0 && e > 0 ? { stat: (dot * dot) / e, amp: dot / e } : { stat: -Infinity, amp: 0 };
  };
  // The matched-filter maximum already sits on the onset whatever the width (two half-Gaussians
  // starting together correlate best at zero lag), so the fit only searches a few samples around it,
  // after moving to the strongest matched-filter value within ±refineS.
  const r2 = Math.max(3, Math.round(0.003 * fs));
  for (const k0 of beats) {
    let best = -Infinity;
    let bestK = k0;
    let bestA = 0;
    let bestW = 0;
    let kc = k0;
    for (let k = Math.max(0, k0 - R); k <= Math.min(n - 1, k0 + R); k++) if (score[k]! > score[kc]!) kc = k;
    for (let k = Math.max(0, kc - r2); k <= Math.min(n - 1, kc + r2); k++) {
      for (let wi = 0; wi < widths.length; wi++) {
        const f = fit(k, wi);
        if (f.stat > best) {
          best = f.stat;
          bestK = k;
          bestA = f.amp;
          bestW = wi;
        }
      }
    }
    onsetSamples.push(bestK);
    amplitudes.push(bestA);
    widthIdx.push(bestW);
  }
  // two detections refined onto the same onset: keep one
  const uniq: number[] = [];
  const uniqA: number[] = [];
  const uniqW: number[] = [];
  for (let i = 0; i < onsetSamples.length; i++) {
    if (uniq.length && onsetSamples[i]! - uniq[uniq.length - 1]! < minDist / 2) continue;
    uniq.push(onsetSamples[i]!);
    uniqA.push(amplitudes[i]!);
    uniqW.push(widthIdx[i]!);
  }
  // explained energy: residual after subtracting the fitted pulses
  const resid = Float64Array.from(x);
  for (let b = 0; b < uniq.length; b++) {
    const g = widths[uniqW[b]!]!;
    for (let i = 0; i < g.length && uniq[b]! + i < n; i++) resid[uniq[b]! + i] = resid[uniq[b]! + i]! - uniqA[b]! * g[i]!;
  }
  let eX = 0;
  let eR = 0;
  for (let i = 0; i < n; i++) {
    eX += x[i]! * x[i]!;
    eR += resid[i]! * resid[i]!;
  }
  const explainedFraction = eX > 0 ? Math.max(0, Math.min(1, 1 - eR / eX)) : 0;
  const beatScores = beats.map((k) => score[k]!);
  const detectionSnr = noise > 0 && beatScores.length ? median(beatScores) / noise : beatScores.length ? Infinity : 0;
  return { onsetSamples: uniq, amplitudes: uniqA, widthsS: uniqW.map((w) => widthsMs[w]! / 1000), explainedFraction, score, detectionSnr };
}
