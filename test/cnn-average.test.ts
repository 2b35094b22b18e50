/**
 * averageSeedCnns (issue 15): one model whose heads are the means of several seed CNNs' heads,
 * saved and loaded like any model folder; building a lone seed CNN keeps its seeded weights. An
 * average given as a member is flattened into its seed CNNs, so that each weighs the same.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { averageSeedCnns, buildSeedCnn, seedCnnMembers } from '../src/model/architectures/seedCnn.js';
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
  const dense = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: SHAPE }), tfl.layers.dense({ units: 2 })] });
  assert.throws(() => averageSeedCnns([a, dense]), /not a seed CNN/);
});

/** Three seeded seed CNNs with distinct non-zero biases. */
function threeMembers(): tfl.LayersModel[] {
  const members = [6, 7, 8].map((seed) => buildSeedCnn(SHAPE, { seed }));
  members.forEach((m, k) => m.setWeights(m.getWeights().map((w, i) => (i % 2 === 1 ? tf.fill(w.shape, 0.01 * (i + 1) + 0.003 * k) : w))));
  return members;
}

test('an average given as a member is flattened: average(average(A, B), C) is the mean of A, B and C, also after save/load', async () => {
  await tf.setBackend('cpu');
  const [a, b, c] = threeMembers();
  const x = tf.randomNormal([4, ...SHAPE], 0, 1, 'float32', 11);
  const per = [a!, b!, c!].map((m) => outputs(m, x));
  const mean = (h: 0 | 1, i: number): number => per.reduce((s, p) => s + p[h][i]!, 0) / 3;
  const ab = averageSeedCnns([a!, b!]);
  const dir = join(root, 'ab');
  await saveModel(ab, dir, preprocess);
  const abLoaded = (await loadModel(dir)).model;
  // the members of a (loaded) average come back in order, with their weights
  const found = seedCnnMembers(abLoaded);
  assert.equal(found.length, 2);
  found.forEach((layers, k) => {
    const want = [a!, b!][k]!.getWeights();
    const got = layers.flatMap((l) => l.getWeights());
    assert.equal(got.length, want.length);
    got.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(want[i]!.dataSync())));
  });
  for (const [name, abc] of [
    ['in memory', averageSeedCnns([ab, c!])],
    ['loaded', averageSeedCnns([abLoaded, c!])],
    ['member last', averageSeedCnns([c!, abLoaded])],
  ] as const) {
    assert.equal(abc.layers.filter((l) => /^member\d+_hr$/.test(l.name)).length, 3, name);
    assert.equal(seedCnnMembers(abc).length, 3, name);
    const [hr, hrv] = outputs(abc, x);
    for (let i = 0; i < 4; i++) {
      assert.ok(Math.abs(hr[i]! - mean(0, i)) <= 1e-5 * Math.max(1, Math.abs(mean(0, i))), `${name}: hr ${hr[i]} vs ${mean(0, i)}`);
      assert.ok(Math.abs(hrv[i]! - mean(1, i)) <= 1e-5 * Math.max(1, Math.abs(mean(1, i))), `${name}: hrv ${hrv[i]} vs ${mean(1, i)}`);
    }
  }
  // not the unflattened ½·mean(A, B) + ½·C (members differ enough for that to show)
  const half = (per[0]![0][0]! + per[1]![0][0]!) / 4 + per[2]![0][0]! / 2;
  assert.ok(Math.abs(half - mean(0, 0)) > 1e-4, `test members too alike: ${half} vs ${mean(0, 0)}`);
});
