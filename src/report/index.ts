/**
 * Report layer (Node-side): plots (PNG + SVG) and the self-contained HTML report of a run
 * folder, and the `plot` figure of a recording. The chart-spec builders (charts/, runCharts,
 * recordingPlot, html, png, colormap) are browser-safe; writeReport/writeRecordingPlot and
 * render.ts use Node.
 */
import { deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../node/files/atomicWrite.js';
import { packageVersion } from '../node/files/packageVersion.js';
import { readRunFolder } from './runFolder.js';
import { buildRunCharts } from './runCharts.js';
import { reportHtml, type ReportFigure } from './html.js';
import { renderChart } from './render.js';
import { pngDataUri, type ZlibDeflate } from './png.js';
import { recordingFigure, type RecordingFigureInput } from './recordingPlot.js';
import type { VlSpec } from './theme.js';

export { renderChart, renderSvg, svgToPng, normalizeSvgIds, shippedFontFiles, type RenderedChart, type RenderOptions } from './render.js';
export { readRunFolder, readNpyRow, NotARunFolderError, type RunData, type RunMetrics, type PredictionRow, type SampleSignal, type TargetMetrics } from './runFolder.js';
export { buildRunCharts, runHrLabel, type ReportChart } from './runCharts.js';
export { reportHtml, type ReportFigure } from './html.js';
export { encodePng, pngDataUri, zlibStored, crc32, adler32 } from './png.js';
export { applyColormap, colormapTable } from './colormap.js';
export { chartConfig, withConfig, CHART_FONT, type VlSpec } from './theme.js';
export { pairMetrics, describe as describeValues } from './stats.js';
export { signalChart, type SignalChartInput } from './charts/signal.js';
export { spectrogramChart, powerToDb, type SpectrogramChartInput } from './charts/spectrogram.js';
export { historyChart, type HistoryRow } from './charts/history.js';
export { predVsTrueChart, blandAltmanChart, blandAltmanStats, type AgreementSeries, type BlandAltmanStats, type Quantity } from './charts/agreement.js';
export { bucketAbsErrors, errorBucketsChart, type ErrorBucket } from './charts/errorBuckets.js';
export { recordingChart, tachogramChart, recordingWithTachogramChart, rrSeries, type RecordingChartInput } from './charts/recording.js';
export { recordingFigure, recordingSpectrogramSettings, type RecordingFigureInput } from './recordingPlot.js';
export { decimateMinMax } from './charts/decimate.js';
export { poincareChart, rrSpectrumChart, hrvTrendChart } from './charts/hrv.js';

/** Node's zlib deflate as a {@link ZlibDeflate} (level 9: small, deterministic output). */
export const nodeDeflate: ZlibDeflate = (data) => new Uint8Array(deflateSync(data, { level: 9 }));

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
  /** Called with a short message as each plot is written. */
  onProgress?: (message: string) => void;
}

/**
 * Write `plots/*.png`, `plots/*.svg` and the self-contained `report.html` of a run folder
 * (layout in docs/CONTRACTS.md). Missing optional pieces become notes in the report.
 * @returns the absolute path of report.html
 * @throws NotARunFolderError when `runDir` is not a run folder
 */
export async function writeReport(runDir: string, options: WriteReportOptions = {}): Promise<string> {
  const run = readRunFolder(runDir);
  const charts = buildRunCharts(run, { deflate: nodeDeflate });
  const scale = options.pngScale ?? 2;
  const figures: ReportFigure[] = [];
  for (const c of charts) {
    if (!c.spec) {
      figures.push({ name: c.name, title: c.title, caption: c.caption, pngDataUri: null, missing: c.missing });
      continue;
    }
    try {
      const r = await renderChart(c.spec, { pngScale: scale });
      writeFileAtomic(join(run.dir, 'plots', `${c.name}.svg`), r.svg);
      writeFileAtomic(join(run.dir, 'plots', `${c.name}.png`), r.png);
      figures.push({ name: c.name, title: c.title, caption: c.caption, pngDataUri: pngDataUri(r.png), widthPx: r.widthPx / scale, heightPx: r.heightPx / scale });
      options.onProgress?.(`plots/${c.name}.png`);
    } catch (err) {
      const why = `rendering failed: ${(err as Error).message}`;
      run.notes.push(`Plot '${c.name}': ${why}.`);
      figures.push({ name: c.name, title: c.title, caption: c.caption, pngDataUri: null, missing: why });
    }
  }
  const path = join(run.dir, 'report.html');
  writeFileAtomic(path, reportHtml({ run, figures, version: packageVersion() }));
  return resolve(path);
}

/** Options of {@link writeRecordingPlot}. */
export interface WriteRecordingPlotOptions extends Omit<RecordingFigureInput, 'deflate'> {
  /** Output PNG path. */
  outPng: string;
  /** Also write the SVG at this path. */
  outSvg?: string;
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
}

/** Render the recording figure (waveform, envelope, beats, spectrogram, tachogram) to PNG (and SVG). */
export async function writeRecordingPlot(opts: WriteRecordingPlotOptions): Promise<{ png: string; svg?: string; widthPx: number; heightPx: number }> {
  const spec = recordingFigure({ ...opts, deflate: nodeDeflate });
  const r = await renderChart(spec, { pngScale: opts.pngScale ?? 2 });
  writeFileAtomic(opts.outPng, r.png);
  if (opts.outSvg) writeFileAtomic(opts.outSvg, r.svg);
  return { png: resolve(opts.outPng), ...(opts.outSvg ? { svg: resolve(opts.outSvg) } : {}), widthPx: r.widthPx, heightPx: r.heightPx };
}

/** Render any chart spec to PNG (and SVG) atomically; used by `hrv --plot`. */
export async function writeChart(spec: VlSpec, outPng: string, outSvg?: string, pngScale = 2): Promise<{ png: string; svg?: string; widthPx: number; heightPx: number }> {
  const r = await renderChart(spec, { pngScale });
  writeFileAtomic(outPng, r.png);
  if (outSvg) writeFileAtomic(outSvg, r.svg);
  return { png: resolve(outPng), ...(outSvg ? { svg: resolve(outSvg) } : {}), widthPx: r.widthPx, heightPx: r.heightPx };
}
