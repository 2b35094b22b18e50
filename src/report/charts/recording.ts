/**
 * Charts of a real recording analysed by the classical estimator: waveform with its envelope,
 * detected (and annotated) beats, and the RR tachogram. Browser-safe.
 */
import { CHART_HEIGHT_PX, CHART_WIDTH_PX, COLORS, type VlSpec } from '../theme.js';
import { decimateMinMax } from './decimate.js';

/** Input of {@link recordingChart}. */
export interface RecordingChartInput {
  samples: ArrayLike<number>;
  sampleRateHz: number;
  /** Envelope used for beat detection (any scale: drawn scaled to the waveform's peak). */
  envelope?: ArrayLike<number> | null;
  /** Envelope sampling rate in Hz (default sampleRateHz). */
  envelopeRateHz?: number;
  /** Detected beat times in seconds. */
  detectedBeatsS?: readonly number[];
  /** Reference (annotated) beat times in seconds. */
  annotatedBeatsS?: readonly number[] | null;
  /** Annotated stretches [startS, endS] (RR intervals are not drawn across their gaps). */
  annotatedSpansS?: readonly (readonly [number, number])[] | null;
  title?: string;
  widthPx?: number;
  heightPx?: number;
}

const SERIES = ['waveform', 'envelope (scaled)', 'detected beat', 'annotated beat'];
const SERIES_COLORS = [COLORS.signal, COLORS.envelope, COLORS.detected, COLORS.annotated];

function seriesColor(used: readonly string[]) {
  const domain = SERIES.filter((s) => used.includes(s));
  return {
    type: 'nominal',
    title: null,
    scale: { domain, range: domain.map((s) => SERIES_COLORS[SERIES.indexOf(s)]!) },
    legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke' },
  };
}

function peakAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > m && Number.isFinite(x[i]!)) m = Math.abs(x[i]!);
  return m;
}

/** Vega-lite spec (without config): waveform, scaled envelope, detected and annotated beats. */
export function recordingChart(input: RecordingChartInput): VlSpec {
  const durationS = input.samples.length / input.sampleRateHz;
  const x = { field: 'tS', type: 'quantitative', title: 'Time [s]', scale: { domain: [0, durationS], nice: false } };
  const used: string[] = ['waveform'];
  const layers: VlSpec[] = [];
  const wave = decimateMinMax(input.samples, input.sampleRateHz, 2000).map((p) => ({ ...p, series: 'waveform' }));
  layers.push({ data: { values: wave }, mark: { type: 'line', strokeWidth: 0.6, clip: true }, encoding: { x, y: { field: 'v', type: 'quantitative', title: 'Amplitude [a.u.]' } } });
  if (input.envelope && input.envelope.length > 0) {
    const peakW = peakAbs(input.samples) || 1;
    const peakE = peakAbs(input.envelope) || 1;
    const k = peakW / peakE;
    const env = decimateMinMax(input.envelope, input.envelopeRateHz ?? input.sampleRateHz, 2000).map((p) => ({ tS: p.tS, v: p.v * k, series: 'envelope (scaled)' }));
    used.push('envelope (scaled)');
    layers.push({ data: { values: env }, mark: { type: 'line', strokeWidth: 1.2, clip: true }, encoding: { x, y: { field: 'v', type: 'quantitative' } } });
  }
  const inRange = (t: number) => t >= 0 && t <= durationS;
  const detected = (input.detectedBeatsS ?? []).filter(inRange).map((tS) => ({ tS, series: 'detected beat' }));
  const annotated = (input.annotatedBeatsS ?? []).filter(inRange).map((tS) => ({ tS, series: 'annotated beat' }));
  if (annotated.length) {
    used.push('annotated beat');
    layers.push({ data: { values: annotated }, mark: { type: 'rule', strokeWidth: 1.5, strokeDash: [2, 2] }, encoding: { x } });
  }
  if (detected.length) {
    used.push('detected beat');
    layers.push({ data: { values: detected }, mark: { type: 'rule', strokeWidth: 1, opacity: 0.8, strokeDash: [5, 3] }, encoding: { x } });
  }
  const color = { field: 'series', ...seriesColor(used) };
  for (const l of layers) (l.encoding as Record<string, unknown>).color = color;
  return {
    title: input.title ?? `Recording: ${detected.length} detected beats${annotated.length ? `, ${annotated.length} annotated` : ''}`,
    width: input.widthPx ?? CHART_WIDTH_PX,
    height: input.heightPx ?? CHART_HEIGHT_PX,
    layer: layers,
  };
}

/**
 * RR intervals of consecutive beats: [{ tS: time of the later beat, rrMs, seg }]. With `spansS`
 * (annotated stretches [startS, endS]), an interval whose beats are not in the same stretch is
 * dropped and starts a new line segment `seg`.
 */
export function rrSeries(beatTimesS: readonly number[], spansS?: readonly (readonly [number, number])[] | null): { tS: number; rrMs: number; seg: number }[] {
  const out: { tS: number; rrMs: number; seg: number }[] = [];
  const spanOf = (t: number) => (spansS ? spansS.findIndex(([a, b]) => t >= a - 1e-9 && t <= b + 1e-9) : 0);
  let seg = 0;
  for (let i = 1; i < beatTimesS.length; i++) {
    const a = spanOf(beatTimesS[i - 1]!);
    if (a < 0 || a !== spanOf(beatTimesS[i]!)) {
      seg++;
      continue;
    }
    out.push({ tS: beatTimesS[i]!, rrMs: (beatTimesS[i]! - beatTimesS[i - 1]!) * 1000, seg });
  }
  return out;
}

/** Vega-lite spec (without config): RR tachogram of detected (and annotated) beats. */
export function tachogramChart(input: {
  detectedBeatsS: readonly number[];
  annotatedBeatsS?: readonly number[] | null;
  /** Annotated stretches [startS, endS]: annotated RR intervals are not drawn across their gaps. */
  annotatedSpansS?: readonly (readonly [number, number])[] | null;
  durationS?: number;
  title?: string;
  widthPx?: number;
  heightPx?: number;
}): VlSpec {
  const values = [
    ...rrSeries(input.detectedBeatsS).map((r) => ({ ...r, series: 'detected' })),
    ...rrSeries(input.annotatedBeatsS ?? [], input.annotatedSpansS).map((r) => ({ ...r, series: 'annotated' })),
  ];
  const domain = input.annotatedBeatsS?.length ? ['detected', 'annotated'] : ['detected'];
  return {
    title: input.title ?? 'RR tachogram',
    width: input.widthPx ?? CHART_WIDTH_PX,
    height: input.heightPx ?? 160,
    data: { values },
    mark: { type: 'line', point: { size: 16 }, strokeWidth: 1 },
    encoding: {
      x: {
        field: 'tS',
        type: 'quantitative',
        title: 'Time [s]',
        scale: input.durationS ? { domain: [0, input.durationS], nice: false } : { zero: false },
      },
      y: { field: 'rrMs', type: 'quantitative', title: 'RR interval [ms]', scale: { zero: false } },
      detail: { field: 'seg', type: 'ordinal' },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain, range: domain.map((d) => (d === 'detected' ? COLORS.detected : COLORS.annotated)) },
        legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke' },
      },
    },
  };
}

/** Waveform panel and tachogram stacked (independent colour legends). */
export function recordingWithTachogramChart(input: RecordingChartInput): VlSpec {
  const durationS = input.samples.length / input.sampleRateHz;
  return {
    vconcat: [
      recordingChart(input),
      tachogramChart({
        detectedBeatsS: input.detectedBeatsS ?? [],
        annotatedBeatsS: input.annotatedBeatsS ?? null,
        annotatedSpansS: input.annotatedSpansS ?? null,
        durationS,
        widthPx: input.widthPx,
      }),
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
