/**
 * Realism figures of simulated heart sounds against real, annotated recordings (issue 15): the one
 * implementation, used by `run --signal pcg --real` (src/node/pipelines/pcgStudy.ts) and by the
 * thin CLI scripts/pcg-realism.ts (the sample rate passed in):
 * - {@link timing}: S1/S2 durations and systole/diastole against HR from the segments;
 * - {@link bandSummary}: median band-energy fractions (Welch PSD);
 * - {@link classify}: a classifier (logistic regression, or an MLP as a non-linear check) on 18
 *   spectral/envelope features telling 5 s windows apart, 5-fold cross-validation with folds
 *   grouped by patient (CirCor file names `<patient>_<location>`; otherwise by recording, and by
 *   seed for simulations); 50 % = indistinguishable. {@link windowRows} + {@link classifyRows} are
 *   its two halves, for callers that reuse the features (ablations, other classifiers).
 * Browser-safe.
 */
import { spectrogram } from '../../dsp/spectrogram.js';
import type { Segment } from './segmentation.js';
import { FastRng } from '../../signal/rng.js';

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

/**
 * One-hidden-layer MLP (d → hidden tanh → 1 sigmoid), full-batch Adam (lr 0.01, 400 steps, L2 1e-3
 * on the first layer), weights from a fixed seed: a non-linear check on the logistic regression
 * (can it see joint structure the linear model misses?). x standardised by the caller. Returns a
 * scorer (> 0 = label 1).
 */
export function fitMlp(x: number[][], y: number[], hidden = 32, steps = 400, lr = 0.01, l2 = 1e-3): (f: number[]) => number {
  const d = x[0]!.length;
  const rng = new FastRng(77);
  const W1 = Array.from({ length: hidden }, () => Array.from({ length: d }, () => rng.normal() / Math.sqrt(d)));
  const b1 = new Array<number>(hidden).fill(0);
  const W2 = Array.from({ length: hidden }, () => rng.normal() / Math.sqrt(hidden));
  let b2 = 0;
  const params = [...W1.flat(), ...b1, ...W2, b2];
  const m = new Array<number>(params.length).fill(0);
  const v = new Array<number>(params.length).fill(0);
  const unpack = (): void => {
    let k = 0;
    for (const row of W1) for (let j = 0; j < d; j++) row[j] = params[k++]!;
    for (let h = 0; h < hidden; h++) b1[h] = params[k++]!;
    for (let h = 0; h < hidden; h++) W2[h] = params[k++]!;
    b2 = params[k]!;
  };
  const forward = (f: number[], hOut?: number[]): number => {
    let z = b2;
    for (let h = 0; h < hidden; h++) {
      let a = b1[h]!;
      const row = W1[h]!;
      for (let j = 0; j < d; j++) a += row[j]! * f[j]!;
      const t = Math.tanh(a);
      if (hOut) hOut[h] = t;
      z += W2[h]! * t;
    }
    return z;
  };
  const hBuf = new Array<number>(hidden).fill(0);
  for (let step = 1; step <= steps; step++) {
    const g = new Array<number>(params.length).fill(0);
    for (let i = 0; i < x.length; i++) {
      const z = forward(x[i]!, hBuf);
      const err = (1 / (1 + Math.exp(-z)) - y[i]!) / x.length;
      let k = 0;
      for (let h = 0; h < hidden; h++) {
        const back = err * W2[h]! * (1 - hBuf[h]! ** 2);
        for (let j = 0; j < d; j++) g[k + j]! += back * x[i]![j]!;
        k += d;
      }
      for (let h = 0; h < hidden; h++) g[k + h]! += err * W2[h]! * (1 - hBuf[h]! ** 2);
      k += hidden;
      for (let h = 0; h < hidden; h++) g[k + h]! += err * hBuf[h]!;
      g[params.length - 1]! += err;
    }
    for (let k = 0; k < params.length; k++) {
      const gk = g[k]! + (k < hidden * d ? l2 * params[k]! : 0);
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      params[k]! -= (lr * (m[k]! / (1 - 0.9 ** step))) / (Math.sqrt(v[k]! / (1 - 0.999 ** step)) + 1e-8);
    }
    unpack();
  }
  return (f) => forward(f);
}

/** The classifiers {@link classifyRows} can fit. */
export const CLASSIFIER_KINDS = ['logistic', 'mlp'] as const;
export type ClassifierKind = (typeof CLASSIFIER_KINDS)[number];

/** Where {@link windowRows} cuts its windows. */
export interface WindowOptions {
  sampleRateHz: number;
  /** Window length, s. Default 5. */
  windowS?: number;
  /** First window start, s. Default 1 (skips the start of a recording). */
  startS?: number;
  /** Windows per recording, at most. Default 2. */
  windowsPerRecording?: number;
}

/** Options of {@link classify}: the windows, and the classifier. */
export interface ClassifyOptions extends WindowOptions {
  /** Default 'logistic'. */
  kind?: ClassifierKind;
}

/** One window: its features ({@link FEATURE_NAMES}), label (0 real, 1 simulated) and CV group. */
export interface FeatureRow {
  f: number[];
  y: 0 | 1;
  group: number;
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

/** The CirCor patient of a recording id `<patient>_<location>…` (e.g. `2530_AV.wav`), or null. */
export function patientOf(id: string): number | null {
  const m = /^(\d+)_/.exec(id);
  return m ? Number(m[1]) : null;
}

/** Groups of recordings that are neither a CirCor patient (real) nor real (simulated). */
const SIM_GROUP_OFFSET = 1_000_000;
const RECORDING_GROUP_OFFSET = 2_000_000;

/**
 * The feature rows of a set of recordings with one label. CV groups: real (0) recordings by CirCor
 * patient ({@link patientOf}), else by recording; simulated (1) by recording (= seed).
 */
export function windowRows(recs: readonly RealismRecording[], label: 0 | 1, options: WindowOptions): FeatureRow[] {
  const fs = options.sampleRateHz;
  const winS = options.windowS ?? 5;
  const startS = options.startS ?? 1;
  const perRec = options.windowsPerRecording ?? 2;
  const len = Math.round(winS * fs);
  const rows: FeatureRow[] = [];
  recs.forEach((r, gi) => {
    const group = label === 0 ? (patientOf(r.id) ?? RECORDING_GROUP_OFFSET + gi) : SIM_GROUP_OFFSET + gi;
    for (let w = 0; w < perRec; w++) {
      const start = Math.round((startS + w * winS) * fs);
      if (start + len > r.samples.length) break;
      rows.push({ f: windowFeatures(r.samples.subarray(start, start + len), fs), y: label, group });
    }
  });
  return rows;
}

/**
 * 5-fold CV accuracy of real (0) vs simulated (1) rows, folds by group; features standardised on
 * the training folds; `only` picks feature columns.
 */
export function classifyRows(rows: readonly FeatureRow[], only?: readonly number[], kind: ClassifierKind = 'logistic'): ClassifierResult {
  if (rows.filter((r) => r.y === 0).length < 5 || rows.filter((r) => r.y === 1).length < 5) {
    throw new RangeError(`too few windows to classify (${rows.length}): need ≥ 5 real and ≥ 5 simulated`);
  }
  const picked = only ? rows.map((r) => ({ ...r, f: only.map((j) => r.f[j]!) })) : rows;
  const foldOf = (g: number): number => (Math.imul(g + 1, 2654435761) >>> 0) % 5;
  const accs: number[] = [];
  let correct = 0;
  let tested = 0;
  for (let k = 0; k < 5; k++) {
    const train = picked.filter((r) => foldOf(r.group) !== k);
    const test = picked.filter((r) => foldOf(r.group) === k);
    if (test.length === 0 || train.length === 0) continue;
    const d = train[0]!.f.length;
    const mu = new Array<number>(d).fill(0);
    const sd = new Array<number>(d).fill(0);
    for (const r of train) r.f.forEach((v, j) => (mu[j]! += v / train.length));
    for (const r of train) r.f.forEach((v, j) => (sd[j]! += (v - mu[j]!) ** 2 / train.length));
    const z = (f: number[]): number[] => f.map((v, j) => (v - mu[j]!) / (Math.sqrt(sd[j]!) || 1));
    let score: (zf: number[]) => number;
    if (kind === 'mlp') score = fitMlp(train.map((r) => z(r.f)), train.map((r) => r.y));
    else {
      const w = fitLogistic(train.map((r) => z(r.f)), train.map((r) => r.y));
      score = (zf) => {
        let s = w[d]!;
        for (let j = 0; j < d; j++) s += w[j]! * zf[j]!;
        return s;
      };
    }
    let c = 0;
    for (const r of test) if ((score(z(r.f)) > 0 ? 1 : 0) === r.y) c++;
    accs.push(Number((c / test.length).toFixed(3)));
    correct += c;
    tested += test.length;
  }
  // Cohen's d (simulated − real) per feature: which features give the simulation away
  const effectSizes: Record<string, number> = {};
  (only ? only.map((j) => FEATURE_NAMES[j]!) : FEATURE_NAMES).forEach((name, j) => {
    const a = picked.filter((r) => r.y === 0).map((r) => r.f[j]!);
    const b = picked.filter((r) => r.y === 1).map((r) => r.f[j]!);
    const m = (x: number[]): number => x.reduce((p, q) => p + q, 0) / x.length;
    const v = (x: number[]): number => x.reduce((p, q) => p + (q - m(x)) ** 2, 0) / x.length;
    const pooled = Math.sqrt(0.5 * (v(a) + v(b)));
    // a feature constant in both sets (e.g. a band above Nyquist) separates nothing
    const dz = pooled > 1e-9 * (1 + Math.abs(m(a))) ? (m(b) - m(a)) / pooled : 0;
    effectSizes[name] = Number.isFinite(dz) ? Number(dz.toFixed(2)) : 0;
  });
  return { windows: picked.length, accuracy: Number((correct / (tested || 1)).toFixed(3)), foldAccuracies: accs, effectSizes };
}

/**
 * Real (label 0) vs simulated (label 1) windows: {@link windowRows} of both, then
 * {@link classifyRows}; `only` picks feature columns.
 */
export function classify(real: readonly RealismRecording[], sim: readonly RealismRecording[], only: readonly number[] | undefined, options: ClassifyOptions): ClassifierResult {
  return classifyRows([...windowRows(real, 0, options), ...windowRows(sim, 1, options)], only, options.kind);
}
