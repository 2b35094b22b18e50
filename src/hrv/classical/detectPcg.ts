/**
 * Heart-sound (PCG) beat detector: band-pass → RMS envelope → period hypotheses from the
 * autocorrelation → S1/S2 labelling of the envelope peaks by dynamic programming for each
 * hypothesis (the best-scoring labelling wins, which avoids locking onto the S1–S2 interval or a
 * double period) → which class is S1 → S1 beat times. Details: docs/detector.md.
 * Written from the published ideas (envelope + autocorrelation period, e.g. Schmidt et al. 2010,
 * Springer et al. 2016; duration-constrained S1/S2 labelling), not from any GPL code.
 * Browser-safe.
 */
import { bandpassDecimate } from '../../dsp/butterworth.js';
import { energyEnvelope, type Envelope } from '../../dsp/envelope.js';
import { autocorrelation } from '../../dsp/autocorrelation.js';
import { findPeaks } from '../../dsp/peaks.js';

/** Tunable settings of the PCG detector (defaults in {@link PCG_DEFAULTS}). */
export interface PcgOptions {
  /** Band-pass edges, Hz (default 25 and 400). */
  lowHz: number;
  highHz: number;
  /** Envelope sample rate and smoothing cutoff, Hz (default 250 and 20). */
  envelopeRateHz: number;
  envelopeSmoothHz: number;
  /** Heart-rate search range for the period, bpm (default 30–200). */
  minHrBpm: number;
  maxHrBpm: number;
  /** Beat time of a sound: 'centroid' (default: envelope energy centroid within ±60 ms minus
   * `centroidLeadS`), 'threshold' (where the envelope last rises through `onsetFraction` of the
   * peak, searching back ≤ 120 ms) or 'peak'. */
  onsetMethod: 'threshold' | 'peak' | 'centroid';
  /** Default 0.04 s. */
  centroidLeadS: number;
  /** Default 0.5. */
  onsetFraction: number;
  /** DP: σ of the S1→S2 interval relative to its expected value (default 0.1), with a floor in s
   * (default 0.025) — systole is steady. */
  systoleSpread: number;
  systoleFloorS: number;
  /** DP: σ of the S2→S1 interval relative to its expected value (default 0.3; floor 50 ms). */
  diastoleSpread: number;
  /** DP: σ of a whole cycle (used when a sound is skipped), relative (default 0.25; floor 60 ms). */
  periodSpread: number;
  /** A sound weaker than this fraction of the 80th-percentile peak amplitude (or than twice the
   * median envelope) earns a negative reward (default 0.4). */
  weakSoundFraction: number;
  /** DP: cost of starting a new chain of beats (default 5) and of a skipped sound (default 2). */
  startCost: number;
  missCost: number;
  /** When the labelling skipped an S1 between two S2s of the same chain (S1 inaudible), add an
   * inferred S1 one median systole (S1→S2 onset interval) before the second S2 (default true). */
  inferMissedS1: boolean;
  /** Time of a candidate sound in the labelling's interval model: 'centroid' (default) or 'peak'. */
  dpTiming: 'centroid' | 'peak';
}

export const PCG_DEFAULTS: Readonly<PcgOptions> = Object.freeze({
  lowHz: 25,
  highHz: 400,
  envelopeRateHz: 250,
  envelopeSmoothHz: 20,
  minHrBpm: 30,
  maxHrBpm: 200,
  onsetMethod: 'centroid',
  centroidLeadS: 0.04,
  onsetFraction: 0.5,
  systoleSpread: 0.1,
  systoleFloorS: 0.025,
  diastoleSpread: 0.3,
  periodSpread: 0.25,
  weakSoundFraction: 0.4,
  startCost: 5,
  missCost: 2,
  inferMissedS1: true,
  dpTiming: 'centroid',
});

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
  /** True for an S1 not heard but placed one systole before its S2 (see `inferMissedS1`). */
  inferred?: boolean;
}

/**
 * What `detectPcg` measured on the way, for quality scoring and debugging. Every field is absent
 * when detection stopped before it (no period: only `periodicity`).
 */
export interface PcgDiagnostics {
  /** Median absolute deviation of the A→B / B→A sound intervals, s. */
  abMad?: number;
  baMad?: number;
  /** Median of the envelope. */
  envMedian?: number;
  /** Relative spread of the A→B (systolic) intervals. */
  abSpread?: number;
  abCount?: number;
  /** Evidence that class A is S1. */
  s1Evidence?: number;
  /** Autocorrelation strength of the chosen period, 0..1. */
  periodicity?: number;
  /** Mean systolic / diastolic interval, s. */
  tau1S?: number;
  tau2S?: number;
  timingRatio?: number;
  /** Mean frequency, duration and amplitude ratio of the two sound classes. */
  fA?: number;
  fB?: number;
  durA?: number;
  durB?: number;
  ampRatio?: number;
  /** 1 when class A was labelled S1. */
  aIsS1?: number;
  nPeaks?: number;
  nSounds?: number;
  /** Labelling chains. */
  chains?: number;
  /** DP labelling score. */
  score?: number;
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
  /** Diagnostics for quality scoring (empty when no period was found). */
  diagnostics: PcgDiagnostics;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

/** Linear-interpolated quantile of an ascending-sorted array. */
function quantileSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = Math.min(s.length - 1, Math.max(0, q * (s.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * A single-hypothesis period estimate: the strongest autocorrelation local maximum of an envelope
 * between 60/maxHrBpm and 60/minHrBpm seconds (lag in envelope samples, −1 when none).
 * `detectPcg` itself compares several such maxima by labelling (see the module comment).
 */
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

/** Parameters of one labelling hypothesis. */
interface DpParams {
  periodS: number;
  /** Relative spreads (σ / expected) of the systolic, diastolic and whole-cycle intervals. */
  systoleSpread: number;
  /** Smallest systolic σ, s. */
  systoleFloorS: number;
  diastoleSpread: number;
  periodSpread: number;
  /** Cost of starting a new chain and of skipping one sound inside a chain (DP units). */
  startCost: number;
  missCost: number;
  /** Expected A→B (S1→S2) and B→A (S2→S1) intervals, s. */
  tau1S: number;
  tau2S: number;
}

/** Result of the labelling DP. */
interface DpResult {
  /** Peak index of each selected sound, in time order. */
  peaks: number[];
  /** 0 = A (S1-like: followed by the short interval), 1 = B. */
  labels: number[];
  /** Chain id of each selected sound (increasing). */
  chains: number[];
  score: number;
}


/**
 * Label envelope peaks as an alternating S1/S2 sequence by dynamic programming. Each chosen peak
 * earns `reward[j]`; a transition A→B costs ((d − τ1)/σ1)²/2, B→A ((d − τ2)/σ2)²/2, A→A or B→B
 * (one sound missed) MISS + ((d − T)/σT)²/2; a chain may restart after ≥ T/2 at cost START.
 */
function labelPeaks(t: readonly number[], reward: readonly number[], p: DpParams): DpResult {
  const P = t.length;
  const { periodS, tau1S: tau1, tau2S: tau2 } = p;
  const s1 = Math.max(p.systoleFloorS, p.systoleSpread * tau1);
  const s2 = Math.max(0.05, p.diastoleSpread * tau2);
  const sT = Math.max(0.06, p.periodSpread * periodS);
  const START_COST = p.startCost;
  const MISS_COST = p.missCost;
  const score = new Float64Array(2 * P).fill(-Infinity);
  const prev = new Int32Array(2 * P).fill(-1);
  const restart = new Uint8Array(2 * P);
  const maxBack = 1.6 * periodS;
  const prefixBest = new Float64Array(P + 1);
  const prefixArg = new Int32Array(P + 1).fill(-1);
  let restartUpTo = 0;
  for (let j = 0; j < P; j++) {
    while (restartUpTo < j && t[restartUpTo]! <= t[j]! - 0.5 * periodS) restartUpTo++;
    for (let lab = 0; lab < 2; lab++) {
      let best = prefixBest[restartUpTo]! - START_COST;
      let arg = prefixArg[restartUpTo]!;
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
          else c = MISS_COST + 0.5 * ((d - periodS) / sT) ** 2;
          const cand = ps - c;
          if (cand > best) {
            best = cand;
            arg = pn;
            isRestart = 0;
          }
        }
      }
      score[2 * j + lab] = best + reward[j]!;
      prev[2 * j + lab] = arg;
      restart[2 * j + lab] = isRestart;
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
  const nodes: number[] = [];
  const chainRev: number[] = [];
  let node = prefixArg[P]!;
  let chain = 0;
  while (node >= 0) {
    nodes.push(node);
    chainRev.push(chain);
    if (restart[node]) chain++;
    node = prev[node]!;
  }
  nodes.reverse();
  chainRev.reverse();
  const top = chainRev.length ? chainRev[0]! : 0;
  return {
    peaks: nodes.map((nd) => nd >> 1),
    labels: nodes.map((nd) => nd & 1),
    chains: chainRev.map((c) => top - c),
    score: P ? prefixBest[P]! : 0,
  };
}

/** Median A→B and B→A intervals of a labelling (null when fewer than `minCount` of either). */
function intervalsOf(t: readonly number[], r: DpResult, minCount = 4): { tau1S: number; tau2S: number } | null {
  const ab: number[] = [];
  const ba: number[] = [];
  for (let q = 1; q < r.peaks.length; q++) {
    if (r.chains[q] !== r.chains[q - 1]) continue;
    const d = t[r.peaks[q]!]! - t[r.peaks[q - 1]!]!;
    if (r.labels[q - 1] === 0 && r.labels[q] === 1) ab.push(d);
    else if (r.labels[q - 1] === 1 && r.labels[q] === 0) ba.push(d);
  }
  if (ab.length < minCount || ba.length < minCount) return null;
  return { tau1S: median(ab), tau2S: median(ba) };
}

/** Strongest autocorrelation local maximum in (lo, hi] lags, or -1. */
function acfPeakIn(acf: Float64Array, lo: number, hi: number): number {
  let best = -1;
  let bestVal = -Infinity;
  for (let k = Math.max(1, Math.floor(lo) + 1); k <= Math.floor(hi) && k < acf.length - 1; k++) {
    const v = acf[k]!;
    if (v > acf[k - 1]! && v >= acf[k + 1]! && v > bestVal) {
      bestVal = v;
      best = k;
    }
  }
  return best;
}

/** Energy centroid (fractional index) of env² within ±w samples of k. */
function energyCentroid(env: Float32Array, k: number, w: number): number {
  let sw = 0;
  let st = 0;
  for (let i = Math.max(0, k - w); i <= Math.min(env.length - 1, k + w); i++) {
    const e2 = env[i]! * env[i]!;
    sw += e2;
    st += e2 * i;
  }
  return sw > 0 ? st / sw : k;
}

/** Mean frequency (Hz) of a band-passed stretch: fs/(2π)·sqrt(Σ(Δx)²/Σx²). */
function meanFrequencyHz(x: Float64Array, from: number, to: number, fs: number): number {
  let e = 0;
  let d = 0;
  const a = Math.max(1, from);
  const b = Math.min(x.length, to);
  for (let i = a; i < b; i++) {
    e += x[i]! * x[i]!;
    const g = x[i]! - x[i - 1]!;
    d += g * g;
  }
  return e > 0 ? (fs / (2 * Math.PI)) * Math.sqrt(d / e) : 0;
}

/**
 * Insert an inferred S1 between two S2s of one chain (an S1 the labelling skipped as inaudible):
 * one median S1→S2 onset interval before the second S2, when that leaves a diastole of at least
 * 0.6 × the expected one after the first S2. Amplitude: the envelope's maximum within ±40 ms.
 */
function inferS1s(
  sounds: HeartSound[],
  diastoleS: number,
  env: Float32Array,
  rate: number,
  toTime: (k: number) => number,
): void {
  const sys: number[] = [];
  for (let q = 1; q < sounds.length; q++) {
    const a = sounds[q - 1]!;
    const b = sounds[q]!;
    if (a.chain === b.chain && a.label === 1 && b.label === 2) sys.push(b.onsetS - a.onsetS);
  }
  if (sys.length < 4) return;
  const systole = median(sys);
  for (let q = sounds.length - 1; q >= 1; q--) {
    const a = sounds[q - 1]!;
    const b = sounds[q]!;
    if (a.chain !== b.chain || a.label !== 2 || b.label !== 2) continue;
    const onset = b.onsetS - systole;
    if (onset - a.onsetS < 0.6 * diastoleS) continue;
    const c = Math.round((onset + 0.04) * rate - 0.5);
    let amp = 0;
    for (let k = Math.max(0, c - Math.round(0.04 * rate)); k <= Math.min(env.length - 1, c + Math.round(0.04 * rate)); k++) amp = Math.max(amp, env[k]!);
    sounds.splice(q, 0, { peakS: toTime(c), onsetS: onset, amplitude: amp, label: 1, chain: b.chain, inferred: true });
  }
}

/**
 * Detect heart sounds in a PCG recording.
 * @param samples audio samples (any scale)
 * @param sampleRateHz 500–8000 Hz
 */
export function detectPcg(samples: ArrayLike<number>, sampleRateHz: number, opts: Partial<PcgOptions> = {}): PcgResult {
  const o: PcgOptions = { ...PCG_DEFAULTS, ...opts };
  // band-passed signal at a reduced rate (≈1 kHz for a 400 Hz upper edge)
  const bp = bandpassDecimate(samples, sampleRateHz, o.lowHz, o.highHz, 4);
  const x = bp.values;
  const xRate = bp.sampleRateHz;
  const envelope = energyEnvelope(x, xRate, { rateHz: o.envelopeRateHz, smoothHz: o.envelopeSmoothHz });
  const env = envelope.values;
  const rate = envelope.sampleRateHz;
  const n = env.length;
  const toTime = (k: number): number => ((k + 0.5) * envelope.factor) / xRate;
  const empty: PcgResult = { sounds: [], periodS: null, periodicity: 0, systoleS: null, envelope, diagnostics: {} };
  if (n < rate * 1.5) return empty;

  // compress loud artefacts so they do not dominate the period estimate
  const envSorted = Float32Array.from(env).sort();
  const hiRef = quantileSorted(envSorted, 0.95);
  if (!(hiRef > 0)) return empty;
  const comp = new Float32Array(n);
  for (let k = 0; k < n; k++) comp[k] = Math.min(env[k]! / hiRef, 1.5);
  const minLag = Math.max(2, Math.floor((60 / o.maxHrBpm) * rate));
  const maxLag = Math.ceil((60 / o.minHrBpm) * rate);
  const acf = autocorrelation(comp, maxLag + 2);

  // candidate peaks (sounds), with a reward that saturates for loud artefacts
  const floor = quantileSorted(envSorted, 0.3);
  const peakIdx = findPeaks(env, { minDistance: Math.max(2, Math.round(0.1 * rate)), minHeight: floor });
  // time of each candidate sound for the interval model: its envelope energy centroid within
  // ±60 ms ('centroid' timing; more stable than the peak when a sound has two components)
  const cw = Math.round(0.06 * rate);
  const t = o.dpTiming === 'peak' ? peakIdx.map(toTime) : peakIdx.map((k) => toTime(energyCentroid(env, k, cw)));
  const amp = peakIdx.map((k) => env[k]!);
  const refAmp = median(amp.filter((a) => a > 0)) || hiRef;
  const loudAmp = quantile(amp, 0.8) || hiRef; // a typical heart-sound peak
  const envMedian = quantileSorted(envSorted, 0.5);
  const base = Math.max(2 * envMedian, o.weakSoundFraction * loudAmp, 1e-12);
  // saturation: 3× the median candidate peak, but at least 1.2× the reward base so that the
  // loudest sounds always earn a positive reward (clean recordings have many tiny noise peaks)
  const cap = Math.max(3 * refAmp, 1.2 * base);
  const reward = amp.map((a) => Math.log(Math.max(Math.min(a, cap), 1e-12) / base) + 0.5 * Math.min(a, cap) / (cap / 3));

  // period hypotheses: the strongest autocorrelation maxima, plus the median of the
  // second-order intervals between prominent peaks (≈ S1→S1 when both sounds are seen)
  const lags: Array<{ lag: number; val: number }> = [];
  for (let k = minLag; k <= Math.min(maxLag, acf.length - 2); k++) {
    if (acf[k]! > acf[k - 1]! && acf[k]! >= acf[k + 1]! && acf[k]! > 0) lags.push({ lag: k, val: acf[k]! });
  }
  lags.sort((a, b) => b.val - a.val);
  const periods = lags.slice(0, 4).map((l) => l.lag / rate);
  const promLevel = 0.3 * quantile(amp, 0.9);
  const prom = peakIdx.filter((k) => env[k]! >= promLevel).map(toTime);
  if (prom.length >= 5) {
    const d2: number[] = [];
    for (let i = 2; i < prom.length; i++) d2.push(prom[i]! - prom[i - 2]!);
    const tm = median(d2);
    if (tm >= minLag / rate && tm <= maxLag / rate) periods.push(tm);
  }
  if (periods.length === 0 || peakIdx.length < 3) return { ...empty, diagnostics: { periodicity: 0 } };

  let best: { r: DpResult; p: DpParams } | null = null;
  for (const T of periods) {
    const L = Math.round(T * rate);
    const sysLag = acfPeakIn(acf, 0.2 * L, 0.55 * L);
    const tau1 = sysLag > 0 && acf[sysLag]! > 0 ? Math.min(sysLag, L - sysLag) / rate : 0.4 * T;
    const dp = { systoleSpread: o.systoleSpread, systoleFloorS: o.systoleFloorS, diastoleSpread: o.diastoleSpread, periodSpread: o.periodSpread, startCost: o.startCost, missCost: o.missCost };
    let p: DpParams = { ...dp, periodS: T, tau1S: tau1, tau2S: Math.max(T - tau1, tau1) };
    let r = labelPeaks(t, reward, p);
    // one refinement from the labelled intervals
    const est = intervalsOf(t, r);
    if (est) {
      const p2: DpParams = { ...dp, periodS: est.tau1S + est.tau2S, tau1S: Math.min(est.tau1S, est.tau2S), tau2S: Math.max(est.tau1S, est.tau2S) };
      const r2 = labelPeaks(t, reward, p2);
      if (r2.score > r.score) {
        r = r2;
        p = p2;
      }
    }
    if (!best || r.score > best.r.score) best = { r, p };
  }
  const { r, p } = best!;
  const periodS = p.periodS;
  const periodicity = acf[Math.min(acf.length - 1, Math.round(periodS * rate))] ?? 0;

  const abIntervals: number[] = [];
  for (let q = 1; q < r.peaks.length; q++) {
    if (r.chains[q] === r.chains[q - 1] && r.labels[q - 1] === 0 && r.labels[q] === 1) abIntervals.push(t[r.peaks[q]!]! - t[r.peaks[q - 1]!]!);
  }
  // robust spread of the A→B (systolic) intervals relative to their median: small for heart sounds
  const baIntervals: number[] = [];
  for (let q = 1; q < r.peaks.length; q++) {
    if (r.chains[q] === r.chains[q - 1] && r.labels[q - 1] === 1 && r.labels[q] === 0) baIntervals.push(t[r.peaks[q]!]! - t[r.peaks[q - 1]!]!);
  }
  const mad = (v: number[]): number => {
    const m = median(v);
    return median(v.map((u) => Math.abs(u - m)));
  };
  const abMad = abIntervals.length >= 3 ? mad(abIntervals) : NaN;
  const baMad = baIntervals.length >= 3 ? mad(baIntervals) : NaN;
  const abMed = median(abIntervals);
  const abSpread = abIntervals.length >= 3 ? abMad / abMed : NaN;
  // which class is S1: systole (S1→S2) is shorter than diastole; when the two are too close to
  // tell, S2 is the higher-pitched sound
  const halfWin = Math.round(0.05 * xRate);
  const freq = [0, 0];
  const cnt = [0, 0];
  const dur = [0, 0];
  const lamp = [0, 0];
  for (let q = 0; q < r.peaks.length; q++) {
    const c = Math.round(t[r.peaks[q]!]! * xRate);
    const lab = r.labels[q]!;
    freq[lab]! += meanFrequencyHz(x, c - halfWin, c + halfWin, xRate);
    cnt[lab]!++;
    const k = peakIdx[r.peaks[q]!]!;
    const half = 0.5 * env[k]!;
    let a = k;
    while (a > 0 && env[a - 1]! > half && k - a < rate * 0.2) a--;
    let b = k;
    while (b < n - 1 && env[b + 1]! > half && b - k < rate * 0.2) b++;
    dur[lab]! += (b - a + 1) / rate;
    lamp[lab]! += Math.log(env[k]!);
  }
  const durA = cnt[0]! ? dur[0]! / cnt[0]! : 0;
  const durB = cnt[1]! ? dur[1]! / cnt[1]! : 0;
  const ampRatio = cnt[0]! && cnt[1]! ? Math.exp(lamp[0]! / cnt[0]! - lamp[1]! / cnt[1]!) : 1;
  const fA = cnt[0]! ? freq[0]! / cnt[0]! : 0;
  const fB = cnt[1]! ? freq[1]! / cnt[1]! : 0;
  const timingRatio = p.tau1S / Math.max(p.tau2S, 1e-9);
  // evidence that class A is S1 (sum of log-ratios): the interval after it is shorter (systole <
  // diastole) and steadier (diastole absorbs the heart-rate variability; weight 1/2), it is
  // lower-pitched and longer than B
  const safeLog = (v: number): number => (Number.isFinite(v) && v > 0 ? Math.log(v) : 0);
  const eps = 1 / rate; // one envelope sample
  const steadier = Number.isFinite(abMad) && Number.isFinite(baMad) ? safeLog((baMad + eps) / (abMad + eps)) : 0;
  const s1Evidence = -safeLog(timingRatio) + 0.5 * steadier + safeLog(fB / fA) + safeLog(durA / durB);
  const aIsS1 = s1Evidence >= 0;

  const sounds: HeartSound[] = [];
  for (let q = 0; q < r.peaks.length; q++) {
    const j = r.peaks[q]!;
    const k = peakIdx[j]!;
    const frac = o.onsetFraction * env[k]!;
    let m = k;
    const stop = Math.max(0, k - Math.round(0.12 * rate));
    while (m > stop && env[m - 1]! > frac) m--;
    let onsetIdx = m;
    if (m > 0 && env[m - 1]! <= frac && env[m]! > env[m - 1]!) onsetIdx = m - (env[m]! - frac) / (env[m]! - env[m - 1]!);
    if (o.onsetMethod === 'peak') onsetIdx = k;
    else if (o.onsetMethod === 'centroid') {
      const w = Math.round(0.06 * rate);
      let sw = 0;
      let st = 0;
      for (let i = Math.max(0, k - w); i <= Math.min(n - 1, k + w); i++) {
        const e2 = env[i]! * env[i]!;
        sw += e2;
        st += e2 * i;
      }
      onsetIdx = (sw > 0 ? st / sw : k) - o.centroidLeadS * rate;
    }
    const isA = r.labels[q] === 0;
    sounds.push({
      peakS: toTime(k),
      onsetS: toTime(onsetIdx),
      amplitude: amp[j]!,
      label: isA === aIsS1 ? 1 : 2,
      chain: r.chains[q]!,
    });
  }
  if (o.inferMissedS1 && sounds.length >= 6) inferS1s(sounds, aIsS1 ? p.tau2S : p.tau1S, env, rate, toTime);
  return {
    sounds,
    periodS,
    periodicity,
    systoleS: aIsS1 ? p.tau1S : p.tau2S,
    envelope,
    diagnostics: { abMad, baMad, envMedian, abSpread, abCount: abIntervals.length, s1Evidence, periodicity, tau1S: p.tau1S, tau2S: p.tau2S, timingRatio, fA, fB, durA, durB, ampRatio, aIsS1: aIsS1 ? 1 : 0, nPeaks: peakIdx.length, nSounds: sounds.length, chains: r.chains.length ? r.chains[r.chains.length - 1]! + 1 : 0, score: r.score },
  };
}
