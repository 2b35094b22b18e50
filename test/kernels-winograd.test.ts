/**
 * Winograd F(2×2, 3×3) convolution (src/model/kernels/winogradConv.ts, winogradSimd.ts) against
 * the `cpu` backend: the fused conv + bias + ReLU op's output and its x, filter and bias
 * gradients, the plain Conv2DBackpropInput / Conv2DBackpropFilter kernels, odd sizes (tile
 * edges), batch 1 and > 1, chunks that split images; and that the Winograd path really runs
 * (its results differ in the last bits from the direct path's) and is deterministic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { convBiasRelu } from '../src/model/kernels/convBiasRelu.js';
import { setWinogradChunkTiles, setWinogradEnabled, setWinogradGradTile, setWinogradTile, WINO_CHUNK_TILES, WINO_FILTER_GRAD_MIN_IN_CHANNELS, WINO_GRAD_CHUNK_TILES, winogradFilter, winogradFilterGradTransform, winogradGradTile, winogradTile } from '../src/model/kernels/winogradConv.js';
import { winoFilterFor, winoFilterGradFor, winoFilterGradTransformBytes, winoFilterTransformBytes } from '../src/model/kernels/winogradFilterSimd.js';
import { F22, winoGradTransformBytes, winoInputTransformBytes, winoOutputTransformBytes } from '../src/model/kernels/winogradSimd.js';
import { F43 } from '../src/model/kernels/winograd43Simd.js';
import { FastRng } from '../src/signal/rng.js';
import { maxRel } from './maxRel.js';

const chunks = [WINO_CHUNK_TILES, WINO_GRAD_CHUNK_TILES] as const;
before(async () => {
  assert.equal((await initNodeBackend('wasm')).name, 'wasm');
});
after(() => {
  setWinogradChunkTiles(chunks[0], chunks[1]);
  setWinogradEnabled(true);
  setWinogradTile(0);
});

/**
 * Tolerance: the measured error of Winograd F(2×2, 3×3) against cpu is ≤ 2e-6 of each result's
 * largest value (the direct wasm path's is ≈ 1e-6; docs/notes/issue-16-wino.md); 1e-5 leaves a 5×
 * margin and still catches any indexing or transform error, which gives O(1) errors.
 * F(4×4, 3×3) rounds more (its transforms have coefficients up to 8 and 1/24): measured ≤ 7e-6 on
 * the seed CNN's layers (bench/winograd_error.py); 4e-5 leaves a margin over both and still catches transform errors.
 */
const TOL = 1e-5;
const TOL43 = 4e-5;

/** [B, H, W, C, O] and optional forward/gradient chunk sizes (tiles). */
const CASES: Array<{ name: string; shape: [number, number, number, number, number]; chunk?: [number, number]; tile?: 2 | 4 }> = [
  { name: 'batch 1, odd H and W', shape: [1, 5, 7, 8, 12] },
  { name: 'batch 3, even H and W', shape: [3, 6, 4, 12, 8] },
  { name: '1×1 images', shape: [2, 1, 1, 8, 8] },
  { name: 'odd W, many channels, F(2×2) forced', shape: [2, 9, 19, 32, 64], tile: 2 },
  { name: 'F(4×4) chosen: odd W, many channels', shape: [2, 9, 19, 64, 32] },
  { name: 'F(4×4): batch 1, 10×13 (not multiples of 4)', shape: [1, 10, 13, 8, 12], tile: 4 },
  { name: 'F(4×4): 3×2 images (one tile, mostly padding)', shape: [2, 3, 2, 8, 8], tile: 4 },
  { name: 'F(4×4): chunks of 2 tiles', shape: [3, 9, 11, 16, 8], chunk: [2, 5], tile: 4 },
  { name: 'filter gradient by Winograd (C ≥ 64), odd H and W', shape: [2, 5, 7, 64, 8] },
  { name: 'chunks that split images (7 / 5 tiles)', shape: [3, 7, 5, 64, 8], chunk: [7, 5] },
];

function run(shape: [number, number, number, number, number], fused: boolean) {
  const [B, H, W, C, O] = shape;
  const rng = new FastRng(B * 1000 + H * 100 + W * 10 + C);
  const xv = Float32Array.from({ length: B * H * W * C }, () => rng.normal());
  const wv = Float32Array.from({ length: 9 * C * O }, () => 0.3 * rng.normal());
  const bv = Float32Array.from({ length: O }, () => 0.5 * rng.normal());
  const x = tf.tensor4d(xv, [B, H, W, C]);
  const w = tf.tensor4d(wv, [3, 3, C, O]);
  const b = tf.tensor1d(bv);
  const f = (a: tf.Tensor4D, f4: tf.Tensor4D, c: tf.Tensor1D) => {
    const y = fused ? convBiasRelu(a, f4, c, [1, 1], 'same') : tf.relu(tf.add(tf.conv2d(a, f4, 1, 'same'), c));
    // a loss whose gradient is not constant in y
    return tf.sum(tf.square(y));
  };
  const ys = fused ? convBiasRelu(x, w, b, [1, 1], 'same') : tf.relu(tf.add(tf.conv2d(x, w, 1, 'same'), b));
  const gs = tf.grads(f as never)([x, w, b] as never);
  const out = [ys, ...gs].map((t) => Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose([x, w, b, ys, ...gs]);
  return out;
}

const NAMES = ['output', 'dx', 'dfilter', 'dbias'];

for (const c of CASES) {
  test(`Winograd conv + bias + ReLU (${c.name}) equals cpu: output and x, filter, bias gradients`, async () => {
    if (c.chunk) setWinogradChunkTiles(c.chunk[0], c.chunk[1]);
    setWinogradTile(c.tile ?? 0);
    const [, H, W, C, O] = c.shape;
    const tol = (c.tile ?? winogradTile(C, O, H, W)) === 4 ? TOL43 : TOL;
    try {
      const wino = run(c.shape, true);
      const again = run(c.shape, true);
      setWinogradEnabled(false);
      const direct = run(c.shape, true);
      setWinogradEnabled(true);
      await tf.setBackend('cpu');
      const cpu = run(c.shape, false);
      await tf.setBackend('wasm');
      wino.forEach((a, i) => {
        assert.ok(maxRel(a, cpu[i]!) <= tol, `${NAMES[i]}: ${maxRel(a, cpu[i]!)}`);
        assert.deepEqual(again[i], a, `${NAMES[i]}: deterministic`);
      });
      // the Winograd path ran: its output and x gradient (and, for C ≥ 64, filter gradient) are
      // not the direct path's bits (1×1 images: every tile is mostly padding, so only check that
      // they agree)
      if (c.shape[1] * c.shape[2] > 1) {
        const viaWino = c.shape[3] >= WINO_FILTER_GRAD_MIN_IN_CHANNELS ? [0, 1, 2] : [0, 1];
        for (const i of viaWino) assert.notDeepEqual(wino[i], direct[i], `${NAMES[i]}: Winograd path taken`);
      }
    } finally {
      setWinogradChunkTiles(chunks[0], chunks[1]);
      setWinogradTile(0);
    }
  });
}

test('Conv2DBackpropInput and Conv2DBackpropFilter take Winograd for 3×3 same and match cpu', async () => {
  const [B, H, W, C, O] = [2, 11, 6, 64, 16];
  const rng = new FastRng(77);
  const dyv = Float32Array.from({ length: B * H * W * O }, () => rng.normal());
  const xv = Float32Array.from({ length: B * H * W * C }, () => rng.normal());
  const wv = Float32Array.from({ length: 9 * C * O }, () => rng.normal());
  const both = () => {
    const dy = tf.tensor4d(dyv, [B, H, W, O]);
    const x = tf.tensor4d(xv, [B, H, W, C]);
    const w = tf.tensor4d(wv, [3, 3, C, O]);
    const dx = tf.conv2dTranspose(dy, w, [B, H, W, C], 1, 'same');
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy } as never,
      { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, O] } as never) as tf.Tensor;
    const out = [dx, dw].map((t) => Float32Array.from(t.dataSync() as Float32Array));
    tf.dispose([dy, x, w, dx, dw]);
    return out;
  };
  const wino = both();
  await tf.setBackend('cpu');
  const cpu = both();
  await tf.setBackend('wasm');
  wino.forEach((a, i) => assert.ok(maxRel(a, cpu[i]!) <= TOL, `${['dx', 'dw'][i]}: ${maxRel(a, cpu[i]!)}`));
});

test('the tile choice: F(4×4) for C ≥ 64 on images ≥ 4×4 (layers 3–4, layer 2\'s input gradient), F(2×2) for layer 2\'s forward pass and small images', () => {
  assert.equal(winogradTile(32, 64, 64, 19), 2);
  assert.equal(winogradTile(64, 32, 64, 19), 4); // layer 2's input gradient
  assert.equal(winogradTile(64, 128, 32, 9), 4);
  assert.equal(winogradTile(128, 64, 32, 9), 4); // layer 3's input gradient
  assert.equal(winogradTile(128, 128, 16, 4), 4);
  assert.equal(winogradTile(128, 128, 3, 4), 2);
  assert.equal(winogradTile(8, 8, 5, 7), 2);
});

test('the filter gradient\'s tile: F(4×4) for C ≥ 64 where its tiles cover no more than F(2×2)\'s (layer 4), else F(2×2) (layers 2–3)', () => {
  assert.equal(winogradGradTile(32, 64, 64, 19), 2); // layer 2: C < 64
  assert.equal(winogradGradTile(64, 128, 32, 9), 2); // layer 3: 9 columns pad to 12 (F(4×4)) against 10
  assert.equal(winogradGradTile(128, 128, 16, 4), 4); // layer 4
  assert.equal(winogradGradTile(64, 8, 8, 12), 4);
  assert.equal(winogradGradTile(64, 8, 10, 12), 2);
  const was = setWinogradGradTile(2);
  try {
    assert.equal(winogradGradTile(128, 128, 16, 4), 2, 'forced');
  } finally {
    setWinogradGradTile(was);
  }
});

test('the Winograd SIMD transforms compile (shared and unshared memory)', () => {
  for (const shared of [false, true]) {
    assert.ok(WebAssembly.validate(winoInputTransformBytes(F22, { C: 32, rowW: 22 }, shared)));
    assert.ok(WebAssembly.validate(winoGradTransformBytes(F22, { C: 64, rowW: 20 }, shared)));
    assert.ok(WebAssembly.validate(winoOutputTransformBytes(F22, { O: 64, rowW: 20, relu: true }, shared)));
    assert.ok(WebAssembly.validate(winoOutputTransformBytes(F22, { O: 8, rowW: 2, relu: false }, shared)));
    assert.ok(WebAssembly.validate(winoInputTransformBytes(F43, { C: 32, rowW: 22 }, shared)));
    assert.ok(WebAssembly.validate(winoOutputTransformBytes(F43, { O: 64, rowW: 20, relu: true }, shared)));
  }
});

test('the filter gradient by F(4×4, 3×3) (setWinogradGradTile(4)) matches cpu, odd sizes and chunks that split images', async () => {
  const chunkWas = [WINO_CHUNK_TILES, WINO_GRAD_CHUNK_TILES] as const;
  for (const [B, H, W, C, O, chunk] of [[2, 9, 11, 8, 12, 0], [3, 10, 7, 32, 8, 5]] as const) {
    const rng = new FastRng(B * 100 + H + C);
    const dyv = Float32Array.from({ length: B * H * W * O }, () => rng.normal());
    const xv = Float32Array.from({ length: B * H * W * C }, () => rng.normal());
    const dw = () => {
      const dy = tf.tensor4d(dyv, [B, H, W, O]);
      const x = tf.tensor4d(xv, [B, H, W, C]);
      const t = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy } as never,
        { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, O] } as never) as tf.Tensor;
      const v = Float32Array.from(t.dataSync() as Float32Array);
      tf.dispose([dy, x, t]);
      return v;
    };
    const was = setWinogradGradTile(4);
    try {
      if (chunk) setWinogradChunkTiles(chunkWas[0], chunk);
      const w43 = dw();
      setWinogradGradTile(2);
      const w22 = dw();
      await tf.setBackend('cpu');
      const cpu = dw();
      await tf.setBackend('wasm');
      assert.ok(maxRel(w43, cpu) <= TOL43, `F(4×4): ${maxRel(w43, cpu)}`);
      assert.ok(maxRel(w22, cpu) <= TOL, `F(2×2): ${maxRel(w22, cpu)}`);
      assert.notDeepEqual(w43, w22, 'the F(4×4) path ran');
    } finally {
      setWinogradGradTile(was);
      setWinogradChunkTiles(chunkWas[0], chunkWas[1]);
    }
  }
});

test('the SIMD filter transform equals the float64 one within float32 rounding (F(2×2), F(4×4), rotated or not); its module validates for shared memory', () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const heap = new Float32Array(memory.buffer);
  const rng = new FastRng(5);
  for (const f of [F22, F43]) {
    const nG = f.G.length;
    for (const rotate of [false, true]) {
      const n = 12;
      const w = Float32Array.from({ length: 9 * n }, () => rng.normal());
      const ref = new Float32Array(nG * nG * n);
      winogradFilter(f.G, w, n, rotate, ref);
      const fn = winoFilterFor(memory, f, n, rotate);
      assert.ok(fn, 'compiles');
      heap.set(w, 0);
      const dst = 4096;
      heap.fill(Number.NaN, dst, dst + nG * nG * n + 4);
      fn!(0, dst * 4);
      const got = heap.slice(dst, dst + nG * nG * n);
      // float32 arithmetic against float64 rounded once: a few ulps of the largest value
      assert.ok(maxRel(got, ref) <= 1e-6, `m = ${nG - 2}, rotate ${rotate}: ${maxRel(got, ref)}`);
      assert.ok(Number.isNaN(heap[dst + nG * nG * n]!), 'nothing written past the end');
      assert.ok(WebAssembly.validate(winoFilterTransformBytes(f, { n, rotate }, true)));
    }
  }
});

test('the SIMD filter-gradient output transform Gᵀ·dU·G equals the float64 one within float32 rounding (F(2×2), F(4×4)); its module validates for shared memory', () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const heap = new Float32Array(memory.buffer);
  const rng = new FastRng(6);
  for (const f of [F22, F43]) {
    const nG = f.G.length;
    for (const n of [4, 20]) {
      const dU = Float32Array.from({ length: nG * nG * n }, () => rng.normal());
      const ref = new Float32Array(9 * n);
      winogradFilterGradTransform(f.G, dU, n, ref);
      const fn = winoFilterGradFor(memory, f, n);
      assert.ok(fn, 'compiles');
      heap.set(dU, 0);
      const dst = 8192;
      heap.fill(Number.NaN, dst, dst + 9 * n + 4);
      fn!(0, dst * 4);
      const got = heap.slice(dst, dst + 9 * n);
      assert.ok(maxRel(got, ref) <= 1e-6, `m = ${nG - 2}, n = ${n}: ${maxRel(got, ref)}`);
      assert.ok(Number.isNaN(heap[dst + 9 * n]!), 'nothing written past the end');
      assert.ok(WebAssembly.validate(winoFilterGradTransformBytes(f, n, true)));
    }
  }
});
