/**
 * Relu's one-pass gradient on wasm (kernel HrvReluGrad, src/model/kernels/reluGrad.ts) against
 * tf's own `mul(dy, cast(step(x)))` on wasm (bit-identical) and on cpu, with zeros, negative
 * zeros, NaN and ±∞ in x and dy, and a size that is not a multiple of 4 (the JS tail).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { reluGradSimdFor } from '../src/model/kernels/reluGrad.js';
import { backendMemory } from '../src/model/kernels/maxPoolGrad.js';
import { FastRng } from '../src/signal/rng.js';

before(async () => {
  assert.equal((await initNodeBackend('wasm')).name, 'wasm');
});

function values(n: number, seed: number): Float32Array {
  const rng = new FastRng(seed);
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-38, -1e-38];
  return Float32Array.from({ length: n }, (_, i) => (i % 9 === 0 ? special[(i / 9) % special.length] : rng.normal()));
}

/** dx of Σ relu(x)·dy through the gradient tape, and the kernels that ran. */
async function reluGradOf(backend: string, x: Float32Array, dy: Float32Array, shape: number[]) {
  await tf.setBackend(backend);
  const xt = tf.tensor(x, shape);
  const dyt = tf.tensor(dy, shape);
  let dx: tf.Tensor | null = null;
  const info = await tf.profile(() => {
    dx = tf.grad((t: tf.Tensor) => tf.relu(t))(xt, dyt);
    return dx;
  });
  const out = Array.from((dx as unknown as tf.Tensor).dataSync());
  tf.dispose([xt, dyt, dx as unknown as tf.Tensor]);
  return { out, kernels: info.kernels.map((k) => k.name) };
}

/** tf's formula, run directly. */
async function tfFormula(backend: string, x: Float32Array, dy: Float32Array, shape: number[]): Promise<number[]> {
  await tf.setBackend(backend);
  const r = tf.tidy(() => tf.mul(tf.tensor(dy, shape), tf.cast(tf.step(tf.tensor(x, shape)), 'float32')));
  const out = Array.from(r.dataSync());
  r.dispose();
  return out;
}

const bits = (v: number[]) => Array.from(new Uint32Array(Float32Array.from(v).buffer));

for (const shape of [[2, 5, 7, 4], [103], [3]]) {
  test(`Relu gradient on wasm is one kernel, bit-identical to tf's formula: shape [${shape}]`, async () => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = values(n, 1);
    const dy = values(n, 2).map((v, i) => (i % 11 === 0 ? Infinity : v));
    const got = await reluGradOf('wasm', x, dy, shape);
    assert.ok(got.kernels.includes('HrvReluGrad'), `kernels: ${got.kernels}`);
    assert.ok(!got.kernels.includes('Step'));
    const ref = await tfFormula('wasm', x, dy, shape);
    // NaN payloads aside (compare NaN-ness), every bit equal, signed zeros included
    const canon = (v: number[]) => bits(v.map((u) => (Number.isNaN(u) ? NaN : u)));
    assert.deepEqual(canon(got.out), canon(ref));
    const cpu = await reluGradOf('cpu', x, dy, shape);
    assert.ok(!cpu.kernels.includes('HrvReluGrad'), 'cpu keeps tf gradient');
    assert.deepEqual(canon(got.out), canon(cpu.out));
    await tf.setBackend('wasm');
  });
}

test('the SIMD ReLU-gradient function compiles on the wasm backend memory', async () => {
  await tf.setBackend('wasm');
  assert.ok(reluGradSimdFor(backendMemory(tf.backend() as never)));
});
