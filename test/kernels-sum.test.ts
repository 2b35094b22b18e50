/**
 * The wasm Sum over leading axes (the bias gradients) with its SIMD column sums (sumSimd.ts):
 * bit-identical to the float64 loop it replaces, and within float32 rounding of the `cpu` backend.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { columnSumModuleBytes, columnSumSimdFor } from '../src/model/kernels/sumSimd.js';
import { backendMemory } from '../src/model/kernels/maxPoolGrad.js';
import { FastRng } from '../src/signal/rng.js';

before(async () => {
  await initNodeBackend('wasm');
});

/** The float64 loop of sum.ts before the SIMD path (groups of eight rows, then the rest). */
function reference(v: Float32Array, rows: number, cols: number): Float32Array {
  const acc = new Float64Array(cols);
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    for (let c = 0; c < cols; c++) {
      const a = (k: number) => v[(r + k) * cols + c];
      acc[c] += ((a(0) + a(1)) + (a(2) + a(3))) + ((a(4) + a(5)) + (a(6) + a(7)));
    }
  }
  for (; r < rows; r++) for (let c = 0; c < cols; c++) acc[c] += v[r * cols + c];
  return Float32Array.from(acc);
}

function data(n: number, seed: number): Float32Array {
  const rng = new FastRng(seed);
  // mixed magnitudes, so that the order of the additions shows in the result
  return Float32Array.from({ length: n }, (_, i) => rng.normal() * (i % 5 === 0 ? 1e4 : i % 3 === 0 ? 1e-3 : 1));
}

test('the SIMD column-sum module validates for shared and unshared memory, and binds on wasm', async () => {
  assert.ok(WebAssembly.validate(columnSumModuleBytes(false)));
  assert.ok(WebAssembly.validate(columnSumModuleBytes(true)));
  await tf.setBackend('wasm');
  assert.ok(columnSumSimdFor(backendMemory(tf.backend() as never)), 'the SIMD path is available here');
});

for (const shape of [[4, 3, 5, 32], [16, 9, 4], [8, 4], [7, 12], [3, 2, 3, 8, 20], [2, 17, 6], [13, 1, 64]]) {
  test(`Sum over the leading axes of [${shape}] is bit-identical to the float64 loop and close to cpu`, async () => {
    const cols = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const v = data(rows * cols, rows * 31 + cols);
    const axes = shape.slice(0, -1).map((_, i) => i);
    await tf.setBackend('wasm');
    const got = tf.sum(tf.tensor(v, shape), axes).dataSync() as Float32Array;
    assert.deepEqual(Array.from(got), Array.from(reference(v, rows, cols)));
    await tf.setBackend('cpu');
    const want = tf.sum(tf.tensor(v, shape), axes).dataSync() as Float32Array;
    await tf.setBackend('wasm');
    const scale = Math.max(...Array.from(want, Math.abs));
    for (let c = 0; c < cols; c++) assert.ok(Math.abs(got[c] - want[c]) <= 1e-5 * scale, `column ${c}: ${got[c]} vs ${want[c]}`);
  });
}

test('keepDims keeps the reduced axes as 1', async () => {
  await tf.setBackend('wasm');
  const v = data(2 * 8 * 4, 3);
  const s = tf.sum(tf.tensor(v, [2, 8, 4]), [0, 1], true);
  assert.deepEqual(s.shape, [1, 1, 4]);
  assert.deepEqual(Array.from(s.dataSync()), Array.from(reference(v, 16, 4)));
});
