/**
 * Agreement metrics computed from paired values (used when metrics.json lacks them, and for
 * dataset summaries). Browser-safe.
 */

/** Error metrics of predictions against truth, over pairs where both are finite. */
export interface PairMetrics {
  n: number;
  mae: number;
  rmse: number;
  /** Pearson correlation (NaN when undefined). */
  r: number;
  bias: number;
  loaLow: number;
  loaHigh: number;
}

/** MAE, RMSE, Pearson r, bias and 95 % limits of agreement of pred − truth. */
export function pairMetrics(truth: ArrayLike<number | null>, pred: ArrayLike<number | null>): PairMetrics {
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < Math.min(truth.length, pred.length); i++) {
    const a = truth[i];
    const b = pred[i];
    if (a != null && b != null && Number.isFinite(a) && Number.isFinite(b)) {
      t.push(a);
      p.push(b);
    }
  }
  const n = t.length;
  if (n === 0) return { n, mae: NaN, rmse: NaN, r: NaN, bias: NaN, loaLow: NaN, loaHigh: NaN };
  const d = p.map((x, i) => x - t[i]!);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const bias = mean(d);
  const mae = mean(d.map(Math.abs));
  const rmse = Math.sqrt(mean(d.map((x) => x * x)));
  const sd = n > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - bias) ** 2, 0) / (n - 1)) : NaN;
  const mt = mean(t);
  const mp = mean(p);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (t[i]! - mt) * (p[i]! - mp);
    sxx += (t[i]! - mt) ** 2;
    syy += (p[i]! - mp) ** 2;
  }
  const r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
  return { n, mae, rmse, r, bias, loaLow: bias - 1.96 * sd, loaHigh: bias + 1.96 * sd };
}

/** Minimum, median, mean and maximum of the finite values (NaN fields when none). */
export function describe(values: ArrayLike<number | null>): { n: number; min: number; median: number; mean: number; max: number } {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v != null && Number.isFinite(v)) xs.push(v);
  }
  xs.sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { n, min: NaN, median: NaN, mean: NaN, max: NaN };
  const mid = n >> 1;
  return {
    n,
    min: xs[0]!,
    median: n % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2,
    mean: xs.reduce((s, x) => s + x, 0) / n,
    max: xs[n - 1]!,
  };
}
