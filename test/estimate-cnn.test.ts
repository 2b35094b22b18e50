/** `estimate --method cnn` and predictRecording: a tiny trained model on a simulated recording. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '../src/signal/simulate.js';
import { readWav, writeWav } from '../src/node/files/wav.js';
import { loadModel } from '../src/node/files/modelStore.js';
import { initBackend } from '../src/model/backend.js';
import { mirroredSlice, predictRecording } from '../src/model/inference.js';
import { predict } from '../src/model/evaluate.js';
import { spectrogramBatch } from '../src/dsp/spectrogram.js';
import { resample } from '../src/dsp/resample.js';

const root = mkdtempSync(join(tmpdir(), 'hrv-estcnn-'));
after(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const runDir = join(root, 'run');
const [sig] = simulateDataset({ n: 1, seed: 11, durationS: 16 });
const peak = Math.max(...Array.from(sig!.samples, Math.abs));
const samples = Float64Array.from(sig!.samples, (v) => (0.8 * v) / peak);
const wav1k = join(root, 'pulse1k.wav');
writeWav(wav1k, samples, 1000);

test('a tiny model trains (run --n 16 --epochs 1)', () => {
  const r = cli(['run', '--out', runDir, '--n', '16', '--epochs', '1', '--batch-size', '8', '--workers', '1', '--no-report', '--no-classical', '--quiet']);
  assert.equal(r.code, 0, r.err);
});

test('predictRecording: windows of the model input, each equal to predict() on its spectrogram', async () => {
  await initBackend('cpu');
  const { model, preprocess } = await loadModel(join(runDir, 'model'));
  const x = Float32Array.from(samples);
  const p = predictRecording(model, preprocess, x, 1000);
  assert.equal(p.windowS, 4.992); // 256 + 37 × 128 samples at 1000 Hz
  assert.equal(p.windows.length, 3); // floor(16 / 4.992)
  const w = 1;
  const seg = x.subarray(4992 * w, 4992 * (w + 1));
  const spectra = spectrogramBatch(seg, 1, seg.length);
  const ref = predict(model, preprocess, spectra, [0]);
  assert.ok(Math.abs(p.windows[w]!.heartRateBpm - ref.hrPredBpm[0]!) < 1e-4);
  assert.ok(Math.abs(p.windows[w]!.hrvS - ref.hrvPredS[0]!) < 1e-7);
  const mean = p.windows.reduce((s, v) => s + v.heartRateBpm, 0) / p.windows.length;
  assert.ok(Math.abs(p.heartRateBpm - mean) < 1e-9);
  // another rate is resampled to the model's rate first
  const x4k = resample(x, 1000, 4000);
  const p4 = predictRecording(model, preprocess, x4k, 4000);
  assert.equal(p4.windows.length, 3);
  assert.throws(() => predictRecording(model, preprocess, x.subarray(0, 3000), 1000), /too short/);
});

test('mirroredSlice: inside the recording a view, outside mirrored without repeating the edge sample', () => {
  const x = Float32Array.from([0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(mirroredSlice(x, 1, 3)), [1, 2, 3]);
  assert.deepEqual(Array.from(mirroredSlice(x, -2, 4)), [2, 1, 0, 1]);
  assert.deepEqual(Array.from(mirroredSlice(x, 3, 4)), [3, 4, 3, 2]);
});

test('predictRecording with shiftsMs: each window is the mean of its reads at the offsets (mirrored at the ends)', async () => {
  await initBackend('cpu');
  const { model, preprocess } = await loadModel(join(runDir, 'model'));
  const x = Float32Array.from(samples);
  const shiftsMs = [-64, 0, 32];
  const p = predictRecording(model, preprocess, x, 1000, { shiftsMs });
  assert.equal(p.windows.length, 3);
  assert.deepEqual(p.shiftsMs, shiftsMs);
  assert.deepEqual(predictRecording(model, preprocess, x, 1000).shiftsMs, [0]);
  for (const w of [0, 2]) {
    const reads = shiftsMs.map((d) => {
      const seg = mirroredSlice(x, 4992 * w + d, 4992);
      return predict(model, preprocess, spectrogramBatch(seg, 1, seg.length), [0]);
    });
    const hr = reads.reduce((a, r) => a + r.hrPredBpm[0]!, 0) / reads.length;
    const hrv = reads.reduce((a, r) => a + r.hrvPredS[0]!, 0) / reads.length;
    assert.ok(Math.abs(p.windows[w]!.heartRateBpm - hr) < 1e-4, `window ${w}: ${p.windows[w]!.heartRateBpm} vs ${hr}`);
    assert.ok(Math.abs(p.windows[w]!.hrvS - hrv) < 1e-7);
  }
  // [0] is the plain read, bit for bit
  assert.deepEqual(predictRecording(model, preprocess, x, 1000, { shiftsMs: [0] }), predictRecording(model, preprocess, x, 1000));
  assert.throws(() => predictRecording(model, preprocess, x, 1000, { shiftsMs: [5000] }), /shorter than one window/);
  assert.throws(() => predictRecording(model, preprocess, x, 1000, { shiftsMs: [] }), /shorter than one window/);
});

test('estimate --method cnn --json on a WAV file', () => {
  const r = cli(['estimate', wav1k, '--method', 'cnn', '--model', join(runDir, 'model'), '--json']);
  assert.equal(r.code, 0, r.err);
  // one result shape for every method: the CNN's own numbers are in details (issue 13)
  const j = JSON.parse(r.out) as { method: string; heartRateBpm: number; details: { hrvMs: number; nWindows: number; windows: unknown[] } };
  assert.equal(j.method, 'cnn');
  assert.equal(j.details.nWindows, 3);
  assert.ok(Number.isFinite(j.details.hrvMs));
  // the tiny model (one epoch) reads ≈ 86 bpm for anything; the recording is at 53 bpm, which the
  // classical detector reads: not corroborated, so no number (a finite one would be a confident wrong one)
  assert.equal(j.heartRateBpm, null);
  assert.match(r.out, /method cnn reads 8\d bpm and the classical detector reads 53 bpm: not corroborated/);
});

test('estimate --method cnn: HR in bpm and HRV in ms, equal to the model\'s own predictions (issue 11 §8)', async () => {
  await initBackend('cpu');
  const { model, preprocess } = await loadModel(join(runDir, 'model'));
  const p = predictRecording(model, preprocess, Float32Array.from(readWav(wav1k).samples), 1000); // as the CLI reads it (16 bit)
  const r = cli(['estimate', wav1k, '--method', 'cnn', '--model', join(runDir, 'model'), '--json', '--min-quality', '0']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { heartRateBpm: number | null; details: { hrvMs: number; windows: { heartRateBpm: number; hrvMs: number }[] } };
  // the figures the CLI reports are the model's, unscaled (a planted HR × 2 or HRV in s fails here)
  assert.ok(Math.abs(j.details.hrvMs - 1000 * p.hrvS) < 1e-3, `hrvMs ${j.details.hrvMs} vs model ${p.hrvS} s`);
  j.details.windows.forEach((w, i) => {
    assert.ok(Math.abs(w.heartRateBpm - p.windows[i]!.heartRateBpm) < 1e-3);
    assert.ok(Math.abs(w.hrvMs - 1000 * p.windows[i]!.hrvS) < 1e-3);
  });
  if (j.heartRateBpm !== null) assert.ok(Math.abs(j.heartRateBpm - p.heartRateBpm) < 1e-3, `HR ${j.heartRateBpm} vs model ${p.heartRateBpm}`);
  // magnitudes: a tiny model trained on the simulator's 40–200 bpm range predicts a heart rate in
  // that range, within 60 bpm of the truth, and an HRV in ms (tens, not hundredths)
  const hr = j.details.windows.map((w) => w.heartRateBpm);
  for (const v of hr) assert.ok(v > 30 && v < 200 && Math.abs(v - sig!.hrBpm) < 60, `window HR ${v} bpm, truth ${sig!.hrBpm}`);
  assert.ok(j.details.hrvMs > 1 && j.details.hrvMs < 1000, `HRV ${j.details.hrvMs} ms`);
});

test('estimate batch (two inputs, --jobs 2) passes --method cnn to each file through the seam', () => {
  const single = JSON.parse(cli(['estimate', wav1k, '--method', 'cnn', '--model', join(runDir, 'model'), '--json']).out) as { heartRateBpm: number };
  const r = cli(['estimate', wav1k, wav1k, '--jobs', '2', '--method', 'cnn', '--model', join(runDir, 'model'), '--json']);
  assert.equal(r.code, 0, r.err);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; method: string; heartRateBpm: number });
  assert.equal(rows.length, 2);
  for (const row of rows) {
    assert.equal(row.method, 'cnn');
    assert.equal(row.heartRateBpm, single.heartRateBpm);
  }
});

test('model bundle: run writes bundle.json; an older folder (preprocess.json only) loads with the seed front end', async () => {
  const { existsSync, readFileSync, cpSync, rmSync: rm } = await import('node:fs');
  const dir = join(runDir, 'model');
  assert.ok(existsSync(join(dir, 'bundle.json')));
  const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as { architecture: string; frontEnd: { nperseg: number; sampleRateHz: number } };
  assert.equal(bundle.architecture, 'seed-cnn');
  assert.equal(bundle.frontEnd.nperseg, 256);
  const old = join(root, 'old-model');
  cpSync(dir, old, { recursive: true });
  rm(join(old, 'bundle.json'));
  await initBackend('cpu');
  const a = await loadModel(dir);
  const b = await loadModel(old);
  assert.equal(a.hasBundle, true);
  assert.equal(b.hasBundle, false);
  assert.deepEqual(b.bundle.frontEnd, a.bundle.frontEnd);
  const r = cli(['estimate', wav1k, '--method', 'cnn', '--model', old, '--json']);
  assert.equal(r.code, 0, r.err);
});

test('the gate runs for the CNN too: silence gets no numbers, a pulse recording at the rate the CNN reads does, one at another rate does not', async () => {
  const { estimate } = await import('../src/hrv/estimate.js');
  await initBackend('cpu');
  const model = await loadModel(join(runDir, 'model'));
  const silent = await estimate(new Float64Array(16000), 1000, { method: 'cnn', model });
  assert.equal(silent.verdict, 'none');
  assert.equal(silent.trusted, false);
  assert.equal(silent.heartRateBpm, null);
  assert.equal(silent.sdnnMs, null);
  assert.ok(silent.quality.reasons.some((s) => /silen/.test(s)), silent.quality.reasons.join('; '));
  // the tiny model reads ≈ 86 bpm whatever it hears: trusted only where the classical detector
  // reads the same rate (±10 %): the 89 bpm recording, not the 53 bpm one
  const wrong = await estimate(samples, 1000, { method: 'cnn', model });
  assert.equal(wrong.trusted, false);
  assert.equal(wrong.verdict, 'poor');
  assert.equal(wrong.heartRateBpm, null);
  assert.ok(wrong.quality.reasons.some((s) => /not corroborated/.test(s)), wrong.quality.reasons.join('; '));
  const [sig89] = simulateDataset({ n: 1, seed: 1, durationS: 16 });
  assert.ok(Math.abs(sig89!.hrBpm - 89.3) < 0.1, String(sig89!.hrBpm));
  const peak89 = Math.max(...Array.from(sig89!.samples, Math.abs));
  const ok = await estimate(Float64Array.from(sig89!.samples, (v) => (0.8 * v) / peak89), 1000, { method: 'cnn', model });
  assert.equal(ok.trusted, ok.verdict === 'good' || ok.verdict === 'fair');
  assert.ok(ok.trusted && Number.isFinite(ok.heartRateBpm), ok.quality.reasons.join('; '));
  assert.equal(ok.signalType, 'pulse'); // the seed's pulses, as the gate judged them
});
