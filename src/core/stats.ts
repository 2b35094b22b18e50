/**
 * Descriptive statistics and agreement of paired values, in one place. Browser-safe.
 * Pair functions take `(truth, predicted)` in that order; differences are predicted − truth.
 * Non-finite and null entries are skipped (pairwise for pair functions).
 */

function finite(values: ArrayLike<number | null | undefined>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Arithmetic mean of the finite values; null when there are none. */
export function mean(values: ArrayLike<number | null | undefined>): number | null {
  const x = finite(values);
  return x.length ? x.reduce((a, b) => a + b, 0) / x.length : null;
}

/**
 * Quantile `q` (0..1) of the finite values with linear interpolation between order statistics
 * (numpy's default, `method='linear'`); null when there are none.
 */
export function quantile(values: ArrayLike<number | null | undefined>, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in 0..1, got ${q}`);
  const x = finite(values).sort((a, b) => a - b);
  if (x.length === 0) return null;
  const pos = q * (x.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(x.length - 1, lo + 1);
  return x[lo]! + (x[hi]! - x[lo]!) * (pos - lo);
}

/**
 * Median of the finite values (mean of the two middle ones, (a + b) / 2, for an even count, as
 * numpy.median); null when none.
 */
export function median(values: ArrayLike<number | null | undefined>): number | null {
  const x = finite(values).sort((a, b) => a - b);
  if (x.length === 0) return null;
  const m = x.length >> 1;
  return x.length % 2 ? x[m]! : (x[m - 1]! + x[m]!) / 2;
}

/** Standard deviation with `ddof` delta degrees of freedom (0: population); null when n ≤ ddof. */
export function std(values: ArrayLike<number | null | undefined>, ddof = 0): number | null {
  const x = finite(values);
  if (x.length <= ddof || x.length === 0) return null;
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - ddof));
}

/** Normal-consistency factor of the MAD (1 / Φ⁻¹(3/4)), as NeuroKit2 and scipy's 'normal' scale. */
export const MAD_NORMAL_SCALE = 1.4826;

/** Median absolute deviation from the median, times `scale` (default 1: unscaled); null when there are no values. */
export function mad(values: ArrayLike<number | null | undefined>, scale = 1): number | null {
  const m = median(values);
  if (m === null) return null;
  const raw = median(finite(values).map((v) => Math.abs(v - m)))!;
  return scale === 1 ? raw : raw * scale;
}

/** Agreement of predictions with the truth over the pairs where both are finite. */
export interface Agreement {
  /** Number of pairs used. */
  n: number;
  /** Mean |predicted − truth|. */
  mae: number | null;
  /** Median |predicted − truth|. */
  medianAbsError: number | null;
  rmse: number | null;
  /** Pearson correlation (null when either side is constant or n < 2). */
  r: number | null;
  /** Bland–Altman bias: mean of predicted − truth. */
  bias: number | null;
  /** Sample SD (n − 1) of predicted − truth; 0 for one pair. */
  sd: number | null;
  /** bias ∓ 1.96·sd: the 95 % limits of agreement. */
  loaLow: number | null;
  loaHigh: number | null;
}

/** The seven agreement fields of the model layer's tables and metrics.json. */
export type AgreementStats = Pick<Agreement, 'n' | 'mae' | 'rmse' | 'r' | 'bias' | 'loaLow' | 'loaHigh'>;

/** MAE, RMSE, Pearson r and Bland–Altman bias/limits of `predicted` against `truth` (same length). */
export function agreement(truth: ArrayLike<number | null | undefined>, predicted: ArrayLike<number | null | undefined>): Agreement {
  if (truth.length !== predicted.length) throw new RangeError(`length mismatch: ${truth.length} truths, ${predicted.length} predictions`);
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const a = truth[i];
    const b = predicted[i];
    if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    t.push(a);
    p.push(b);
  }
  const n = t.length;
  if (n === 0) return { n, mae: null, medianAbsError: null, rmse: null, r: null, bias: null, sd: null, loaLow: null, loaHigh: null };
  const d = p.map((v, i) => v - t[i]!);
  const bias = d.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - bias) ** 2, 0) / (n - 1)) : 0;
  let r: number | null = null;
  if (n >= 2) {
    const mt = t.reduce((a, b) => a + b, 0) / n;
    const mp = p.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (t[i]! - mt) * (p[i]! - mp);
      sxx += (t[i]! - mt) ** 2;
      syy += (p[i]! - mp) ** 2;
    }
    r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
  }
  const abs = d.map(Math.abs);
  return {
    n,
    mae: abs.reduce((a, b) => a + b, 0) / n,
    medianAbsError: median(abs),
    rmse: Math.sqrt(d.reduce((a, b) => a + b * b, 0) / n),
    r,
    bias,
    sd,
    loaLow: bias - 1.96 * sd,
    loaHigh: bias + 1.96 * sd,
  };
}

/** Σ x² (NaN propagates): a signal's energy; its RMS is √(Σ x² / n). */
export function sumSquares(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}
