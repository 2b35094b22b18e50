/**
 * The fused Adam (one pass per variable on wasm) against tf's AdamOptimizer: bit-identical on
 * wasm, and the same state (moments, iterations) so checkpoints keep working.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { FusedAdamOptimizer } from '../src/model/kernels/fusedAdam.js';
import { FastRng } from '../src/signal/rng.js';
import { adamSimdFor } from '../src/model/kernels/adamSimd.js';
import { backendMemory } from '../src/model/kernels/maxPoolGrad.js';

before(async () => {
  assert.equal((await initNodeBackend('wasm')).name, 'wasm');
});

function randArray(n: number, rng: FastRng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

/** Run `steps` Adam steps on fresh variables; returns values and optimizer weights. */
async function runAdam(backend: string, make: () => tf.AdamOptimizer, tag: string, steps = 4) {
  await tf.setBackend(backend);
  const rng = new FastRng(5);
  const shapes = [[3, 3, 2, 5], [7], [129, 3], [1]];
  const vars = shapes.map((s, i) => tf.variable(tf.tensor(randArray(s.reduce((a, b) => a * b, 1), rng), s), true, `${tag}_w${i}`));
  const opt = make();
  for (let k = 0; k < steps; k++) {
    // a mix of scales, exact zeros and a gradient of 0 on a zero moment (0/ (0 + eps))
    const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(randArray(v.size, rng, 10 ** (i - 2)).map((g, j) => (j % 5 === 0 ? 0 : g)), v.shape) }));
    opt.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const values = vars.map((v) => Array.from(v.dataSync()));
  const w = await opt.getWeights();
  const state = w.map((x) => ({ name: x.name.replace(tag, ''), values: Array.from(x.tensor.dataSync()) }));
  opt.dispose();
  tf.dispose(vars);
  return { values, state };
}

test('fused Adam is bit-identical to tf Adam on wasm (values, moments, iterations)', async () => {
  const ref = await runAdam('wasm', () => tf.train.adam(1e-3, 0.9, 0.999, 1e-7), 'ref');
  const got = await runAdam('wasm', () => new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7), 'fused');
  assert.ok(tf.getKernel('HrvFusedAdam', 'wasm'), 'the fused kernel must be registered (else this tests tf Adam against itself)');
  // sizes 45·2, 7, 387, 1: the SIMD loop and its JS tail (n % 4) both run
  assert.ok(adamSimdFor(backendMemory(tf.backend() as never)), 'the wasm SIMD Adam must compile (else this tests the JS loop only)');
  assert.deepEqual(got.values, ref.values);
  assert.deepEqual(got.state, ref.state);
});

test('fused Adam on wasm matches tf Adam on cpu within 1e-6 relative', async () => {
  const ref = await runAdam('cpu', () => tf.train.adam(1e-3, 0.9, 0.999, 1e-7), 'cpu');
  const got = await runAdam('wasm', () => new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7), 'wasm');
  await tf.setBackend('wasm');
  ref.values.forEach((r, i) => r.forEach((x, j) => assert.ok(Math.abs(x - got.values[i][j]) <= 1e-6 * Math.max(Math.abs(x), 1e-3), `w${i}[${j}] ${x} vs ${got.values[i][j]}`)));
});
