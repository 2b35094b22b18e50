import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/program.js';
import { runEstimate } from '../src/cli/commands/estimate.js';
import { simulateDataset } from '../src/signal/simulate.js';
import { writeWav, encodeWav } from '../src/node/files/wav.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-estcli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/**
 * Run the CLI in-process for its exit status and stderr (stdout is left alone: under
 * `node --test` it carries the test reports). Output is checked through `runEstimate`.
 */
async function cli(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const ew = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(['node', 'hrv-audio', ...args]);
    return { code, err };
  } finally {
    process.stderr.write = ew;
  }
}

const DEFAULTS = { signal: 'auto', convention: 'heartpy', method: 'classical' };

const [sig] = simulateDataset({ n: 1, seed: 9, durationS: 20, hrMinBpm: 65, hrMaxBpm: 65, snrMinDb: 20, snrMaxDb: 20 });
const wav = join(tmp, 'pulse.wav');
const peak = Math.max(...Array.from(sig!.samples, Math.abs));
writeWav(wav, Float64Array.from(sig!.samples, (v) => (0.8 * v) / peak), 1000);

test('estimate FILE --json prints one object with the documented fields', async () => {
  const out = await runEstimate(wav, { ...DEFAULTS, json: true });
  const j = JSON.parse(out) as Record<string, unknown>;
  for (const k of ['heartRateBpm', 'beatTimesS', 'rrS', 'sdnnMs', 'rmssdMs', 'sdsdMs', 'pnn20', 'pnn50', 'sd1Ms', 'sd2Ms', 'madMs', 'durationS', 'sampleRateHz', 'method', 'quality']) {
    assert.ok(k in j, `missing ${k}`);
  }
  assert.equal(j.method, 'classical');
  assert.equal(j.signalType, 'pulse');
  assert.ok(Math.abs((j.heartRateBpm as number) - sig!.hrBpm) < 0.5);
  assert.equal(out.trim().split('\n').length, 1);
  // JSON and text agree: trusted ⇔ verdict good|fair, and the text shows the same verdict.
  assert.equal(j.verdict, 'good');
  assert.equal(j.trusted, true);
  const text = await runEstimate(wav, { ...DEFAULTS });
  assert.match(text, new RegExp(`verdict: +${String(j.verdict)}`));
});

test('estimate FILE: human summary with the quality statement', async () => {
  const out = await runEstimate(wav, { ...DEFAULTS, signal: 'pulse', convention: 'neurokit' });
  assert.match(out, /heart rate: +\d+\.\d bpm/);
  assert.match(out, /verdict: +good/);
  assert.match(out, /quality: +\d\.\d\d/);
  assert.match(out, /neurokit convention/);
});

test('estimate --window --hop --csv: one row per window', async () => {
  const out = await runEstimate(wav, { ...DEFAULTS, window: 10, hop: 5, csv: true });
  const lines = out.trim().split('\n');
  assert.equal(lines[0], 'start_s,end_s,heart_rate_bpm,sdnn_ms,rmssd_ms,n_beats,quality,verdict');
  assert.equal(lines.length, 1 + 3);
  assert.equal(lines[1]!.split(',').length, 8);
  assert.equal(lines[1]!.split(',')[7], 'good');
  assert.match(lines[3]!, /^10\.000,20\.000,/);
});

test('input errors: one line on stderr, exit 2', async () => {
  const junk = join(tmp, 'junk.wav');
  writeFileSync(junk, 'RIFF....WAVEnope');
  const short = join(tmp, 'short.wav');
  writeFileSync(short, encodeWav(new Float32Array(1000), 1000));
  const low = join(tmp, 'low.wav');
  writeFileSync(low, encodeWav(new Float32Array(4000), 200));
  const cases: Array<[string[], RegExp]> = [
    [['estimate', join(tmp, 'nope.wav')], /no such file/],
    [['estimate', junk], /WAV/],
    [['estimate', short], /too short/],
    [['estimate', low], /too low/],
    [['estimate', wav, '--window-csv'], /--window/],
    [['estimate', wav, '--json', '--csv'], /choose one/],
    [['estimate', wav, '--signal', 'ecg'], /--signal/],
    [['estimate', wav, '--window', 'abc'], /--window/],
    [['estimate', wav, '--model', join(tmp, 'm')], /--model/], // --method cnn alone uses the shipped models/cnn
  ];
  for (const [args, re] of cases) {
    const r = await cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});

test('--method cnn: a clear one-line error when the model (or the model API) is missing', async () => {
  const r = await cli('estimate', wav, '--method', 'cnn', '--model', join(tmp, 'no-model'));
  assert.notEqual(r.code, 0);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /CNN method requires|no-model|model/);
});

test('the hrv-audio process: exit 0 and one JSON line on stdout', () => {
  const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'estimate', wav, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { method: string }).method, 'classical');
});
