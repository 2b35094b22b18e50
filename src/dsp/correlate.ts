/**
 * Sliding cross-correlation with a short template, by FFT blocks (overlap–save). Browser-safe.
 */
import { complexArray, fftPlan, nextPow2 } from './fft.js';

/**
 * c[k] = Σ_{i<L} x[k+i]·g[i] for k = 0 … n−1, with x taken as 0 beyond its end. Direct sums for
 * short templates (L ≤ 32), FFT blocks otherwise (O(n log L) instead of O(n·L)).
 * @param x signal (length n)
 * @param g template (length L ≥ 1)
 */
export function slidingCorrelation(x: ArrayLike<number>, g: ArrayLike<number>): Float64Array {
  const n = x.length;
  const L = g.length;
  const out = new Float64Array(n);
  if (n === 0 || L === 0) return out;
  if (L <= 32) {
    for (let k = 0; k < n; k++) {
      let acc = 0;
      const m = Math.min(L, n - k);
      for (let i = 0; i < m; i++) acc += x[k + i]! * g[i]!;
      out[k] = acc;
    }
    return out;
  }
  const size = Math.max(nextPow2(4 * L), 1024);
  const step = size - L + 1; // outputs per block
  const plan = fftPlan(size);
  // spectrum of the time-reversed template: correlation = convolution with reversed g
  const gr = new Float64Array(size);
  for (let i = 0; i < L; i++) gr[i] = g[L - 1 - i]!;
  const G = complexArray(plan.size);
  plan.realTransform(G, gr);
  plan.completeSpectrum(G);
  const block = new Float64Array(size);
  const X = complexArray(plan.size);
  const Y = complexArray(plan.size);
  for (let start = 0; start < n; start += step) {
    // block holds x[start .. start+size), zero beyond n; linear convolution index j ≥ L−1 is valid
    block.fill(0);
    const m = Math.min(size, n - start);
    for (let i = 0; i < m; i++) block[i] = x[start + i]!;
    plan.realTransform(X, block);
    plan.completeSpectrum(X);
    for (let i = 0; i < size; i++) {
      const xr = X[2 * i]!;
      const xi = X[2 * i + 1]!;
      const gr2 = G[2 * i]!;
      const gi = G[2 * i + 1]!;
      X[2 * i] = xr * gr2 - xi * gi;
      X[2 * i + 1] = xr * gi + xi * gr2;
    }
    plan.inverseTransform(Y, X);
    // circular conv y[j] = Σ_i block[j−i]·gr[i]; for j ≥ L−1 it equals Σ_t block[j−L+1+t]·g[t] → c[start + j − L + 1]
    for (let j = L - 1; j < size; j++) {
      const k = start + j - (L - 1);
      if (k >= n || k >= start + step) break;
      out[k] = Y[2 * j]!;
    }
  }
  return out;
}
