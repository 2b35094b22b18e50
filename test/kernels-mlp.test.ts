/**
 * The learned segmenter's one-call training kernel (HrvDenseMlpGrad, src/model/kernels/denseMlpGrad.ts)
 * against the gradient tape on the `cpu` backend: loss and every weight gradient, for the default
 * 3-layer shape and for odd sizes (one hidden layer, no hidden layer, unknown rows, a row count not
 * a multiple of 4), and training with it stays deterministic for a seed.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { DENSE_MLP_GRAD_KERNEL, denseMlpGrads, denseMlpGradsReference, oneHotKnown } from '../src/model/kernels/denseMlpGrad.js';
import { gatherFrame, trainSegmenter } from '../src/model/training/segmenterTrain.js';
import { contextOffsets, gatherContext, type SegmenterArchitecture } from '../src/model/architectures/segmenter.js';
import { FastRng } from '../src/signal/rng.js';
import { transposeSimdFor } from '../src/model/kernels/transposeSimd.js';

before(async () => {
  assert.equal((await initNodeBackend('wasm')).name, 'wasm');
});

interface Case { rows: number; dims: number[]; unknownEvery: number; seed: number }

function inputs(c: Case) {
  const rng = new FastRng(c.seed);
  const x = Float32Array.from({ length: c.rows * c.dims[0]! }, () => rng.normal());
  const labels = Uint8Array.from({ length: c.rows }, (_, i) => (i % c.unknownEvery === 0 ? 0 : 1 + Math.floor(rng.random() * 4)));
  const weights: Array<{ data: Float32Array; shape: number[] }> = [];
  for (let l = 0; l + 1 < c.dims.length; l++) {
    const s = 1 / Math.sqrt(c.dims[l]!);
    weights.push({ data: Float32Array.from({ length: c.dims[l]! * c.dims[l + 1]! }, () => rng.normal(0, s)), shape: [c.dims[l]!, c.dims[l + 1]!] });
    weights.push({ data: Float32Array.from({ length: c.dims[l + 1]! }, () => rng.normal(0, 0.1)), shape: [c.dims[l + 1]!] });
  }
  return { x, labels, weights };
}

async function gradsOn(backend: string, c: Case, viaKernel: boolean): Promise<{ out: Float32Array[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const { x, labels, weights } = inputs(c);
  const { y, known } = oneHotKnown(labels, 4);
  const xt = tf.tensor2d(x, [c.rows, c.dims[0]!]);
  const yt = tf.tensor2d(y, [c.rows, 4]);
  const ws = weights.map((w) => tf.tensor(w.data, w.shape));
  let res: tf.Tensor[] = [];
  const info = await tf.profile(() => {
    res = viaKernel ? denseMlpGrads(xt, yt, known, ws) : denseMlpGradsReference(xt, yt, known, ws);
    return res;
  });
  const out = res.map((t) => Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose([xt, yt, ...ws, ...res]);
  await tf.setBackend('wasm');
  return { out, kernels: info.kernels.map((k) => k.name) };
}

const CASES: Case[] = [
  { rows: 256, dims: [408, 48, 32, 4], unknownEvery: 5, seed: 1 },
  { rows: 37, dims: [21, 9, 4], unknownEvery: 3, seed: 2 },
  { rows: 6, dims: [5, 4], unknownEvery: 2, seed: 3 },
];

for (const c of CASES) {
  test(`HrvDenseMlpGrad equals the cpu tape's loss and gradients (${c.rows} × ${c.dims.join('→')})`, async () => {
    const wasm = await gradsOn('wasm', c, true);
    assert.deepEqual(wasm.kernels, [DENSE_MLP_GRAD_KERNEL], 'one kernel on wasm');
    const cpu = await gradsOn('cpu', c, false);
    assert.equal(wasm.out.length, 1 + 2 * (c.dims.length - 1));
    wasm.out.forEach((a, i) => {
      const b = cpu.out[i]!;
      assert.equal(a.length, b.length);
      const scale = Math.max(...Array.from(b, Math.abs), 1e-6);
      let maxRel = 0;
      for (let j = 0; j < a.length; j++) maxRel = Math.max(maxRel, Math.abs(a[j]! - b[j]!) / scale);
      assert.ok(maxRel <= 1e-5, `output ${i}: max relative error ${maxRel}`);
      assert.ok(b.some((v) => v !== 0), `output ${i} is not trivially zero`);
    });
  });
}

test('all-unknown batch: loss and gradients are zero', async () => {
  const c: Case = { rows: 8, dims: [6, 5, 4], unknownEvery: 1, seed: 4 };
  const wasm = await gradsOn('wasm', c, true);
  for (const a of wasm.out) assert.ok(a.every((v) => v === 0));
});

test('segmenter training through the kernel: same seed → same weights, and it learns', () => {
  const rng = new FastRng(11);
  const data = [0, 1].map(() => {
    const n = 400;
    const labels = new Uint8Array(n);
    const features = new Float32Array(n * 2);
    for (let t = 0; t < n; t++) {
      const ph = t % 40;
      const s = ph < 5 ? 1 : ph < 15 ? 2 : ph < 19 ? 3 : 4;
      labels[t] = t > 350 ? 0 : s;
      features[t * 2] = (s === 1 ? 2 : 0) + rng.normal(0, 0.3);
      features[t * 2 + 1] = (s === 3 ? 2 : 0) + rng.normal(0, 0.3);
    }
    return { features, nFrames: n, labels };
  });
  const arch: SegmenterArchitecture = { kind: 'context-mlp', offsets: contextOffsets(3, 12, 3), hidden: [8, 6], nFeatures: 2 };
  const run = () => {
    const { model, losses } = trainSegmenter(data, arch, { epochs: 4, batchSize: 32, frameStride: 1, seed: 7, learningRate: 1e-2 });
    const w = model.getWeights().map((t) => Array.from(t.dataSync()));
    model.dispose();
    return { w, losses };
  };
  const a = run();
  const b = run();
  assert.ok(a.losses[a.losses.length - 1]! < a.losses[0]! * 0.7, `loss ${a.losses.join(', ')}`);
  assert.deepEqual(a.w, b.w);
});

test('gatherFrame (one copy per run of offsets) equals gatherContext, at the edges too', () => {
  const rng = new FastRng(12);
  const nFeatures = 3;
  const nFrames = 40;
  const features = Float32Array.from({ length: nFrames * nFeatures }, () => rng.normal());
  for (const offsets of [contextOffsets(4, 10, 3), contextOffsets(30, 45, 5), [-2, 0, 1, 2, 3, 7, 8]]) {
    const width = offsets.length * nFeatures;
    const frames = [0, 1, 5, 20, 35, 38, 39];
    const want = new Float32Array(frames.length * width);
    gatherContext(features, nFrames, nFeatures, frames, offsets, want);
    const got = new Float32Array(frames.length * width).fill(NaN);
    frames.forEach((t, i) => gatherFrame(features, nFrames, nFeatures, t, offsets, got, i * width));
    assert.deepEqual(Array.from(got), Array.from(want));
  }
});

test('the SIMD transpose compiles and is exact (4 × 4 blocks)', () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const fn = transposeSimdFor(memory);
  assert.ok(fn, 'wasm SIMD transpose compiles');
  for (const [rows, cols] of [[4, 4], [8, 12], [64, 204]] as Array<[number, number]>) {
    const heap = new Float32Array(memory.buffer);
    const src = Float32Array.from({ length: rows * cols }, (_, i) => i + 0.5);
    heap.set(src, 0);
    heap.fill(NaN, rows * cols, 2 * rows * cols + 4);
    fn!(0, rows * cols * 4, rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.equal(heap[rows * cols + j * rows + i], src[i * cols + j]);
    assert.ok(Number.isNaN(heap[2 * rows * cols]!), 'nothing written past the end');
  }
});
