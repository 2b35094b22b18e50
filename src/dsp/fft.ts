import FFT from 'fft.js';

const cache = new Map<number, FFT>();

/** A cached fft.js plan for size `n` (a power of two ≥ 2). */
export function fftPlan(n: number): FFT {
  let plan = cache.get(n);
  if (!plan) {
    plan = new FFT(n);
    cache.set(n, plan);
  }
  return plan;
}

/** Smallest power of two ≥ n. */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * A zeroed interleaved complex array of `n` values for fft.js output: a Float64Array holds the same
 * doubles as fft.js's `createComplexArray()` (a plain Array) without its per-element fill.
 */
export function complexArray(n: number): Float64Array {
  return new Float64Array(2 * n);
}
