/**
 * averageSeedCnns (issue 15): one model whose heads are the means of several seed CNNs' heads,
 * saved and loaded like any model folder; building a lone seed CNN keeps its seeded weights.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { averageSeedCnns, buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { loadModel, saveModel } from '../src/node/files/modelStore.js';
import type { PreprocessParams } from '../src/model/preprocess.js';

const root = mkdtempSync(join(tmpdir(), 'hrv-cnn-average-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SHAPE: [number, number, number] = [33, 16, 1];
const preprocess: PreprocessParams = {
  format: 'hrv-audio-preprocess',
  formatVersion: 1,
  mode: 'improved',
  inputShape: SHAPE,
  input: { transform: 'db', dbFloor: 1e-20, mean: 0, std: 10, perWindow: true },
  targets: { hr: { label: 'hr_bpm', offset: 90, scale: 15 }, hrv: { label: 'hrv_s', offset: 0, scale: 0.02 } },
} as PreprocessParams;

function outputs(m: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] }, x: tf.Tensor): [Float32Array, Float32Array] {
  const [hr, hrv] = m.predict(x) as tf.Tensor[];
  return [hr!.dataSync() as Float32Array, hrv!.dataSync() as Float32Array];
}

test('the average of three seed CNNs predicts the mean of their predictions, and survives save/load', async () => {
  await tf.setBackend('cpu');
  const members = [3, 4, 5].map((seed) => buildSeedCnn(SHAPE, { seed }));
  // non-zero biases, so that a wrong head or a dropped bias shows
  for (const m of members) m.setWeights(m.getWeights().map((w, i) => (i % 2 === 1 ? tf.fill(w.shape, 0.01 * (i + 1)) : w)));
  const avg = averageSeedCnns(members);
  assert.deepEqual(avg.outputNames, ['hr_output', 'hrv_output']);
  const x = tf.randomNormal([4, ...SHAPE], 0, 1, 'float32', 9);
  const per = members.map((m) => outputs(m, x));
  const [hr, hrv] = outputs(avg, x);
  for (let i = 0; i < 4; i++) {
    const mHr = per.reduce((a, p) => a + p[0][i]!, 0) / 3;
    const mHrv = per.reduce((a, p) => a + p[1][i]!, 0) / 3;
    assert.ok(Math.abs(hr[i]! - mHr) <= 1e-5 * Math.max(1, Math.abs(mHr)), `hr ${hr[i]} vs ${mHr}`);
    assert.ok(Math.abs(hrv[i]! - mHrv) <= 1e-5 * Math.max(1, Math.abs(mHrv)), `hrv ${hrv[i]} vs ${mHrv}`);
  }
  // the members differ, so the mean is not any one of them
  assert.ok(Math.abs(per[0]![0][0]! - per[1]![0][0]!) > 1e-4);
  const dir = join(root, 'avg');
  await saveModel(avg, dir, preprocess);
  const back = await loadModel(dir);
  const [hr2, hrv2] = outputs(back.model, x);
  assert.deepEqual(Array.from(hr2), Array.from(hr));
  assert.deepEqual(Array.from(hrv2), Array.from(hrv));
});

test('averageSeedCnns refuses one model, a different input shape and a model that is not a seed CNN', () => {
  const a = buildSeedCnn(SHAPE, { seed: 1 });
  assert.throws(() => averageSeedCnns([a]), /at least two/);
  assert.throws(() => averageSeedCnns([a, buildSeedCnn([33, 32, 1], { seed: 2 })]), /input shape/);
  assert.throws(() => averageSeedCnns([a, averageSeedCnns([a, a])]), /not a seed CNN/);
});
