/**
 * HRV charts: Poincaré plot, RR power spectrum (Welch and Lomb–Scargle, bands shaded) and the
 * HR/RMSSD trend over windows. Browser-safe (specs only).
 */
import { COLORS, type VlSpec } from '../theme.js';
import { HRV_BANDS_HZ, type RrSpectrum } from '../../hrv/measures/index.js';
import type { EstimateWindow } from '../../hrv/windows.js';

/** Vega-lite spec: RR_{i+1} against RR_i (ms) with the identity line; SD1/SD2 in the title. */
export function poincareChart(rrS: readonly number[], input: { sd1Ms?: number | null; sd2Ms?: number | null; sizePx?: number; maxPoints?: number } = {}): VlSpec {
  const maxPoints = input.maxPoints ?? 5000;
  const step = Math.max(1, Math.ceil((rrS.length - 1) / maxPoints));
  const values: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < rrS.length; i += step) values.push({ x: rrS[i]! * 1000, y: rrS[i + 1]! * 1000 });
  const all = values.flatMap((p) => [p.x, p.y]);
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const pad = Math.max(10, (hi - lo) * 0.05);
  const domain = [lo - pad, hi + pad];
  const sd = input.sd1Ms != null && input.sd2Ms != null ? ` (SD1 ${input.sd1Ms.toFixed(1)} ms, SD2 ${input.sd2Ms.toFixed(1)} ms)` : '';
  const size = input.sizePx ?? 300;
  return {
    title: `Poincaré plot${sd}${step > 1 ? `, every ${step}th pair` : ''}`,
    width: size,
    height: size,
    layer: [
      {
        data: { values: [{ x: domain[0], y: domain[0] }, { x: domain[1], y: domain[1] }] },
        mark: { type: 'line', color: COLORS.reference, strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { x: { field: 'x', type: 'quantitative', scale: { domain, nice: false } }, y: { field: 'y', type: 'quantitative', scale: { domain, nice: false } } },
      },
      {
        data: { values },
        mark: { type: 'circle', size: 14, opacity: 0.5, color: COLORS.signal },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'RRᵢ [ms]', scale: { domain, nice: false } },
          y: { field: 'y', type: 'quantitative', title: 'RRᵢ₊₁ [ms]', scale: { domain, nice: false } },
        },
      },
    ],
  };
}

/** Vega-lite spec: PSD (ms²/Hz) of the RR series, 0–0.5 Hz, VLF/LF/HF shaded. */
export function rrSpectrumChart(spectra: readonly RrSpectrum[], input: { widthPx?: number; heightPx?: number; title?: string } = {}): VlSpec {
  const values: { f: number; p: number; method: string }[] = [];
  for (const s of spectra) {
    for (let k = 0; k < s.frequencyHz.length; k++) {
      const f = s.frequencyHz[k]!;
      if (f <= 0.5) values.push({ f, p: s.psdMs2PerHz[k]!, method: s.method === 'welch' ? 'Welch (4 Hz spline)' : 'Lomb–Scargle' });
    }
  }
  const bands = (['vlf', 'lf', 'hf'] as const).map((b) => ({ f0: HRV_BANDS_HZ[b][0], f1: HRV_BANDS_HZ[b][1], band: b.toUpperCase() }));
  const methods = [...new Set(values.map((v) => v.method))];
  return {
    title: input.title ?? 'RR power spectrum',
    width: input.widthPx ?? 420,
    height: input.heightPx ?? 300,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect', opacity: 0.12 },
        encoding: {
          x: { field: 'f0', type: 'quantitative', scale: { domain: [0, 0.5], nice: false } },
          x2: { field: 'f1' },
          color: { field: 'band', type: 'nominal', title: null, scale: { domain: ['VLF', 'LF', 'HF'], range: ['#9467bd', '#ff7f0e', '#2ca02c'] }, legend: { orient: 'top', direction: 'horizontal' } },
        },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.2, color: COLORS.signal, clip: true },
        encoding: {
          x: { field: 'f', type: 'quantitative', title: 'Frequency [Hz]', scale: { domain: [0, 0.5], nice: false } },
          y: { field: 'p', type: 'quantitative', title: 'PSD [ms²/Hz]' },
          strokeDash: { field: 'method', type: 'nominal', title: null, scale: { domain: methods }, legend: { orient: 'top', direction: 'horizontal', labelLimit: 300 } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

/** Vega-lite spec: HR (bpm) and RMSSD (ms) per window, against the window centre (min). */
export function hrvTrendChart(windows: readonly EstimateWindow[], input: { widthPx?: number } = {}): VlSpec {
  const values = windows.flatMap((w) => {
    const tMin = (w.startS + w.endS) / 2 / 60;
    return [
      ...(w.heartRateBpm !== null ? [{ tMin, v: w.heartRateBpm, what: 'HR [bpm]' }] : []),
      ...(w.rmssdMs !== null ? [{ tMin, v: w.rmssdMs, what: 'RMSSD [ms]' }] : []),
    ];
  });
  return {
    title: `HR and RMSSD per ${(windows[0] ? windows[0].endS - windows[0].startS : 0).toFixed(0)} s window`,
    data: { values },
    facet: { row: { field: 'what', type: 'nominal', title: null } },
    spec: {
      width: input.widthPx ?? 640,
      height: 140,
      mark: { type: 'line', point: { size: 12 }, color: COLORS.signal },
      encoding: {
        x: { field: 'tMin', type: 'quantitative', title: 'Time [min]' },
        y: { field: 'v', type: 'quantitative', title: null, scale: { zero: false } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
