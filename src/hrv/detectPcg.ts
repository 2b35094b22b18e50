/**
 * Heart-sound (PCG) beat detector: band-pass → RMS envelope → cardiac period by autocorrelation →
 * envelope peaks → S1/S2 labelling by dynamic programming over the peaks → S1 onsets.
 * Written from the published ideas (envelope + autocorrelation period, e.g. Schmidt et al. 2010,
 * Springer et al. 2016; duration-constrained S1/S2 labelling), not from any GPL code.
 * Browser-safe.
 */
import { bandpassFiltfilt } from '../dsp/butterworth.js';
import { energyEnvelope, type Envelope } from '../dsp/envelope.js';
import { autocorrelation } from '../dsp/autocorrelation.js';
import { findPeaks } from '../dsp/peaks.js';

/** Tunable settings of the PCG detector (defaults in {@link PCG_DEFAULTS}). */
export interface PcgOptions {
  /** Band-pass edges in Hz. */
  lowHz: number;
  highHz: number;
  /** Envelope rate and smoothing in Hz. */
  envelopeRateHz: number;
  envelopeSmoothHz: number;
  /** Heart-rate search range in bpm for the period. */
  minHrBpm: number;
  maxHrBpm: number;
  /** S1 onset: fraction of the S1 envelope peak where the onset is placed (searching backwards). */
  onsetFraction: number;
}

export const PCG_DEFAULTS: PcgOptions = {
  lowHz: 25,
  highHz: 400,
  envelopeRateHz: 250,
  envelopeSmoothHz: 20,
  minHrBpm: 30,
  maxHrBpm: 200,
  onsetFraction: 0.5,
};

/** One detected heart sound. */
export interface HeartSound {
  /** Envelope peak time, s. */
  peakS: number;
  /** Onset time, s. */
  onsetS: number;
  /** Envelope peak amplitude (units of the input). */
  amplitude: number;
  /** 1 = S1, 2 = S2. */
  label: 1 | 2;
  /** Index of the DP chain (a run of beats without a break); RR never spans two chains. */
  chain: number;
}

/** Internal result of the PCG detector. */
export interface PcgResult {
  sounds: HeartSound[];
  /** Cardiac period from autocorrelation, s (null when none found). */
  periodS: number | null;
  /** Autocorrelation value at the period (0..1): periodicity strength. */
  periodicity: number;
  /** S1→S2 interval estimate, s. */
  systoleS: number | null;
  envelope: Envelope;
  /** Diagnostics for quality scoring. */
  diagnostics: Record<string, number>;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function quantile(values: ArrayLike<number>, q: number): number {
  const s = Array.from(values).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = Math.min(s.length - 1, Math.max(0, q * (s.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Period (in envelope samples) from the autocorrelation of the compressed envelope. */
export function estimatePeriod(
  env: Float32Array,
  rateHz: number,
  minHrBpm: number,
  maxHrBpm: number,
): { lag: number; value: number; acf: Float64Array } {
  const minLag = Math.max(2, Math.floor((60 / maxHrBpm) * rateHz));
  const maxLag = Math.ceil((60 / minHrBpm) * rateHz);
  const acf = autocorrelation(env, maxLag + 2);
  let best = -1;
  let bestVal = -Infinity;
  for (let k = minLag; k <= Math.min(maxLag, acf.length - 2); k++) {
    const v = acf[k]!;
    if (v > acf[k - 1]! && v >= acf[k + 1]! && v > bestVal) {
      bestVal = v;
      best = k;
    }
  }
  if (best < 0) return { lag: -1, value: 0, acf };
  return { lag: best, value: bestVal, acf };
}

/**
 * Detect heart sounds in a PCG recording.
 * @param samples audio samples (any scale)
 * @param sampleRateHz 500–8000 Hz
 */
export function detectPcg(samples: ArrayLike<number>, sampleRateHz: number, opts: Partial<PcgOptions> = {}): PcgResult {
  const o: PcgOptions = { ...PCG_DEFAULTS, ...opts };
  const x = bandpassFiltfilt(samples, sampleRateHz, o.lowHz, o.highHz, 4);
  const envelope = energyEnvelope(x, sampleRateHz, { rateHz: o.envelopeRateHz, smoothHz: o.envelopeSmoothHz });
  const env = envelope.values;
  const rate = envelope.sampleRateHz;
  const n = env.length;
  const toTime = (k: number): number => ((k + 0.5) * envelope.factor) / sampleRateHz;
  const empty: PcgResult = { sounds: [], periodS: null, periodicity: 0, systoleS: null, envelope, diagnostics: {} };
  if (n < rate * 1.5) return empty;

  // compress loud artefacts so they do not dominate the period estimate
  const hiRef = quantile(env, 0.95);
  if (!(hiRef > 0)) return empty;
  const comp = new Float32Array(n);
  for (let k = 0; k < n; k++) comp[k] = Math.min(env[k]! / hiRef, 1.5);
  const { lag, value: periodicity, acf } = estimatePeriod(comp, rate, o.minHrBpm, o.maxHrBpm);
  if (lag < 0) return { ...empty, diagnostics: { periodicity: 0 } };
  const periodS = lag / rate;

  // S1→S2 interval: the strongest ACF local max in (0.2·T, 0.5·T]
  let sysLag = -1;
  let sysVal = -Infinity;
  for (let k = Math.max(2, Math.floor(0.2 * lag)); k <= Math.floor(0.5 * lag) && k < acf.length - 1; k++) {
    const v = acf[k]!;
    if (v > acf[k - 1]! && v >= acf[k + 1]! && v > sysVal) {
      sysVal = v;
      sysLag = k;
    }
  }
  const systoleS = sysLag > 0 ? sysLag / rate : 0.4 * periodS;

  // candidate peaks
  const minDist = Math.max(2, Math.round(Math.min(0.1, 0.3 * systoleS) * rate));
  const floor = quantile(env, 0.3);
  const peakIdx = findPeaks(env, { minDistance: minDist, minHeight: floor });
  const P = peakIdx.length;
  const t = peakIdx.map(toTime);
  const amp = peakIdx.map((k) => env[k]!);
  const refAmp = median(amp.filter((a) => a > 0)) || hiRef;
  const reward = amp.map((a) => Math.log(Math.max(Math.min(a, 3 * refAmp), 1e-12) / Math.max(floor * 1.5, 1e-12)) + 0.5 * Math.min(a / refAmp, 3));

  // DP over peaks with labels A (S1-like, followed by the short interval) and B
  const tau1 = systoleS;
  const tau2 = Math.max(periodS - systoleS, systoleS);
  const s1 = Math.max(0.025, 0.15 * tau1);
  const s2 = Math.max(0.05, 0.3 * tau2);
  const sT = Math.max(0.06, 0.25 * periodS);
  const START = 3; // cost of starting a new chain
  const MISS = 2; // cost of skipping one sound inside a chain
  const score = new Float64Array(2 * P).fill(-Infinity);
  const prev = new Int32Array(2 * P).fill(-1);
  const restart = new Uint8Array(2 * P);
  const maxBack = 1.6 * periodS;
  // best node (and its score) among all nodes of peaks before j, for chain restarts
  const prefixBest = new Float64Array(P + 1);
  const prefixArg = new Int32Array(P + 1).fill(-1);
  for (let j = 0; j < P; j++) {
    for (let lab = 0; lab < 2; lab++) {
      const nodeJ = 2 * j + lab;
      let best = prefixBest[j]! - START;
      let arg = prefixArg[j]!;
      let isRestart = 1;
      for (let i = j - 1; i >= 0; i--) {
        const d = t[j]! - t[i]!;
        if (d > maxBack) break;
        for (let pl = 0; pl < 2; pl++) {
          const pn = 2 * i + pl;
          const ps = score[pn]!;
          if (ps === -Infinity) continue;
          let c: number;
          if (pl === 0 && lab === 1) c = 0.5 * ((d - tau1) / s1) ** 2;
          else if (pl === 1 && lab === 0) c = 0.5 * ((d - tau2) / s2) ** 2;
          else c = MISS + 0.5 * ((d - periodS) / sT) ** 2;
          const cand = ps - c;
          if (cand > best) {
            best = cand;
            arg = pn;
            isRestart = 0;
          }
        }
      }
      score[nodeJ] = best + reward[j]!;
      prev[nodeJ] = arg;
      restart[nodeJ] = isRestart;
    }
    prefixBest[j + 1] = prefixBest[j]!;
    prefixArg[j + 1] = prefixArg[j]!;
    for (let lab = 0; lab < 2; lab++) {
      if (score[2 * j + lab]! > prefixBest[j + 1]!) {
        prefixBest[j + 1] = score[2 * j + lab]!;
        prefixArg[j + 1] = 2 * j + lab;
      }
    }
  }
  const path: number[] = [];
  const chainOf: number[] = [];
  let node = prefixArg[P]!;
  let chain = 0;
  while (node >= 0) {
    path.push(node);
    chainOf.push(chain);
    if (restart[node]) chain++;
    node = prev[node]!;
  }
  path.reverse();
  chainOf.reverse();
  const maxChain = chainOf.length ? chainOf[0]! : 0;

  // labels: A = S1 unless pitch/timing evidence says otherwise (decided later, globally)
  const sounds: HeartSound[] = [];
  for (let q = 0; q < path.length; q++) {
    const nd = path[q]!;
    const j = nd >> 1;
    const k = peakIdx[j]!;
    const frac = o.onsetFraction * env[k]!;
    let m = k;
    const stop = Math.max(0, k - Math.round(0.12 * rate));
    while (m > stop && env[m - 1]! > frac) m--;
    let onsetIdx = m;
    if (m > 0 && env[m - 1]! <= frac && env[m]! > env[m - 1]!) onsetIdx = m - (env[m]! - frac) / (env[m]! - env[m - 1]!);
    sounds.push({
      peakS: t[j]!,
      onsetS: toTime(onsetIdx),
      amplitude: amp[j]!,
      label: (nd & 1) === 0 ? 1 : 2,
      chain: maxChain - chainOf[q]!,
    });
  }
  return {
    sounds,
    periodS,
    periodicity,
    systoleS,
    envelope,
    diagnostics: { periodicity, systoleS, nPeaks: P, nSounds: sounds.length, chains: maxChain + 1, sysVal },
  };
}
