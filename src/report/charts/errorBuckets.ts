/**
 * Absolute error grouped by buckets of a covariate (SNR in dB, true HR in bpm), one bar per
 * estimator and bucket showing the mean absolute error. Browser-safe.
 */
import { COLORS, type VlSpec } from '../theme.js';

/** One bucket of {@link bucketAbsErrors}. */
export interface ErrorBucket {
  /** Label like "10–15 dB (n=23)". */
  bucket: string;
  /** Bucket lower edge (for ordering). */
  lo: number;
  hi: number;
  estimator: string;
  n: number;
  /** Mean absolute error in the quantity's unit. */
  meanAbsErr: number;
  /** Median absolute error. */
  medianAbsErr: number;
}

/**
 * Group absolute errors |pred − truth| by equal-width buckets of `covariate`.
 * @param covariate e.g. SNR in dB per sample
 * @param widthUnits bucket width in the covariate's unit (> 0); edges are multiples of it
 * @param unit covariate unit for labels
 */
export function bucketAbsErrors(
  covariate: ArrayLike<number>,
  truth: ArrayLike<number>,
  pred: ArrayLike<number | null>,
  widthUnits: number,
  unit: string,
  estimator: string,
): ErrorBucket[] {
  if (!(widthUnits > 0)) throw new RangeError(`bucketAbsErrors: widthUnits must be > 0, got ${widthUnits}`);
  const groups = new Map<number, number[]>();
  const counts = new Map<number, number>();
  for (let i = 0; i < covariate.length; i++) {
    const c = covariate[i]!;
    if (!Number.isFinite(c)) continue;
    const k = Math.floor(c / widthUnits);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    const p = pred[i];
    const t = truth[i]!;
    if (p == null || !Number.isFinite(p) || !Number.isFinite(t)) continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(Math.abs(p - t));
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);
  return keys.flatMap((k) => {
    const errs = (groups.get(k) ?? []).sort((a, b) => a - b);
    if (errs.length === 0) return [];
    const lo = k * widthUnits;
    const hi = lo + widthUnits;
    const mid = errs.length >> 1;
    return [
      {
        bucket: `${fmt(lo)}–${fmt(hi)} ${unit} (n=${counts.get(k)})`,
        lo,
        hi,
        estimator,
        n: errs.length,
        meanAbsErr: errs.reduce((a, b) => a + b, 0) / errs.length,
        medianAbsErr: errs.length % 2 ? errs[mid]! : (errs[mid - 1]! + errs[mid]!) / 2,
      },
    ];
  });
}

/** Vega-lite spec (without config): bars of mean absolute error per bucket and estimator. */
export function errorBucketsChart(
  buckets: readonly ErrorBucket[],
  opts: { title: string; covariateTitle: string; errorTitle: string; widthPx?: number; heightPx?: number },
): VlSpec {
  const estimators = [...new Set(buckets.map((b) => b.estimator))];
  const order = [...new Set([...buckets].sort((a, b) => a.lo - b.lo).map((b) => b.bucket))];
  const x = { field: 'bucket', type: 'ordinal', sort: order, title: opts.covariateTitle, axis: { labelAngle: -30 } };
  const xOffset = { field: 'estimator', type: 'nominal', sort: estimators };
  const y = { field: 'meanAbsErr', type: 'quantitative', title: opts.errorTitle, scale: { zero: true } };
  return {
    title: opts.title,
    width: opts.widthPx ?? 300,
    height: opts.heightPx ?? 200,
    data: { values: buckets },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset,
          y,
          color: {
            field: 'estimator',
            type: 'nominal',
            title: null,
            scale: { domain: estimators, range: estimators.map((e) => (/classic/i.test(e) ? COLORS.classical : COLORS.cnn)) },
            legend: { orient: 'top', direction: 'horizontal' },
          },
        },
      },
      {
        // the value above each bar, vertical, so bars far smaller than their neighbours stay readable
        mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 3, fontSize: 9, color: '#333333' },
        encoding: { x, xOffset, y, text: { field: 'meanAbsErr', type: 'quantitative', format: '.2~g' } },
      },
    ],
  };
}
