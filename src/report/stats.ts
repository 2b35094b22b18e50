/**
 * Agreement metrics computed from paired values (used when metrics.json lacks them, and for
 * dataset summaries). Browser-safe.
 */
import { agreement } from '../core/stats.js';

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

/**
 * MAE, RMSE, Pearson r, bias and 95 % limits of agreement of pred − truth: core/stats'
 * {@link agreement} with NaN in place of null, for the charts and tables.
 */
export function pairMetrics(truth: ArrayLike<number | null>, pred: ArrayLike<number | null>): PairMetrics {
  const n = Math.min(truth.length, pred.length);
  const a = agreement(Array.from(truth).slice(0, n), Array.from(pred).slice(0, n));
  const nan = (v: number | null): number => v ?? NaN;
  return { n: a.n, mae: nan(a.mae), rmse: nan(a.rmse), r: nan(a.r), bias: nan(a.bias), loaLow: nan(a.loaLow), loaHigh: nan(a.loaHigh) };
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
