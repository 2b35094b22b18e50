import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/model/backend.js';
import { maskedStateCrossEntropy } from '../src/model/training/maskedLoss.js';
import { trainSegmenter } from '../src/model/training/segmenterTrain.js';
import { contextOffsets, gatherContext, type SegmenterArchitecture } from '../src/model/architectures/segmenter.js';
import { FastRng } from '../src/signal/rng.js';

test('masked loss ignores state-0 frames', async () => {
  await initBackend('cpu');
  const logits = tf.tensor2d([
    [2, 0, 0, 0],
    [0, 0, 0, 5],
    [9, -9, 3, 1],
  ]);
  const a = maskedStateCrossEntropy(logits, Uint8Array.from([1, 4, 0])).dataSync()[0]!;
  const b = maskedStateCrossEntropy(tf.slice(logits, [0, 0], [2, 4]) as tf.Tensor2D, Uint8Array.from([1, 4])).dataSync()[0]!;
  assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  const c = maskedStateCrossEntropy(logits, Uint8Array.from([1, 4, 2])).dataSync()[0]!;
  assert.ok(c > a + 1, 'a labelled third frame changes the loss');
  assert.equal(Math.abs(maskedStateCrossEntropy(logits, Uint8Array.from([0, 0, 0])).dataSync()[0]!), 0);
});

test('gatherContext zero-pads outside the recording', () => {
  const features = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 frames × 2 features
  const out = new Float32Array(2 * 3 * 2);
  gatherContext(features, 3, 2, [0, 2], [-1, 0, 1], out);
  assert.deepEqual(Array.from(out), [0, 0, 1, 2, 3, 4, 3, 4, 5, 6, 0, 0]);
  assert.deepEqual(contextOffsets(2, 6, 2), [-6, -4, -2, -1, 0, 1, 2, 4, 6]);
});

/** Toy data: feature 0 rises in S1, feature 1 in S2; some frames unknown. */
function toy(seed: number): Array<{ features: Float32Array; nFrames: number; labels: Uint8Array }> {
  const rng = new FastRng(seed);
  return [0, 1, 2].map(() => {
    const n = 300;
    const labels = new Uint8Array(n);
    const features = new Float32Array(n * 2);
    for (let t = 0; t < n; t++) {
      const ph = t % 40;
      const s = ph < 5 ? 1 : ph < 15 ? 2 : ph < 19 ? 3 : 4;
      labels[t] = t > 250 ? 0 : s;
      features[t * 2] = (s === 1 ? 2 : 0) + rng.normal(0, 0.3);
      features[t * 2 + 1] = (s === 3 ? 2 : 0) + rng.normal(0, 0.3);
    }
    return { features, nFrames: n, labels };
  });
}

test('tiny training learns, and the same seed gives the same weights', async () => {
  await initBackend('cpu');
  const arch: SegmenterArchitecture = { kind: 'context-mlp', offsets: contextOffsets(3, 12, 3), hidden: [8], nFeatures: 2 };
  const data = toy(1);
  const run = (): { w: Float32Array[]; losses: number[] } => {
    const { model, losses } = trainSegmenter(data, arch, { epochs: 4, batchSize: 32, frameStride: 1, seed: 7, learningRate: 1e-2 });
    const w = model.getWeights().map((t) => t.dataSync() as Float32Array);
    model.dispose();
    return { w, losses };
  };
  const a = run();
  const b = run();
  assert.ok(a.losses[a.losses.length - 1]! < a.losses[0]! * 0.7, `loss ${a.losses.join(', ')}`);
  assert.equal(a.w.length, b.w.length);
  a.w.forEach((w, i) => assert.deepEqual(Array.from(w), Array.from(b.w[i]!)));
});
