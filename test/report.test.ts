import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  adler32,
  applyColormap,
  blandAltmanStats,
  bucketAbsErrors,
  colormapTable,
  crc32,
  decimateMinMax,
  encodePng,
  historyChart,
  NotARunFolderError,
  nodeDeflate,
  pairMetrics,
  predVsTrueChart,
  readNpyRow,
  readRunFolder,
  recordingFigure,
  renderChart,
  signalChart,
  spectrogramChart,
  writeRecordingPlot,
  writeReport,
  zlibStored,
} from '../src/report/index.js';
import { historyFromJson, predictionsFromCsv } from '../src/report/runFolder.js';
import { writeFakeRun, lcg } from './report-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-report-test-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Decode a PNG written by encodePng (filter type 0 rows only): width, height, channels, pixels. */
function decodeSimplePng(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  let o = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  while (o < png.length) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    const data = png.subarray(o + 8, o + 8 + len);
    assert.equal(view.getUint32(o + 8 + len), crc32(png, o + 4, o + 8 + len), `CRC of ${type}`);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      channels = png[o + 17] === 6 ? 4 : 3;
    }
    if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (stride + 1)], 0, 'filter type 0');
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, pixels };
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

test('encodePng round-trips RGB and RGBA pixels, stored and deflated', () => {
  const rnd = lcg(3);
  for (const channels of [3, 4] as const) {
    const w = 37;
    const h = 11;
    const px = Uint8Array.from({ length: w * h * channels }, () => Math.floor(rnd() * 256));
    for (const deflate of [undefined, nodeDeflate]) {
      const d = decodeSimplePng(encodePng(px, w, h, channels, deflate));
      assert.equal(d.width, w);
      assert.equal(d.height, h);
      assert.equal(d.channels, channels);
      assert.deepEqual(d.pixels, px);
    }
  }
  assert.throws(() => encodePng(new Uint8Array(5), 2, 2), RangeError);
  assert.throws(() => encodePng(new Uint8Array(0), 0, 1), RangeError);
});

test('zlibStored is a valid zlib stream across block boundaries; adler32 matches a direct sum', () => {
  const data = Uint8Array.from({ length: 70000 }, (_, i) => (i * 31) % 251);
  assert.deepEqual(new Uint8Array(inflateSync(zlibStored(data))), data);
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  assert.equal(adler32(data), ((b << 16) | a) >>> 0);
});

test('colormap: ends of the range map to the scheme ends, clamps, NaN is grey', () => {
  const t = colormapTable('viridis');
  const rgb = applyColormap([0, 10, -5, 20, NaN], 0, 10);
  assert.deepEqual([...rgb.subarray(0, 3)], [...t.subarray(0, 3)]);
  assert.deepEqual([...rgb.subarray(3, 6)], [...t.subarray(765, 768)]);
  assert.deepEqual([...rgb.subarray(6, 9)], [...t.subarray(0, 3)]);
  assert.deepEqual([...rgb.subarray(9, 12)], [...t.subarray(765, 768)]);
  assert.deepEqual([...rgb.subarray(12, 15)], [128, 128, 128]);
  // viridis runs from dark purple to yellow
  assert.ok(t[0]! < 100 && t[2]! > t[1]!);
  assert.ok(t[765]! > 200 && t[766]! > 200 && t[767]! < 100);
  assert.throws(() => colormapTable('no-such-scheme'));
});

test('decimateMinMax keeps every extreme and bounds the point count', () => {
  const rnd = lcg(9);
  const x = Float64Array.from({ length: 100000 }, () => rnd() * 2 - 1);
  x[54321] = 5;
  x[777] = -7;
  const pts = decimateMinMax(x, 1000, 500);
  assert.ok(pts.length <= 1000);
  assert.ok(pts.some((p) => p.v === 5 && Math.abs(p.tS - 54.321) < 1e-9));
  assert.ok(pts.some((p) => p.v === -7 && Math.abs(p.tS - 0.777) < 1e-9));
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i]!.tS >= pts[i - 1]!.tS, 'time order');
  assert.equal(decimateMinMax([1, 2, 3], 10).length, 3);
});

test('pairMetrics and blandAltmanStats agree with hand-computed values', () => {
  // d = pred − truth = [1, 0, 2, 0] (the null pair is skipped)
  const truth = [1, 2, 3, 4, 5];
  const pred = [2, 2, 5, 4, null];
  const m = pairMetrics(truth, pred);
  assert.equal(m.n, 4);
  assert.equal(m.bias, 0.75);
  assert.equal(m.mae, 0.75);
  assert.ok(Math.abs(m.rmse - Math.sqrt(5 / 4)) < 1e-12);
  const sd = Math.sqrt((0.25 ** 2 + 2 * 0.75 ** 2 + 1.25 ** 2) / 3); // deviations from the bias 0.75
  assert.ok(Math.abs(m.loaHigh - (0.75 + 1.96 * sd)) < 1e-12);
  const ba = blandAltmanStats({ name: 'CNN', truth, pred });
  assert.equal(ba.n, 4);
  assert.ok(Math.abs(ba.sd - sd) < 1e-12);
  assert.ok(Math.abs(ba.loaLow - (0.75 - 1.96 * sd)) < 1e-12);
});

test('bucketAbsErrors groups by equal-width buckets and skips missing predictions', () => {
  const snr = [5, 7, 12, 14.9, 24];
  const truth = [60, 60, 60, 60, 60];
  const pred = [61, 63, null, 50, 60];
  const b = bucketAbsErrors(snr, truth, pred, 5, 'dB', 'CNN');
  assert.deepEqual(
    b.map((x) => [x.lo, x.hi, x.n, x.meanAbsErr, x.medianAbsErr]),
    [
      [5, 10, 2, 2, 2],
      [10, 15, 1, 10, 10],
      [20, 25, 1, 0, 0],
    ],
  );
  assert.match(b[1]!.bucket, /10–15 dB \(n=2\)/);
  assert.throws(() => bucketAbsErrors(snr, truth, pred, 0, 'dB', 'CNN'), RangeError);
});

test('spectrogramChart embeds a PNG with one pixel per bin, highest frequency on top', async () => {
  const nFreq = 5;
  const nTime = 4;
  const sxx = Float64Array.from({ length: nFreq * nTime }, (_, i) => 10 ** (Math.floor(i / nTime) + (i % nTime) / 10));
  const spec = spectrogramChart({ sxx, nFreq, nTime, freqsHz: [0, 10, 20, 30, 40], timesS: [0.5, 1, 1.5, 2], deflate: nodeDeflate });
  const url = JSON.stringify(spec).match(/data:image\/png;base64,([A-Za-z0-9+/=]+)/)![1]!;
  const img = decodeSimplePng(Buffer.from(url, 'base64'));
  assert.equal(img.width, nTime);
  assert.equal(img.height, nFreq);
  const t = colormapTable('viridis');
  // top-right pixel = highest frequency, last time = the maximum → last colour; bottom-left = minimum
  assert.deepEqual([...img.pixels.subarray((nTime - 1) * 3, nTime * 3)], [...t.subarray(765, 768)]);
  assert.deepEqual([...img.pixels.subarray((nFreq - 1) * nTime * 3, (nFreq - 1) * nTime * 3 + 3)], [...t.subarray(0, 3)]);
  const r = await renderChart(spec as Parameters<typeof renderChart>[0], { pngScale: 1 });
  assert.deepEqual(r.warnings, []);
  assert.match(r.svg, /Frequency \[Hz\]/);
  assert.match(r.svg, /Intensity \[dB\]/);
  assert.match(r.svg, /<image[^>]+href="data:image\/png;base64,/);
  assert.throws(() => spectrogramChart({ sxx, nFreq: 4, nTime, freqsHz: [0, 1, 2, 3], timesS: [0, 1, 2, 3] }), RangeError);
});

test('charts render to SVG and PNG without vega warnings, with unit-bearing axis titles', async () => {
  const rnd = lcg(5);
  const x = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i / 10) + 0.1 * rnd());
  const hist = Array.from({ length: 3 }, (_, e) => ({ epoch: e + 1, hr_output_loss: 100 / (e + 1), val_hr_output_loss: 120 / (e + 1), hrv_output_loss: 1e-3, val_hrv_output_loss: 2e-3, hr_output_mae: 9, val_hr_output_mae: 10, hrv_output_mae: 0.01, val_hrv_output_mae: 0.012 }));
  const cases: [string, object, RegExp[]][] = [
    ['signal', signalChart({ samples: x, sampleRateHz: 400, beatTimesS: [1, 2], hrBpm: 60, hrvS: 0.01 }), [/Time \[s\]/, /Amplitude \[a\.u\.\]/, /HR 60\.00 bpm, HRV 0\.0100 s/]],
    ['history', historyChart(hist), [/Loss \[bpm²\]/, /MAE \[s\]/, /Epoch/]],
    ['scatter', predVsTrueChart({ name: 'HR', unit: 'bpm' }, [{ name: 'CNN', truth: [60, 70, 80], pred: [61, 69, null] }]), [/True HR \[bpm\]/, /Predicted HR \[bpm\]/]],
    ['recording', recordingFigure({ samples: x, sampleRateHz: 400, envelope: x.map(Math.abs), detectedBeatsS: [1, 2, 3], annotatedBeatsS: [1.01, 2.01, 3.01] }), [/RR interval \[ms\]/, /annotated beat/, /Frequency \[Hz\]/]],
  ];
  for (const [name, spec, patterns] of cases) {
    const r = await renderChart(spec as Parameters<typeof renderChart>[0], { pngScale: 1 });
    assert.deepEqual(r.warnings, [], `${name}: vega warnings`);
    for (const p of patterns) assert.match(r.svg, p, `${name}: ${p}`);
    assert.ok(!/NaN/.test(r.svg), `${name}: NaN in SVG`);
    const size = pngSize(r.png);
    assert.deepEqual(size, { width: r.widthPx, height: r.heightPx });
    assert.ok(size.width > 300 && size.height > 150, `${name}: PNG ${size.width}×${size.height}`);
    assert.match(r.svg, /font-family="DejaVu Sans"/);
  }
});

test('readNpyRow reads one row of a float32 .npy without reading the rest', () => {
  const dir = join(tmp, 'npy');
  const facts = writeFakeRun(dir, { n: 6 });
  const row = readNpyRow(join(dir, 'data', 'signals.npy'), 4);
  assert.deepEqual(row.shape, [6, facts.nSamples]);
  assert.deepEqual(row.data, facts.signals.subarray(4 * facts.nSamples, 5 * facts.nSamples));
  assert.throws(() => readNpyRow(join(dir, 'data', 'signals.npy'), 6), RangeError);
  assert.throws(() => readNpyRow(join(dir, 'data', 'labels.csv'), 0), /not a \.npy/);
});

test('history and predictions parsers accept the contract layouts', () => {
  const cols = historyFromJson({ loss: [3, 2], val_loss: [4, 3] })!;
  assert.deepEqual(cols, [
    { epoch: 1, loss: 3, val_loss: 4 },
    { epoch: 2, loss: 2, val_loss: 3 },
  ]);
  assert.deepEqual(historyFromJson({ epochs: [{ epoch: 5, loss: 1 }] }), [{ epoch: 5, loss: 1 }]);
  const p = predictionsFromCsv('index,hr_bpm,hr_pred_bpm,classical_hr_bpm\n3,60,61.5,\n');
  assert.equal(p[0]!.index, 3);
  assert.equal(p[0]!.hrPredBpm, 61.5);
  assert.equal(p[0]!.classicalHrBpm, null);
  assert.equal(p[0]!.hrvPredS, null);
  assert.throws(() => predictionsFromCsv('a,b\n1,2\n'), /hr_pred_bpm/);
});

test('writeReport: plots, a self-contained report.html with every section, same bytes twice', async () => {
  const dir = join(tmp, 'run');
  const facts = writeFakeRun(dir);
  const path = await writeReport(dir);
  assert.equal(path, join(dir, 'report.html'));
  const html = readFileSync(path, 'utf8');
  const names = ['signal', 'spectrogram', 'history', 'pred-vs-true', 'bland-altman', 'error-buckets'];
  for (const n of names) {
    assert.ok(existsSync(join(dir, 'plots', `${n}.png`)), `${n}.png`);
    assert.match(readFileSync(join(dir, 'plots', `${n}.svg`), 'utf8'), /^<svg/);
    assert.match(html, new RegExp(`id="fig-${n}"`));
  }
  // self-contained: every image inline, no external references, no scripts
  const srcs = [...html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]!);
  assert.equal(srcs.length, names.length);
  for (const s of srcs) assert.match(s, /^data:image\/png;base64,/);
  assert.ok(!/<script|<link|url\(|https?:\/\//i.test(html.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '')), 'no external resources');
  // inlined PNG = the file written
  const first = srcs[0]!.slice('data:image/png;base64,'.length);
  assert.deepEqual(Buffer.from(first, 'base64'), readFileSync(join(dir, 'plots', 'signal.png')));
  // sections and content
  for (const s of ['Configuration', 'Dataset', 'Model', 'Training', 'Test metrics', 'First 10 test signals', 'Comparison with the classical estimator']) {
    assert.ok(html.includes(s), `section ${s}`);
  }
  assert.ok(html.includes('HR, interval-based') && html.includes('HR, count-based'), 'both HR label definitions');
  assert.ok(html.includes('conv2d (Conv2D)'), 'model summary');
  assert.ok(html.includes('training.batchSize'), 'flattened configuration');
  const first10 = html.split('id="first10"')[1]!.split('</table>')[0]!;
  const rows = first10.match(/<tr><td>/g) ?? [];
  assert.equal(rows.length, Math.min(10, facts.preds.length));
  assert.ok(first10.includes(`<td>${facts.preds[0]!.hr_pred_bpm.toFixed(2)}</td>`), 'first prediction shown');
  assert.ok(!html.includes('unavailable'));
  // deterministic output
  const before = readdirSync(join(dir, 'plots')).map((f) => readFileSync(join(dir, 'plots', f)));
  await writeReport(dir);
  const after = readdirSync(join(dir, 'plots')).map((f) => readFileSync(join(dir, 'plots', f)));
  assert.deepEqual(after, before);
  assert.equal(readFileSync(path, 'utf8'), html);
});

test('writeReport tolerates missing pieces and says so; classical null → unavailable', async () => {
  const dir = join(tmp, 'partial');
  writeFakeRun(dir, { n: 12, classical: false, omit: ['history.json', 'history.csv', 'data/signals.npy', 'config.json'] });
  const html = readFileSync(await writeReport(dir), 'utf8');
  assert.match(html, /classical estimator’s results are unavailable for this run \(metrics\.classical is null\)/);
  assert.match(html, /No training history/);
  assert.match(html, /config\.json is missing/);
  assert.match(html, /signals\.npy is missing/);
  assert.ok(!existsSync(join(dir, 'plots', 'history.png')));
  assert.ok(!existsSync(join(dir, 'plots', 'signal.png')));
  assert.ok(existsSync(join(dir, 'plots', 'pred-vs-true.png')));
  assert.ok(!/Classical HR \[bpm\]/.test(html), 'no classical column when there are no classical values');
  const run = readRunFolder(dir);
  assert.equal(run.history, null);
  assert.equal(run.sample, null);
  assert.ok(run.notes.length >= 3);
});

test('writeReport on something that is not a run folder fails clearly', async () => {
  await assert.rejects(writeReport(join(tmp, 'does-not-exist')), (e: Error) => e instanceof NotARunFolderError && /does not exist/.test(e.message));
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'notes.txt'), 'hello');
  await assert.rejects(writeReport(empty), (e: Error) => e instanceof NotARunFolderError && /not a run folder/.test(e.message) && /hrv-audio run --out/.test(e.message));
  await assert.rejects(writeReport(join(empty, 'notes.txt')), (e: Error) => e instanceof NotARunFolderError && /not a folder/.test(e.message));
});

test('writeRecordingPlot writes a PNG and an SVG', async () => {
  const fs = 2000;
  const x = Float32Array.from({ length: fs * 4 }, (_, i) => Math.exp(-(((i % 1600) - 100) ** 2) / 800) * Math.sin(i / 3));
  const out = await writeRecordingPlot({ samples: x, sampleRateHz: fs, detectedBeatsS: [0.05, 0.85, 1.65, 2.45, 3.25], outPng: join(tmp, 'rec', 'r.png'), outSvg: join(tmp, 'rec', 'r.svg'), pngScale: 1 });
  assert.deepEqual(pngSize(readFileSync(out.png)), { width: out.widthPx, height: out.heightPx });
  assert.match(readFileSync(out.svg!, 'utf8'), /RR tachogram/);
});

test('normalizeSvgIds renumbers generated ids consistently', async () => {
  const { normalizeSvgIds } = await import('../src/report/render.js');
  const svg = '<g clip-path="url(#clip7)"><clipPath id="clip7"/><clipPath id="clip9"/><rect fill="url(#gradient_3)"/><linearGradient id="gradient_3"/><g clip-path="url(#clip9)"/></g>';
  assert.equal(
    normalizeSvgIds(svg),
    '<g clip-path="url(#clip0)"><clipPath id="clip0"/><clipPath id="clip1"/><rect fill="url(#gradient_0)"/><linearGradient id="gradient_0"/><g clip-path="url(#clip1)"/></g>',
  );
});

test('error-bucket panels with different bucket counts keep each bar pair inside its own bucket', async () => {
  const { buildRunCharts } = await import('../src/report/runCharts.js');
  const dir = join(tmp, 'buckets');
  writeFakeRun(dir, { n: 100 });
  const chart = buildRunCharts(readRunFolder(dir)).find((c) => c.name === 'error-buckets')!;
  const svg = (await renderChart(chart.spec!, { pngScale: 1 })).svg;
  const bars = [...svg.matchAll(/<path aria-label="([^":]+): ([^";]+); Mean \|error\| \[([^\]"]+)\]: [^";]+; estimator: (\w+)" role="graphics-symbol" aria-roledescription="bar" d="M([\d.]+),[\d.]+h([\d.]+)/g)].map((m) => ({
    panel: `${m[1]} ${m[3]}`,
    bucket: m[2]!,
    estimator: m[4]!,
    x: Number(m[5]),
    w: Number(m[6]),
  }));
  const panels = new Map<string, Set<string>>();
  for (const b of bars) panels.set(b.panel, (panels.get(b.panel) ?? new Set()).add(b.bucket));
  assert.deepEqual([...panels.keys()].sort(), ['SNR bucket bpm', 'SNR bucket s', 'True HR bucket bpm', 'True HR bucket s']);
  assert.notEqual(panels.get('SNR bucket bpm')!.size, panels.get('True HR bucket bpm')!.size, 'the fixture must give different bucket counts');
  for (const b of bars.filter((x) => x.estimator === 'classical')) {
    const cnn = bars.find((x) => x.estimator === 'CNN' && x.panel === b.panel && x.bucket === b.bucket)!;
    assert.ok(Math.abs(b.x - (cnn.x + cnn.w)) < 1e-6, `${b.panel} ${b.bucket}: classical bar right next to the CNN bar`);
    assert.ok(b.x + b.w <= 300 + 1e-6, `${b.panel} ${b.bucket}: inside the plot`);
  }
});
