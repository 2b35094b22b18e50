/**
 * Agreement statistics between predictions and labels: MAE, RMSE, Pearson r and Bland–Altman
 * bias with 95 % limits of agreement (bias ± 1.96 SD of the differences prediction − label).
 */

/** Agreement of predictions with one label. NaN/null entries are skipped. */
export interface AgreementStats {
  /** Number of pairs used. */
  n: number;
  mae: number | null;
  rmse: number | null;
  /** Pearson correlation (null when either side is constant or n < 2). */
  r: number | null;
  /** Mean of prediction − label. */
  bias: number | null;
  /** bias − 1.96·SD(prediction − label). */
  loaLow: number | null;
  /** bias + 1.96·SD(prediction − label). */
  loaHigh: number | null;
}

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

/** All agreement statistics of `pred` against `truth` (same length). */
export function agreement(pred: ArrayLike<number | null>, truth: ArrayLike<number | null>): AgreementStats {
  if (pred.length !== truth.length) throw new RangeError(`length mismatch: ${pred.length} predictions, ${truth.length} labels`);
  const p: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < pred.length; i++) {
    const a = pred[i];
    const b = truth[i];
    if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    p.push(a);
    t.push(b);
  }
  const n = p.length;
  if (n === 0) return { n, mae: null, rmse: null, r: null, bias: null, loaLow: null, loaHigh: null };
  let sAbs = 0;
  let sSq = 0;
  let sD = 0;
  for (let i = 0; i < n; i++) {
    const d = p[i] - t[i];
    sAbs += Math.abs(d);
    sSq += d * d;
    sD += d;
  }
  const bias = sD / n;
  let sDev = 0;
  for (let i = 0; i < n; i++) sDev += (p[i] - t[i] - bias) ** 2;
  const sdDiff = n > 1 ? Math.sqrt(sDev / (n - 1)) : 0;
  let r: number | null = null;
  if (n >= 2) {
    const mp = p.reduce((a, b) => a + b, 0) / n;
    const mt = t.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (p[i] - mp) * (t[i] - mt);
      sxx += (p[i] - mp) ** 2;
      syy += (t[i] - mt) ** 2;
    }
    r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
  }
  return { n, mae: sAbs / n, rmse: Math.sqrt(sSq / n), r, bias, loaLow: bias - 1.96 * sdDiff, loaHigh: bias + 1.96 * sdDiff };
}
