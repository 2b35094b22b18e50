/**
 * conv + bias + ReLU as one op under the tape (HrvConv2DBiasRelu, src/model/kernels/convBiasRelu.ts)
 * against the three-op formula on the `cpu` backend: the forward output and the gradients of x,
 * the filter and the bias; and a seed CNN's gradients with its Conv2D layers routed through it
 * against the same model on `cpu`.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { CONV_BIAS_RELU_KERNEL, convBiasRelu, fuseConvLayersForTraining } from '../src/model/kernels/convBiasRelu.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { FastRng } from '../src/signal/rng.js';
import { maxRel } from './maxRel.js';

before(async () => {
  assert.equal((await initNodeBackend('wasm')).name, 'wasm');
});

for (const [pad, k] of [['same', 3], ['valid', 2]] as Array<['same' | 'valid', number]>) {
  test(`HrvConv2DBiasRelu (${pad}, ${k}×${k}) equals relu(conv + bias) on cpu, forward and gradients`, async () => {
    const rng = new FastRng(21);
    const xv = Float32Array.from({ length: 2 * 9 * 7 * 3 }, () => rng.normal());
    const wv = Float32Array.from({ length: k * k * 3 * 8 }, () => rng.normal());
    const bv = Float32Array.from({ length: 8 }, () => rng.normal());
    const run = (fused: boolean) => {
      const x = tf.tensor4d(xv, [2, 9, 7, 3]);
      const w = tf.tensor4d(wv, [k, k, 3, 8]);
      const b = tf.tensor1d(bv);
      const f = (a: tf.Tensor4D, f4: tf.Tensor4D, c: tf.Tensor1D) => {
        const y = fused ? convBiasRelu(a, f4, c, [1, 1], pad) : tf.relu(tf.add(tf.conv2d(a, f4, 1, pad), c));
        return tf.sum(tf.square(y));
      };
      const ys = (fused ? convBiasRelu(x, w, b, [1, 1], pad) : tf.relu(tf.add(tf.conv2d(x, w, 1, pad), b)));
      const gs = tf.grads(f as never)([x, w, b] as never);
      const out = [ys, ...gs].map((t) => Float32Array.from(t.dataSync() as Float32Array));
      tf.dispose([x, w, b, ys, ...gs]);
      return out;
    };
    const onWasm = run(true);
    await tf.setBackend('cpu');
    const onCpu = run(false);
    await tf.setBackend('wasm');
    onWasm.forEach((a, i) => assert.ok(maxRel(a, onCpu[i]!) <= 1e-5, `output ${i}: ${maxRel(a, onCpu[i]!)}`));
  });
}

test('a seed CNN with fused Conv2D layers: one op per conv on wasm, gradients equal cpu', async () => {
  const rng = new FastRng(4);
  const x = Float32Array.from({ length: 3 * 32 * 24 }, () => rng.normal());
  const grads = async (backend: string, fuse: boolean) => {
    await tf.setBackend(backend);
    const model = buildSeedCnn([32, 24, 1], { seed: 9 });
    if (fuse) assert.equal(fuseConvLayersForTraining(model), 4);
    const xs = tf.tensor4d(x, [3, 32, 24, 1]);
    let names: string[] = [];
    let g: tf.Tensor[] = [];
    const info = await tf.profile(() => {
      const r = tf.variableGrads(() => {
        const [h, v] = model.apply(xs, { training: false }) as tf.Tensor[];
        return tf.add(tf.sum(tf.square(h!)), tf.sum(tf.square(v!))) as tf.Scalar;
      });
      names = Object.keys(r.grads).sort();
      g = names.map((k) => r.grads[k]!);
      return g;
    });
    const out = g.map((t) => Float32Array.from(t.dataSync() as Float32Array));
    tf.dispose([xs, ...g]);
    model.dispose();
    await tf.setBackend('wasm');
    return { out, names, kernels: info.kernels.map((k) => k.name) };
  };
  const wasm = await grads('wasm', true);
  const cpu = await grads('cpu', false);
  assert.equal(wasm.kernels.filter((k) => k === CONV_BIAS_RELU_KERNEL).length, 4);
  assert.ok(!wasm.kernels.includes('Conv2D'), 'no unfused Conv2D left');
  assert.equal(wasm.out.length, cpu.out.length);
  wasm.out.forEach((a, i) => assert.ok(maxRel(a, cpu.out[i]!) <= 1e-4, `${wasm.names[i]}: ${maxRel(a, cpu.out[i]!)}`));
});
