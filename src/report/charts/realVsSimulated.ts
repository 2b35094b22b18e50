/**
 * Real versus simulated heart sounds (issue 15, `run --signal pcg --real DIR`): band-energy
 * fractions, the HR spread of the windows, and the CNN's HR on simulated test windows against
 * real windows. Vega-lite specs (without config). Browser-safe.
 */
import { COLORS, type VlSpec } from '../theme.js';

/** Input of {@link realVsSimulatedChart}. */
export interface RealVsSimulatedInput {
  /** Median band-energy fraction per band ('lo-hiHz' keys, same for both). */
  bandsReal: Record<string, number>;
  bandsSimulated: Record<string, number>;
  /** HR of every real window and of every simulated window, bpm. */
  hrRealBpm: readonly number[];
  hrSimulatedBpm: readonly number[];
  /** CNN HR against truth on the simulated test windows and on the real windows. */
  cnnSimulated: { truth: readonly number[]; pred: ReadonlyArray<number | null> };
  cnnReal: { truth: readonly number[]; pred: ReadonlyArray<number | null> };
}

const SETS = ['real', 'simulated'] as const;
const RANGE = [COLORS.annotated, COLORS.cnn];

function bandsChart(i: RealVsSimulatedInput): VlSpec {
  const bands = Object.keys(i.bandsReal);
  const values = bands.flatMap((b) => [
    { band: b, set: 'real', fraction: i.bandsReal[b] ?? 0 },
    { band: b, set: 'simulated', fraction: i.bandsSimulated[b] ?? 0 },
  ]);
  return {
    title: 'Band energy (median share)',
    width: 260,
    height: 220,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'band', type: 'nominal', sort: bands, title: 'Band [Hz]', axis: { labelAngle: -45 } },
      xOffset: { field: 'set', type: 'nominal', sort: [...SETS] },
      y: { field: 'fraction', type: 'quantitative', title: 'Share of energy', axis: { format: '%' } },
      color: { field: 'set', type: 'nominal', title: null, scale: { domain: [...SETS], range: RANGE }, legend: { orient: 'top' } },
    },
  };
}

function hrChart(i: RealVsSimulatedInput): VlSpec {
  const values = [...i.hrRealBpm.map((hr) => ({ hr, set: 'real' })), ...i.hrSimulatedBpm.map((hr) => ({ hr, set: 'simulated' }))];
  return {
    title: 'HR of the 5 s windows',
    width: 260,
    height: 220,
    data: { values },
    transform: [
      { bin: { step: 10 }, field: 'hr', as: ['lo', 'hi'] },
      { aggregate: [{ op: 'count', as: 'n' }], groupby: ['lo', 'hi', 'set'] },
      { joinaggregate: [{ op: 'sum', field: 'n', as: 'total' }], groupby: ['set'] },
      { calculate: 'datum.n / datum.total', as: 'share' },
    ],
    mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: { field: 'lo', type: 'quantitative', bin: { binned: true, step: 10 }, title: 'HR [bpm]' },
      x2: { field: 'hi' },
      y: { field: 'share', type: 'quantitative', stack: null, title: 'Share of windows', axis: { format: '%' } },
      color: { field: 'set', type: 'nominal', title: null, scale: { domain: [...SETS], range: RANGE }, legend: { orient: 'top' } },
    },
  };
}

function cnnChart(i: RealVsSimulatedInput): VlSpec {
  const values: Array<{ truth: number; pred: number; set: string }> = [];
  const add = (s: RealVsSimulatedInput['cnnReal'], set: string): void => {
    for (let k = 0; k < s.truth.length; k++) {
      const p = s.pred[k];
      if (p !== null && p !== undefined && Number.isFinite(p) && Number.isFinite(s.truth[k]!)) values.push({ truth: s.truth[k]!, pred: p, set });
    }
  };
  add(i.cnnReal, 'real');
  add(i.cnnSimulated, 'simulated');
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v.truth, v.pred);
    hi = Math.max(hi, v.truth, v.pred);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [40, 200];
  const domain = [Math.floor(lo - 5), Math.ceil(hi + 5)];
  return {
    title: 'CNN HR: simulated test vs real windows',
    width: 260,
    height: 220,
    layer: [
      {
        data: { values: [{ a: domain[0], b: domain[0] }, { a: domain[1], b: domain[1] }] },
        mark: { type: 'line', color: COLORS.reference, strokeDash: [5, 4], strokeWidth: 1, clip: true },
        encoding: {
          x: { field: 'a', type: 'quantitative', scale: { domain, nice: false, zero: false }, title: 'True HR [bpm]' },
          y: { field: 'b', type: 'quantitative', scale: { domain, nice: false, zero: false }, title: 'CNN HR [bpm]' },
        },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.65, clip: true },
        encoding: {
          x: { field: 'truth', type: 'quantitative' },
          y: { field: 'pred', type: 'quantitative' },
          color: { field: 'set', type: 'nominal', title: null, scale: { domain: [...SETS], range: RANGE }, legend: { orient: 'top' } },
        },
      },
    ],
  };
}

/** The three panels side by side. */
export function realVsSimulatedChart(input: RealVsSimulatedInput): VlSpec {
  return { hconcat: [bandsChart(input), hrChart(input), cnnChart(input)], resolve: { scale: { color: 'independent' } } };
}
