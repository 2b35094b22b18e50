import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlot } from '../src/cli/commands/plot.js';
import { runReport } from '../src/cli/commands/report.js';
import { UsageError } from '../src/cli/errors.js';
import { writeFakeRun } from './report-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-plot-test-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const WAV = new URL('../fixtures/pcg/84802_AV.wav', import.meta.url).pathname;
const TSV = new URL('../fixtures/pcg/84802_AV.tsv', import.meta.url).pathname;

test('plot: a PCG recording with annotations → PNG and SVG with waveform, spectrogram and tachogram', async () => {
  const out = join(tmp, 'av.png');
  const line = await runPlot(WAV, { out, svg: true, annotations: TSV });
  assert.match(line, /^wrote .*av\.png \(\d+×\d+ px\) and .*av\.svg\n$/);
  const png = readFileSync(out);
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const svg = readFileSync(join(tmp, 'av.svg'), 'utf8');
  const s1Rows = readFileSync(TSV, 'utf8')
    .split('\n')
    .filter((l) => l.trim().split(/\s+/)[2] === '1').length;
  assert.match(svg, new RegExp(`, ${s1Rows} annotated`));
  for (const t of ['Time [s]', 'Amplitude [a.u.]', 'Frequency [Hz]', 'Intensity [dB]', 'RR interval [ms]', 'detected beat', 'annotated beat', 'envelope (scaled)']) {
    assert.ok(svg.includes(t), t);
  }
  assert.match(svg, /HR \d+\.\d bpm/);
});

test('plot: input errors are UsageErrors with one-line messages', async () => {
  const bad: [string, Parameters<typeof runPlot>[1], RegExp][] = [
    [join(tmp, 'missing.wav'), { out: join(tmp, 'x.png') }, /no such file/],
    [WAV, { out: join(tmp, 'x.jpg') }, /\.png/],
    [WAV, { out: join(tmp, 'x.png'), signal: 'ecg' }, /--signal/],
    [WAV, { out: join(tmp, 'x.png'), annotations: join(tmp, 'none.tsv') }, /annotation file/],
  ];
  const notWav = join(tmp, 'not.wav');
  writeFileSync(notWav, 'hello, not audio');
  bad.push([notWav, { out: join(tmp, 'x.png') }, /not\.wav/]);
  for (const [file, opts, re] of bad) {
    await assert.rejects(runPlot(file, opts), (e: Error) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n'), `${file} ${JSON.stringify(opts)}`);
  }
  assert.ok(!existsSync(join(tmp, 'x.png')));
});

test('report command: writes the report, and a non-run folder is a usage error', async () => {
  const dir = join(tmp, 'run');
  writeFakeRun(dir, { n: 10 });
  const line = await runReport(dir);
  assert.match(line, /^wrote .*report\.html/);
  assert.ok(existsSync(join(dir, 'report.html')));
  assert.equal(await runReport(dir, { quiet: true }), `${join(dir, 'report.html')}\n`);
  await assert.rejects(runReport(join(tmp, 'nope')), (e: Error) => e instanceof UsageError && /does not exist/.test(e.message));
});
