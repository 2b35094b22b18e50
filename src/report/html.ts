/**
 * The self-contained report page: one HTML string with inline CSS and the plots inlined as
 * PNG data URIs (no scripts, no external resources). Browser-safe.
 */
import type { PredictionRow, RunData, TargetMetrics } from './runFolder.js';
import { describe, pairMetrics } from './stats.js';
import { runHrLabel, trueHr } from './runCharts.js';

/** A rendered plot to place in the report, or a missing one with its reason. */
export interface ReportFigure {
  name: string;
  title: string;
  caption: string;
  /** `data:image/png;base64,…`, or null when missing. */
  pngDataUri: string | null;
  /** PNG size in CSS pixels (the PNG is rendered at 2×). */
  widthPx?: number;
  heightPx?: number;
  missing?: string;
}

/** Escape text for HTML. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Format a number with `digits` significant digits for tables; null/NaN → '—'. */
export function fmt(x: unknown, digits = 4): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

function table(headers: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function note(text: string): string {
  return `<p class="note">${esc(text)}</p>`;
}

/** Flatten nested config into dotted keys → display strings. */
export function flattenConfig(obj: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    const entries = Object.entries(obj as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.push([prefix, '{}']);
    for (const [k, v] of entries) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    let text = Array.isArray(obj) ? JSON.stringify(obj) : String(obj);
    if (text.length > 200) text = `${text.slice(0, 200)}… (${text.length} characters)`;
    out.push([prefix, text]);
  }
  return out;
}

const TARGETS: { key: string; label: string; unit: string }[] = [
  { key: 'hr_bpm', label: 'HR, interval-based (60 / mean RR)', unit: 'bpm' },
  { key: 'hr_count_bpm', label: 'HR, count-based (beats in the window)', unit: 'bpm' },
  { key: 'hrv_s', label: 'HRV (SD of RR intervals)', unit: 's' },
];

function predColumn(preds: readonly PredictionRow[], key: string, est: 'cnn' | 'classical'): { truth: (number | null)[]; pred: (number | null)[] } {
  const truth = preds.map((p) => (key === 'hr_bpm' ? p.hrBpm : key === 'hr_count_bpm' ? p.hrCountBpm : p.hrvS));
  const pred = preds.map((p) => (key === 'hrv_s' ? (est === 'cnn' ? p.hrvPredS : p.classicalHrvS) : est === 'cnn' ? p.hrPredBpm : p.classicalHrBpm));
  return { truth, pred };
}

function metricsSection(run: RunData): { html: string; classicalAvailable: boolean } {
  const m = run.metrics;
  const preds = run.predictions;
  const label = runHrLabel(run);
  const rows: string[][] = [];
  let computed = false;
  const classicalAvailable = !!(m?.classical && typeof m.classical === 'object') || (!m && !!preds?.some((p) => p.classicalHrBpm !== null));
  for (const est of ['cnn', 'classical'] as const) {
    if (est === 'classical' && !classicalAvailable) continue;
    for (const t of TARGETS) {
      let tm: Partial<TargetMetrics> | undefined = (est === 'cnn' ? m?.cnn : m?.classical ?? undefined)?.[t.key];
      let n: number | null = null;
      if (!tm && preds) {
        const c = predColumn(preds, t.key, est);
        const pm = pairMetrics(c.truth, c.pred);
        if (pm.n > 0) {
          tm = { ...pm };
          n = pm.n;
          computed = true;
        }
      }
      if (!tm) continue;
      const isLabel = t.key === label || (t.key === 'hrv_s');
      rows.push([
        est === 'cnn' ? 'CNN' : 'classical',
        `${esc(t.label)}${est === 'cnn' && isLabel ? ' <span class="tag">trained on</span>' : ''}`,
        esc(t.unit),
        fmt(tm.mae),
        fmt(tm.rmse),
        fmt(tm.r, 3),
        fmt(tm.bias),
        `${fmt(tm.loaLow)} … ${fmt(tm.loaHigh)}`,
        n === null ? (typeof tm.n === 'number' ? String(tm.n) : '') : String(n),
      ]);
    }
  }
  let html = '';
  if (rows.length === 0) html += note('No test metrics: metrics.json and predictions.csv are both missing or empty.');
  else {
    html += table(['Estimator', 'Target', 'Unit', 'MAE', 'RMSE', 'Pearson r', 'Bias', '95 % limits of agreement', 'n'], rows, 'num');
    if (computed) html += note('Some metrics were not in metrics.json and were computed here from predictions.csv.');
  }
  if (m?.test) {
    html += `<p>Model evaluation on the test set (the seed's <code>model.evaluate</code>): loss ${fmt(m.test.loss)}, HR MAE ${fmt(m.test.hrMae)} bpm, HRV MAE ${fmt(m.test.hrvMae)} s.</p>`;
  }
  return { html, classicalAvailable };
}

function comparisonSection(run: RunData, classicalAvailable: boolean): string {
  const m = run.metrics;
  if (!classicalAvailable) {
    return note(
      m && m.classical === null
        ? 'The classical estimator’s results are unavailable for this run (metrics.classical is null).'
        : 'The classical estimator’s results are unavailable for this run.',
    );
  }
  const label = runHrLabel(run);
  const preds = run.predictions ?? [];
  const got = preds.filter((p) => p.classicalHrBpm !== null).length;
  const pick = (est: 'cnn' | 'classical', key: string) => {
    const v = (est === 'cnn' ? m?.cnn : m?.classical ?? undefined)?.[key]?.mae;
    if (typeof v === 'number') return v;
    const c = predColumn(preds, key, est);
    return pairMetrics(c.truth, c.pred).mae;
  };
  const rows = [label, 'hrv_s'].map((key) => {
    const t = TARGETS.find((x) => x.key === key)!;
    const a = pick('cnn', key);
    const b = pick('classical', key);
    const better = Number.isFinite(a) && Number.isFinite(b) ? (a < b ? 'CNN' : a > b ? 'classical' : 'tie') : '—';
    return [esc(t.label), esc(t.unit), fmt(a), fmt(b), better];
  });
  let html = table(['Target', 'Unit', 'CNN MAE', 'Classical MAE', 'Lower error'], rows, 'num');
  if (preds.length) html += `<p>The classical estimator (beat detection on the same test signals, no training) gave an HR for ${got} of ${preds.length} test signals; its errors are over those signals only.</p>`;
  return html;
}

function datasetSection(run: RunData): string {
  const meta = run.datasetMeta;
  let html = '';
  if (meta) {
    const keys: [string, string][] = [
      ['n', 'signals'],
      ['nSamples', 'samples per signal'],
      ['sampleRateHz', 'sample rate [Hz]'],
      ['durationS', 'duration [s]'],
      ['seed', 'seed'],
      ['rng', 'random generator'],
      ['dtype', 'sample type'],
    ];
    const rows = keys.filter(([k]) => meta[k] !== undefined).map(([k, l]) => [esc(l), esc(String(meta[k]))]);
    if (run.metrics?.nTrain !== undefined) rows.push(['training signals', esc(String(run.metrics.nTrain))]);
    if (run.metrics?.nTest !== undefined) rows.push(['test signals', esc(String(run.metrics.nTest))]);
    html += table(['Property', 'Value'], rows);
  }
  if (run.labels) {
    const cols: [string, string][] = [
      ['hr_bpm', 'HR, interval-based [bpm]'],
      ['hr_count_bpm', 'HR, count-based [bpm]'],
      ['hrv_s', 'HRV [s]'],
      ['n_beats', 'beats per signal'],
      ['snr_db', 'SNR [dB]'],
    ];
    const rows = cols
      .filter(([k]) => run.labels![k])
      .map(([k, l]) => {
        const d = describe(run.labels![k]!);
        return [esc(l), fmt(d.min), fmt(d.median), fmt(d.mean), fmt(d.max)];
      });
    html += `<h3>Labels</h3>${table(['Label', 'Min', 'Median', 'Mean', 'Max'], rows, 'num')}`;
  }
  if (!html) html = note('No dataset information (data/dataset.json and data/labels.csv are missing).');
  return html;
}

function firstTenSection(run: RunData): string {
  const preds = run.predictions;
  if (!preds || preds.length === 0) return note('No predictions.csv: the table of true and predicted values is not available.');
  const label = runHrLabel(run);
  const cls = preds.some((p) => p.classicalHrBpm !== null || p.classicalHrvS !== null);
  const headers = ['#', 'Signal', `True HR [bpm]`, 'Predicted HR [bpm]', ...(cls ? ['Classical HR [bpm]'] : []), 'True HRV [s]', 'Predicted HRV [s]', ...(cls ? ['Classical HRV [s]'] : []), 'SNR [dB]'];
  const fixed = (x: number | null, d: number) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const rows = preds.slice(0, 10).map((p, i) => [
    String(i + 1),
    fmt(p.index),
    fixed(trueHr(p, label), 2),
    fixed(p.hrPredBpm, 2),
    ...(cls ? [fixed(p.classicalHrBpm, 2)] : []),
    fixed(p.hrvS, 4),
    fixed(p.hrvPredS, 4),
    ...(cls ? [fixed(p.classicalHrvS, 4)] : []),
    fixed(p.snrDb, 1),
  ]);
  return `${table(headers, rows, 'num')}<p class="small">True HR here is the ${label === 'hr_bpm' ? 'interval-based' : 'count-based'} label the model was trained on.</p>`;
}

function figure(f: ReportFigure): string {
  if (!f.pngDataUri) return `<h3>${esc(f.title)}</h3>${note(`Not available: ${f.missing ?? 'missing data'}.`)}`;
  const size = f.widthPx && f.heightPx ? ` width="${Math.round(f.widthPx)}" height="${Math.round(f.heightPx)}"` : '';
  return `<figure id="fig-${esc(f.name)}"><h3>${esc(f.title)}</h3><img src="${f.pngDataUri}" alt="${esc(f.title)}"${size}><figcaption>${esc(f.caption)} <span class="small">(plots/${esc(f.name)}.png, .svg)</span></figcaption></figure>`;
}

const CSS = `
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;margin:0 auto;max-width:1400px;padding:1em 2em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em} h3{font-size:1.05em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em} th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3} table.num td{text-align:right} table.num td:first-child,table.num td:nth-child(2){text-align:left}
img{max-width:100%;height:auto;display:block} figure{margin:1em 0} figcaption{font-size:.9em;color:#444;max-width:60em}
pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.8em} .note{background:#fff7e0;border-left:4px solid #f0b400;padding:.4em .8em}
.small{font-size:.85em;color:#666} .tag{font-size:.75em;background:#e8f0fe;padding:0 .3em;border-radius:3px} nav a{margin-right:1em}
.kpi{display:flex;gap:1.5em;flex-wrap:wrap} .kpi div{background:#f3f6fa;padding:.5em 1em;border-radius:4px} .kpi b{font-size:1.3em;display:block}
`;

/** Inputs of {@link reportHtml}. */
export interface ReportHtmlInput {
  run: RunData;
  figures: ReportFigure[];
  /** Package version that wrote the report. */
  version?: string;
}

/** The real-recordings section of a `run --signal pcg --real DIR` (empty for other runs). */
function realSection(run: RunData, figureHtml: string): string {
  const real = run.real;
  if (!real) return '';
  const methods = (real.methods ?? {}) as Record<string, { hrMaeBpm?: number | null; hrWithin5Bpm?: number; sdnnMaeMs?: number | null; noEstimate?: number }>;
  const rows = Object.entries(methods).map(([name, m]) => [
    esc(name),
    m.hrMaeBpm === null || m.hrMaeBpm === undefined ? '—' : fmt(m.hrMaeBpm, 3),
    m.hrWithin5Bpm === undefined ? '—' : `${(100 * m.hrWithin5Bpm).toFixed(1)} %`,
    m.sdnnMaeMs === null || m.sdnnMaeMs === undefined ? '—' : fmt(m.sdnnMaeMs, 3),
    esc(String(m.noEstimate ?? 0)),
  ]);
  const cls = (run.realism?.classifier ?? {}) as { accuracy?: number; windows?: number };
  return `<h2 id="real">Real recordings</h2>
<p>The CNN trained on simulated heart sounds, the classical detector and the windows’ own mean (an oracle baseline) on the ${esc(String(real.windows))} fully annotated 5 s windows of ${esc(String(real.recordings))} real recordings (<code>${esc(String(real.data ?? ''))}</code>; validation only). HR and HRV (SDNN, ms) per window against the annotation.</p>
${table(['Method', 'HR MAE [bpm]', 'within 5 bpm', 'SDNN MAE [ms]', 'no number'], rows)}
${typeof cls.accuracy === 'number' ? `<p>Realism: a logistic-regression classifier on 18 spectral/envelope features tells real from simulated 5 s windows with <b>${(100 * cls.accuracy).toFixed(1)} %</b> accuracy (${esc(String(cls.windows ?? ''))} windows, 5-fold CV by recording; 50 % = indistinguishable). Timing and band figures: <code>realism.json</code>.</p>` : ''}
${figureHtml}`;
}

/** Build the report page. */
export function reportHtml({ run, figures, version }: ReportHtmlInput): string {
  const m = run.metrics;
  const fig = (name: string) => figures.filter((f) => f.name === name).map(figure).join('');
  const { html: metricsHtml, classicalAvailable } = metricsSection(run);
  const runName = run.dir.split(/[\\/]/).filter(Boolean).pop() ?? run.dir;
  const epochs = run.history?.length ?? m?.epochs;
  const epochSeconds = (run.history ?? []).map((h) => h.seconds).filter((s): s is number => typeof s === 'number');
  const kpis: string[] = [];
  const label = runHrLabel(run);
  const hrMae = m?.cnn?.[label]?.mae ?? m?.test?.hrMae;
  const hrvMae = m?.cnn?.hrv_s?.mae ?? m?.test?.hrvMae;
  if (typeof hrMae === 'number') kpis.push(`<div>CNN HR MAE<b>${fmt(hrMae)} bpm</b></div>`);
  if (typeof hrvMae === 'number') kpis.push(`<div>CNN HRV MAE<b>${fmt(hrvMae)} s</b></div>`);
  const cHr = m?.classical?.[label]?.mae;
  if (typeof cHr === 'number') kpis.push(`<div>Classical HR MAE<b>${fmt(cHr)} bpm</b></div>`);
  if (typeof m?.trainSeconds === 'number') kpis.push(`<div>Training time<b>${fmt(m.trainSeconds, 3)} s</b></div>`);
  if (typeof m?.nTest === 'number') kpis.push(`<div>Test signals<b>${m.nTest}</b></div>`);

  const training: string[][] = [];
  if (m?.mode !== undefined) training.push(['mode', esc(m.mode)]);
  if (m?.backend !== undefined) training.push(['TensorFlow.js backend', esc(m.backend)]);
  if (typeof m?.backendDescription === 'string') training.push(['backend details', esc(m.backendDescription)]);
  if (typeof m?.engine === 'string') training.push(['training engine', esc(m.engine)]);
  if (typeof m?.stoppedBy === 'string') training.push(['stopped by', esc(m.stoppedBy)]);
  if (epochs !== undefined) training.push(['epochs', esc(String(epochs))]);
  if (typeof m?.trainSeconds === 'number') training.push(['training time [s]', fmt(m.trainSeconds, 4)]);
  if (epochSeconds.length) training.push(['median epoch time [s]', fmt(describe(epochSeconds).median, 3)]);
  if (typeof m?.params === 'number') training.push(['trainable parameters', esc(m.params.toLocaleString('en-US'))]);
  const last = run.history?.[run.history.length - 1];
  if (last) {
    for (const [k, l] of [
      ['val_hr_output_mae', 'final validation HR MAE [bpm]'],
      ['val_hrv_output_mae', 'final validation HRV MAE [s]'],
    ] as const) {
      if (typeof last[k] === 'number') training.push([l, fmt(last[k])]);
    }
  }
  const configRows = run.config ? flattenConfig(run.config).map(([k, v]) => [`<code>${esc(k)}</code>`, esc(v)]) : [];
  const preRows = run.preprocess ? flattenConfig(run.preprocess).map(([k, v]) => [`<code>${esc(k)}</code>`, esc(v)]) : [];

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hrv-audio run report: ${esc(runName)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>hrv-audio run report</h1>
<p class="small">Run folder <code>${esc(runName)}</code>${version ? ` · report by hrv-audio ${esc(version)}` : ''}. Heart rate (HR) and heart-rate variability (HRV) estimated from synthetic heartbeat audio by the seed’s two-headed CNN on spectrograms, compared with a classical beat detector.</p>
<nav><a href="#summary">Summary</a><a href="#config">Configuration</a><a href="#dataset">Dataset</a><a href="#model">Model</a><a href="#training">Training</a><a href="#metrics">Metrics</a><a href="#plots">Plots</a><a href="#first10">First 10</a><a href="#classical">Classical</a>${run.real ? '<a href="#real">Real recordings</a>' : ''}${run.notes.length ? '<a href="#notes">Notes</a>' : ''}</nav>
<h2 id="summary">Summary</h2>
${kpis.length ? `<div class="kpi">${kpis.join('')}</div>` : note('No metrics in this run folder.')}
${run.notes.length ? note(`This run folder is incomplete: ${run.notes.length} piece(s) missing — see Notes at the end.`) : ''}
<h2 id="config">Configuration</h2>
${configRows.length ? table(['Option', 'Value'], configRows) : note('config.json is missing: the run configuration is unknown.')}
<h2 id="dataset">Dataset</h2>
${datasetSection(run)}
${fig('signal')}
${fig('spectrogram')}
<h2 id="model">Model</h2>
${typeof m?.params === 'number' ? `<p>${esc(m.params.toLocaleString('en-US'))} trainable parameters.</p>` : ''}
${m?.modelSummary ? `<pre>${esc(m.modelSummary)}</pre>` : note('No model summary in metrics.json.')}
${preRows.length ? `<h3>Preprocessing (model/preprocess.json)</h3>${table(['Field', 'Value'], preRows)}` : ''}
<h2 id="training">Training</h2>
${training.length ? table(['Property', 'Value'], training) : note('No training information.')}
${fig('history')}
<h2 id="metrics">Test metrics</h2>
${metricsHtml}
<h2 id="plots">Agreement and errors</h2>
${fig('pred-vs-true')}
${fig('bland-altman')}
${fig('error-buckets')}
<h2 id="first10">First 10 test signals: true vs predicted</h2>
${firstTenSection(run)}
<h2 id="classical">Comparison with the classical estimator</h2>
${comparisonSection(run, classicalAvailable)}
${realSection(run, fig('real-vs-simulated'))}
${run.notes.length ? `<h2 id="notes">Notes</h2><ul>${run.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body>
</html>
`;
}
