/**
 * The seed's first plot: one synthetic signal against time with its true beat times, titled
 * with its HR and HRV. Browser-safe.
 */
import { CHART_HEIGHT_PX, CHART_WIDTH_PX, COLORS, type VlSpec } from '../theme.js';
import { decimateMinMax } from './decimate.js';

/** Input of {@link signalChart}. */
export interface SignalChartInput {
  /** The signal (arbitrary amplitude units). */
  samples: ArrayLike<number>;
  /** Sampling rate in Hz (> 0). */
  sampleRateHz: number;
  /** True beat times in seconds (drawn as vertical rules); optional. */
  beatTimesS?: readonly number[];
  /** True heart rate in bpm (title). */
  hrBpm?: number | null;
  /** True HRV (SD of beat intervals) in seconds (title). */
  hrvS?: number | null;
  /** Title prefix (default 'Sample synthetic heartbeat signal'). */
  title?: string;
  /** Plot width and height in px. */
  widthPx?: number;
  heightPx?: number;
}

/** Format a title suffix like "(HR 72.31 bpm, HRV 0.0213 s)", skipping missing parts. */
export function hrHrvLabel(hrBpm?: number | null, hrvS?: number | null): string {
  const parts: string[] = [];
  if (hrBpm != null && Number.isFinite(hrBpm)) parts.push(`HR ${hrBpm.toFixed(2)} bpm`);
  if (hrvS != null && Number.isFinite(hrvS)) parts.push(`HRV ${hrvS.toFixed(4)} s`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Vega-lite spec (without config) of a signal with its true beats. */
export function signalChart(input: SignalChartInput): VlSpec {
  const points = decimateMinMax(input.samples, input.sampleRateHz);
  const durationS = input.samples.length / input.sampleRateHz;
  const beats = (input.beatTimesS ?? []).filter((t) => t >= 0 && t <= durationS).map((tS) => ({ tS, series: 'true beat' }));
  const x = { field: 'tS', type: 'quantitative', title: 'Time [s]', scale: { domain: [0, durationS], nice: false } };
  const layers: VlSpec[] = [
    {
      data: { values: points },
      mark: { type: 'line', strokeWidth: 0.8, color: COLORS.signal, clip: true },
      encoding: { x, y: { field: 'v', type: 'quantitative', title: 'Amplitude [a.u.]' } },
    },
  ];
  if (beats.length > 0) {
    layers.push({
      data: { values: beats },
      mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1, opacity: 0.8 },
      encoding: {
        x,
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: ['true beat'], range: [COLORS.truth] },
          legend: { orient: 'top-right', symbolType: 'stroke' },
        },
      },
    });
  }
  return {
    title: `${input.title ?? 'Sample synthetic heartbeat signal'}${hrHrvLabel(input.hrBpm, input.hrvS)}`,
    width: input.widthPx ?? CHART_WIDTH_PX,
    height: input.heightPx ?? CHART_HEIGHT_PX,
    layer: layers,
  };
}
