/**
 * Agreement between estimates and truth: predicted-vs-true scatter with the identity line, and
 * Bland–Altman plots (bias and 95 % limits of agreement). Browser-safe.
 */
import { COLORS, type VlSpec } from '../theme.js';

/** Estimates of one quantity by one estimator, paired with the truth (null = no estimate). */
export interface AgreementSeries {
  /** Estimator name shown in legends, e.g. 'CNN' or 'classical'. */
  name: string;
  truth: ArrayLike<number>;
  pred: ArrayLike<number | null>;
}

/** A quantity: its name and unit, e.g. { name: 'HR', unit: 'bpm' }. */
export interface Quantity {
  name: string;
  unit: string;
}

/** Bland–Altman statistics of pred − truth over the pairs where both are finite. */
export interface BlandAltmanStats {
  n: number;
  /** Mean difference (pred − truth), in the quantity's unit. */
  bias: number;
  /** Sample SD of the differences (n − 1). */
  sd: number;
  /** bias − 1.96·sd and bias + 1.96·sd. */
  loaLow: number;
  loaHigh: number;
}

function pairs(s: AgreementSeries): { truth: number; pred: number }[] {
  const out: { truth: number; pred: number }[] = [];
  const n = Math.min(s.truth.length, s.pred.length);
  for (let i = 0; i < n; i++) {
    const t = s.truth[i]!;
    const p = s.pred[i];
    if (p != null && Number.isFinite(p) && Number.isFinite(t)) out.push({ truth: t, pred: p });
  }
  return out;
}

/** Bias and 95 % limits of agreement; NaN fields when fewer than 2 pairs. */
export function blandAltmanStats(s: AgreementSeries): BlandAltmanStats {
  const ps = pairs(s);
  const n = ps.length;
  if (n < 2) return { n, bias: n === 1 ? ps[0]!.pred - ps[0]!.truth : NaN, sd: NaN, loaLow: NaN, loaHigh: NaN };
  const d = ps.map((p) => p.pred - p.truth);
  const bias = d.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - bias) ** 2, 0) / (n - 1));
  return { n, bias, sd, loaLow: bias - 1.96 * sd, loaHigh: bias + 1.96 * sd };
}

const seriesColor = (name: string): string => (/classic/i.test(name) ? COLORS.classical : /learned|segment/i.test(name) ? COLORS.learned : COLORS.cnn);

/** 3 significant digits, with a true minus sign (exponent form only below 1e−4 or from 1e5). */
export function fmtNum(x: number): string {
  const a = Math.abs(x);
  const s = a !== 0 && (a < 1e-4 || a >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
  return s.replace(/-/g, '\u2212');
}

/** Vega-lite spec (without config): predicted vs true with the identity line, one colour per estimator. */
export function predVsTrueChart(q: Quantity, series: readonly AgreementSeries[], opts: { sizePx?: number } = {}): VlSpec {
  const values = series.flatMap((s) => pairs(s).map((p) => ({ ...p, estimator: s.name })));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v.truth, v.pred);
    hi = Math.max(hi, v.truth, v.pred);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  const pad = (hi - lo) * 0.05 || 1;
  const domain = [lo - pad, hi + pad];
  const size = opts.sizePx ?? 300;
  const axisTitle = (what: string) => `${what} ${q.name} [${q.unit}]`;
  return {
    title: `${q.name}: predicted vs true`,
    width: size,
    height: size,
    layer: [
      {
        data: { values: [{ a: domain[0], b: domain[0] }, { a: domain[1], b: domain[1] }] },
        mark: { type: 'line', color: COLORS.reference, strokeDash: [5, 4], strokeWidth: 1, clip: true },
        encoding: {
          x: { field: 'a', type: 'quantitative', scale: { domain, nice: false, zero: false }, title: axisTitle('True') },
          y: { field: 'b', type: 'quantitative', scale: { domain, nice: false, zero: false }, title: axisTitle('Predicted') },
        },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.65, clip: true },
        encoding: {
          x: { field: 'truth', type: 'quantitative', title: axisTitle('True') },
          y: { field: 'pred', type: 'quantitative', title: axisTitle('Predicted') },
          color: {
            field: 'estimator',
            type: 'nominal',
            title: null,
            scale: { domain: series.map((s) => s.name), range: series.map((s) => seriesColor(s.name)) },
            legend: { orient: 'top-left' },
          },
        },
      },
    ],
  };
}

/** Vega-lite spec (without config): Bland–Altman plot of one estimator for one quantity. */
export function blandAltmanChart(q: Quantity, s: AgreementSeries, opts: { widthPx?: number; heightPx?: number } = {}): VlSpec {
  const st = blandAltmanStats(s);
  const values = pairs(s).map((p) => ({ mean: (p.truth + p.pred) / 2, diff: p.pred - p.truth }));
  const lines = Number.isFinite(st.sd)
    ? [
        { y: st.bias, label: `bias ${fmtNum(st.bias)}`, kind: 'bias' },
        { y: st.loaHigh, label: `+1.96 SD ${fmtNum(st.loaHigh)}`, kind: 'loa' },
        { y: st.loaLow, label: `−1.96 SD ${fmtNum(st.loaLow)}`, kind: 'loa' },
      ]
    : [];
  const color = seriesColor(s.name);
  return {
    title: `${q.name} Bland–Altman, ${s.name} (n = ${st.n})`,
    width: opts.widthPx ?? 300,
    height: opts.heightPx ?? 220,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 20, opacity: 0.6, color },
        encoding: {
          x: { field: 'mean', type: 'quantitative', title: `Mean of true and predicted ${q.name} [${q.unit}]`, scale: { zero: false } },
          y: { field: 'diff', type: 'quantitative', title: `Predicted − true [${q.unit}]` },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', color: COLORS.reference },
        encoding: {
          y: { field: 'y', type: 'quantitative' },
          strokeDash: { field: 'kind', type: 'nominal', scale: { domain: ['bias', 'loa'], range: [[1, 0], [5, 4]] }, legend: null },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, dy: -2, fontSize: 10, color: '#333333' },
        encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: opts.widthPx ?? 300 }, text: { field: 'label' } },
      },
    ],
  };
}
