/**
 * The fast wasm training kernels against the reference cpu backend, on small tensors with odd
 * sizes, including every fallback path.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { wasmTrainingKernelsRegistered, FILTER_GRAD_CHUNK_ROWS } from '../src/model/kernels/index.js';
import { setFilterGradChunkRows } from '../src/model/kernels/conv2dBackpropFilter.js';
import { FastRng } from '../src/signal/rng.js';
import { poolRowFor } from '../src/model/kernels/maxPool2x2Simd.js';
import { filterGradC1For } from '../src/model/kernels/filterGradC1Simd.js';
import { backendMemory } from '../src/model/kernels/maxPoolGrad.js';

before(async () => {
  const info = await initNodeBackend('wasm');
  assert.equal(info.name, 'wasm');
});

function rand(shape: number[], seed: number, zeroShare = 0): { data: Float32Array; shape: number[] } {
  const rng = new FastRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.random() < zeroShare ? 0 : rng.normal();
  return { data, shape };
}

type Spec = { data: Float32Array | Int32Array; shape: number[]; dtype?: 'float32' | 'int32' };

/** Run one kernel on a backend and return its output values and shape. */
async function runOn(backend: string, kernel: string, inputs: Record<string, Spec>, attrs: Record<string, unknown>) {
  await tf.setBackend(backend);
  const ins: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.data, v.shape, v.dtype ?? 'float32');
  const out = tf.engine().runKernel(kernel, ins as never, attrs as never) as tf.Tensor;
  const result = { values: Array.from(out.dataSync()), shape: out.shape, dtype: out.dtype };
  out.dispose();
  for (const t of Object.values(ins)) t.dispose();
  return result;
}

async function compare(kernel: string, inputs: Record<string, Spec>, attrs: Record<string, unknown>, tol = 1e-5) {
  const ref = await runOn('cpu', kernel, inputs, attrs);
  const got = await runOn('wasm', kernel, inputs, attrs);
  await tf.setBackend('wasm');
  assert.deepEqual(got.shape, ref.shape, `${kernel} shape`);
  assert.equal(got.dtype, ref.dtype);
  let scale = 0;
  let err = 0;
  for (let i = 0; i < ref.values.length; i++) {
    scale = Math.max(scale, Math.abs(ref.values[i]));
    err = Math.max(err, Math.abs(ref.values[i] - got.values[i]));
  }
  if (tol === 0) assert.deepEqual(got.values, ref.values, `${kernel} must match exactly`);
  else assert.ok(err <= tol * Math.max(scale, 1e-30), `${kernel}: relative error ${err / scale} > ${tol}`);
  return ref;
}

test('the fast kernels are registered for the pinned wasm version', () => {
  assert.equal(wasmTrainingKernelsRegistered(), true);
});

type Shape4 = [number, number, number, number];
const convCases: Array<{ name: string; x: Shape4; f: Shape4; pad: unknown; strides: number }> = [
  { name: '1 input channel, same', x: [2, 9, 7, 1], f: [3, 3, 1, 4], pad: 'same', strides: 1 },
  // C = 1 and O % 4 = 0: the SIMD kernel of filterGradC1Simd.ts (the seed CNN's layer 1 has 32)
  { name: '1 input channel, 32 filters, same (C=1 SIMD kernel)', x: [3, 17, 13, 1], f: [3, 3, 1, 32], pad: 'same', strides: 1 },
  { name: '1 input channel, valid, 2x3 filter (C=1 SIMD kernel)', x: [2, 8, 9, 1], f: [2, 3, 1, 8], pad: 'valid', strides: 1 },
  { name: '1 input channel, explicit asymmetric padding (C=1 SIMD kernel)', x: [2, 7, 5, 1], f: [3, 3, 1, 4], pad: [[0, 0], [2, 0], [0, 2], [0, 0]], strides: 1 },
  // C = 1 but O % 4 ≠ 0 or more than 12 taps: the GEMM path
  { name: '1 input channel, 5 filters (GEMM path)', x: [2, 9, 7, 1], f: [3, 3, 1, 5], pad: 'same', strides: 1 },
  { name: '1 input channel, 5x5 filter (GEMM path)', x: [2, 9, 7, 1], f: [5, 5, 1, 4], pad: 'same', strides: 1 },
  { name: '8 channels, same, odd sizes', x: [3, 5, 11, 8], f: [3, 3, 8, 5], pad: 'same', strides: 1 },
  { name: 'valid, 2x3 filter', x: [2, 6, 7, 3], f: [2, 3, 3, 4], pad: 'valid', strides: 1 },
  { name: `more rows than one chunk (${FILTER_GRAD_CHUNK_ROWS})`, x: [3, 31, 25, 2], f: [3, 3, 2, 3], pad: 'same', strides: 1 },
  { name: 'stride 2 (fallback)', x: [2, 9, 8, 3], f: [3, 3, 3, 2], pad: 'same', strides: 2 },
  // a 5×5 filter on a 3-wide input: some filter columns see no input pixel at all
  { name: 'explicit asymmetric padding, 5x5 filter on a 3-wide input', x: [2, 7, 3, 3], f: [5, 5, 3, 2], pad: [[0, 0], [2, 1], [1, 3], [0, 0]], strides: 1 },
  // output as wide as the input, but the left padding (4) is wider than the image (1)
  { name: 'explicit padding wider than a 1-wide input', x: [2, 4, 1, 2], f: [3, 5, 2, 3], pad: [[0, 0], [1, 1], [4, 0], [0, 0]], strides: 1 },
];

for (const c of convCases) {
  test(`Conv2DBackpropFilter matches cpu: ${c.name}`, async () => {
    await tf.setBackend('cpu');
    const dyShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.strides, c.pad as 'same').shape;
    const ref = await compare(
      'Conv2DBackpropFilter',
      { x: rand(c.x, 1), dy: rand(dyShape, 2) },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f },
    );
    assert.ok(ref.values.some((v) => v !== 0));
  });

  test(`Conv2DBackpropInput matches cpu: ${c.name}`, async () => {
    await tf.setBackend('cpu');
    const dyShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.strides, c.pad as 'same').shape;
    await compare(
      'Conv2DBackpropInput',
      { dy: rand(dyShape, 3), filter: rand(c.f, 4) },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
    );
  });
}

test('Conv2DBackpropFilter matches cpu with chunks of one output line and chunks spanning images', async () => {
  const saved = FILTER_GRAD_CHUNK_ROWS;
  try {
    for (const [chunkRows, x, f] of [
      [5, [2, 9, 7, 1], [3, 3, 1, 5]], // chunk < line width: one line per chunk
      [30, [3, 5, 11, 8], [3, 3, 8, 5]], // two lines per chunk, chunks cross image boundaries
      [100, [4, 6, 5, 3], [3, 3, 3, 2]], // 20 lines per chunk, last chunk partial
    ] as const) {
      setFilterGradChunkRows(chunkRows);
      await tf.setBackend('cpu');
      const dyShape = tf.conv2d(tf.zeros([...x]) as tf.Tensor4D, tf.zeros([...f]) as tf.Tensor4D, 1, 'same').shape;
      await compare('Conv2DBackpropFilter', { x: rand([...x], 40), dy: rand(dyShape, 41) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f });
    }
  } finally {
    setFilterGradChunkRows(saved);
  }
});

test('Conv2DBackpropFilter generic path handles NCHW', async () => {
  await compare(
    'Conv2DBackpropFilter',
    { x: rand([2, 3, 6, 5], 5), dy: rand([2, 4, 6, 5], 6) },
    { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
  );
});

for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  test(`BatchMatMul matches cpu: transposeA=${ta} transposeB=${tb}`, async () => {
    const m = 7, k = 13, n = 5;
    await compare(
      'BatchMatMul',
      { a: rand(ta ? [k, m] : [m, k], 7), b: rand(tb ? [n, k] : [k, n], 8) },
      { transposeA: ta, transposeB: tb },
    );
    await compare(
      'BatchMatMul',
      { a: rand(ta ? [3, k, m] : [3, m, k], 9), b: rand(tb ? [3, n, k] : [3, k, n], 10) },
      { transposeA: ta, transposeB: tb },
    );
  });
}

test('BatchMatMul with a large transposed operand (blocked transpose edges)', async () => {
  await compare('BatchMatMul', { a: rand([37, 70], 11), b: rand([45, 70], 12) }, { transposeA: false, transposeB: true });
  // b much larger than a and the output: computed as (b·aᵀ)ᵀ
  await compare('BatchMatMul', { a: rand([3, 70], 26), b: rand([45, 70], 27) }, { transposeA: false, transposeB: true });
  await compare('BatchMatMul', { a: rand([1, 33], 28), b: rand([65, 33], 29) }, { transposeA: false, transposeB: true });
});

// 2-D products with M % 4 = 0 and N % 4 = 0 run on our SIMD GEMM (batchMatMul.ts); the shapes of
// the seed CNN's dense layers (forward, weight and input gradients), K = 1, K long, strides that
// are not multiples of 8, and rank-3 inputs with batch 1
for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  test(`BatchMatMul on the SIMD GEMM (M % 4 = 0, N % 4 = 0) matches cpu: transposeA=${ta} transposeB=${tb}`, async () => {
    for (const [m, k, n, seed] of [[8, 300, 12, 40], [4, 1, 4, 42], [32, 2048, 256, 44], [2048, 32, 256, 46], [32, 256, 2048, 48], [12, 9, 20, 50]] as const) {
      await compare(
        'BatchMatMul',
        { a: rand(ta ? [k, m] : [m, k], seed), b: rand(tb ? [n, k] : [k, n], seed + 1) },
        { transposeA: ta, transposeB: tb },
      );
    }
    await compare(
      'BatchMatMul',
      { a: rand(ta ? [1, 17, 8] : [1, 8, 17], 52), b: rand(tb ? [1, 12, 17] : [1, 17, 12], 53) },
      { transposeA: ta, transposeB: tb },
    );
  });
}

test('BatchMatMul on the SIMD GEMM: the path runs, is deterministic, and matches XNNPACK\'s bytes on these shapes', async () => {
  const { setBatchMatMulSimd, BATCH_MATMUL_SIMD } = await import('../src/model/kernels/batchMatMul.js');
  await tf.setBackend('wasm');
  for (const [m, k, n, ta, tb] of [[32, 512, 64, false, false], [2048, 32, 256, true, false], [32, 256, 2048, false, true], [12, 9, 20, true, true]] as const) {
    const a = rand(ta ? [k, m] : [m, k], 60);
    const b = rand(tb ? [n, k] : [k, n], 61);
    const run = () => {
      const tA = tf.tensor(a.data, a.shape);
      const tB = tf.tensor(b.data, b.shape);
      const out = tf.engine().runKernel('BatchMatMul', { a: tA, b: tB } as never, { transposeA: ta, transposeB: tb } as never) as tf.Tensor;
      const v = Float32Array.from(out.dataSync() as Float32Array);
      tf.dispose([tA, tB, out]);
      return v;
    };
    const calls = BATCH_MATMUL_SIMD.calls;
    const first = run();
    assert.equal(BATCH_MATMUL_SIMD.calls, calls + 1, 'the SIMD path ran');
    assert.deepEqual(run(), first, 'same bytes twice');
    const was = setBatchMatMulSimd(false);
    try {
      // both sum each element's K products in k order with one float32 rounding per mul and per add
      assert.deepEqual(run(), first, `${m}×${k}×${n} ${ta} ${tb}: XNNPACK's bytes`);
      assert.equal(BATCH_MATMUL_SIMD.calls, calls + 2, 'the XNNPACK path ran');
    } finally {
      setBatchMatMulSimd(was);
    }
  }
});

const poolCases: Array<{ name: string; x: Shape4; filterSize: number; strides: number; pad: string }> = [
  { name: '2x2 valid, ties from ReLU zeros', x: [2, 8, 6, 5], filterSize: 2, strides: 2, pad: 'valid' },
  { name: '2x2 valid, odd sizes (dropped edge)', x: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'valid' },
  { name: '3x3 stride 2 same (overlapping windows, padding)', x: [1, 7, 6, 2], filterSize: 3, strides: 2, pad: 'same' },
  // C % 4 = 0: the wasm SIMD row function
  { name: 'SIMD 2x2 valid, C = 4, even sizes', x: [2, 8, 6, 4], filterSize: 2, strides: 2, pad: 'valid' },
  { name: 'SIMD 2x2 valid, C = 12, odd height and width', x: [3, 9, 7, 12], filterSize: 2, strides: 2, pad: 'valid' },
  { name: 'SIMD 2x2 valid, C = 8, odd width only, one output column', x: [2, 4, 3, 8], filterSize: 2, strides: 2, pad: 'valid' },
  { name: 'SIMD 2x2 valid, C = 32, odd height only', x: [1, 5, 8, 32], filterSize: 2, strides: 2, pad: 'valid' },
  { name: '2x2 same on an odd size, C = 4 (padding: not the SIMD path)', x: [1, 5, 5, 4], filterSize: 2, strides: 2, pad: 'same' },
];
for (const c of poolCases) {
  test(`MaxPoolGrad matches cpu exactly: ${c.name}`, async () => {
    const x = rand(c.x, 13, 0.4);
    for (let i = 0; i < x.data.length; i++) x.data[i] = Math.max(0, x.data[i]);
    await tf.setBackend('cpu');
    const dyShape = tf.maxPool(tf.zeros(c.x) as tf.Tensor4D, c.filterSize, c.strides, c.pad as 'same').shape;
    const out = tf.maxPool(tf.tensor(x.data, c.x) as tf.Tensor4D, c.filterSize, c.strides, c.pad as 'same');
    const output = { data: out.dataSync() as Float32Array, shape: out.shape };
    await compare(
      'MaxPoolGrad',
      { dy: rand(dyShape, 14), input: x, output },
      { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
      0,
    );
  });
}

test('the SIMD MaxPoolGrad row function compiles on the wasm backend memory', async () => {
  await tf.setBackend('wasm');
  assert.ok(poolRowFor(backendMemory(tf.backend() as never)), 'SIMD path unavailable: the C % 4 = 0 cases would test the JS loop');
});

test('the C=1 filter-gradient SIMD function compiles on the wasm backend memory (3×3, 32 filters)', async () => {
  await tf.setBackend('wasm');
  const mem = backendMemory(tf.backend() as never);
  assert.ok(filterGradC1For(mem, { xRowW: 40, kh: 3, kw: 3, outC: 32 }), 'SIMD path unavailable: the C=1 cases would test the GEMM path');
  assert.equal(filterGradC1For(mem, { xRowW: 40, kh: 5, kw: 5, outC: 32 }), null, 'more taps than registers: GEMM path');
  assert.equal(filterGradC1For(mem, { xRowW: 40, kh: 3, kw: 3, outC: 6 }), null, 'O % 4 ≠ 0: GEMM path');
});

test('MaxPoolGrad matches cpu exactly with NaN and −∞ in windows', async () => {
  for (const [filterSize, strides, pad, shape] of [
    [2, 2, 'valid', [1, 5, 4, 2]], [3, 2, 'same', [1, 5, 4, 2]], [2, 2, 'valid', [1, 5, 4, 4]], [2, 2, 'valid', [1, 4, 2, 4]],
  ] as const) {
    const x = rand([...shape], 30);
    x.data[0] = NaN; // first element of a window
    x.data[3] = NaN;
    for (const i of [8, 9, 10, 11, 12, 13]) x.data[i] = Number.NEGATIVE_INFINITY;
    if (shape[3] === 4) x.data[4] = NaN; // with W = 2: channel 0 of the first window is NaN, NaN, −∞, −∞
    await tf.setBackend('cpu');
    const out = tf.maxPool(tf.tensor(x.data, [...shape]) as tf.Tensor4D, filterSize, strides, pad);
    const output = { data: out.dataSync() as Float32Array, shape: out.shape };
    await compare('MaxPoolGrad', { dy: rand(out.shape, 31), input: x, output }, { filterSize, strides, pad }, 0);
  }
});

test('Sum over leading axes matches cpu (bias gradients), and fallbacks', async () => {
  await compare('Sum', { x: rand([3, 5, 7, 4], 15) }, { axis: [0, 1, 2], keepDims: false });
  await compare('Sum', { x: rand([3, 11, 7, 5], 24) }, { axis: [0, 1, 2], keepDims: false }); // 231 rows: 28 blocks of 8 + 7
  await compare('Sum', { x: rand([8, 3], 25) }, { axis: 0, keepDims: false }); // exactly one block of 8
  await compare('Sum', { x: rand([6, 9], 16) }, { axis: 0, keepDims: false });
  await compare('Sum', { x: rand([6, 9], 17) }, { axis: [0], keepDims: true });
  await compare('Sum', { x: rand([4, 5, 6], 18) }, { axis: [1], keepDims: false });
  await compare('Sum', { x: rand([4, 5], 19) }, { axis: [0, 1], keepDims: false });
  await compare('Sum', { x: { data: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'int32' } }, { axis: 0, keepDims: false }, 0);
});

test('Identity and Cast are zero-copy where possible and keep values', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor([1.5, -2, 3], [3]);
  const before = tf.memory().numTensors;
  const y = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
  const z = tf.engine().runKernel('Cast', { x }, { dtype: 'float32' }) as tf.Tensor;
  const w = tf.engine().runKernel('Cast', { x }, { dtype: 'int32' }) as tf.Tensor;
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1.5, -2, 3]);
  assert.deepEqual(Array.from(z.dataSync()), [1.5, -2, 3]);
  assert.deepEqual(Array.from(w.dataSync()), [1, -2, 3]);
  assert.equal(w.dtype, 'int32');
  y.dispose();
  z.dispose();
  w.dispose();
  assert.equal(tf.memory().numTensors, before - 1);
});

test('gradients of a small CNN match cpu end to end', async () => {
  const xs = rand([3, 10, 7, 1], 20);
  const w1 = rand([3, 3, 1, 4], 21);
  const w2 = rand([3, 3, 4, 6], 22);
  const wd = rand([2 * 1 * 6, 3], 23);
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    const x = tf.tensor4d(xs.data, xs.shape as [number, number, number, number]);
    const vars = [tf.tensor(w1.data, w1.shape), tf.tensor(w2.data, w2.shape), tf.tensor(wd.data, wd.shape)];
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      let h = tf.relu(tf.conv2d(x, a as tf.Tensor4D, 1, 'same'));
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.relu(tf.conv2d(h as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      const flat = tf.reshape(h, [3, -1]);
      return tf.sum(tf.square(tf.matMul(flat, c as tf.Tensor2D)));
    };
    const g = tf.grads(f)(vars);
    const out = g.map((t) => Array.from(t.dataSync()));
    tf.dispose([x, ...vars, ...g]);
    return out;
  };
  const ref = await grads('cpu');
  const got = await grads('wasm');
  await tf.setBackend('wasm');
  for (let k = 0; k < ref.length; k++) {
    const scale = Math.max(...ref[k].map(Math.abs));
    const err = Math.max(...ref[k].map((v, i) => Math.abs(v - got[k][i])));
    assert.ok(scale > 0);
    assert.ok(err <= 1e-4 * scale, `gradient ${k}: relative error ${err / scale}`);
  }
});
