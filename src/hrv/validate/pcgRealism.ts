/**
 * Realism figures of simulated heart sounds against real, annotated recordings (issue 15), the
 * reusable part of scripts/pcg-realism.ts (same functions, the sample rate passed in):
 * - {@link timing}: S1/S2 durations and systole/diastole against HR from the segments;
 * - {@link bandSummary}: median band-energy fractions (Welch PSD);
 * - {@link classify}: a logistic regression on 18 spectral/envelope features telling 5 s windows
 *   apart, 5-fold cross-validation grouped by recording; 50 % = indistinguishable.
 * Browser-safe.
 */
import { spectrogram } from '../../dsp/spectrogram.js';
import type { Segment } from './segmentation.js';

/** A recording with its state segments (CirCor `.tsv` states; may be empty). */
export interface RealismRecording {
  id: string;
  samples: Float32Array;
  segments: readonly Segment[];
}

/** Band edges of the band-energy fractions, Hz (bands above Nyquist stay empty). */
export const BAND_EDGES_HZ = [0, 25, 50, 100, 150, 200, 300, 400, 600, 1000, 2000] as const;

/** Names of the 18 window features, in order. */
export const FEATURE_NAMES: readonly string[] = [
  ...BAND_EDGES_HZ.slice(0, -1).map((lo, b) => `logBand${lo}-${BAND_EDGES_HZ[b + 1]}Hz`),
  'logCentroid',
  'flatness',
  'logZcr',
  'logKurtosis',
  'envCrest',
  'envP90',
  'envPeriodicity',
  'envActive',
];

/** Percentiles (nearest rank) of xs, rounded to 4 decimals. */
export function percentiles(xs: readonly number[], q: readonly number[]): number[] {
  const s = [...xs].sort((a, b) => a - b);
  return q.map((p) => (s.length ? Number(s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]!.toFixed(4)) : NaN));
}

/** S1/S2 durations, HR spread, systole/diastole medians by HR bin and the systole-vs-HR fit. */
export function timing(recs: readonly RealismRecording[]): Record<string, unknown> {
  const s1: number[] = [];
  const s2: number[] = [];
  const rows: Array<{ hr: number; sys: number; dia: number }> = [];
  for (const r of recs) {
    const g = r.segments;
    for (let i = 0; i + 4 < g.length; i++) {
      if (g[i]!.state === 1 && g[i + 1]!.state === 2 && g[i + 2]!.state === 3 && g[i + 3]!.state === 4 && g[i + 4]!.state === 1) {
        const rr = g[i + 4]!.startS - g[i]!.startS;
        const sys = g[i + 2]!.startS - g[i]!.startS;
        s1.push((g[i]!.endS - g[i]!.startS) * 1000);
        s2.push((g[i + 2]!.endS - g[i + 2]!.startS) * 1000);
        rows.push({ hr: 60 / rr, sys: sys * 1000, dia: (rr - sys) * 1000 });
      }
    }
  }
  const bins: Record<string, unknown> = {};
  for (const [lo, hi] of [[60, 80], [80, 100], [100, 120], [120, 140], [140, 170]] as const) {
    const b = rows.filter((r) => r.hr >= lo && r.hr < hi);
    bins[`${lo}-${hi}`] = { n: b.length, systoleMs: percentiles(b.map((r) => r.sys), [0.5])[0], diastoleMs: percentiles(b.map((r) => r.dia), [0.5])[0] };
  }
  const n = rows.length;
  const mx = rows.reduce((a, r) => a + r.hr, 0) / (n || 1);
  const my = rows.reduce((a, r) => a + r.sys, 0) / (n || 1);
  let sxy = 0;
  let sxx = 0;
  for (const r of rows) {
    sxy += (r.hr - mx) * (r.sys - my);
    sxx += (r.hr - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return {
    cycles: n,
    s1DurationMsP10P50P90: percentiles(s1, [0.1, 0.5, 0.9]),
    s2DurationMsP10P50P90: percentiles(s2, [0.1, 0.5, 0.9]),
    hrBpmP5P50P95: percentiles(rows.map((r) => r.hr), [0.05, 0.5, 0.95]),
    systoleVsHr: { interceptMs: Number((my - slope * mx).toFixed(1)), slopeMsPerBpm: Number(slope.toFixed(3)) },
    medianByHrBpm: bins,
  };
}

/** Welch PSD (Hann, 512 points, 50 % overlap) band fractions of x. */
export function bandFractions(x: Float32Array, sampleRateHz: number): number[] {
  const sp = spectrogram(x, { sampleRateHz, nperseg: 512, noverlap: 256, window: 'hann' });
  const bands = new Array<number>(BAND_EDGES_HZ.length - 1).fill(0);
  let total = 0;
  for (let f = 0; f < sp.nFreq; f++) {
    let p = 0;
    for (let t = 0; t < sp.nTime; t++) p += sp.sxx[f * sp.nTime + t]!;
    const hz = sp.freqsHz[f]!;
    for (let b = 0; b < bands.length; b++) if (hz >= BAND_EDGES_HZ[b]! && hz < BAND_EDGES_HZ[b + 1]!) bands[b]! += p;
    total += p;
  }
  return bands.map((b) => b / (total || 1));
}

/** Median band fraction per band over the recordings, keyed 'lo-hiHz'. */
export function bandSummary(recs: readonly RealismRecording[], sampleRateHz: number): Record<string, number> {
  const all = recs.map((r) => bandFractions(r.samples, sampleRateHz));
  const out: Record<string, number> = {};
  for (let b = 0; b < BAND_EDGES_HZ.length - 1; b++) {
    if (BAND_EDGES_HZ[b]! >= sampleRateHz / 2) break;
    out[`${BAND_EDGES_HZ[b]}-${BAND_EDGES_HZ[b + 1]}Hz`] = percentiles(all.map((a) => a[b]!), [0.5])[0]!;
  }
  return out;
}

/** The 18 features ({@link FEATURE_NAMES}) of one window. */
export function windowFeatures(x: Float32Array, sampleRateHz: number): number[] {
  const bands = bandFractions(x, sampleRateHz).map((b) => Math.log(b + 1e-6));
  const sp = spectrogram(x, { sampleRateHz, nperseg: 512, noverlap: 256, window: 'hann' });
  let num = 0;
  let den = 0;
  let logSum = 0;
  for (let f = 1; f < sp.nFreq; f++) {
    let p = 0;
    for (let t = 0; t < sp.nTime; t++) p += sp.sxx[f * sp.nTime + t]!;
    num += p * sp.freqsHz[f]!;
    den += p;
    logSum += Math.log(p + 1e-20);
  }
  const centroid = Math.log(num / (den || 1) + 1);
  const flatness = logSum / (sp.nFreq - 1) - Math.log(den / (sp.nFreq - 1) + 1e-20);
  let zc = 0;
  let m2 = 0;
  let m4 = 0;
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean;
    m2 += d * d;
    m4 += d ** 4;
    if (i > 0 && (x[i]! - mean) * (x[i - 1]! - mean) < 0) zc++;
  }
  const kurt = Math.log(m4 / x.length / ((m2 / x.length) ** 2 || 1));
  // envelope: RMS over 10 ms blocks (100 Hz)
  const blk = Math.max(1, Math.round(sampleRateHz / 100));
  const env: number[] = [];
  for (let i = 0; i + blk <= x.length; i += blk) {
    let s = 0;
    for (let j = i; j < i + blk; j++) s += (x[j]! - mean) ** 2;
    env.push(Math.sqrt(s / blk));
  }
  const es = [...env].sort((a, b) => a - b);
  const med = es[es.length >> 1]! || 1e-9;
  const crest = Math.log(es[es.length - 1]! / med);
  const p90 = Math.log(es[Math.floor(0.9 * (es.length - 1))]! / med);
  const em = env.reduce((a, b) => a + b, 0) / env.length;
  let best = 0;
  let e0 = 0;
  for (const v of env) e0 += (v - em) ** 2;
  for (let lag = 30; lag <= 150; lag++) {
    let c = 0;
    for (let i = 0; i + lag < env.length; i++) c += (env[i]! - em) * (env[i + lag]! - em);
    best = Math.max(best, c / (e0 || 1));
  }
  const active = env.filter((v) => v > 0.5 * es[es.length - 1]!).length / env.length;
  return [...bands, centroid, flatness, Math.log(zc / x.length + 1e-6), kurt, crest, p90, best, active];
}

/** Full-batch gradient-descent logistic regression with L2; x standardised by the caller. */
export function fitLogistic(x: number[][], y: number[], l2 = 1e-3, iters = 600, lr = 0.5): number[] {
  const d = x[0]!.length;
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = new Array<number>(d + 1).fill(0);
    for (let i = 0; i < x.length; i++) {
      let z = w[d]!;
      for (let j = 0; j < d; j++) z += w[j]! * x[i]![j]!;
      const err = 1 / (1 + Math.exp(-z)) - y[i]!;
      for (let j = 0; j < d; j++) g[j]! += err * x[i]![j]!;
      g[d]! += err;
    }
    for (let j = 0; j <= d; j++) w[j]! -= lr * (g[j]! / x.length + (j < d ? l2 * w[j]! : 0));
  }
  return w;
}

/** Where {@link classify} cuts its windows. */
export interface ClassifyOptions {
  sampleRateHz: number;
  /** Window length, s. Default 5. */
  windowS?: number;
  /** First window start, s. Default 1 (skips the start of a recording). */
  startS?: number;
  /** Windows per recording, at most. Default 2. */
  windowsPerRecording?: number;
}

/** Result of {@link classify}. */
export interface ClassifierResult {
  windows: number;
  /** Cross-validated accuracy: 0.5 = real and simulated cannot be told apart. */
  accuracy: number;
  foldAccuracies: number[];
  /** Cohen's d (simulated − real) per feature. */
  effectSizes: Record<string, number>;
}

/**
 * Real (label 0) vs simulated (label 1) windows: 5-fold CV accuracy, folds by recording; features
 * standardised on the training folds; `only` picks feature columns.
 */
export function classify(real: readonly RealismRecording[], sim: readonly RealismRecording[], only: number[] | undefined, options: ClassifyOptions): ClassifierResult {
  const fs = options.sampleRateHz;
  const winS = options.windowS ?? 5;
  const startS = options.startS ?? 1;
  const perRec = options.windowsPerRecording ?? 2;
  const rows: Array<{ f: number[]; y: number; group: number }> = [];
  const add = (recs: readonly RealismRecording[], y: number, offset: number): void =>
    recs.forEach((r, gi) => {
      for (let w = 0; w < perRec; w++) {
        const start = Math.round((startS + w * winS) * fs);
        const len = Math.round(winS * fs);
        if (start + len > r.samples.length) break;
        const f = windowFeatures(r.samples.subarray(start, start + len), fs);
        rows.push({ f: only ? only.map((j) => f[j]!) : f, y, group: offset + gi });
      }
    });
  add(real, 0, 0);
  add(sim, 1, 100000);
  if (rows.filter((r) => r.y === 0).length < 5 || rows.filter((r) => r.y === 1).length < 5) {
    throw new RangeError(`too few windows to classify (${rows.length}): need ≥ 5 real and ≥ 5 simulated`);
  }
  const foldOf = (g: number): number => (Math.imul(g + 1, 2654435761) >>> 0) % 5;
  const accs: number[] = [];
  let correct = 0;
  let tested = 0;
  for (let k = 0; k < 5; k++) {
    const train = rows.filter((r) => foldOf(r.group) !== k);
    const test = rows.filter((r) => foldOf(r.group) === k);
    if (test.length === 0 || train.length === 0) continue;
    const d = train[0]!.f.length;
    const mu = new Array<number>(d).fill(0);
    const sd = new Array<number>(d).fill(0);
    for (const r of train) r.f.forEach((v, j) => (mu[j]! += v / train.length));
    for (const r of train) r.f.forEach((v, j) => (sd[j]! += (v - mu[j]!) ** 2 / train.length));
    const z = (f: number[]): number[] => f.map((v, j) => (v - mu[j]!) / (Math.sqrt(sd[j]!) || 1));
    const w = fitLogistic(train.map((r) => z(r.f)), train.map((r) => r.y));
    let c = 0;
    for (const r of test) {
      const zz = z(r.f);
      let s = w[d]!;
      for (let j = 0; j < d; j++) s += w[j]! * zz[j]!;
      if ((s > 0 ? 1 : 0) === r.y) c++;
    }
    accs.push(Number((c / test.length).toFixed(3)));
    correct += c;
    tested += test.length;
  }
  const effectSizes: Record<string, number> = {};
  (only ? only.map((j) => FEATURE_NAMES[j]!) : FEATURE_NAMES).forEach((name, j) => {
    const a = rows.filter((r) => r.y === 0).map((r) => r.f[j]!);
    const b = rows.filter((r) => r.y === 1).map((r) => r.f[j]!);
    const m = (x: number[]): number => x.reduce((p, q) => p + q, 0) / x.length;
    const v = (x: number[]): number => x.reduce((p, q) => p + (q - m(x)) ** 2, 0) / x.length;
    const pooled = Math.sqrt(0.5 * (v(a) + v(b)));
    // a feature constant in both sets (e.g. a band above Nyquist) separates nothing
    const dz = pooled > 1e-9 * (1 + Math.abs(m(a))) ? (m(b) - m(a)) / pooled : 0;
    effectSizes[name] = Number.isFinite(dz) ? Number(dz.toFixed(2)) : 0;
  });
  return { windows: rows.length, accuracy: Number((correct / (tested || 1)).toFixed(3)), foldAccuracies: accs, effectSizes };
}
