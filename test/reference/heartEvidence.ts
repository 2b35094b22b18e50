// Reference copy of src/hrv/gate/heartEvidence.ts before the issue-14 throughput work (main 261fc92):
// the straightforward kernels that test/throughput-kernels.test.ts compares the fast ones against.
/**
 * "Is this a heartbeat?" evidence at the detected events (issue 11 §1), beyond the whole-recording
 * spectrum of spectrum.ts. Browser-safe, pure.
 *
 * Events: each S1 beat and S2 sound is centred on the largest peak of the 20–400 Hz envelope
 * within −50 … +150 ms of its detected time; an event segment is ±50 ms around that centre.
 *
 * - `eventLowShare`: energy in 20–400 Hz ÷ energy in 20–min(2000, 0.45·fs) Hz over the event
 *   segments (Hann-windowed FFT). Heart sounds: most of it below 400 Hz.
 * - `s2Contrast` / `s1Contrast`: median over cycles of the 20–400 Hz envelope's peak at S2 (S1) ÷
 *   the median envelope level in mid-diastole (the middle third between S2 and the next S1).
 *   A heart has a second sound; one thump per cycle (footsteps, kick drums, AM noise) does not.
 * - `eventWidthMs`: median time the 20–400 Hz envelope (20 ms mean of |x|) of an S1 or S2 event
 *   stays above half-way between its peak and the mid-diastole level. Heart sounds: tens of ms
 *   to ~150 ms; amplitude-modulated noise and breathing: hundreds of ms.
 * - `beatSimilarity`: median over consecutive S1 pairs of the peak normalised cross-correlation
 *   (lags ±5 ms) of their 20–400 Hz waveforms (±60 ms). Real S1s vary from beat to beat; a
 *   machine repeats the same waveform (shutters, drum samples, clicks): ≈ 1.
 * - `harmonicity`: share of the loud 40 ms frames (20–2000 Hz, above the recording's median frame
 *   energy) with a pitch of 80–500 Hz (YIN's normalised difference dips below 0.2 at a local
 *   minimum, lag 2–12.5 ms): voiced speech, tones, alarms, music, ringing. Heart sounds are not
 *   periodic at these lags.
 * - `posteriorConfidence`: mean over frames of the learned segmenter's largest state posterior
 *   (NaN for methods without posteriors).
 */
import { bandpassFiltfilt } from '../../src/dsp/butterworth.js';
import { fftPlan, nextPow2 } from '../../src/dsp/fft.js';
import type { GateBeats } from '../../src/hrv/gate/events.js';

export interface HeartEvidence {
  nEvents: number;
  eventLowShare: number;
  s1Contrast: number;
  s2Contrast: number;
  /** Median width of the S1 and S2 events on the 20–400 Hz envelope, ms. */
  eventWidthMs: number;
  beatSimilarity: number;
  harmonicity: number;
  posteriorConfidence: number;
}

/** Learned state posteriors, when the method has them (MethodOutput.states). */
export interface GateStates {
  frameRateHz: number;
  /** nFrames × 4, row-major. */
  posteriors: Float32Array;
}

function median(v: number[]): number {
  if (!v.length) return NaN;
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Smoothed absolute-value envelope (moving mean over `win` samples). */
function envelope(x: Float64Array, win: number): Float64Array {
  const out = new Float64Array(x.length);
  let acc = 0;
  const h = win >> 1;
  for (let i = 0; i < Math.min(h, x.length); i++) acc += Math.abs(x[i]!);
  for (let i = 0; i < x.length; i++) {
    if (i + h < x.length) acc += Math.abs(x[i + h]!);
    if (i - h - 1 >= 0) acc -= Math.abs(x[i - h - 1]!);
    out[i] = acc;
  }
  return out;
}

function argmaxIn(v: Float64Array, a: number, b: number): number {
  let p = Math.max(0, a);
  for (let i = Math.max(0, a); i <= Math.min(v.length - 1, b); i++) if (v[i]! > v[p]!) p = i;
  return p;
}

/**
 * Share of the loud frames with a pitch (see the module comment). Per 40 ms frame, the
 * cumulative-mean-normalised difference function of YIN (de Cheveigné & Kawahara, JASA 111:1917,
 * 2002) is computed for lags up to 12.5 ms; a frame is pitched when it dips below
 * {@link PITCH_DIP} at a local minimum between 2 and 12.5 ms (an 80–500 Hz pitch). Unlike a plain
 * autocorrelation this does not call a smooth (low-passed) signal periodic.
 */
export function harmonicity(broad: Float64Array, fs: number): number {
  const frame = Math.round(0.04 * fs);
  const lagMin = Math.max(2, Math.round(0.002 * fs));
  const lagMax = Math.round(0.0125 * fs);
  const w = frame - lagMax;
  if (w < lagMax || broad.length < frame) return NaN;
  const energies: number[] = [];
  for (let s = 0; s + frame <= broad.length; s += frame) {
    let e = 0;
    for (let i = 0; i < frame; i++) e += broad[s + i]! ** 2;
    energies.push(e);
  }
  const med = median(energies);
  let loud = 0;
  let voiced = 0;
  const d = new Float64Array(lagMax + 2);
  // at most ~400 loud frames are examined (evenly spaced) to bound the cost
  const step = Math.max(1, Math.floor(energies.length / 400));
  for (let f = 0; f < energies.length; f += step) {
    if (!(energies[f]! > med) || !(energies[f]! > 0)) continue;
    loud++;
    const s = f * frame;
    let cum = 0;
    let best = Infinity;
    let prev = 1;
    for (let lag = 1; lag <= lagMax + 1; lag++) {
      let acc = 0;
      for (let i = 0; i < w; i++) {
        const q = broad[s + i]! - broad[s + i + lag]!;
        acc += q * q;
      }
      cum += acc;
      d[lag] = cum > 0 ? (acc * lag) / cum : 1;
      if (lag - 1 >= lagMin && lag - 1 <= lagMax && d[lag - 1]! <= prev && d[lag - 1]! <= d[lag]!) best = Math.min(best, d[lag - 1]!);
      prev = d[lag - 1] ?? 1;
    }
    if (best < PITCH_DIP) voiced++;
  }
  return loud ? voiced / loud : NaN;
}

/** YIN threshold on the normalised difference for a pitched frame. */
export const PITCH_DIP = 0.2;

/** Energy in [lo, hi) Hz of a Hann-windowed segment, accumulated into `acc` = [low, all]. */
function bandEnergy(seg: Float64Array, fs: number, acc: [number, number]): void {
  const n = nextPow2(seg.length);
  const plan = fftPlan(n);
  const frame = new Float64Array(n);
  for (let i = 0; i < seg.length; i++) frame[i] = seg[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (seg.length - 1)));
  const spec = plan.createComplexArray() as number[];
  plan.realTransform(spec, frame);
  const binHz = fs / n;
  const top = Math.min(2000, 0.45 * fs);
  for (let k = Math.ceil(20 / binHz); k * binHz < top; k++) {
    const p = spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2;
    acc[1] += p;
    if (k * binHz < 400) acc[0] += p;
  }
}

/** The heart evidence of one detection (see the module comment). */
export function heartEvidence(x: ArrayLike<number>, fs: number, beats: GateBeats, states?: GateStates): HeartEvidence {
  const low = bandpassFiltfilt(x, fs, 20, 400);
  const broad = bandpassFiltfilt(x, fs, 20, Math.min(2000, 0.45 * fs));
  const env = envelope(low, Math.max(1, Math.round(0.02 * fs)));
  const centre = (t: number): number => argmaxIn(env, Math.round((t - 0.05) * fs), Math.round((t + 0.15) * fs));
  const half = Math.round(0.05 * fs);
  const s1 = beats.beatTimesS.map(centre);
  const s2 = (beats.s2TimesS ?? []).map(centre);
  const acc: [number, number] = [0, 0];
  let nEvents = 0;
  for (const c of [...s1, ...s2]) {
    if (c - half < 0 || c + half >= broad.length) continue;
    bandEnergy(broad.subarray(c - half, c + half), fs, acc);
    nEvents++;
  }
  // S1 / S2 contrast against mid-diastole
  const c1: number[] = [];
  const c2: number[] = [];
  const widths: number[] = [];
  let j = 0;
  for (let i = 0; i + 1 < s1.length; i++) {
    const a = s1[i]!;
    const b = s1[i + 1]!;
    while (j < s2.length && s2[j]! <= a) j++;
    if (j >= s2.length || s2[j]! >= b) continue;
    const m = s2[j]!;
    const d0 = m + Math.round((b - m) / 3);
    const d1 = m + Math.round((2 * (b - m)) / 3);
    if (d1 <= d0) continue;
    const mid: number[] = [];
    for (let k = d0; k < d1; k++) mid.push(env[k]!);
    const base = median(mid);
    if (!(base > 0)) continue;
    c1.push(env[a]! / base);
    c2.push(env[m]! / base);
    for (const c of [a, m]) {
      const h = base + 0.5 * (env[c]! - base);
      let l = c;
      while (l > 0 && env[l - 1]! > h && c - l < fs) l--;
      let r = c;
      while (r < env.length - 1 && env[r + 1]! > h && r - c < fs) r++;
      widths.push(((r - l + 1) / fs) * 1000);
    }
  }
  // beat-to-beat waveform similarity of S1
  const w = Math.round(0.06 * fs);
  const maxLag = Math.round(0.005 * fs);
  const sims: number[] = [];
  for (let i = 0; i + 1 < s1.length; i++) {
    const a = s1[i]!;
    const b = s1[i + 1]!;
    if (a - w - maxLag < 0 || b + w + maxLag >= low.length) continue;
    let best = -1;
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      let c = 0;
      let e0 = 0;
      let e1 = 0;
      for (let k = -w; k <= w; k++) {
        const p = low[a + k]!;
        const q = low[b + k + lag]!;
        c += p * q;
        e0 += p * p;
        e1 += q * q;
      }
      const r = e0 > 0 && e1 > 0 ? c / Math.sqrt(e0 * e1) : 0;
      if (r > best) best = r;
    }
    sims.push(best);
  }
  let posteriorConfidence = NaN;
  if (states && states.posteriors.length >= 4) {
    const p = states.posteriors;
    const nf = Math.floor(p.length / 4);
    let s = 0;
    for (let f = 0; f < nf; f++) s += Math.max(p[4 * f]!, p[4 * f + 1]!, p[4 * f + 2]!, p[4 * f + 3]!);
    posteriorConfidence = s / nf;
  }
  return {
    nEvents,
    eventLowShare: acc[1] > 0 ? acc[0] / acc[1] : NaN,
    s1Contrast: median(c1),
    s2Contrast: median(c2),
    eventWidthMs: median(widths),
    beatSimilarity: median(sims),
    harmonicity: harmonicity(broad, fs),
    posteriorConfidence,
  };
}
