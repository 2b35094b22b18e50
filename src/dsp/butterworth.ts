/**
 * Butterworth IIR filters as cascades of second-order sections (biquads), with a zero-phase
 * forward–backward application (like scipy's `sosfiltfilt`). Browser-safe, no dependencies.
 *
 * Design: an even-order Butterworth low/high-pass is a cascade of order/2 biquads whose Q factors
 * are 1/(2·cos((2k−1)π/(2N))); each biquad is obtained from its analog prototype by the bilinear
 * transform with frequency pre-warping (the RBJ "audio EQ cookbook" formulas).
 */
import { biquadPairSimdFor } from './biquadPairSimd.js';
import { SCRATCH_COPY_LIMIT_BYTES, scratchMemory } from '../core/wasm/ops.js';

/** One normalised biquad: y[n] = b0 x[n] + b1 x[n−1] + b2 x[n−2] − a1 y[n−1] − a2 y[n−2]. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Filter kind. */
export type FilterKind = 'lowpass' | 'highpass';

/**
 * Design a Butterworth low- or high-pass filter.
 * @param kind 'lowpass' | 'highpass'
 * @param order filter order, an even integer 2..12 (zero-phase application doubles it)
 * @param cutoffHz −3 dB cutoff in Hz, 0 < cutoffHz < sampleRateHz/2
 * @param sampleRateHz sample rate in Hz (> 0)
 * @returns the cascade of biquads
 */
export function butterworth(kind: FilterKind, order: number, cutoffHz: number, sampleRateHz: number): Biquad[] {
  if (!Number.isInteger(order) || order < 2 || order > 12 || order % 2 !== 0) {
    throw new RangeError(`Butterworth order must be an even integer in 2..12, got ${order}`);
  }
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) {
    throw new RangeError(`sampleRateHz must be a positive number, got ${sampleRateHz}`);
  }
  if (!(cutoffHz > 0 && cutoffHz < sampleRateHz / 2)) {
    throw new RangeError(`cutoffHz must be in (0, ${sampleRateHz / 2}) Hz, got ${cutoffHz}`);
  }
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cosW = Math.cos(w0);
  const sinW = Math.sin(w0);
  const sections: Biquad[] = [];
  for (let k = 1; k <= order / 2; k++) {
    const q = 1 / (2 * Math.cos(((2 * k - 1) * Math.PI) / (2 * order)));
    const alpha = sinW / (2 * q);
    const a0 = 1 + alpha;
    let b0: number;
    let b1: number;
    if (kind === 'lowpass') {
      b1 = 1 - cosW;
      b0 = b1 / 2;
    } else {
      b1 = -(1 + cosW);
      b0 = -b1 / 2;
    }
    sections.push({ b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cosW) / a0, a2: (1 - alpha) / a0 });
  }
  return sections;
}

/**
 * Apply a biquad cascade in place, causally (direct form II transposed), starting from rest.
 * @param x signal, modified in place
 */
export function sosFilterInPlace(x: Float64Array, sections: readonly Biquad[]): Float64Array {
  for (const s of sections) runBiquad(x, s, false);
  return x;
}

/**
 * One biquad over `x` in place, forwards or backwards (direct form II transposed), starting in the
 * steady state for a constant input equal to the first sample visited.
 */
function runBiquad(x: Float64Array, s: Biquad, backwards: boolean): void {
  const { b0, b1, b2, a1, a2 } = s;
  const n = x.length;
  if (n === 0) return;
  const x0 = backwards ? x[n - 1]! : x[0]!;
  const dcGain = (b0 + b1 + b2) / (1 + a1 + a2);
  const y0 = x0 * dcGain;
  let z1 = y0 - b0 * x0;
  let z2 = b2 * x0 - a2 * y0;
  if (!backwards) {
    for (let i = 0; i < n; i++) {
      const xn = x[i]!;
      const yn = b0 * xn + z1;
      z1 = b1 * xn - a1 * yn + z2;
      z2 = b2 * xn - a2 * yn;
      x[i] = yn;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const xn = x[i]!;
      const yn = b0 * xn + z1;
      z1 = b1 * xn - a1 * yn + z2;
      z2 = b2 * xn - a2 * yn;
      x[i] = yn;
    }
  }
}

/** Two biquads in series over `x` in place (s then t), each as {@link runBiquad} would: the same arithmetic, in one loop (twice the instruction-level parallelism). */
function runBiquadPair(x: Float64Array, s: Biquad, t: Biquad, backwards: boolean): void {
  const n = x.length;
  if (n === 0) return;
  const { b0, b1, b2, a1, a2 } = s;
  const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = t;
  const i0 = backwards ? n - 1 : 0;
  // s starts in its steady state for x[i0]; t for s's first output (what runBiquad sees after s's pass)
  const x0 = x[i0]!;
  const sy0 = x0 * ((b0 + b1 + b2) / (1 + a1 + a2));
  let z1 = sy0 - b0 * x0;
  let z2 = b2 * x0 - a2 * sy0;
  const y0 = b0 * x0 + z1;
  z1 = b1 * x0 - a1 * y0 + z2;
  z2 = b2 * x0 - a2 * y0;
  const ty0 = y0 * ((c0 + c1 + c2) / (1 + d1 + d2));
  let w1 = ty0 - c0 * y0;
  let w2 = c2 * y0 - d2 * ty0;
  const u0 = c0 * y0 + w1;
  w1 = c1 * y0 - d1 * u0 + w2;
  w2 = c2 * y0 - d2 * u0;
  x[i0] = u0;
  if (!backwards) {
    for (let i = 1; i < n; i++) {
      const xn = x[i]!;
      const yn = b0 * xn + z1;
      z1 = b1 * xn - a1 * yn + z2;
      z2 = b2 * xn - a2 * yn;
      const un = c0 * yn + w1;
      w1 = c1 * yn - d1 * un + w2;
      w2 = c2 * yn - d2 * un;
      x[i] = un;
    }
  } else {
    for (let i = n - 2; i >= 0; i--) {
      const xn = x[i]!;
      const yn = b0 * xn + z1;
      z1 = b1 * xn - a1 * yn + z2;
      z2 = b2 * xn - a2 * yn;
      const un = c0 * yn + w1;
      w1 = c1 * yn - d1 * un + w2;
      w2 = c2 * yn - d2 * un;
      x[i] = un;
    }
  }
}

/** The steady state (z1, z2) of biquad `s` for a constant input `x0`, then its first step: [y0, z1, z2]. */
function firstStep(s: Biquad, x0: number): [number, number, number] {
  const { b0, b1, b2, a1, a2 } = s;
  const sy0 = x0 * ((b0 + b1 + b2) / (1 + a1 + a2));
  let z1 = sy0 - b0 * x0;
  let z2 = b2 * x0 - a2 * sy0;
  const y0 = b0 * x0 + z1;
  z1 = b1 * x0 - a1 * y0 + z2;
  z2 = b2 * x0 - a2 * y0;
  return [y0, z1, z2];
}

/** Four biquads in series over `x` in place, each as {@link runBiquad} would (see {@link runBiquadPair}). */
function runBiquadQuad(x: Float64Array, p: Biquad, q: Biquad, r: Biquad, s: Biquad, backwards: boolean): void {
  const n = x.length;
  if (n === 0) return;
  const i0 = backwards ? n - 1 : 0;
  let [y0, p1, p2] = firstStep(p, x[i0]!);
  let q1: number, q2: number, r1: number, r2: number, s1: number, s2: number;
  [y0, q1, q2] = firstStep(q, y0);
  [y0, r1, r2] = firstStep(r, y0);
  [y0, s1, s2] = firstStep(s, y0);
  x[i0] = y0;
  const { b0: pb0, b1: pb1, b2: pb2, a1: pa1, a2: pa2 } = p;
  const { b0: qb0, b1: qb1, b2: qb2, a1: qa1, a2: qa2 } = q;
  const { b0: rb0, b1: rb1, b2: rb2, a1: ra1, a2: ra2 } = r;
  const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = s;
  const step = backwards ? -1 : 1;
  for (let k = 1, i = i0 + step; k < n; k++, i += step) {
    const xn = x[i]!;
    const yp = pb0 * xn + p1;
    p1 = pb1 * xn - pa1 * yp + p2;
    p2 = pb2 * xn - pa2 * yp;
    const yq = qb0 * yp + q1;
    q1 = qb1 * yp - qa1 * yq + q2;
    q2 = qb2 * yp - qa2 * yq;
    const yr = rb0 * yq + r1;
    r1 = rb1 * yq - ra1 * yr + r2;
    r2 = rb2 * yq - ra2 * yr;
    const ys = sb0 * yr + s1;
    s1 = sb1 * yr - sa1 * ys + s2;
    s2 = sb2 * yr - sa2 * ys;
    x[i] = ys;
  }
}

/** A cascade over `x` in place, forwards or backwards: sections in order, four or two at a time. */
function runCascade(x: Float64Array, sections: readonly Biquad[], backwards: boolean): void {
  let k = 0;
  for (; k + 3 < sections.length; k += 4) runBiquadQuad(x, sections[k]!, sections[k + 1]!, sections[k + 2]!, sections[k + 3]!, backwards);
  for (; k + 1 < sections.length; k += 2) runBiquadPair(x, sections[k]!, sections[k + 1]!, backwards);
  if (k < sections.length) runBiquad(x, sections[k]!, backwards);
}

/**
 * Zero-phase filtering: forward, then backward through the cascade (squared magnitude response,
 * no phase shift). The ends are padded with an odd (point-symmetric) extension of `padLength`
 * samples to limit edge transients.
 * @param x input (not modified)
 * @param sections biquad cascade
 * @param padLength samples of odd extension at each end (default: 3/(normalised cutoff) ≈ a few
 *   time constants, capped at x.length − 1)
 * @returns a new Float64Array of the same length (a view into the padded work buffer)
 */
export function sosFiltfilt(x: ArrayLike<number>, sections: readonly Biquad[], padLength = 0): Float64Array {
  const n = x.length;
  if (n === 0) return new Float64Array(0);
  const pad = clampPad(padLength, n);
  const ext = paddedCopy(x, pad);
  runCascade(ext, sections, false);
  runCascade(ext, sections, true);
  return pad === 0 ? ext : ext.subarray(pad, pad + n); // a view: no second copy of a long signal
}

function clampPad(padLength: number, n: number): number {
  return Math.max(0, Math.min(Math.floor(padLength), n - 1));
}

/** `x` with `pad` samples of odd extension at each end (n ≥ 1). */
function paddedCopy(x: ArrayLike<number>, pad: number): Float64Array {
  const n = x.length;
  const ext = new Float64Array(n + 2 * pad);
  const first = x[0]!;
  const last = x[n - 1]!;
  for (let i = 0; i < pad; i++) ext[i] = 2 * first - x[pad - i]!;
  // a typed input is copied in one call (the same doubles: float32 → float64 is exact)
  if (x instanceof Float64Array || x instanceof Float32Array) ext.set(x, pad);
  else for (let i = 0; i < n; i++) ext[pad + i] = x[i]!;
  for (let i = 0; i < pad; i++) ext[pad + n + i] = 2 * last - x[n - 2 - i]!;
  return ext;
}

const pairScratch = scratchMemory();

/**
 * Two zero-phase filterings of the same signal, `[sosFiltfilt(x, a, padA), sosFiltfilt(x, b, padB)]`,
 * bit for bit, computed together: the two cascades run in the two lanes of WebAssembly SIMD
 * (biquadPairSimd.ts) when they have the same number of sections (1 … 8) and the signal is not long
 * (interleaved copy ≤ 32 MB, ≈ 8.7 min at 4 kHz), in plain JS otherwise.
 * The padded signal of the shorter padding is the middle of the longer one, so the lane with the
 * shorter padding starts (steady state, as {@link sosFiltfilt}) d = |padA − padB| samples later in
 * the forward pass and d samples earlier in the backward pass; what a lane computes outside its own
 * range is discarded.
 * @returns two new arrays of x.length
 */
export function sosFiltfiltPair(input: ArrayLike<number>, a: readonly Biquad[], padLengthA: number, b: readonly Biquad[], padLengthB: number): [Float64Array, Float64Array] {
  // one element type in the copy loops below (float32 → float64 is exact)
  const x = input instanceof Float64Array ? input : input instanceof Float32Array ? new Float64Array(input) : Float64Array.from(input);
  const n = x.length;
  const nSec = a.length;
  if (n === 0 || nSec === 0 || nSec !== b.length || nSec > 8) return [sosFiltfilt(x, a, padLengthA), sosFiltfilt(x, b, padLengthB)];
  const pA = clampPad(padLengthA, n);
  const pB = clampPad(padLengthB, n);
  if (pA < pB) {
    const [yb, ya] = sosFiltfiltPair(x, b, padLengthB, a, padLengthA);
    return [ya, yb];
  }
  const d = pA - pB;
  const len = n + 2 * pA;
  const coefAt = 16 * len;
  const stateAt = coefAt + 16 * 5 * nSec;
  if (stateAt > SCRATCH_COPY_LIMIT_BYTES) return [sosFiltfilt(x, a, padLengthA), sosFiltfilt(x, b, padLengthB)];
  const mem = pairScratch.ensure(stateAt + 16 * 2 * nSec);
  const fn = biquadPairSimdFor(mem, nSec);
  if (!fn) return [sosFiltfilt(x, a, padLengthA), sosFiltfilt(x, b, padLengthB)];
  const buf = new Float64Array(mem.buffer, 0, 2 * len);
  const coef = new Float64Array(mem.buffer, coefAt, 2 * 5 * nSec);
  const state = new Float64Array(mem.buffer, stateAt, 2 * 2 * nSec);
  // the padded signal (as paddedCopy) written straight into both lanes
  const first = x[0]!;
  const last = x[n - 1]!;
  for (let i = 0; i < pA; i++) buf[2 * i] = buf[2 * i + 1] = 2 * first - x[pA - i]!;
  for (let i = 0; i < n; i++) buf[2 * (pA + i)] = buf[2 * (pA + i) + 1] = x[i]!;
  for (let i = 0; i < pA; i++) buf[2 * (pA + n + i)] = buf[2 * (pA + n + i) + 1] = 2 * last - x[n - 2 - i]!;
  const x0 = buf[0]!;
  const xd = buf[2 * d]!;
  for (let j = 0; j < nSec; j++) {
    [a, b].forEach((sections, lane) => {
      const s = sections[j]!;
      [s.b0, s.b1, s.b2, s.a1, s.a2].forEach((c, k) => (coef[2 * (5 * j + k) + lane] = c));
    });
  }
  // lane's cascade starts at index i in the steady state for x0 (sosFiltfilt's start): its output there and its states
  const start = (lane: number, i: number, x0: number): void => {
    const sections = lane === 0 ? a : b;
    let y = x0;
    for (let j = 0; j < nSec; j++) {
      const [y0, z1, z2] = firstStep(sections[j]!, y);
      state[2 * (2 * j) + lane] = z1;
      state[2 * (2 * j + 1) + lane] = z2;
      y = y0;
    }
    buf[2 * i + lane] = y;
  };
  const run = (from: number, to: number, step: number): void => {
    if (from !== to) fn(0, from, to, step, coefAt, stateAt);
  };
  state.fill(0);
  // forward: lane a from index 0, lane b from index d
  start(0, 0, x0);
  if (d === 0) {
    start(1, 0, x0);
    run(1, len, 1);
  } else {
    run(1, d, 1);
    run(d, d + 1, 1);
    start(1, d, xd);
    run(d + 1, len, 1);
  }
  // backward: lane a from its end len − 1, lane b from its end len − 1 − d
  const e = len - 1;
  const eB = e - d;
  state.fill(0);
  start(0, e, buf[2 * e]!);
  if (d === 0) {
    start(1, e, buf[2 * e + 1]!);
    run(e - 1, -1, -1);
  } else {
    run(e - 1, eB, -1);
    const xB = buf[2 * eB + 1]!;
    run(eB, eB - 1, -1);
    start(1, eB, xB);
    run(eB - 1, -1, -1);
  }
  const ya = new Float64Array(n);
  const yb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ya[i] = buf[2 * (pA + i)]!;
    yb[i] = buf[2 * (pA + i) + 1]!;
  }
  return [ya, yb];
}

/**
 * Zero-phase Butterworth band-pass (a high-pass and a low-pass cascade). Cutoffs outside the
 * usable range are dropped: a high-pass edge ≤ 0 or a low-pass edge ≥ 0.45·fs is skipped.
 * @param x input samples
 * @param sampleRateHz sample rate in Hz
 * @param lowHz high-pass cutoff in Hz (e.g. 25)
 * @param highHz low-pass cutoff in Hz (e.g. 400)
 * @param order order of each of the two filters (even, default 4)
 */
export function bandpassFiltfilt(
  x: ArrayLike<number>,
  sampleRateHz: number,
  lowHz: number,
  highHz: number,
  order = 4,
): Float64Array {
  const { sections, pad } = bandpassPlan(x.length, sampleRateHz, lowHz, highHz, order);
  return sosFiltfilt(x, sections, pad);
}

/** The sections and padding of {@link bandpassFiltfilt}. */
function bandpassPlan(n: number, sampleRateHz: number, lowHz: number, highHz: number, order: number): { sections: Biquad[]; pad: number } {
  const limitHz = sampleRateHz * 0.45;
  const sections: Biquad[] = [];
  if (lowHz > 0 && lowHz < limitHz) sections.push(...butterworth('highpass', order, lowHz, sampleRateHz));
  if (highHz > lowHz && highHz < limitHz) sections.push(...butterworth('lowpass', order, highHz, sampleRateHz));
  const slowestHz = lowHz > 0 && lowHz < limitHz ? lowHz : Math.min(highHz, limitHz);
  return { sections, pad: Math.min(n - 1, Math.ceil((3 * sampleRateHz) / slowestHz)) };
}

/**
 * Two band-passes of the same signal, `[bandpassFiltfilt(x, fs, …bandA, order), bandpassFiltfilt(x, fs, …bandB, order)]`
 * bit for bit, computed together ({@link sosFiltfiltPair}: two SIMD lanes when both have as many sections).
 * @param bandA [lowHz, highHz] of the first
 * @param bandB [lowHz, highHz] of the second
 */
export function bandpassFiltfiltPair(
  x: ArrayLike<number>,
  sampleRateHz: number,
  bandA: readonly [number, number],
  bandB: readonly [number, number],
  order = 4,
): [Float64Array, Float64Array] {
  const pa = bandpassPlan(x.length, sampleRateHz, bandA[0], bandA[1], order);
  const pb = bandpassPlan(x.length, sampleRateHz, bandB[0], bandB[1], order);
  return sosFiltfiltPair(x, pa.sections, pa.pad, pb.sections, pb.pad);
}

/**
 * Magnitude response |H(f)| of a biquad cascade at `freqHz` (single pass, not squared).
 */
export function sosMagnitude(sections: readonly Biquad[], freqHz: number, sampleRateHz: number): number {
  const w = (2 * Math.PI * freqHz) / sampleRateHz;
  let mag = 1;
  for (const s of sections) {
    // H(z) with z = e^{jw}
    const c1 = Math.cos(w);
    const s1 = -Math.sin(w);
    const c2 = Math.cos(2 * w);
    const s2 = -Math.sin(2 * w);
    const nr = s.b0 + s.b1 * c1 + s.b2 * c2;
    const ni = s.b1 * s1 + s.b2 * s2;
    const dr = 1 + s.a1 * c1 + s.a2 * c2;
    const di = s.a1 * s1 + s.a2 * s2;
    mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
  }
  return mag;
}

/** A band-passed, decimated signal. */
export interface DecimatedSignal {
  values: Float64Array;
  /** Output rate, Hz (= input rate / factor). */
  sampleRateHz: number;
  /** Decimation factor (output sample k is input sample k·factor). */
  factor: number;
}

/**
 * Zero-phase band-pass with decimation, cheaper than {@link bandpassFiltfilt} at high input rates:
 * a zero-phase Butterworth low-pass at `highHz` at the input rate (also the anti-alias filter),
 * keeping every `factor`-th sample where factor = floor(fs / (2.5·highHz)) (≥ 1), then the
 * zero-phase high-pass at `lowHz` at the reduced rate.
 * @param x input samples
 * @param sampleRateHz input rate, Hz
 * @param lowHz high-pass cutoff, Hz
 * @param highHz low-pass cutoff, Hz
 * @param order order of each filter (even, default 4)
 */
export function bandpassDecimate(x: ArrayLike<number>, sampleRateHz: number, lowHz: number, highHz: number, order = 4): DecimatedSignal {
  const factor = Math.max(1, Math.floor(sampleRateHz / (2.5 * highHz)));
  if (factor === 1) return { values: bandpassFiltfilt(x, sampleRateHz, lowHz, highHz, order), sampleRateHz, factor };
  const lp = sosFiltfilt(x, butterworth('lowpass', order, highHz, sampleRateHz), Math.min(x.length - 1, Math.ceil((3 * sampleRateHz) / highHz)));
  const m = Math.ceil(lp.length / factor);
  const d = new Float64Array(m);
  for (let k = 0; k < m; k++) d[k] = lp[k * factor]!;
  const rate = sampleRateHz / factor;
  const values = lowHz > 0 && lowHz < rate * 0.45 ? sosFiltfilt(d, butterworth('highpass', order, lowHz, rate), Math.min(m - 1, Math.ceil((3 * rate) / lowHz))) : d;
  return { values, sampleRateHz: rate, factor };
}
