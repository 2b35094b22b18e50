/**
 * Autocorrelation via the FFT (Wiener–Khinchin). Browser-safe.
 */
import { complexArray, fftPlan, nextPow2 } from './fft.js';

/**
 * Normalised autocorrelation r[k] / r[0] for lags 0..maxLag of the mean-removed signal.
 * The biased estimator (sum over n−k products, divided by the same r[0]) is used, so values at
 * long lags shrink by (n−k)/n; this favours the shortest true period over its multiples.
 * @param x signal
 * @param maxLag largest lag in samples (clamped to x.length − 1)
 * @returns Float64Array of length maxLag + 1 (all zeros when x is constant)
 */
export function autocorrelation(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  const lagMax = Math.max(0, Math.min(Math.floor(maxLag), n - 1));
  const out = new Float64Array(lagMax + 1);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const size = Math.max(2, nextPow2(n + lagMax + 1));
  const plan = fftPlan(size);
  const input = new Float64Array(size);
  for (let i = 0; i < n; i++) input[i] = x[i]! - mean;
  const spec = complexArray(plan.size);
  plan.realTransform(spec, input);
  plan.completeSpectrum(spec);
  for (let i = 0; i < size; i++) {
    const re = spec[2 * i]!;
    const im = spec[2 * i + 1]!;
    spec[2 * i] = re * re + im * im;
    spec[2 * i + 1] = 0;
  }
  const back = complexArray(plan.size);
  plan.inverseTransform(back, spec);
  const r0 = back[0]!;
  if (!(r0 > 0)) return out;
  for (let k = 0; k <= lagMax; k++) out[k] = back[2 * k]! / r0;
  return out;
}
