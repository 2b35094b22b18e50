/**
 * Report benchmark: milliseconds per chart (median of repeats) for the run report's charts,
 * split into vega-lite→SVG and SVG→PNG (resvg, 2×), the whole writeReport, and the `plot`
 * figure of a 20 s PCG recording. Uses the deterministic fake run folder of the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFakeRun } from '../test/report-fixture.js';
import { buildRunCharts, nodeDeflate, readRunFolder, recordingFigure, renderSvg, svgToPng, writeReport } from '../src/report/index.js';
import { readWav } from '../src/node/files/wav.js';
import { estimate } from '../src/hrv/estimate.js';

const REPEATS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'hrv-bench-report-'));
  try {
    writeFakeRun(dir, { n: 100, epochs: 20 });
    const runData = readRunFolder(dir);
    await renderSvg({ mark: 'point', data: { values: [{ a: 1 }] }, encoding: { x: { field: 'a', type: 'quantitative' } } }); // warm-up
    const build: number[] = [];
    for (let r = 0; r < REPEATS; r++) build.push(await time(() => buildRunCharts(runData, { deflate: nodeDeflate })));
    const charts: Record<string, { svgMs: number; pngMs: number; totalMs: number }> = {};
    for (const c of buildRunCharts(runData, { deflate: nodeDeflate })) {
      if (!c.spec) continue;
      const svg: number[] = [];
      const png: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        let s = '';
        svg.push(await time(async () => (s = await renderSvg(c.spec!))));
        png.push(await time(() => svgToPng(s, 2)));
      }
      const row = { svgMs: median(svg), pngMs: median(png), totalMs: 0 };
      row.totalMs = row.svgMs + row.pngMs;
      charts[c.name] = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Math.round(v * 10) / 10])) as typeof row;
    }
    const report: number[] = [];
    for (let r = 0; r < 3; r++) report.push(await time(() => writeReport(dir)));
    const wavPath = new URL('../fixtures/pcg/84802_AV.wav', import.meta.url).pathname;
    const audio = readWav(wavPath);
    const est = estimate(audio.samples, audio.sampleRateHz, { returnEnvelope: true });
    const fig: number[] = [];
    for (let r = 0; r < 3; r++) {
      fig.push(
        await time(async () => {
          const spec = recordingFigure({ samples: audio.samples, sampleRateHz: audio.sampleRateHz, envelope: est.envelope?.values, envelopeRateHz: est.envelope?.sampleRateHz, detectedBeatsS: est.beatTimesS, deflate: nodeDeflate });
          svgToPng(await renderSvg(spec), 2);
        }),
      );
    }
    const perChart = Object.values(charts).map((c) => c.totalMs);
    return {
      repeats: REPEATS,
      note: 'per chart: svgMs = vega-lite compile + vega toSVG, pngMs = resvg at 2×; buildSpecsMs = all six specs (incl. the sample spectrogram and its PNG); medians',
      buildSpecsMs: Math.round(median(build) * 10) / 10,
      charts,
      medianChartMs: Math.round(median(perChart) * 10) / 10,
      writeReportMs: Math.round(median(report)),
      recordingFigure: { file: 'fixtures/pcg/84802_AV.wav', durationS: Math.round(audio.durationS * 10) / 10, ms: Math.round(median(fig)) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
