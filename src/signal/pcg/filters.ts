/**
 * Small IIR building blocks for the simulator (RBJ audio-EQ-cookbook biquads, direct form I),
 * in place on Float64Array. Checked against scipy.signal in test/pcg-sim.test.ts. Browser-safe.
 */

/** Biquad coefficients, a0 normalised to 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Butterworth-Q (1/√2) 2nd-order low-pass or high-pass at `cornerHz` (clipped to 0.45·fs). */
export function biquad(kind: 'lowpass' | 'highpass' | 'bandpass', cornerHz: number, sampleRateHz: number, q = Math.SQRT1_2): Biquad {
  const f = Math.min(cornerHz, 0.45 * sampleRateHz);
  const w = (2 * Math.PI * f) / sampleRateHz;
  const cw = Math.cos(w);
  const alpha = Math.sin(w) / (2 * q);
  const a0 = 1 + alpha;
  let b0: number;
  let b1: number;
  let b2: number;
  if (kind === 'lowpass') {
    b0 = (1 - cw) / 2;
    b1 = 1 - cw;
    b2 = (1 - cw) / 2;
  } else if (kind === 'highpass') {
    b0 = (1 + cw) / 2;
    b1 = -(1 + cw);
    b2 = (1 + cw) / 2;
  } else {
    b0 = alpha;
    b1 = 0;
    b2 = -alpha;
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: (-2 * cw) / a0, a2: (1 - alpha) / a0 };
}

/** Filter `x` in place with `c` (zero initial state). */
export function applyBiquad(x: Float64Array, c: Biquad): void {
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    const y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
    x[i] = y0;
  }
}

/** Corner frequencies of the one-pole sections that build coloured noise, Hz. */
const COLOUR_CORNERS_HZ = [20, 80, 320, 1280, 5120];

/**
 * Coloured noise with a power density ≈ 1/f^colour over 20 Hz … 0.45·fs (colour 0 white, 1 pink,
 * 2 brown): the sum of independent white noises through one-pole low-passes at 20, 80, 320,
 * 1280, 5120 Hz, weighted by corner^(−colour/2) (the classic sum-of-poles approximation).
 * Returns `n` samples of unit RMS drawn with `normal`.
 */
export function colourNoise(n: number, colour: number, sampleRateHz: number, normal: (out: Float64Array) => void): Float64Array {
  const out = new Float64Array(n);
  const white = new Float64Array(n);
  for (const corner of COLOUR_CORNERS_HZ) {
    const fc = Math.min(corner, 0.45 * sampleRateHz);
    const a = Math.exp((-2 * Math.PI * fc) / sampleRateHz);
    // a one-pole low-pass passes about √((1−a)/(1+a)) of white noise's RMS: undo that, then weight
    const g = Math.sqrt((1 + a) / (1 - a)) * (1 - a) * corner ** (-colour / 2) * Math.sqrt(corner);
    normal(white);
    let y = 0;
    for (let i = 0; i < n; i++) {
      y = a * y + white[i]!;
      out[i]! += g * y;
    }
  }
  const r = rms(out);
  if (r > 0) for (let i = 0; i < n; i++) out[i]! /= r;
  return out;
}

/**
 * Slow log-normal gain: exp(depth·g(t)) where g is unit-variance noise drawn every `stepS`
 * seconds and cosine-interpolated; multiplies `x` in place. `normal` supplies the draws.
 */
export function slowModulation(x: Float64Array, depth: number, stepS: number, sampleRateHz: number, normal: () => number): void {
  if (depth <= 0) return;
  const step = Math.max(1, Math.round(stepS * sampleRateHz));
  let g0 = normal();
  let g1 = normal();
  for (let i = 0; i < x.length; i++) {
    const k = i % step;
    if (k === 0 && i > 0) {
      g0 = g1;
      g1 = normal();
    }
    const u = 0.5 - 0.5 * Math.cos((Math.PI * k) / step);
    x[i]! *= Math.exp(depth * ((1 - u) * g0 + u * g1));
  }
}

/** Root mean square. */
export function rms(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length > 0 ? Math.sqrt(s / x.length) : 0;
}
