/**
 * Agreement statistics between predictions and labels: MAE, RMSE, Pearson r and Bland–Altman
 * bias with 95 % limits of agreement (bias ± 1.96 SD of the differences prediction − label).
 */

import { agreement as agreementOf, type AgreementStats } from '../core/stats.js';

export type { AgreementStats } from '../core/stats.js';

/** Mean absolute error. */
export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  return agreement(pred, truth).mae ?? NaN;
}

/** Root-mean-square error. */
export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  return agreement(pred, truth).rmse ?? NaN;
}

/** Pearson correlation coefficient. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return agreement(a, b).r ?? NaN;
}

/**
 * All agreement statistics of `pred` against `truth` (same length): core/stats' `agreement(truth,
 * predicted)` with the model layer's historical (pred, truth) order.
 * @deprecated use `agreement(truth, predicted)` from core/stats
 */
export function agreement(pred: ArrayLike<number | null>, truth: ArrayLike<number | null>): AgreementStats {
  const a = agreementOf(truth, pred);
  return { n: a.n, mae: a.mae, rmse: a.rmse, r: a.r, bias: a.bias, loaLow: a.loaLow, loaHigh: a.loaHigh };
}
