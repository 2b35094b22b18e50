/**
 * Child process of test/kernels-threads.test.ts: starts the wasm backend with `--threads N`
 * XNNPACK threads, and prints one JSON line with the thread count, a SHA-256 of the seed CNN's
 * gradients and Adam step on a fixed batch, and the largest relative error of the training
 * kernels against the `cpu` backend on small odd-sized tensors; and a SHA-256 of the learned
 * segmenter's weights after a short seeded training.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { wasmThreadsCount } from '../src/node/wasmThreads.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { ModelTrainer } from '../src/model/training/train.js';
import { FastRng } from '../src/signal/rng.js';
import { trainSegmenter } from '../src/model/training/segmenterTrain.js';
import { contextOffsets } from '../src/model/architectures/segmenter.js';

const threads = Number(process.argv[process.argv.indexOf('--threads') + 1]);
await initNodeBackend('wasm', { wasmThreads: threads });
const rng = new FastRng(3);
const shape: [number, number, number] = [32, 24, 1];
const n = 5;
const x = Float32Array.from({ length: n * 32 * 24 }, () => rng.normal());
const yHr = Float32Array.from({ length: n }, () => rng.normal());
const yHrv = Float32Array.from({ length: n }, () => Math.abs(rng.normal()));
const model = buildSeedCnn(shape, { seed: 9 });
const trainer = new ModelTrainer(model);
const hash = createHash('sha256');
for (let step = 0; step < 2; step++) {
  const g = trainer.gradients(x, yHr, yHrv, 11 + step);
  for (const t of g.grads) hash.update(new Uint8Array((t.dataSync() as Float32Array).slice().buffer));
  trainer.applyGradients(g.grads);
}
for (const w of model.getWeights()) hash.update(new Uint8Array((w.dataSync() as Float32Array).slice().buffer));

// the learned segmenter's training (one HrvDenseMlpGrad kernel per step): weights after 2 epochs
const segHash = createHash('sha256');
{
  const r = new FastRng(8);
  const data = [0, 1].map(() => ({
    features: Float32Array.from({ length: 300 * 4 }, () => r.normal()),
    nFrames: 300,
    labels: Uint8Array.from({ length: 300 }, () => Math.floor(r.random() * 5)),
  }));
  const seg = trainSegmenter(data, { kind: 'context-mlp', offsets: contextOffsets(2, 8, 2), hidden: [24, 12], nFeatures: 4 }, { epochs: 2, batchSize: 64, seed: 5 });
  for (const w of seg.model.getWeights()) segHash.update(new Uint8Array((w.dataSync() as Float32Array).slice().buffer));
  seg.model.dispose();
}

// conv kernels (forward, both backprops, the fused bias+relu path) against cpu
function grads(): Float32Array[] {
  const r = new FastRng(5);
  const xs = tf.tensor4d(Float32Array.from({ length: 3 * 13 * 11 * 8 }, () => r.normal()), [3, 13, 11, 8]);
  const w = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 8 * 12 }, () => r.normal()), [3, 3, 8, 12]);
  const b = tf.tensor1d(Float32Array.from({ length: 12 }, () => r.normal()));
  const f = (a: tf.Tensor4D, k: tf.Tensor4D, c: tf.Tensor1D) => tf.sum(tf.square(tf.maxPool(tf.relu(tf.add(tf.conv2d(a, k, 1, 'same'), c)) as tf.Tensor4D, 2, 2, 'valid')));
  const gs = tf.grads(f as never)([xs, w, b] as never);
  const out = [f(xs, w, b), ...gs].map((t) => Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose([xs, w, b, ...gs]);
  return out;
}
const onWasm = grads();
await tf.setBackend('cpu');
const onCpu = grads();
await tf.setBackend('wasm');
let maxRel = 0;
onWasm.forEach((a, i) => {
  const scale = Math.max(...Array.from(onCpu[i], Math.abs), 1e-6);
  for (let j = 0; j < a.length; j++) maxRel = Math.max(maxRel, Math.abs(a[j] - onCpu[i][j]) / scale);
});
process.stdout.write(`${JSON.stringify({ threads: wasmThreadsCount(), digest: hash.digest('hex'), segmenterDigest: segHash.digest('hex'), maxRelErrVsCpu: maxRel })}\n`);
process.exit(0);
