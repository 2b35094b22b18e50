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

/**
 * Tilted noise, in place: white noise mixed with its first-order low-pass at 150 Hz; `colour`
 * in [0, 2] moves the mix from white (0) towards mostly low-pass (2), i.e. more energy below
 * 150 Hz and a −6 dB/octave fall above it.
 */
export function colourNoise(white: Float64Array, colour: number, sampleRateHz: number): void {
  if (colour <= 0) return;
  const a = Math.exp((-2 * Math.PI * 150) / sampleRateHz);
  const mix = Math.min(colour / 2, 1);
  let y = 0;
  for (let i = 0; i < white.length; i++) {
    y = a * y + (1 - a) * white[i]!;
    // the low-pass output has about √((1−a)/(1+a)) of the input's RMS: rescale to unit RMS
    white[i] = (1 - mix) * white[i]! + mix * y * Math.sqrt((1 + a) / (1 - a));
  }
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
