/**
 * Spectral shaping for the PCG simulator: give a signal a target band spectrum with one
 * zero-phase FFT equaliser, and draw recording profiles (noise spectrum, heart-sound spectrum,
 * loudness) from the circor-train fit in recordingProfiles.ts. Browser-safe, deterministic.
 */
import { complexArray, fftPlan, nextPow2 } from '../../dsp/fft.js';
import { PROFILE_BAND_EDGES_HZ, PROFILE_CHOLESKY, PROFILE_MEAN } from './recordingProfiles.js';

/** One recording's profile (drawn from the circor-train fit). */
export interface RecordingProfile {
  /** Noise log power density per band of PROFILE_BAND_EDGES_HZ (relative; only differences matter). */
  noiseLogDensity: number[];
  /** Heart-sound log power density per band (relative). */
  heartLogDensity: number[];
  /** Heart-sound power over noise power, dB (power over the S1/S2 samples vs the noise's). */
  snrDb: number;
  /** Log band density of the noisy lead-in and tail (relative). */
  edgeLogDensity: number[];
  /** Durations of the noisy lead-in and tail, s (≥ 0). */
  leadS: number;
  trailS: number;
  /** Their power over the rest of the recording's, dB. */
  leadDb: number;
  trailDb: number;
}

/** Draw a profile: mean + L·g with g standard normal (`normal` supplies PROFILE_MEAN.length draws). */
export function drawRecordingProfile(normal: () => number): RecordingProfile {
  const d = PROFILE_MEAN.length;
  const g = Array.from({ length: d }, () => normal());
  const v = PROFILE_MEAN.map((m, i) => {
    const row = PROFILE_CHOLESKY[i]!;
    let s = m;
    for (let j = 0; j < row.length; j++) s += row[j]! * g[j]!;
    return s;
  });
  const nb = PROFILE_BAND_EDGES_HZ.length - 1;
  const e = 2 * nb + 1;
  return {
    noiseLogDensity: v.slice(0, nb),
    heartLogDensity: v.slice(nb, 2 * nb),
    snrDb: v[2 * nb]!,
    edgeLogDensity: v.slice(e, e + nb),
    leadS: Math.max(0, Math.exp(v[e + nb]!) - 0.25),
    trailS: Math.max(0, Math.exp(v[e + nb + 1]!) - 0.25),
    leadDb: v[e + nb + 2]!,
    trailDb: v[e + nb + 3]!,
  };
}

/**
 * Equalise `x` in place so that its power density per band of `edgesHz` follows
 * exp(`logDensity`) up to one overall factor (the RMS of x is kept). The gain is a smooth curve
 * (log gain linear in log frequency between band centres, refined 4 times so the band powers come
 * out right), applied as a zero-phase filter on the zero-padded FFT. Above the last band the gain
 * falls as f^−4 from the last band's; bands above Nyquist are ignored.
 */
export function shapeSpectrum(x: Float64Array, sampleRateHz: number, edgesHz: readonly number[], logDensity: readonly number[]): void {
  const n = x.length;
  if (n < 16) return;
  // zero padding of ≥ 0.25 s keeps the (short) impulse response of the smooth gain from wrapping
  const size = nextPow2(n + Math.ceil(0.25 * sampleRateHz));
  const plan = fftPlan(size);
  const input = new Array<number>(size).fill(0);
  let e0 = 0;
  for (let i = 0; i < n; i++) {
    input[i] = x[i]!;
    e0 += x[i]! * x[i]!;
  }
  if (e0 <= 0) return;
  const spec = complexArray(plan.size);
  plan.realTransform(spec, input);
  const half = size / 2;
  const binHz = sampleRateHz / size;
  const power = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) power[k] = spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2;
  // bands present below Nyquist
  const nyq = sampleRateHz / 2;
  const bands: Array<{ lo: number; hi: number; centreHz: number; target: number }> = [];
  for (let b = 0; b + 1 < edgesHz.length; b++) {
    const lo = edgesHz[b]!;
    const hi = Math.min(edgesHz[b + 1]!, nyq);
    if (hi - lo < 2 * binHz) continue;
    const centreHz = lo > 0 ? Math.sqrt(lo * hi) : hi / 2;
    bands.push({ lo, hi, centreHz, target: Math.exp(logDensity[b]!) });
  }
  if (bands.length === 0) return;
  const bandOf = new Int32Array(half + 1).fill(-1);
  for (let k = 1; k <= half; k++) {
    const f = k * binHz;
    for (let b = 0; b < bands.length; b++) if (f >= bands[b]!.lo && f < bands[b]!.hi) bandOf[k] = b;
  }
  // node log gains at band centres; the per-bin gain interpolates them in log frequency:
  // bin k takes (1 − w[k])·node[j[k]] + w[k]·node[j[k] + 1], times a roll-off above the last band
  const logC = bands.map((b) => Math.log(b.centreHz));
  const node = new Float64Array(bands.length);
  const lastHz = bands[bands.length - 1]!.hi;
  const jOf = new Int32Array(half + 1);
  const wOf = new Float64Array(half + 1);
  const rollOff = new Float64Array(half + 1).fill(1);
  for (let k = 1, j = 0; k <= half; k++) {
    const f = k * binHz;
    const lf = Math.log(f);
    if (f > lastHz) rollOff[k] = (lastHz / f) ** 4;
    while (j + 1 < logC.length && lf > logC[j + 1]!) j++;
    jOf[k] = j;
    wOf[k] = j + 1 < logC.length && lf > logC[j]! ? (lf - logC[j]!) / (logC[j + 1]! - logC[j]!) : 0;
  }
  const fillGain = (gain: Float64Array): void => {
    gain[0] = 0; // no DC
    for (let k = 1; k <= half; k++) {
      const j = jOf[k]!;
      const w = wOf[k]!;
      gain[k] = Math.exp((1 - w) * node[j]! + (w > 0 ? w * node[j + 1]! : 0)) * rollOff[k]!;
    }
  };
  const gain = new Float64Array(half + 1);
  const bandPower = (): Float64Array => {
    const e = new Float64Array(bands.length);
    for (let k = 1; k <= half; k++) if (bandOf[k]! >= 0) e[bandOf[k]!]! += power[k]! * gain[k]! ** 2;
    return e;
  };
  for (let it = 0; it < 5; it++) {
    fillGain(gain);
    const e = bandPower();
    let total = 0;
    for (let b = 0; b < bands.length; b++) total += e[b]!;
    let want = 0;
    for (const b of bands) want += b.target * (b.hi - b.lo);
    for (let b = 0; b < bands.length; b++) {
      const desired = (bands[b]!.target * (bands[b]!.hi - bands[b]!.lo)) / want;
      const have = e[b]! / (total || 1);
      // half-log steps (damped) so neighbouring nodes do not overshoot each other
      node[b] = node[b]! + 0.5 * Math.log(Math.max(desired, 1e-30) / Math.max(have, 1e-30)) * (it === 0 ? 1 : 0.8);
      node[b] = Math.max(-30, Math.min(30, node[b]!));
    }
  }
  fillGain(gain);
  // apply to the full (conjugate-symmetric) spectrum and invert
  plan.completeSpectrum(spec);
  for (let k = 0; k < size; k++) {
    const g = gain[k <= half ? k : size - k]!;
    spec[2 * k]! *= g;
    spec[2 * k + 1]! *= g;
  }
  const out = complexArray(plan.size);
  plan.inverseTransform(out, spec);
  let e1 = 0;
  for (let i = 0; i < n; i++) e1 += out[2 * i]! ** 2;
  const scale = e1 > 0 ? Math.sqrt(e0 / e1) : 0;
  for (let i = 0; i < n; i++) x[i] = out[2 * i]! * scale;
}
