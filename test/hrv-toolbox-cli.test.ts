import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateDataset } from '../src/signal/simulate.js';
import { estimate } from '../src/hrv/estimate.js';
import { hrvMeasures, HRV_FIELD_KEYS, HRV_FIELDS } from '../src/hrv/measures/index.js';
import { parseRrText } from '../src/hrv/rrText.js';
import { runHrvText } from '../src/cli/commands/hrv.js';
import { simulateRrSeries } from '../src/signal/rrSeries.js';
import { InputError } from '../src/errors.js';

function pulses(seed: number, durationS: number) {
  return simulateDataset({ n: 1, seed, durationS, sampleRateHz: 500, hrMinBpm: 70, hrMaxBpm: 70, hrvMinS: 0.03, hrvMaxS: 0.03, snrMinDb: 15, snrMaxDb: 15 })[0]!;
}

test('estimate carries the frequency and non-linear fields once the recording is long enough', async () => {
  const s = pulses(5, 330);
  const r = await estimate(s.samples, 500, { signal: 'pulse' });
  const truth = hrvMeasures(s.beatTimesS.slice(1).map((t, i) => t - s.beatTimesS[i]!));
  for (const k of ['vlfMs2', 'lfMs2', 'hfMs2', 'lfHf', 'sampEn', 'dfaAlpha1', 'dfaAlpha2'] as const) {
    assert.ok(r[k] !== null, `${k}: ${r.hrvNullReasons[k]}`);
    // detection jitter (a few ms) adds white noise: entropies move most
    const tol = k === 'sampEn' ? 0.2 : 0.1;
    assert.ok(Math.abs(r[k]! - truth[k]!) <= tol * Math.abs(truth[k]!), `${k}: ${r[k]} vs truth ${truth[k]}`);
  }
  const short = await estimate(pulses(6, 40).samples, 500, { signal: 'pulse' });
  assert.ok(short.sdnnMs !== null);
  assert.equal(short.lfMs2, null);
  assert.match(short.hrvNullReasons.lfMs2!, /LF needs about 2 min/);
  assert.equal(short.hfMs2, null);
  assert.equal(short.dfaAlpha1, null);
  assert.match(short.hrvNullReasons.dfaAlpha1!, /at least 64/);
});

test('parseRrText: one column in ms or s, beat times, Polar-style and Kubios-style tables', () => {
  const ms = parseRrText('812\n790\n845\n830\n');
  assert.deepEqual([ms.kind, ms.unit], ['rr', 'ms']);
  assert.deepEqual(ms.rrS, [0.812, 0.79, 0.845, 0.83]);
  assert.match(ms.description, /RR intervals in ms .*median 821/);
  const s = parseRrText('# exported\n0.812\n0.790\n0.845\n');
  assert.deepEqual([s.kind, s.unit], ['rr', 's']);
  const beats = parseRrText('0.5\n1.3\n2.1\n2.95\n');
  assert.equal(beats.kind, 'beats');
  assert.deepEqual(beats.rrEndTimesS, [1.3, 2.1, 2.95]);
  assert.ok(Math.abs(beats.rrS[2]! - 0.85) < 1e-12);
  const polar = parseRrText('Phone timestamp;RR-interval [ms]\n2024-01-01T10:00:00.000;812\n2024-01-01T10:00:00.800;790\n2024-01-01T10:00:01.600;845\n');
  assert.deepEqual([polar.kind, polar.unit, polar.column], ['rr', 'ms', 'RR-interval [ms]']);
  assert.match(polar.description, /kind from the header; unit from the header/);
  const kubios = parseRrText('Time (s)\tRR (s)\n0,812\t0,812\n1,602\t0,790\n2,447\t0,845\n');
  assert.deepEqual([kubios.kind, kubios.unit], ['rr', 's']);
  assert.deepEqual(kubios.rrS, [0.812, 0.79, 0.845]);
  const forced = parseRrText('Time (s)\tRR (s)\n0,812\t0,812\n1,602\t0,790\n2,447\t0,845\n', { column: '1' });
  assert.equal(forced.kind, 'beats');
});

test('parseRrText: bad input is a one-line InputError', () => {
  assert.throws(() => parseRrText('hello\nworld\n'), InputError);
  assert.throws(() => parseRrText('812\nabc\n830\n'), /line 2: 'abc'/);
  assert.throws(() => parseRrText('a,b\n1,2\n3,4\n'), /choose one with --column/);
  assert.throws(() => parseRrText('812\n790\n', { unit: 's' }), /outside 0.2–3 s/);
  assert.throws(() => parseRrText('812\n0\n790\n'), /RR interval 2 is 0/);
  assert.throws(() => parseRrText('812\n790\n', { column: 'rr' }), /no column named 'rr'/);
});

test('hrv command: same field names in --json as estimate, CSV from the field table, duration reasons in text', async () => {
  const rr = simulateRrSeries({ durationS: 320, seed: 3 });
  const text = rr.map((r) => Math.round(r * 1000)).join('\n');
  const json = JSON.parse(runHrvText(text, 'rr.txt', { json: true })) as Record<string, unknown>;
  for (const k of HRV_FIELD_KEYS) assert.ok(k in json, k);
  assert.equal((json.source as { unit: string }).unit, 'ms');
  assert.ok(typeof json.lfMs2 === 'number' && typeof json.vlfMs2 === 'number');
  const est = await estimate(pulses(5, 30).samples, 500, { signal: 'pulse' });
  for (const k of HRV_FIELD_KEYS) assert.ok(k in est, `estimate lacks ${k}`);
  const csv = runHrvText(text, 'rr.txt', { csv: true }).trim().split('\n');
  assert.equal(csv[0], HRV_FIELDS.map((f) => f.csv).join(','));
  assert.equal(csv[1]!.split(',').length, HRV_FIELDS.length);
  const short = runHrvText(rr.slice(0, 100).map((r) => r.toFixed(3)).join('\n'), 'short.txt', {});
  assert.match(short, /RR intervals in s/);
  assert.match(short, /VLF\s+—\s+\(VLF needs about 5 min/);
  const win = runHrvText(text, 'rr.txt', { csv: true, window: 60 }).trim().split('\n');
  assert.equal(win[0], 'start_s,end_s,heart_rate_bpm,sdnn_ms,rmssd_ms,n_beats,quality');
  assert.equal(win.length, 1 + 5);
  assert.throws(() => runHrvText(text, 'rr.txt', { convention: 'kubios' }), /--convention/);
});

test('hrv --clean drops an artefact and the spectrum sees the gap', () => {
  const rr = simulateRrSeries({ durationS: 200, seed: 4 });
  rr.splice(100, 1, rr[100]! / 2, rr[100]! / 2); // an extra beat
  const text = rr.map((r) => Math.round(r * 1000)).join('\n');
  const out = JSON.parse(runHrvText(text, 'x', { json: true, clean: true })) as { notes: string[]; nIntervals: number; missingFraction: number };
  assert.match(out.notes[0]!, /2 of \d+ intervals rejected/);
  assert.equal(out.nIntervals, rr.length - 2);
  assert.ok(out.missingFraction > 0 && out.missingFraction < 0.01);
});

test('hrv --plot writes a PNG (Poincaré, spectrum, trend); plot panels name the missing spectrum', async () => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { runHrv } = await import('../src/cli/commands/hrv.js');
  const { hrvFigurePanels } = await import('../src/report/hrvFigure.js');
  const dir = mkdtempSync(join(tmpdir(), 'hrvx-'));
  try {
    const rr = simulateRrSeries({ durationS: 200, seed: 8 });
    const out = join(dir, 'hrv.png');
    await runHrv(rr.map((r) => r.toFixed(3)).join('\n'), 'rr.txt', { window: 60, plot: out });
    assert.deepEqual([...readFileSync(out).subarray(1, 4)], [0x50, 0x4e, 0x47]);
    await assert.rejects(runHrv('800\n810\n', 'x', { plot: join(dir, 'x.jpg') }), /--plot must name a .png/);
    const short = JSON.stringify(hrvFigurePanels(rr.slice(0, 40)));
    assert.match(short, /RR power spectrum: HF needs about 60 s/);
    assert.match(short, /Poincaré plot \(SD1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hrv CLI: stdin, exit status 2 and one line for bad input', async () => {
  const { spawnSync } = await import('node:child_process');
  const cli = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const ok = spawnSync(process.execPath, ['--import', 'tsx', cli, 'hrv', '-', '--json'], { input: '812\n790\n845\n830\n', encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { nIntervals: number }).nIntervals, 4);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', cli, 'hrv', '-'], { input: '812\nabc\n', encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /line 2: 'abc'/);
});
