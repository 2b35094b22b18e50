/**
 * Learning curves: training and validation loss and MAE per epoch, for the HR and HRV heads
 * (2 × 2 panels). Browser-safe.
 */
import { COLORS, type VlSpec } from '../theme.js';

/** One epoch of `history.json` / `history.csv` (see docs/CONTRACTS.md); missing values are NaN or absent. */
export interface HistoryRow {
  epoch: number;
  [column: string]: number;
}

interface Panel {
  title: string;
  yTitle: string;
  train: string;
  val: string;
  log: boolean;
}

const PANELS: Panel[] = [
  { title: 'HR head loss (MSE)', yTitle: 'Loss [bpm²]', train: 'hr_output_loss', val: 'val_hr_output_loss', log: true },
  { title: 'HRV head loss (MSE)', yTitle: 'Loss [s²]', train: 'hrv_output_loss', val: 'val_hrv_output_loss', log: true },
  { title: 'HR head MAE', yTitle: 'MAE [bpm]', train: 'hr_output_mae', val: 'val_hr_output_mae', log: false },
  { title: 'HRV head MAE', yTitle: 'MAE [s]', train: 'hrv_output_mae', val: 'val_hrv_output_mae', log: false },
];

function panel(rows: readonly HistoryRow[], p: Panel, widthPx: number, heightPx: number): VlSpec {
  const values: { epoch: number; series: string; value: number }[] = [];
  for (const r of rows) {
    for (const [series, key] of [
      ['training', p.train],
      ['validation', p.val],
    ] as const) {
      const v = r[key];
      if (typeof v === 'number' && Number.isFinite(v) && (!p.log || v > 0)) values.push({ epoch: r.epoch, series, value: v });
    }
  }
  const allPositive = values.every((v) => v.value > 0);
  return {
    title: p.title,
    width: widthPx,
    height: heightPx,
    data: { values },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1, format: 'd' }, scale: { zero: false } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: p.log && allPositive ? `${p.yTitle} (log scale)` : p.yTitle,
        scale: p.log && allPositive ? { type: 'log' } : { zero: true },
        ...(p.log && allPositive ? { axis: { format: '~g', tickCount: 5 } } : {}),
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: ['training', 'validation'], range: [COLORS.train, COLORS.validation] },
        legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke' },
      },
    },
  };
}

/** Vega-lite spec (without config): 2 × 2 panels of learning curves. */
export function historyChart(rows: readonly HistoryRow[], opts: { widthPx?: number; heightPx?: number } = {}): VlSpec {
  if (rows.length === 0) throw new RangeError('historyChart: no epochs');
  const w = opts.widthPx ?? 300;
  const h = opts.heightPx ?? 180;
  return {
    title: 'Training and validation per epoch',
    vconcat: [
      { hconcat: [panel(rows, PANELS[0]!, w, h), panel(rows, PANELS[1]!, w, h)] },
      { hconcat: [panel(rows, PANELS[2]!, w, h), panel(rows, PANELS[3]!, w, h)] },
    ],
    resolve: { scale: { color: 'shared' } },
  };
}
