/**
 * Issue 14 (throughput): the WebAssembly SIMD dense layers (src/model/kernels/denseSimd.ts) give
 * the same float32 outputs, bit for bit, as the plain-JS layers (denseForwardReference). Seeded
 * synthetic networks and inputs (widths not multiples of eight, ReLU and linear, −0, NaN).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { denseForwardFrom, denseForwardReference, denseNetworkFromArtifacts, type DenseNetwork } from '../src/model/denseNetwork.js';
import { FastRng } from '../src/signal/rng.js';
import { denseLayerSimdFor } from '../src/model/kernels/denseSimd.js';

function network(widths: number[], activations: Array<'relu' | 'linear'>, rng: FastRng): DenseNetwork {
  const layers = [];
  const specs = [];
  const parts: Float32Array[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const [nIn, nOut] = [widths[i]!, widths[i + 1]!];
    layers.push({ class_name: 'Dense', config: { name: `d${i}`, units: nOut, activation: activations[i], ...(i === 0 ? { batch_input_shape: [null, nIn] } : {}) } });
    specs.push({ name: `d${i}/kernel`, shape: [nIn, nOut], dtype: 'float32' as const }, { name: `d${i}/bias`, shape: [nOut], dtype: 'float32' as const });
    parts.push(new Float32Array(nIn * nOut).map(() => rng.normal() / Math.sqrt(nIn)), new Float32Array(nOut).map(() => 0.1 * rng.normal()));
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Float32Array(total);
  let at = 0;
  for (const p of parts) (data.set(p, at), (at += p.length));
  return denseNetworkFromArtifacts({ modelTopology: { class_name: 'Sequential', config: { layers } }, weightSpecs: specs, weightData: data.buffer });
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) assert.fail(`${what}: element ${i}: ${a[i]} vs ${b[i]}`);
}

test('wasm SIMD is available for the dense layers (Node 20)', () => {
  assert.notEqual(denseLayerSimdFor(new WebAssembly.Memory({ initial: 1 })), null);
});

test('the SIMD dense layers equal the JS layers bit for bit', () => {
  const rng = new FastRng(21);
  const shapes: Array<[number[], Array<'relu' | 'linear'>]> = [
    [[408, 48, 32, 4], ['relu', 'relu', 'linear']], // the segmenter's shape
    [[7, 13, 5], ['relu', 'linear']],
    [[1, 9, 8, 1], ['linear', 'relu', 'relu']],
    [[24, 17], ['linear']],
  ];
  for (const [widths, acts] of shapes) {
    const net = network(widths, acts, rng);
    for (const n of [1, 2, 3, 50, 1201]) {
      const x = new Float32Array(n * widths[0]!).map(() => 2 * rng.normal());
      if (n > 2) (x[1] = -0, (x[2] = 1e-30));
      for (const first of [0, 1]) {
        if (first >= net.layers.length) continue;
        const xin = first === 0 ? x : new Float32Array(n * net.layers[first]!.nIn).map(() => rng.normal());
        sameBits(denseForwardFrom(net, first, xin, n), denseForwardReference(net, first, xin, n), `widths ${widths} n ${n} from ${first}`);
      }
    }
  }
  // non-finite inputs
  const net = network([6, 10, 3], ['relu', 'linear'], rng);
  const x = new Float32Array(4 * 6).map(() => rng.normal());
  x[3] = NaN;
  x[8] = Infinity;
  sameBits(denseForwardFrom(net, 0, x, 4), denseForwardReference(net, 0, x, 4), 'non-finite');
});
