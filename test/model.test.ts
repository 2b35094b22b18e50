/** The seed CNN, preprocessing, metrics and the model folder format. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNodeBackend } from '../src/node/backend.js';
import { initBackend, parseBackendChoice } from '../src/model/backend.js';
import { buildSeedCnn, modelSummary, SEED_PARAMS } from '../src/model/architectures/seedCnn.js';
import { decodeTarget, encodeTarget, fitPreprocess, prepareInput, parseMode } from '../src/model/preprocess.js';
import { agreement } from '../src/model/metrics.js';
import { loadModel, saveModel } from '../src/node/files/modelStore.js';
import { ModelTrainer } from '../src/model/training/train.js';
import { FastRng } from '../src/signal/rng.js';

before(async () => {
  await initNodeBackend('wasm');
});

test("the seed CNN has the seed's layers and 797,954 parameters", () => {
  const m = buildSeedCnn();
  assert.equal(m.countParams(), SEED_PARAMS);
  assert.equal(SEED_PARAMS, 797954);
  assert.deepEqual(m.outputNames, ['hr_output', 'hrv_output']);
  const convs = m.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => (l.getConfig() as { filters: number }).filters);
  assert.deepEqual(convs, [32, 64, 128, 128]);
  const summary = modelSummary(m);
  assert.match(summary, /Total params: 797954/);
  assert.match(summary, /hrv_output/);
  m.dispose();
});

test('the same init seed gives the same weights, another seed other weights', () => {
  const w = (seed: number) => {
    const m = buildSeedCnn([16, 16, 1], { seed });
    const v = Array.from(m.weights[0].read().dataSync());
    m.dispose();
    return v;
  };
  assert.deepEqual(w(3), w(3));
  assert.notDeepEqual(w(3), w(4));
});

function fakeSpectra(n: number, F: number, T: number, seed: number): Float32Array {
  const rng = new FastRng(seed);
  return Float32Array.from({ length: n * F * T }, () => 10 ** rng.uniform(-8, -2));
}

test('improved preprocessing: dB input standardized on the training split only; targets round-trip', () => {
  const n = 6, F = 4, T = 3;
  const spectra = fakeSpectra(n, F, T, 1);
  const hr = [60, 70, 80, 90, 100, 500];
  const hrv = [0.01, 0.02, 0.03, 0.04, 0.05, 9];
  const train = [0, 1, 2, 3, 4];
  const p = fitPreprocess('improved', spectra, [F, T], hr, hrv, train);
  assert.equal(p.targets.hr.label, 'hr_bpm');
  assert.equal(p.targets.hr.offset, 80); // mean of the training labels, not sample 5
  const x = prepareInput(p, spectra, [F, T], train);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
  assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-4, `standardized: mean ${mean}, sd ${sd}`);
  for (const v of [55, 80, 123.4]) assert.ok(Math.abs(decodeTarget(p.targets.hr, encodeTarget(p.targets.hr, v)) - v) < 1e-9);
  assert.ok(encodeTarget(p.targets.hrv, 0.01) > 0, 'HRV target stays ≥ 0 for the ReLU head');
});

test('faithful preprocessing passes raw PSD and raw targets with the seed HR label', () => {
  const spectra = fakeSpectra(2, 3, 2, 2);
  const p = fitPreprocess('faithful', spectra, [3, 2], [60, 72], [0.01, 0.02], [0, 1]);
  assert.equal(p.targets.hr.label, 'hr_count_bpm');
  assert.deepEqual(Array.from(prepareInput(p, spectra, [3, 2], [1, 0])), [...spectra.subarray(6, 12), ...spectra.subarray(0, 6)]);
  assert.equal(encodeTarget(p.targets.hr, 72), 72);
});

test('a spectrogram size other than the model input is a clear RangeError', () => {
  const p = fitPreprocess('faithful', fakeSpectra(1, 3, 2, 3), [3, 2], [60], [0.01], [0]);
  assert.throws(() => prepareInput(p, fakeSpectra(1, 4, 2, 3), [4, 2], [0]), /spectrograms are 4×2 but the model expects 3×2/);
  assert.throws(() => parseMode('fancy'), RangeError);
});

test('agreement statistics on cases with known answers', () => {
  const truth = [1, 2, 3, 4, 5];
  const shifted = agreement(truth.map((v) => v + 2), truth);
  assert.equal(shifted.mae, 2);
  assert.equal(shifted.rmse, 2);
  assert.equal(shifted.bias, 2);
  assert.equal(shifted.loaLow, 2);
  assert.equal(shifted.loaHigh, 2);
  assert.ok(Math.abs((shifted.r ?? 0) - 1) < 1e-12);
  const mirrored = agreement(truth.map((v) => 6 - v), truth);
  assert.ok(Math.abs((mirrored.r ?? 0) + 1) < 1e-12);
  const d = [1, -1, 1, -1];
  const s = agreement(d, [0, 0, 0, 0]);
  assert.equal(s.bias, 0);
  const sd = Math.sqrt(4 / 3);
  assert.ok(Math.abs((s.loaHigh ?? 0) - 1.96 * sd) < 1e-12);
  assert.equal(s.r, null); // constant truth
  const gaps = agreement([1, null, NaN, 4], [1, 2, 3, 5]);
  assert.equal(gaps.n, 2);
  assert.equal(gaps.mae, 0.5);
});

test('model folder: save + load reproduces the predictions; a mismatched preprocess.json is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hrv-model-'));
  try {
    const spectra = fakeSpectra(3, 16, 16, 4);
    const pre = fitPreprocess('improved', spectra, [16, 16], [60, 70, 80], [0.01, 0.02, 0.03], [0, 1, 2]);
    const m = buildSeedCnn([16, 16, 1], { seed: 5 });
    const x = prepareInput(pre, spectra, [16, 16], [0, 1, 2]);
    const before = new ModelTrainer(m).predict(x, 3);
    await saveModel(m, dir, pre);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    const { model, preprocess } = await loadModel(dir);
    assert.deepEqual(preprocess, JSON.parse(JSON.stringify(pre)));
    const after = new ModelTrainer(model).predict(x, 3);
    assert.deepEqual(Array.from(after.hr), Array.from(before.hr));
    assert.deepEqual(Array.from(after.hrv), Array.from(before.hrv));
    writeFileSync(join(dir, 'preprocess.json'), JSON.stringify({ ...pre, inputShape: [129, 38, 1] }));
    await assert.rejects(loadModel(dir), /model input shape \[16, 16, 1\] does not match preprocess.json \[129, 38, 1\]/);
    m.dispose();
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("backend choice: unknown names are RangeErrors; 'tensorflow' without tfjs-node is a clear error", async () => {
  assert.throws(() => parseBackendChoice('gpu'), RangeError);
  assert.equal(parseBackendChoice('wasm'), 'wasm');
  await assert.rejects(initBackend('tensorflow', { loadNative: async () => false }), /needs @tensorflow\/tfjs-node/);
  const info = await initNodeBackend('wasm');
  assert.equal(info.name, 'wasm');
  assert.equal(info.fastKernels, true);
});
