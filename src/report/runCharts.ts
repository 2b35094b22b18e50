/**
 * The charts of a run report, built from the run's data as vega-lite specs. Browser-safe
 * (takes already-read data; the file reading is in runFolder.ts).
 */
import { spectrogram, type SpectrogramOptions } from '../dsp/spectrogram.js';
import type { ZlibDeflate } from './png.js';
import type { VlSpec } from './theme.js';
import { signalChart } from './charts/signal.js';
import { spectrogramChart } from './charts/spectrogram.js';
import { historyChart } from './charts/history.js';
import { blandAltmanChart, predVsTrueChart, type AgreementSeries, type Quantity } from './charts/agreement.js';
import { bucketAbsErrors, errorBucketsChart, type ErrorBucket } from './charts/errorBuckets.js';
import { realVsSimulatedChart } from './charts/realVsSimulated.js';
import type { PredictionRow, RunData } from './runFolder.js';
import { hrLabelOf, type HrLabel } from '../model/preprocess.js';

/** A chart of the report: a spec to render, or the reason it is missing. */
export interface ReportChart {
  /** File stem under plots/, e.g. 'pred-vs-true'. */
  name: string;
  /** Heading in the report. */
  title: string;
  /** One-sentence description under the image. */
  caption: string;
  spec: VlSpec | null;
  /** Why the chart is not shown (when spec is null). */
  missing?: string;
}

/**
 * The HR label the model was trained on: metrics.hrLabel (or preprocess/config hrLabel) when
 * given, else from the mode ('faithful' → 'hr_count_bpm'), else 'hr_bpm' (interval-based).
 */
export function runHrLabel(run: Pick<RunData, 'preprocess' | 'config' | 'metrics'>): HrLabel {
  const candidates = [
    run.metrics?.hrLabel,
    run.preprocess?.hrLabel,
    run.preprocess?.hrLabelName,
    run.preprocess?.hr_label,
    run.config?.hrLabel,
    (run.config?.training as Record<string, unknown> | undefined)?.hrLabel,
  ];
  for (const c of candidates) {
    if (c === 'hr_count_bpm' || c === 'hrCountBpm' || c === 'count') return 'hr_count_bpm';
    if (c === 'hr_bpm' || c === 'hrBpm' || c === 'interval') return 'hr_bpm';
  }
  // the 'faithful' mode trains on the seed's count-based HR, 'improved' on the interval-based one
  const mode = run.metrics?.mode ?? run.preprocess?.mode ?? run.config?.mode ?? (run.config?.training as Record<string, unknown> | undefined)?.mode;
  return hrLabelOf(mode === 'faithful' ? 'faithful' : 'improved');
}

/** True HR of a prediction row for the given label. */
export function trueHr(row: PredictionRow, label: 'hr_bpm' | 'hr_count_bpm'): number | null {
  return label === 'hr_count_bpm' ? row.hrCountBpm : row.hrBpm;
}

const HR: Quantity = { name: 'HR', unit: 'bpm' };
const HRV: Quantity = { name: 'HRV', unit: 's' };

function hasClassical(preds: readonly PredictionRow[]): boolean {
  return preds.some((p) => p.classicalHrBpm !== null || p.classicalHrvS !== null);
}

function seriesOf(preds: readonly PredictionRow[], label: 'hr_bpm' | 'hr_count_bpm') {
  const hrTruth = preds.map((p) => trueHr(p, label) ?? NaN);
  const hrvTruth = preds.map((p) => p.hrvS ?? NaN);
  const hr: AgreementSeries[] = [{ name: 'CNN', truth: hrTruth, pred: preds.map((p) => p.hrPredBpm) }];
  const hrv: AgreementSeries[] = [{ name: 'CNN', truth: hrvTruth, pred: preds.map((p) => p.hrvPredS) }];
  if (hasClassical(preds)) {
    hr.push({ name: 'classical', truth: hrTruth, pred: preds.map((p) => p.classicalHrBpm) });
    hrv.push({ name: 'classical', truth: hrvTruth, pred: preds.map((p) => p.classicalHrvS) });
  }
  return { hr, hrv, hrTruth };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The real-versus-simulated chart of a `run --signal pcg --real DIR` (null for other runs). */
function realVsSimulated(run: RunData, label: 'hr_bpm' | 'hr_count_bpm'): ReportChart | null {
  const realism = run.realism;
  const rp = run.realPredictions;
  if (!realism || !rp) return null;
  const bands = (realism.bandFractionMedians ?? {}) as { real?: Record<string, number>; simulated?: Record<string, number> };
  const hr = (realism.hrBpm ?? {}) as { realWindows?: number[]; simulated?: number[] };
  const preds = run.predictions ?? [];
  const classifier = (realism.classifier ?? {}) as { accuracy?: number };
  const methods = ((run.real?.methods ?? {}) as Record<string, { hrMaeBpm?: number | null; sdnnMaeMs?: number | null }>);
  const mae = (name: string): string => {
    const m = methods[name];
    return m && num(m.hrMaeBpm) !== null ? `${num(m.hrMaeBpm)!.toFixed(2)} bpm` : '—';
  };
  const acc = num(classifier.accuracy);
  return {
    name: 'real-vs-simulated',
    title: 'Real versus simulated heart sounds',
    caption:
      `Left: median share of energy per band, real recordings (${String(run.realism?.realData ?? 'real folder')}) vs the simulated training windows. ` +
      'Middle: HR of the real annotated 5 s windows and of the simulated windows. ' +
      `Right: the CNN’s HR on the simulated test windows and on the real windows (dashed: identity). ` +
      `HR MAE on the real windows: CNN ${mae('cnn')}, classical ${mae('classical')}, the windows’ own mean ${mae('oracle mean')}. ` +
      (acc !== null ? `A classifier tells real from simulated windows with ${(100 * acc).toFixed(1)} % accuracy (50 % = indistinguishable).` : ''),
    spec: realVsSimulatedChart({
      bandsReal: bands.real ?? {},
      bandsSimulated: bands.simulated ?? {},
      hrRealBpm: hr.realWindows ?? [],
      hrSimulatedBpm: hr.simulated ?? [],
      cnnSimulated: { truth: preds.map((p) => trueHr(p, label) ?? NaN), pred: preds.map((p) => p.hrPredBpm) },
      cnnReal: { truth: (rp.hr_bpm ?? []).map((v) => v ?? NaN), pred: rp.cnn_hr_bpm ?? [] },
    }),
  };
}

/** Options of {@link buildRunCharts}. */
export interface RunChartOptions {
  /** zlib compressor for the spectrogram image (Node: zlib.deflateSync). */
  deflate?: ZlibDeflate;
}

/** Build every chart of the run report (specs, or the reason each is missing). */
export function buildRunCharts(run: RunData, opts: RunChartOptions = {}): ReportChart[] {
  const charts: ReportChart[] = [];
  const label = runHrLabel(run);
  const labelText = label === 'hr_bpm' ? 'interval-based HR (60 / mean RR)' : 'count-based HR (beats per minute counted)';
  const s = run.sample;
  charts.push({
    name: 'signal',
    title: 'Sample signal',
    caption: `Signal ${s?.index ?? 0} of the dataset with its true beat times (dashed), as in the seed notebook.`,
    spec: s ? signalChart({ samples: s.samples, sampleRateHz: s.sampleRateHz, beatTimesS: s.beatTimesS ?? undefined, hrBpm: s.hrBpm, hrvS: s.hrvS }) : null,
    ...(s ? {} : { missing: 'the dataset signals are not available' }),
  });
  let spec: VlSpec | null = null;
  let missing: string | undefined = s ? undefined : 'the dataset signals are not available';
  if (s) {
    try {
      const o = (run.spectrogramOptions ?? {}) as Record<string, unknown>;
      const pick = <T>(k: string): T | undefined => (o[k] === undefined || o[k] === null ? undefined : (o[k] as T));
      const specOpts: SpectrogramOptions = {
        sampleRateHz: s.sampleRateHz,
        nperseg: pick('nperseg'),
        noverlap: pick('noverlap'),
        nfft: pick('nfft'),
        window: typeof o.window === 'string' && o.window !== 'custom' ? (o.window as SpectrogramOptions['window']) : undefined,
        tukeyAlpha: pick('tukeyAlpha'),
        detrend: pick('detrend'),
        scaling: pick('scaling'),
      };
      const sp = spectrogram(s.samples, specOpts);
      spec = spectrogramChart({ ...sp, title: `Spectrogram of signal ${s.index} (${sp.nFreq} × ${sp.nTime} bins)`, deflate: opts.deflate });
    } catch (err) {
      missing = `the spectrogram could not be computed: ${(err as Error).message}`;
    }
  }
  charts.push({
    name: 'spectrogram',
    title: 'Spectrogram of the sample signal',
    caption: 'Power spectral density in dB (10·log10) of the same signal, with the dataset’s spectrogram settings: the CNN’s input.',
    spec,
    ...(missing ? { missing } : {}),
  });
  charts.push({
    name: 'history',
    title: 'Learning curves',
    caption: 'Training and validation loss (mean squared error, log scale) and mean absolute error per epoch, for the HR and HRV heads, in label units.',
    spec: run.history ? historyChart(run.history) : null,
    ...(run.history ? {} : { missing: 'no training history in this run folder' }),
  });
  const rvs = realVsSimulated(run, label);
  if (rvs) charts.push(rvs);
  const preds = run.predictions;
  if (!preds || preds.length === 0) {
    const why = 'no predictions.csv in this run folder';
    for (const [name, title] of [
      ['pred-vs-true', 'Predicted vs true'],
      ['bland-altman', 'Bland–Altman agreement'],
      ['error-buckets', 'Absolute error by SNR and by HR'],
    ]) {
      charts.push({ name: name!, title: title!, caption: '', spec: null, missing: why });
    }
    return charts;
  }
  const { hr, hrv, hrTruth } = seriesOf(preds, label);
  charts.push({
    name: 'pred-vs-true',
    title: 'Predicted vs true',
    caption: `Test set: predicted against true ${labelText} and HRV (SD of RR intervals); dashed: identity line.`,
    spec: { hconcat: [predVsTrueChart(HR, hr), predVsTrueChart(HRV, hrv)] },
  });
  charts.push({
    name: 'bland-altman',
    title: 'Bland–Altman agreement',
    caption: 'Difference (predicted − true) against the mean of both; solid: bias, dashed: 95 % limits of agreement (bias ± 1.96 SD).',
    spec: { vconcat: [{ hconcat: hr.map((x) => blandAltmanChart(HR, x)) }, { hconcat: hrv.map((x) => blandAltmanChart(HRV, x)) }] },
  });
  const snr = preds.map((p) => p.snrDb ?? NaN);
  const byBucket = (cov: number[], width: number, unit: string, q: 'hr' | 'hrv'): ErrorBucket[] =>
    (q === 'hr' ? hr : hrv).flatMap((x) => bucketAbsErrors(cov, x.truth, x.pred, width, unit, x.name));
  const haveSnr = snr.some(Number.isFinite);
  const panels: VlSpec[] = [];
  if (haveSnr) {
    panels.push({
      resolve: { scale: { xOffset: 'independent' } },
      hconcat: [
        errorBucketsChart(byBucket(snr, 5, 'dB', 'hr'), { title: 'HR error by SNR', covariateTitle: 'SNR bucket', errorTitle: 'Mean |error| [bpm]' }),
        errorBucketsChart(byBucket(snr, 5, 'dB', 'hrv'), { title: 'HRV error by SNR', covariateTitle: 'SNR bucket', errorTitle: 'Mean |error| [s]' }),
      ],
    });
  }
  panels.push({
    resolve: { scale: { xOffset: 'independent' } },
    hconcat: [
      errorBucketsChart(byBucket(hrTruth, 10, 'bpm', 'hr'), { title: 'HR error by true HR', covariateTitle: 'True HR bucket', errorTitle: 'Mean |error| [bpm]' }),
      errorBucketsChart(byBucket(hrTruth, 10, 'bpm', 'hrv'), { title: 'HRV error by true HR', covariateTitle: 'True HR bucket', errorTitle: 'Mean |error| [s]' }),
    ],
  });
  charts.push({
    name: 'error-buckets',
    title: 'Absolute error by SNR and by HR',
    caption: `Mean absolute error per bucket of signal-to-noise ratio (5 dB wide) and of true HR (10 bpm wide); n = test signals in the bucket.${haveSnr ? '' : ' (No SNR column in predictions.csv: SNR buckets not shown.)'}`,
    // each panel has its own number of buckets: its bar offsets must not be shared
    spec: { vconcat: panels, resolve: { scale: { xOffset: 'independent' } } },
  });
  return charts;
}
