/**
 * Synthetic heartbeat signals: the seed notebook's generator (sections 2–4), option for option.
 *
 * Model (all draws in the notebook's order, so that `rng: 'numpy'` reproduces
 * `np.random.seed(S)` followed by the notebook's loop):
 * 1. per signal: `hr = uniform(hrMinBpm, hrMaxBpm)`, `hrv = uniform(hrvMinS, hrvMaxS)`;
 * 2. `k = int(durationS / (60/hr))` beat intervals `~ normal(60/hr, hrv)`, all drawn, floored at
 *    0.1 s; beats at t = 0 and at the cumulative sums while `< durationS`;
 * 3. per beat whose sample index `int(t·fs)` lies inside the signal: pulse duration
 *    `d = uniform(pulseMinS, pulseMaxS)`, amplitude `a = uniform(ampMin, ampMax)`, and the
 *    half-Gaussian `a·exp(−(i / (fs·(d/6)))²)` for `i = 0 … int(d·fs) − 1`, added in place;
 * 4. `snr = uniform(snrMinDb, snrMaxDb)`; if the clean signal's mean power `P > 1e−10`, white
 *    Gaussian noise of variance `P / 10^(snr/10)` is added.
 *
 * Browser-safe (no Node APIs).
 */
import type { Rng } from './rng.js';
import { ZigguratRng } from './ziggurat.js';
import { NumpyRng } from './numpyRng.js';

/**
 * Random-number mode: `fast` (default: xoshiro128** uniforms and ziggurat normals, see
 * ZigguratRng) or `numpy` (numpy's legacy `np.random.seed` stream, see NumpyRng).
 */
export type RngMode = 'fast' | 'numpy';

/** The generator's physical parameters (everything but n, seed and rng). */
export interface GeneratorParams {
  /** Sampling rate in Hz (> 0). Default 1000. */
  sampleRateHz: number;
  /** Signal duration in seconds (> 0). Default 5. Samples per signal = int(durationS·sampleRateHz). */
  durationS: number;
  /** Lower bound of the uniform heart-rate draw, bpm (> 0). Default 50. */
  hrMinBpm: number;
  /** Upper bound of the uniform heart-rate draw, bpm (≥ hrMinBpm). Default 120. */
  hrMaxBpm: number;
  /** Lower bound of the beat-interval standard deviation, s (≥ 0). Default 0.005. */
  hrvMinS: number;
  /** Upper bound of the beat-interval standard deviation, s (≥ hrvMinS). Default 0.05. */
  hrvMaxS: number;
  /** Lower bound of the pulse duration, s (≥ 0). Default 0.03. */
  pulseMinS: number;
  /** Upper bound of the pulse duration, s (≥ pulseMinS). Default 0.07. */
  pulseMaxS: number;
  /** Lower bound of the pulse amplitude (≥ 0). Default 0.8. */
  ampMin: number;
  /** Upper bound of the pulse amplitude (≥ ampMin). Default 1.2. */
  ampMax: number;
  /** Lower bound of the signal-to-noise ratio, dB (finite; may be negative). Default 5. */
  snrMinDb: number;
  /** Upper bound of the signal-to-noise ratio, dB (≥ snrMinDb). Default 25. */
  snrMaxDb: number;
}

/** Options of {@link simulateDataset}; all optional but `n`. */
export interface SimulationOptions extends Partial<GeneratorParams> {
  /** Number of signals (integer ≥ 1). */
  n: number;
  /** Seed, integer in [0, 2^32 − 1]. Default 42. */
  seed?: number;
  /** Random-number mode. Default `'fast'`. */
  rng?: RngMode;
  /** Called after each signal with (done, total); for progress bars. Not part of the result. */
  onProgress?: (done: number, total: number) => void;
}

/** Fully resolved simulation options (defaults filled in). */
export interface ResolvedSimulationOptions extends GeneratorParams {
  n: number;
  seed: number;
  rng: RngMode;
}

/** One simulated signal and its labels. */
export interface SimulatedSignal {
  /** The noisy signal, int(durationS·sampleRateHz) samples. */
  samples: Float64Array;
  /** Beat onset times in seconds (first beat at 0). */
  beatTimesS: number[];
  /** Physiological heart rate 60 / mean(RR), bpm (the default training target). With a single
   * beat there is no RR interval and this falls back to `hrCountBpm`. */
  hrBpm: number;
  /** The seed's label: number of beats / duration × 60, bpm. */
  hrCountBpm: number;
  /** Population standard deviation of the RR intervals, s (the seed's `true_hrv`; 0 for one beat). */
  hrvS: number;
  /** Number of beats. */
  nBeats: number;
  /** The drawn signal-to-noise ratio, dB. */
  snrDb: number;
  /** The drawn (generating) heart rate, bpm. */
  hrParamBpm: number;
  /** The drawn (generating) beat-interval standard deviation, s. */
  hrvParamS: number;
}

/** The seed notebook's parameters. */
export const DEFAULT_GENERATOR_PARAMS: Readonly<GeneratorParams> = Object.freeze({
  sampleRateHz: 1000,
  durationS: 5,
  hrMinBpm: 50,
  hrMaxBpm: 120,
  hrvMinS: 0.005,
  hrvMaxS: 0.05,
  pulseMinS: 0.03,
  pulseMaxS: 0.07,
  ampMin: 0.8,
  ampMax: 1.2,
  snrMinDb: 5,
  snrMaxDb: 25,
});

/** Default seed (the seed notebook's split uses random_state 42). */
export const DEFAULT_SEED = 42;

/** Create a seeded generator of the given mode. Throws RangeError on an unknown mode or bad seed. */
export function createRng(mode: RngMode, seed: number): Rng {
  checkSeed(seed);
  if (mode === 'fast') return new ZigguratRng(seed);
  if (mode === 'numpy') return new NumpyRng(seed);
  throw new RangeError(`unknown rng '${String(mode)}' (expected 'fast' or 'numpy')`);
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
  }
}

/** Number of samples of one signal: `int(durationS · sampleRateHz)` as in the seed. */
export function samplesPerSignal(p: Pick<GeneratorParams, 'durationS' | 'sampleRateHz'>): number {
  return Math.trunc(p.durationS * p.sampleRateHz);
}

/**
 * Fill in defaults and validate. Throws RangeError with a one-line message for: n not an
 * integer ≥ 1, a bad seed, an unknown rng, any non-finite value, negative rates/durations/
 * amplitudes, min > max, or a signal of zero samples.
 */
export function resolveSimulationOptions(options: SimulationOptions): ResolvedSimulationOptions {
  const o = { ...DEFAULT_GENERATOR_PARAMS, seed: DEFAULT_SEED, rng: 'fast' as RngMode, ...dropUndefined(options), n: options.n };
  if (!Number.isInteger(o.n) || o.n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${o.n}`);
  checkSeed(o.seed);
  if (o.rng !== 'fast' && o.rng !== 'numpy') {
    throw new RangeError(`unknown rng '${String(o.rng)}' (expected 'fast' or 'numpy')`);
  }
  const positive: (keyof GeneratorParams)[] = ['sampleRateHz', 'durationS', 'hrMinBpm', 'hrMaxBpm'];
  const nonNegative: (keyof GeneratorParams)[] = ['hrvMinS', 'hrvMaxS', 'pulseMinS', 'pulseMaxS', 'ampMin', 'ampMax'];
  for (const key of Object.keys(DEFAULT_GENERATOR_PARAMS) as (keyof GeneratorParams)[]) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${key} must be a finite number, got ${String(v)}`);
  }
  for (const key of positive) if (!(o[key] > 0)) throw new RangeError(`${key} must be > 0, got ${o[key]}`);
  for (const key of nonNegative) if (!(o[key] >= 0)) throw new RangeError(`${key} must be ≥ 0, got ${o[key]}`);
  const pairs: [keyof GeneratorParams, keyof GeneratorParams][] = [
    ['hrMinBpm', 'hrMaxBpm'],
    ['hrvMinS', 'hrvMaxS'],
    ['pulseMinS', 'pulseMaxS'],
    ['ampMin', 'ampMax'],
    ['snrMinDb', 'snrMaxDb'],
  ];
  for (const [lo, hi] of pairs) {
    if (o[lo] > o[hi]) throw new RangeError(`${lo} (${o[lo]}) must not exceed ${hi} (${o[hi]})`);
  }
  if (samplesPerSignal(o) < 1) {
    throw new RangeError(`durationS × sampleRateHz must give at least one sample, got ${o.durationS} × ${o.sampleRateHz}`);
  }
  return {
    n: o.n,
    seed: o.seed,
    rng: o.rng,
    sampleRateHz: o.sampleRateHz,
    durationS: o.durationS,
    hrMinBpm: o.hrMinBpm,
    hrMaxBpm: o.hrMaxBpm,
    hrvMinS: o.hrvMinS,
    hrvMaxS: o.hrvMaxS,
    pulseMinS: o.pulseMinS,
    pulseMaxS: o.pulseMaxS,
    ampMin: o.ampMin,
    ampMax: o.ampMax,
    snrMinDb: o.snrMinDb,
    snrMaxDb: o.snrMaxDb,
  };
}

function dropUndefined<T extends object>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Parameters of one signal: the generator's parameters plus the drawn HR and HRV. */
export interface SignalParams extends GeneratorParams {
  /** Generating heart rate, bpm (> 0). */
  hrParamBpm: number;
  /** Generating beat-interval standard deviation, s (≥ 0). */
  hrvParamS: number;
}

/**
 * Generate one signal (the seed's `generate_heartbeat_signal_enhanced`), drawing from `rng` in
 * the seed's order: all beat intervals, then per beat inside the signal its pulse duration and
 * amplitude, then the SNR, then (if the clean power exceeds 1e−10) one noise value per sample.
 * @param out optional buffer of int(durationS·sampleRateHz) samples to write the signal into
 *   (it is zeroed first); a new Float64Array by default
 */
export function simulateSignal(params: SignalParams, rng: Rng, out?: Float64Array): SimulatedSignal {
  const len = samplesPerSignal(params);
  let signal: Float64Array;
  if (out) {
    if (out.length !== len) throw new RangeError(`output buffer has ${out.length} samples, the signal needs ${len}`);
    signal = out.fill(0);
  } else {
    signal = new Float64Array(len);
  }
  return generateInto(params, rng, signal);
}

/** {@link simulateSignal} into `signal`, which must be all zeros and int(durationS·fs) long. */
function generateInto(params: SignalParams, rng: Rng, signal: Float64Array): SimulatedSignal {
  const fs = params.sampleRateHz;
  const duration = params.durationS;
  const meanIntervalS = 60 / params.hrParamBpm;
  const numBeatsApprox = Math.trunc(duration / meanIntervalS);

  // All intervals are drawn first (numpy draws the whole vector), even those not used.
  if (intervalScratch.length < numBeatsApprox) intervalScratch = new Float64Array(numBeatsApprox);
  const intervals = intervalScratch;
  drawNormals(rng, intervals, meanIntervalS, params.hrvParamS, numBeatsApprox);
  for (let k = 0; k < numBeatsApprox; k++) intervals[k] = Math.max(intervals[k], 0.1);

  const beatTimesS: number[] = [0];
  let currentS = 0;
  for (let k = 0; k < numBeatsApprox; k++) {
    const next = currentS + intervals[k];
    if (next < duration) {
      beatTimesS.push(next);
      currentS = next;
    } else {
      break;
    }
  }

  const len = signal.length;
  // Pulses; `sumSq` (the clean signal's energy) is summed over the pulses' samples only, in
  // increasing index order: the samples left out are exact zeros, so the sum is bit-identical
  // to summing all samples (beat sample indices never decrease).
  let sumSq = 0;
  let pendingStart = 0; // samples [pendingStart, pendingEnd) are touched but not summed yet
  let pendingEnd = 0;
  for (let b = 0; b < beatTimesS.length; b++) {
    const beatSample = Math.trunc(beatTimesS[b] * fs);
    if (beatSample < len) {
      const pulseS = rng.uniform(params.pulseMinS, params.pulseMaxS);
      const pulseSamples = Math.trunc(pulseS * fs);
      const amp = rng.uniform(params.ampMin, params.ampMax);
      const width = fs * (pulseS / 6);
      const count = Math.min(pulseSamples, len - beatSample);
      for (let i = 0; i < count; i++) {
        const z = i / width;
        signal[beatSample + i] += amp * Math.exp(-(z * z));
      }
      if (count > 0) {
        // no later pulse reaches below beatSample: the pending samples before it are final
        const finalEnd = Math.min(beatSample, pendingEnd);
        for (let i = pendingStart; i < finalEnd; i++) sumSq += signal[i] * signal[i];
        pendingStart = beatSample;
        pendingEnd = Math.max(pendingEnd, beatSample + count);
      }
    }
  }
  for (let i = pendingStart; i < pendingEnd; i++) sumSq += signal[i] * signal[i];

  const snrDb = rng.uniform(params.snrMinDb, params.snrMaxDb);
  const signalPower = sumSq / len;
  if (signalPower > 1e-10) {
    const noisePower = signalPower / Math.pow(10, snrDb / 10);
    addNormals(rng, signal, 0, Math.sqrt(noisePower));
  }

  const nBeats = beatTimesS.length;
  const hrCountBpm = (nBeats / duration) * 60;
  let hrBpm = hrCountBpm;
  let hrvS = 0;
  if (nBeats > 1) {
    const nRr = nBeats - 1;
    let sum = 0;
    for (let k = 1; k < nBeats; k++) sum += beatTimesS[k] - beatTimesS[k - 1];
    const meanRr = sum / nRr;
    let ss = 0;
    for (let k = 1; k < nBeats; k++) {
      const d = beatTimesS[k] - beatTimesS[k - 1] - meanRr;
      ss += d * d;
    }
    hrBpm = 60 / meanRr;
    hrvS = Math.sqrt(ss / nRr);
  }
  return {
    samples: signal,
    beatTimesS,
    hrBpm,
    hrCountBpm,
    hrvS,
    nBeats,
    snrDb,
    hrParamBpm: params.hrParamBpm,
    hrvParamS: params.hrvParamS,
  };
}

/**
 * Float64 values per storage block of {@link simulateDataset} (640 KiB; measured on Node 20:
 * one buffer for a whole 500-signal dataset spends more time in page faults on fresh memory
 * than in generating, one buffer per signal more in allocation; blocks of ~16 signals are fastest).
 */
const SIM_BLOCK_VALUES = 81920;

/** Reused buffers (the generator is synchronous, so one buffer serves every call). */
let noiseScratch = new Float64Array(0);
let intervalScratch = new Float64Array(16);

/** Fill `out[0 … count)` with successive `rng.normal(mean, std)` draws (through `fillNormal` when offered). */
function drawNormals(rng: Rng, out: Float64Array, mean: number, std: number, count = out.length): void {
  if (rng.fillNormal) rng.fillNormal(out, mean, std, 0, count);
  else for (let i = 0; i < count; i++) out[i] = rng.normal(mean, std);
}

/**
 * Add successive `rng.normal(mean, std)` draws to `signal` (in place, through `addNormal` when
 * offered, else drawn into a scratch buffer and added: the same bits either way).
 */
function addNormals(rng: Rng, signal: Float64Array, mean: number, std: number): void {
  const len = signal.length;
  if (rng instanceof ZigguratRng) {
    rng.addNormal(signal, mean, std, 0, len);
    return;
  }
  if (noiseScratch.length < len) noiseScratch = new Float64Array(len);
  drawNormals(rng, noiseScratch, mean, std, len);
  for (let i = 0; i < len; i++) signal[i] += noiseScratch[i];
}

/**
 * Generate `options.n` signals (the seed's dataset loop). Same options → same numbers.
 * The signals' `samples` are views into a few shared Float64Arrays (blocks of consecutive
 * signals); copy one (`slice()`) to keep it alone.
 * With `rng: 'numpy'` the result equals the notebook's after `np.random.seed(seed)` to ~1e−12.
 */
export function simulateDataset(options: SimulationOptions): SimulatedSignal[] {
  const o = resolveSimulationOptions(options);
  const rng = createRng(o.rng, o.seed);
  const len = samplesPerSignal(o);
  // signals are views into blocks of several signals: fewer allocations than one buffer per
  // signal, and less fresh (page-faulting) memory at once than one buffer for all
  const perBlock = Math.max(1, Math.min(o.n, Math.floor(SIM_BLOCK_VALUES / len)));
  let storage = new Float64Array(0);
  const out: SimulatedSignal[] = [];
  const params: SignalParams = { ...o, hrParamBpm: 0, hrvParamS: 0 }; // reused: read, never kept
  for (let s = 0; s < o.n; s++) {
    params.hrParamBpm = rng.uniform(o.hrMinBpm, o.hrMaxBpm);
    params.hrvParamS = rng.uniform(o.hrvMinS, o.hrvMaxS);
    const slot = s % perBlock;
    if (slot === 0) storage = new Float64Array(Math.min(perBlock, o.n - s) * len);
    // the fresh storage is all zeros already
    out.push(generateInto(params, rng, storage.subarray(slot * len, (slot + 1) * len)));
    options.onProgress?.(s + 1, o.n);
  }
  return out;
}
