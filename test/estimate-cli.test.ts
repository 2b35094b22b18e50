import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/program.js';
import { simulateDataset } from '../src/signal/simulate.js';
import { writeWav, encodeWav } from '../src/io/wav.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-estcli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Run the CLI in-process, capturing stdout / stderr. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(['node', 'hrv-audio', ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

const [sig] = simulateDataset({ n: 1, seed: 9, durationS: 20, hrMinBpm: 65, hrMaxBpm: 65, snrMinDb: 20, snrMaxDb: 20 });
const wav = join(tmp, 'pulse.wav');
const peak = Math.max(...Array.from(sig!.samples, Math.abs));
writeWav(wav, Float64Array.from(sig!.samples, (v) => (0.8 * v) / peak), 1000);

test('estimate FILE --json prints one object with the documented fields', async () => {
  const r = await cli('estimate', wav, '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as Record<string, unknown>;
  for (const k of ['heartRateBpm', 'beatTimesS', 'rrS', 'sdnnMs', 'rmssdMs', 'sdsdMs', 'pnn20', 'pnn50', 'sd1Ms', 'sd2Ms', 'madMs', 'durationS', 'sampleRateHz', 'method', 'quality']) {
    assert.ok(k in j, `missing ${k}`);
  }
  assert.equal(j.method, 'classical');
  assert.equal(j.signalType, 'pulse');
  assert.ok(Math.abs((j.heartRateBpm as number) - sig!.hrBpm) < 0.5);
  assert.equal(r.out.trim().split('\n').length, 1);
});

test('estimate FILE: human summary with the quality statement', async () => {
  const r = await cli('estimate', wav, '--signal', 'pulse', '--convention', 'neurokit');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /heart rate: +\d+\.\d bpm/);
  assert.match(r.out, /quality: +\d\.\d\d \(good\)/);
  assert.match(r.out, /neurokit convention/);
});

test('estimate --window --hop --csv: one row per window', async () => {
  const r = await cli('estimate', wav, '--window', '10', '--hop', '5', '--csv');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines[0], 'start_s,end_s,heart_rate_bpm,sdnn_ms,rmssd_ms,n_beats,quality');
  assert.equal(lines.length, 1 + 3);
  assert.equal(lines[1]!.split(',').length, 7);
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
    [['estimate', wav, '--csv'], /--window/],
    [['estimate', wav, '--signal', 'ecg'], /--signal/],
    [['estimate', wav, '--window', 'abc'], /--window/],
    [['estimate', wav, '--method', 'cnn'], /--model/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
