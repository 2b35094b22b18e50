/**
 * Our wasm SIMD GEMM (src/model/kernels/gemmSimd.ts) on the wasm backend's heap against the `cpu`
 * backend's matMul: both layouts (Aᵀ·B with A stored [K, M]; A·B with A row-major), the 8-column
 * blocks and the last block of 4, row strides wider than the matrix, accumulate on and off, K = 1;
 * deterministic; the module compiles for shared and unshared memory.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { f32Offset, tensorF32, type WasmBackendLike } from '../src/model/kernels/heap.js';
import { backendMemory } from '../src/model/kernels/maxPoolGrad.js';
import { gemmAbFor, gemmAtBFor, gemmModuleBytes } from '../src/model/kernels/gemmSimd.js';
import { FastRng } from '../src/signal/rng.js';
import { maxRel } from './maxRel.js';

before(async () => {
  assert.equal((await initNodeBackend('wasm')).name, 'wasm');
});

/**
 * Tolerance: float32 sums of K ≤ 300 products in k order against cpu's float32 matMul (another
 * order): measured ≤ 1e-6 of the largest value; 1e-5 leaves a margin and still catches any
 * indexing error (O(1)).
 */
const TOL = 1e-5;

/** [M, N, K, extra row stride of A, of B, of C]. */
const SHAPES: Array<[number, number, number, number, number, number]> = [
  [4, 8, 1, 0, 0, 0],
  [4, 4, 3, 0, 0, 0],
  [8, 12, 17, 0, 0, 0],
  [32, 64, 300, 0, 0, 0],
  [64, 128, 257, 0, 0, 0],
  [12, 20, 9, 4, 8, 12],
  [128, 36, 33, 0, 4, 0],
];

function ref(a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transposeA: boolean, c0: Float32Array | null, N: number): Float32Array {
  const prev = tf.getBackend();
  tf.setBackend('cpu');
  try {
    return tf.tidy(() => {
      let y = tf.matMul(tf.tensor2d(a, aShape), tf.tensor2d(b, bShape), transposeA, false);
      if (c0) y = tf.add(y, tf.tensor2d(c0, [c0.length / N, N]));
      return y.dataSync() as Float32Array;
    });
  } finally {
    tf.setBackend(prev);
  }
}

for (const layout of ['atb', 'ab'] as const) {
  for (const [M, N, K, xa, xb, xc] of SHAPES) {
    for (const accumulate of [0, 1]) {
      test(`gemm ${layout} M ${M} N ${N} K ${K} strides +${xa},+${xb},+${xc} accumulate ${accumulate} matches cpu`, () => {
        const rng = new FastRng(M * 7919 + N * 31 + K + accumulate);
        // A logical: atb [K, M], ab [M, K]; stored with row stride lda
        const [aRows, aCols] = layout === 'atb' ? [K, M] : [M, K];
        const lda = aCols + xa, ldb = N + xb, ldc = N + xc;
        const aL = Float32Array.from({ length: aRows * aCols }, () => rng.normal());
        const bL = Float32Array.from({ length: K * N }, () => rng.normal());
        const cL = Float32Array.from({ length: M * N }, () => rng.normal());
        const be = tf.backend() as unknown as WasmBackendLike;
        const fn = layout === 'atb' ? gemmAtBFor(backendMemory(be)) : gemmAbFor(backendMemory(be), lda);
        assert.ok(fn, 'SIMD GEMM compiles');
        const aS = new Float32Array(aRows * lda), bS = new Float32Array(K * ldb), cS = new Float32Array(M * ldc).fill(Number.NaN);
        for (let i = 0; i < aRows; i++) aS.set(aL.subarray(i * aCols, (i + 1) * aCols), i * lda);
        for (let i = 0; i < K; i++) bS.set(bL.subarray(i * N, (i + 1) * N), i * ldb);
        if (accumulate) for (let i = 0; i < M; i++) cS.set(cL.subarray(i * N, (i + 1) * N), i * ldc);
        const ta = tf.tensor1d(aS), tb = tf.tensor1d(bS), tc = tf.tensor1d(cS);
        const runOnce = (): Float32Array => {
          tensorF32(be, tc).set(cS);
          const pa = f32Offset(be, ta) * 4, pb = f32Offset(be, tb) * 4, pc = f32Offset(be, tc) * 4;
          if (layout === 'atb') fn!(pa, pb, pc, M, N, K, lda * 4, 16, ldb * 4, ldc * 4, accumulate);
          else fn!(pa, pb, pc, M, N, K, 4, 16 * lda, ldb * 4, ldc * 4, accumulate);
          return Float32Array.from(tensorF32(be, tc));
        };
        const got = runOnce();
        const again = runOnce();
        tf.dispose([ta, tb, tc]);
        assert.deepEqual(again, got, 'deterministic');
        const y = new Float32Array(M * N);
        for (let i = 0; i < M; i++) {
          y.set(got.subarray(i * ldc, i * ldc + N), i * N);
          // the padding columns of C are left alone
          for (let j = N; j < ldc; j++) assert.ok(Number.isNaN(got[i * ldc + j]!), 'C padding untouched');
        }
        const expect = ref(aL, [aRows, aCols], bL, [K, N], layout === 'atb', accumulate ? cL : null, N);
        const err = maxRel(y, expect);
        assert.ok(err <= TOL, `max rel error ${err}`);
      });
    }
  }
}

test('the GEMM module compiles for shared and unshared memory', () => {
  for (const shared of [false, true]) {
    const memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: 65536, shared: true } : { initial: 1 });
    for (const [layout, lda] of [['atb', 0], ['ab', 64]] as const) {
      assert.ok(WebAssembly.validate(gemmModuleBytes(layout, lda, shared)), `${layout} shared=${shared}`);
      assert.doesNotThrow(() => new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes(layout, lda, shared)), { env: { memory } }));
    }
  }
});
