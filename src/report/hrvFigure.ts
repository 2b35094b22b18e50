/**
 * The HRV panels of a figure: Poincaré plot beside the RR spectrum (Welch + Lomb–Scargle, when
 * the series is long enough for HF), and optionally the HR/RMSSD trend. Browser-safe.
 */
import { hrvMeasures } from '../hrv/measures/index.js';
import type { EstimateWindow } from '../hrv/windows.js';
import { hrvTrendChart, poincareChart, rrSpectrumChart } from './charts/hrv.js';
import type { VlSpec } from './theme.js';

/** Panels (to stack with vconcat): [Poincaré | spectrum], then the trend when windows are given. */
export function hrvFigurePanels(rrS: readonly number[], rrEndTimesS?: readonly number[], windows?: readonly EstimateWindow[]): VlSpec[] {
  const m = hrvMeasures(rrS, { returnSpectrum: true, groups: ['time', 'frequency'], ...(rrEndTimesS ? { rrEndTimesS } : {}) });
  const row: VlSpec[] = [poincareChart(rrS, { sd1Ms: m.sd1Ms, sd2Ms: m.sd2Ms })];
  const spectra = [m.spectrum?.welch, m.spectrum?.lomb].filter((s) => s != null);
  if (spectra.length) {
    const lfhf = m.lfHf !== null ? `, LF/HF ${m.lfHf.toFixed(2)}` : '';
    row.push(rrSpectrumChart(spectra, { title: `RR power spectrum${lfhf}` }));
  } else {
    row.push({ title: `RR power spectrum: ${m.nullReasons.hfMs2 ?? 'not available'}`, width: 420, height: 40, mark: 'text', data: { values: [] } });
  }
  const panels: VlSpec[] = [{ hconcat: row, resolve: { scale: { color: 'independent' } } }];
  if (windows && windows.length > 1) panels.push(hrvTrendChart(windows));
  return panels;
}
