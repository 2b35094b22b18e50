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
import { selectionMedian as median } from '../../core/select.js';
import { bandpassFiltfilt } from '../../dsp/butterworth.js';
import { complexArray, fftPlan, nextPow2 } from '../../dsp/fft.js';
import type { GateBeats } from './events.js';
import { yinSimdFor } from './yinSimd.js';
import { SCRATCH_COPY_LIMIT_BYTES, scratchMemory } from '../../core/wasm/ops.js';

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

const yinScratch = scratchMemory();

/**
 * The signal copied into the YIN kernel's scratch memory, with the difference function's
 * accumulator there too (acc, a view): `yin8(s, lag0)` fills acc[lag0 … lag0 + 7] for the frame
 * at s (see yinSimd.ts); null without wasm SIMD or for a signal over 32 MB (then the JS loop runs).
 */
function yinOnCopy(x: Float64Array, w: number, accLength: number): { acc: Float64Array; yin8: (s: number, lag0: number) => void } | null {
  const accAt = (8 * x.length + 15) & ~15;
  if (accAt > SCRATCH_COPY_LIMIT_BYTES) return null; // a long recording: no second full-length copy
  const mem = yinScratch.ensure(accAt + 8 * accLength);
  const fn = yinSimdFor(mem);
  if (!fn) return null;
  new Float64Array(mem.buffer, 0, x.length).set(x);
  return { acc: new Float64Array(mem.buffer, accAt, accLength), yin8: (s, lag0) => fn(0, s, w, lag0, accAt) };
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
  const nFrames = Math.floor(broad.length / frame);
  const energies = new Float64Array(nFrames);
  for (let f = 0, s = 0; f < nFrames; f++, s += frame) {
    let e = 0;
    for (let i = 0; i < frame; i++) e += broad[s + i]! ** 2;
    energies[f] = e;
  }
  const med = median(energies);
  let loud = 0;
  let voiced = 0;
  // acc[lag] = Σ_{i<w} (x[i] − x[i+lag])², lag = 1 … lagMax + 1 (a frame's difference function);
  // eight lags per pass in WebAssembly SIMD over a copy of the signal where available
  const simd = yinOnCopy(broad, w, lagMax + 2);
  const acc = simd ? simd.acc : new Float64Array(lagMax + 2);
  const yin8 = simd ? simd.yin8 : null;
  // at most ~400 loud frames are examined (evenly spaced) to bound the cost
  const step = Math.max(1, Math.floor(nFrames / 400));
  for (let f = 0; f < nFrames; f += step) {
    if (!(energies[f]! > med) || !(energies[f]! > 0)) continue;
    loud++;
    if (framePitched(broad, f * frame, w, lagMin, lagMax, acc, yin8)) voiced++;
  }
  return loud ? voiced / loud : NaN;
}

/**
 * Whether the frame at `s` has a YIN dip below {@link PITCH_DIP} at a local minimum of lag
 * lagMin … lagMax. The difference function is computed four lags per pass over the frame (each
 * lag's sum in the same order as one lag at a time), and the search stops at the first such dip
 * (a pitched frame needs only one).
 */
function framePitched(x: Float64Array, s: number, w: number, lagMin: number, lagMax: number, acc: Float64Array, yin8: ((s: number, lag0: number) => void) | null = null): boolean {
  const top = lagMax + 1;
  const group = yin8 ? 8 : 4;
  let cum = 0;
  let prevD = 1; // d[lag − 2]
  let lastD = 1; // d[lag − 1]
  for (let lag0 = 1; lag0 <= top; lag0 += group) {
    const n = Math.min(group, top - lag0 + 1);
    if (n === 8) yin8!(s, lag0);
    else if (n === 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = s, e = s + w; i < e; i++) {
        const v = x[i]!;
        const q0 = v - x[i + lag0]!;
        const q1 = v - x[i + lag0 + 1]!;
        const q2 = v - x[i + lag0 + 2]!;
        const q3 = v - x[i + lag0 + 3]!;
        a0 += q0 * q0;
        a1 += q1 * q1;
        a2 += q2 * q2;
        a3 += q3 * q3;
      }
      acc[lag0] = a0;
      acc[lag0 + 1] = a1;
      acc[lag0 + 2] = a2;
      acc[lag0 + 3] = a3;
    } else {
      for (let lag = lag0; lag < lag0 + n; lag++) {
        let a = 0;
        for (let i = s, e = s + w; i < e; i++) {
          const q = x[i]! - x[i + lag]!;
          a += q * q;
        }
        acc[lag] = a;
      }
    }
    for (let lag = lag0; lag < lag0 + n; lag++) {
      const a = acc[lag]!;
      cum += a;
      const d = cum > 0 ? (a * lag) / cum : 1;
      // lag − 1 is a local minimum (d[lag−1] ≤ d[lag−2] and ≤ d[lag]) in range, below the dip
      if (lag - 1 >= lagMin && lag - 1 <= lagMax && lastD <= prevD && lastD <= d && lastD < PITCH_DIP) return true;
      prevD = lastD;
      lastD = d;
    }
  }
  return false;
}

/** YIN threshold on the normalised difference for a pitched frame. */
export const PITCH_DIP = 0.2;

/** Energy in [lo, hi) Hz of a Hann-windowed segment, accumulated into `acc` = [low, all]. */
function bandEnergy(seg: Float64Array, fs: number, acc: [number, number]): void {
  const n = nextPow2(seg.length);
  const plan = fftPlan(n);
  const frame = new Float64Array(n);
  for (let i = 0; i < seg.length; i++) frame[i] = seg[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (seg.length - 1)));
  const spec = complexArray(plan.size);
  plan.realTransform(spec, frame);
  const binHz = fs / n;
  const top = Math.min(2000, 0.45 * fs);
  for (let k = Math.ceil(20 / binHz); k * binHz < top; k++) {
    const p = spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2;
    acc[1] += p;
    if (k * binHz < 400) acc[0] += p;
  }
}

/** Normalised cross-correlation from its sums (0 when either energy is 0). */
function similarity(c: number, e0: number, e1: number): number {
  return e0 > 0 && e1 > 0 ? c / Math.sqrt(e0 * e1) : 0;
}

/** `r` when it is greater than `best`, else `best` (a NaN never wins, unlike Math.max). */
function higher(best: number, r: number): number {
  return r > best ? r : best;
}

/** Upper edge of the heart evidence's broad band, Hz. */
function broadTopHz(fs: number): number {
  return Math.min(2000, 0.45 * fs);
}

/**
 * Whether the heart evidence's broad band (20 … min(2000, 0.45·fs) Hz) is the gate's 20 Hz
 * high-pass (events.ts gateBroadBand): the band-pass drops a low-pass edge at or above 0.45·fs,
 * so up to 2000 / 0.45 ≈ 4444 Hz both are the same filter, padding included.
 */
export function heartBroadBandIsGateBroadBand(fs: number): boolean {
  return !(broadTopHz(fs) < 0.45 * fs);
}

/** Each event time's centre: the largest 20–400 Hz envelope sample within −50 … +150 ms. */
function eventCentres(env: Float64Array, timesS: readonly number[], fs: number): number[] {
  const out: number[] = [];
  for (const t of timesS) out.push(argmaxIn(env, Math.round((t - 0.05) * fs), Math.round((t + 0.15) * fs)));
  return out;
}

/** Band energies [below 400 Hz, 20 … top] summed over the ±50 ms event segments that fit, and their count. */
function eventBandEnergy(broad: Float64Array, centres: readonly number[], fs: number): { acc: [number, number]; nEvents: number } {
  const half = Math.round(0.05 * fs);
  const acc: [number, number] = [0, 0];
  let nEvents = 0;
  for (const c of centres) {
    if (c - half < 0 || c + half >= broad.length) continue;
    bandEnergy(broad.subarray(c - half, c + half), fs, acc);
    nEvents++;
  }
  return { acc, nEvents };
}

/** Per cycle: S1 and S2 envelope peaks ÷ the mid-diastole median, and both events' widths (ms). */
function cycleContrasts(env: Float64Array, s1: readonly number[], s2: readonly number[], fs: number): { c1: number[]; c2: number[]; widths: number[] } {
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
    const base = median(env.subarray(d0, d1));
    if (!(base > 0)) continue;
    c1.push(env[a]! / base);
    c2.push(env[m]! / base);
    widths.push(eventWidthMs(env, a, base, fs), eventWidthMs(env, m, base, fs));
  }
  return { c1, c2, widths };
}

/** Time (ms) the envelope stays above half-way between its value at `c` and `base`, around `c`. */
function eventWidthMs(env: Float64Array, c: number, base: number, fs: number): number {
  const h = base + 0.5 * (env[c]! - base);
  let l = c;
  while (l > 0 && env[l - 1]! > h && c - l < fs) l--;
  let r = c;
  while (r < env.length - 1 && env[r + 1]! > h && r - c < fs) r++;
  return ((r - l + 1) / fs) * 1000;
}

/** Per consecutive S1 pair that fits: the peak normalised cross-correlation (lags ±5 ms) of ±60 ms of `low`. */
function beatSimilarities(low: Float64Array, s1: readonly number[], fs: number): number[] {
  const w = Math.round(0.06 * fs);
  const maxLag = Math.round(0.005 * fs);
  const sims: number[] = [];
  for (let i = 0; i + 1 < s1.length; i++) {
    const a = s1[i]!;
    const b = s1[i + 1]!;
    if (a - w - maxLag < 0 || b + w + maxLag >= low.length) continue;
    sims.push(peakCorrelation(low, a, b, w, maxLag));
  }
  return sims;
}

/**
 * max over lag in −maxLag … maxLag of the normalised correlation of low[a−w … a+w] with
 * low[b+lag−w … b+lag+w] (−1 when every lag has a zero energy, a NaN never wins). The first
 * beat's energy does not depend on the lag (summed once, in the same order); four lags per pass
 * (each lag's sums in the same order as one lag at a time).
 */
function peakCorrelation(low: Float64Array, a: number, b: number, w: number, maxLag: number): number {
  let best = -1;
  let e0 = 0;
  for (let k = a - w; k <= a + w; k++) e0 += low[k]! * low[k]!;
  let lag = -maxLag;
  for (; lag + 3 <= maxLag; lag += 4) {
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    let f0 = 0;
    let f1 = 0;
    let f2 = 0;
    let f3 = 0;
    for (let i = a - w, j = b + lag - w, e = a + w; i <= e; i++, j++) {
      const p = low[i]!;
      const q0 = low[j]!;
      const q1 = low[j + 1]!;
      const q2 = low[j + 2]!;
      const q3 = low[j + 3]!;
      c0 += p * q0;
      f0 += q0 * q0;
      c1 += p * q1;
      f1 += q1 * q1;
      c2 += p * q2;
      f2 += q2 * q2;
      c3 += p * q3;
      f3 += q3 * q3;
    }
    best = higher(higher(higher(higher(best, similarity(c0, e0, f0)), similarity(c1, e0, f1)), similarity(c2, e0, f2)), similarity(c3, e0, f3));
  }
  for (; lag <= maxLag; lag++) {
    let c = 0;
    let e1 = 0;
    for (let i = a - w, j = b + lag - w, e = a + w; i <= e; i++, j++) {
      const p = low[i]!;
      const q = low[j]!;
      c += p * q;
      e1 += q * q;
    }
    best = higher(best, similarity(c, e0, e1));
  }
  return best;
}

/** Mean over frames of the largest state posterior (NaN without posteriors). */
function meanPosteriorConfidence(states: GateStates | undefined): number {
  if (!states || states.posteriors.length < 4) return NaN;
  const p = states.posteriors;
  const nf = Math.floor(p.length / 4);
  let s = 0;
  for (let f = 0; f < nf; f++) s += Math.max(p[4 * f]!, p[4 * f + 1]!, p[4 * f + 2]!, p[4 * f + 3]!);
  return s / nf;
}

/**
 * The heart evidence of one detection (see the module comment). Each measurement is its own small
 * function (typed, one job): they are optimised early and stay optimised from one recording to the next.
 * @param broadBand the 20 … min(2000, 0.45·fs) Hz band of `x` when the caller already has it
 *   (the gate's broad band where {@link heartBroadBandIsGateBroadBand})
 */
export function heartEvidence(x: ArrayLike<number>, fs: number, beats: GateBeats, states?: GateStates, broadBand?: Float64Array): HeartEvidence {
  const low = bandpassFiltfilt(x, fs, 20, 400);
  const broad = broadBand ?? bandpassFiltfilt(x, fs, 20, broadTopHz(fs));
  const env = envelope(low, Math.max(1, Math.round(0.02 * fs)));
  const s1 = eventCentres(env, beats.beatTimesS, fs);
  const s2 = eventCentres(env, beats.s2TimesS ?? [], fs);
  const { acc, nEvents } = eventBandEnergy(broad, [...s1, ...s2], fs);
  // S1 / S2 contrast against mid-diastole
  const { c1, c2, widths } = cycleContrasts(env, s1, s2, fs);
  return {
    nEvents,
    eventLowShare: acc[1] > 0 ? acc[0] / acc[1] : NaN,
    s1Contrast: median(c1),
    s2Contrast: median(c2),
    eventWidthMs: median(widths),
    beatSimilarity: median(beatSimilarities(low, s1, fs)),
    harmonicity: harmonicity(broad, fs),
    posteriorConfidence: meanPosteriorConfidence(states),
  };
}
