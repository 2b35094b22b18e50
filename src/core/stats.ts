/**
 * The one statistics module: mean, median, quantiles, standard deviation with ddof, median
 * absolute deviation, and agreement statistics of predictions against the truth. Browser-safe.
 *
 * Conventions: empty input gives NaN (never a throw, never `undefined`); `quantile` interpolates
 * linearly between order statistics (numpy's default, 'linear'); arguments that compare two
 * series are always `(truth, predicted)`.
 */

/** Arithmetic mean; NaN for no values. */
export function mean(v: ArrayLike<number>): number {
  const n = v.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  return s / n;
}

/** Standard deviation with `ddof` delta degrees of freedom (0: population, 1: sample); NaN when n ≤ ddof. */
export function std(v: ArrayLike<number>, ddof = 0): number {
  const n = v.length;
  if (n <= ddof) return NaN;
  const m = mean(v);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i]! - m) ** 2;
  return Math.sqrt(ss / (n - ddof));
}

/** Median (mean of the two middle values for an even count); NaN for no values. */
export function median(v: ArrayLike<number>): number {
  if (v.length === 0) return NaN;
  const s = Array.from(v).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Linear-interpolated quantile `q` (0..1) of an ascending-sorted array; NaN for no values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Linear-interpolated quantile `q` (0..1), as numpy.quantile; NaN for no values. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

/** Normal-consistency factor of the MAD (1 / Φ⁻¹(3/4)), as NeuroKit2 and scipy's 'normal' scale. */
export const MAD_NORMAL_SCALE = 1.4826;

/** Median absolute deviation from the median, times `scale` (1: raw; {@link MAD_NORMAL_SCALE}: σ-consistent). */
export function mad(v: ArrayLike<number>, scale = 1): number {
  const med = median(v);
  return median(Array.from(v, (x) => Math.abs(x - med))) * scale;
}

/** Agreement of predictions with the truth over the pairs where both are finite. */
export interface AgreementStats {
  /** Number of pairs used. */
  n: number;
  mae: number | null;
  rmse: number | null;
  /** Pearson correlation (null when either side is constant or n < 2). */
  r: number | null;
  /** Mean of predicted − truth. */
  bias: number | null;
  /** bias − 1.96·SD(predicted − truth). */
  loaLow: number | null;
  /** bias + 1.96·SD(predicted − truth). */
  loaHigh: number | null;
}

/**
 * MAE, RMSE, Pearson r and Bland–Altman bias with 95 % limits of agreement (bias ± 1.96 SD of the
 * differences predicted − truth, SD with ddof 1). Null/NaN entries on either side are skipped.
 * @throws RangeError when the lengths differ
 */
export function agreement(truth: ArrayLike<number | null>, predicted: ArrayLike<number | null>): AgreementStats {
  if (predicted.length !== truth.length) throw new RangeError(`length mismatch: ${predicted.length} predictions, ${truth.length} labels`);
  const p: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < predicted.length; i++) {
    const a = predicted[i];
    const b = truth[i];
    if (a === null || b === null || a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    p.push(a);
    t.push(b);
  }
  const n = p.length;
  if (n === 0) return { n, mae: null, rmse: null, r: null, bias: null, loaLow: null, loaHigh: null };
  let sAbs = 0;
  let sSq = 0;
  let sD = 0;
  for (let i = 0; i < n; i++) {
    const d = p[i]! - t[i]!;
    sAbs += Math.abs(d);
    sSq += d * d;
    sD += d;
  }
  const bias = sD / n;
  let sDev = 0;
  for (let i = 0; i < n; i++) sDev += (p[i]! - t[i]! - bias) ** 2;
  const sdDiff = n > 1 ? Math.sqrt(sDev / (n - 1)) : 0;
  let r: number | null = null;
  if (n >= 2) {
    const mp = p.reduce((a, b) => a + b, 0) / n;
    const mt = t.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (p[i]! - mp) * (t[i]! - mt);
      sxx += (p[i]! - mp) ** 2;
      syy += (t[i]! - mt) ** 2;
    }
    r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
  }
  return { n, mae: sAbs / n, rmse: Math.sqrt(sSq / n), r, bias, loaLow: bias - 1.96 * sdDiff, loaHigh: bias + 1.96 * sdDiff };
}
