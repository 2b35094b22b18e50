/**
 * Spectral-analysis windows with scipy.signal.get_window semantics (`fftbins=True`, i.e.
 * periodic: a symmetric window of length M+1 with its last point dropped). Browser-safe.
 */

/** Window names understood by {@link getWindow}. */
export type WindowName = 'tukey' | 'hann' | 'hamming' | 'boxcar';

/**
 * A window of `length` points.
 * @param name window family
 * @param length number of points (integer ≥ 1)
 * @param options `tukeyAlpha` (taper fraction in [0, 1], default 0.25); `periodic` (default
 *   true, as scipy.signal.get_window; false gives the symmetric window)
 */
export function getWindow(
  name: WindowName,
  length: number,
  options: { tukeyAlpha?: number; periodic?: boolean } = {},
): Float64Array {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`window length must be an integer ≥ 1, got ${length}`);
  const periodic = options.periodic ?? true;
  if (length === 1) return new Float64Array([1]);
  const m = periodic ? length + 1 : length;
  let w: Float64Array;
  switch (name) {
    case 'boxcar':
      return new Float64Array(length).fill(1);
    case 'hann':
      w = generalHamming(m, 0.5);
      break;
    case 'hamming':
      w = generalHamming(m, 0.54);
      break;
    case 'tukey': {
      const alpha = options.tukeyAlpha ?? 0.25;
      if (!(alpha >= 0 && alpha <= 1) ) throw new RangeError(`tukeyAlpha must lie in [0, 1], got ${alpha}`);
      if (alpha === 0) return new Float64Array(length).fill(1);
      w = alpha === 1 ? generalHamming(m, 0.5) : tukey(m, alpha);
      break;
    }
    default:
      throw new RangeError(`unknown window '${String(name)}' (expected tukey, hann, hamming or boxcar)`);
  }
  return periodic ? w.slice(0, length) : w;
}

/** Symmetric general Hamming window `a − (1 − a)·cos(2πn/(M−1))` as scipy's general_cosine. */
function generalHamming(m: number, a: number): Float64Array {
  const w = new Float64Array(m);
  const step = (2 * Math.PI) / (m - 1);
  for (let n = 0; n < m; n++) {
    const fac = n === m - 1 ? Math.PI : -Math.PI + n * step;
    w[n] = a + (1 - a) * Math.cos(fac);
  }
  return w;
}

/** Symmetric Tukey window of m points (scipy.signal.windows.tukey with sym=True). */
function tukey(m: number, alpha: number): Float64Array {
  const w = new Float64Array(m).fill(1);
  const width = Math.floor((alpha * (m - 1)) / 2);
  for (let n = 0; n <= width; n++) {
    w[n] = 0.5 * (1 + Math.cos(Math.PI * (-1 + (2.0 * n) / alpha / (m - 1))));
  }
  for (let n = m - width - 1; n < m; n++) {
    w[n] = 0.5 * (1 + Math.cos(Math.PI * (-2.0 / alpha + 1 + (2.0 * n) / alpha / (m - 1))));
  }
  return w;
}
