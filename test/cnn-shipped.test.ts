/**
 * The shipped real-audio seed CNN (models/cnn, issue 15): `estimate --method cnn` works without
 * `--model`, gives a plausible HR on a real recording (fixtures/pcg, CirCor, ODC-By) and no number
 * for silence or noise (the gate), and its bundle records the front end it was trained with.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWav } from '../src/node/files/wav.js';
import { FastRng } from '../src/signal/rng.js';

const root = mkdtempSync(join(tmpdir(), 'hrv-cnn-shipped-'));
after(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('models/cnn: a seed-CNN bundle with the per-window dB front end, trained on circor-train', () => {
  const b = JSON.parse(readFileSync('models/cnn/bundle.json', 'utf8'));
  assert.equal(b.architecture, 'seed-cnn');
  assert.equal(b.frontEnd.kind, 'spectrogram');
  assert.equal(b.frontEnd.sampleRateHz, 1000);
  assert.deepEqual(b.frontEnd.inputShape, [129, 38, 1]);
  assert.equal(b.frontEnd.transform.transform, 'db');
  assert.equal(b.frontEnd.transform.perWindow, true);
  assert.deepEqual(b.frontEnd.shiftsMs, [-96, -64, -32, 0, 32, 64, 96]); // the shift averaging it was chosen with
  assert.match(b.training.data, /circor-train/);
  assert.match(readFileSync('models/cnn/MODEL_CARD.md', 'utf8'), /ODC-By|Open Data Commons Attribution/);
});

test('estimate --method cnn without --model: the shipped CNN on a real recording (HR ≈ 105 bpm)', () => {
  const r = cli(['estimate', 'fixtures/pcg/85116_TV.wav', '--method', 'cnn', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.method, 'cnn');
  assert.ok(Math.abs(j.heartRateBpm - 105) < 12, String(j.heartRateBpm));
  assert.equal(j.details.nWindows, 2);
  assert.equal(j.signalType, 'pcg'); // the type its gate judged, not the CNN's own guess
  assert.deepEqual(j.details.shiftsMs, [-96, -64, -32, 0, 32, 64, 96]); // each window read seven times
  const text = cli(['estimate', 'fixtures/pcg/85116_TV.wav', '--method', 'cnn']);
  assert.match(text.out, /each read at 7 offsets \(-96…96 ms\) and averaged/);
  assert.match(text.out, /signal: +heart sounds, no beats \(HR and SDNN predicted per window\)/);
  assert.match(text.out, /HRV: +SDNN [\d.]+ ms \(predicted; RMSSD and the other beat-based measures need beats\)/);
  assert.doesNotMatch(text.out, /RMSSD +ms/); // no empty fields
  // a collection's one line a file: — for what the CNN does not give
  const two = cli(['estimate', 'fixtures/pcg/85116_TV.wav', 'fixtures/pcg/68377_PV.wav', '--method', 'cnn']);
  assert.equal(two.code, 0, two.err);
  assert.match(two.out, /85116_TV\.wav: [\d.]+ bpm, SDNN [\d.]+ ms, RMSSD —, verdict good/);
});

test('estimate --method cnn: silence and white noise get no number (the gate)', () => {
  const silence = join(root, 'silence.wav');
  const noise = join(root, 'noise.wav');
  writeWav(silence, new Float64Array(4000 * 12), 4000);
  const rng = new FastRng(7);
  writeWav(noise, Float64Array.from({ length: 4000 * 12 }, () => 0.3 * (2 * rng.random() - 1)), 4000);
  for (const f of [silence, noise]) {
    const r = cli(['estimate', f, '--method', 'cnn', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.heartRateBpm, null, f);
    assert.equal(j.trusted, false, f);
  }
});
