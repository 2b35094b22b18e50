/**
 * BatchMatMul for the wasm backend with explicit transposes: the stock kernel leaves XNNPACK for a
 * naive loop whenever a transpose flag is set (as in every Dense layer's backward pass). Transposed
 * operands are copied to fresh heap tensors (new ids, so XNNPACK's packed-operand cache stays right)
 * and multiplied without flags. For a·bᵀ of matrices with a large b (a Dense layer's input gradient,
 * b = its weights) the product is computed as (b·aᵀ)ᵀ, so that only the small a and the output
 * are transposed. Non-float32 inputs go to the stock kernel.
 *
 * 2-D products (batch 1) with M % 4 = 0 and N % 4 = 0 (the seed CNN's dense layers and their
 * gradients) run on our SIMD GEMM (gemmSimd.ts) instead: XNNPACK packs a fresh right operand into a
 * new operator on every call (the weights change every step), ours reads both operands in place.
 * - a·b: 'ab' layout (A row-major, lda = K); aᵀ·b: 'atb' layout (A stored [K, M]);
 * - a·bᵀ (or aᵀ·bᵀ): computed as (b·aᵀ)ᵀ, b row-major as the 'ab' operand, aᵀ (a copy unless
 *   transposeA) as the right one, the [N, M] product transposed into the output.
 * Deterministic and independent of the thread count (each element sums its K products in k order, one
 * float32 rounding per multiply and per add, on one thread); on the tested shapes this gives exactly
 * XNNPACK's bytes (test/kernels.test.ts), which is why the CNN's training hashes did not move with it.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, f32Offset, transposeBatched, type WasmBackendLike } from './heap.js';
import { gemmAbFor, gemmAtBFor } from './gemmSimd.js';
import { backendMemory } from './maxPoolGrad.js';

let simdGemm = true;
/** Largest K for which aᵀ·b copies a to [M, K] and runs the 'ab' layout (else 'atb' in place). */
export const ATB_COPY_MAX_K = 64;
/** Calls that took the SIMD GEMM path (for tests). */
export const BATCH_MATMUL_SIMD = { calls: 0 };
/** Turn the SIMD GEMM path for 2-D products on or off (benchmarks, tests); returns the previous setting. */
export function setBatchMatMulSimd(on: boolean): boolean {
  const was = simdGemm;
  simdGemm = on;
  return was;
}

interface Args {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackendLike;
  attrs: { transposeA: boolean; transposeB: boolean };
}

/** Copy of `t` with its last two axes swapped, on the heap (the backend's C transpose). */
export function transposeLast2(backend: WasmBackendLike, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2];
  const cols = t.shape[rank - 1];
  const batch = t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([...t.shape.slice(0, -2), cols, rows], 'float32');
  if (batch * rows * cols > 0) transposeBatched(backend, t, batch, rows, cols, out);
  return out;
}

/**
 * C = op(a)·op(b) for float32 operands with batch 1 (rank ≥ 2, leading axes all 1) by our SIMD
 * GEMM, or null when the shape does not fit (M or N not a multiple of 4, K = 0, no wasm SIMD).
 */
function batchMatMulSimd(backend: WasmBackendLike, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo | null {
  if (!simdGemm || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2 || ra !== rb || a.shape.slice(0, -2).some((d) => d !== 1) || b.shape.slice(0, -2).some((d) => d !== 1)) return null;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const M = transposeA ? a1 : a0;
  const K = transposeA ? a0 : a1;
  const N = transposeB ? b0 : b1;
  if ((transposeB ? b1 : b0) !== K || K < 1 || M < 4 || N < 4 || M % 4 !== 0 || N % 4 !== 0) return null;
  const mem = backendMemory(backend);
  const lead = a.shape.slice(0, -2);
  if (!transposeB) {
    // aᵀ·b with a short K (a Dense layer's weight gradient, K = the batch): a is copied to [M, K]
    // and multiplied as a·b, because the 'atb' layout reads A's 4 values of each k from rows
    // M·4 bytes apart (measured: docs/notes/issue-16-gemm10.md)
    const atbInPlace = transposeA && K > ATB_COPY_MAX_K;
    const fn = atbInPlace ? gemmAtBFor(mem) : gemmAbFor(mem, K);
    if (!fn) return null;
    BATCH_MATMUL_SIMD.calls++;
    const aa = transposeA && !atbInPlace ? transposeLast2(backend, a) : a;
    const out = backend.makeOutput([...lead, M, N], 'float32');
    // A(i, k) at k·aStep + ⌊i/4⌋·aBlock (+ the row offset of i mod 4, baked into the module): A stored [K, M] (atb) or [M, K] (ab)
    const [aStep, aBlock] = atbInPlace ? [M * 4, 16] : [4, 16 * K];
    fn(f32Offset(backend, aa) * 4, f32Offset(backend, b) * 4, f32Offset(backend, out) * 4, M, N, K, aStep, aBlock, N * 4, N * 4, 0);
    if (aa !== a) disposeTemp(backend, aa);
    return out;
  }
  // Cᵀ [N, M] = b [N, K] · aᵀ [K, M], then transposed
  const fn = gemmAbFor(mem, K);
  if (!fn) return null;
  BATCH_MATMUL_SIMD.calls++;
  const aT = transposeA ? a : transposeLast2(backend, a);
  const prod = backend.makeOutput([...lead, N, M], 'float32');
  try {
    fn(f32Offset(backend, b) * 4, f32Offset(backend, aT) * 4, f32Offset(backend, prod) * 4, N, M, K, 4, 16 * K, M * 4, M * 4, 0);
    return transposeLast2(backend, prod);
  } finally {
    if (aT !== a) disposeTemp(backend, aT);
    disposeTemp(backend, prod);
  }
}

export function makeBatchMatMulWasm(stock: KernelFunc) {
  return function batchMatMulWasm(args: Args): TensorInfo {
    const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
    const viaSimd = batchMatMulSimd(backend, a, b, transposeA, transposeB);
    if (viaSimd) return viaSimd;
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
      return stock(args as never) as TensorInfo;
    }
    const size = (t: TensorInfo) => t.shape.reduce((p, q) => p * q, 1);
    if (transposeB && !transposeA && a.shape.length === 2 && b.shape.length === 2 &&
      size(a) + a.shape[0] * b.shape[0] < size(b)) {
      // a·bᵀ = (b·aᵀ)ᵀ: transpose (and let XNNPACK pack) the small a and the output instead of
      // the large b (the input gradient of a Dense layer: b is its weight matrix)
      const aT = transposeLast2(backend, a);
      let prod: TensorInfo | null = null;
      try {
        prod = stock({ inputs: { a: b, b: aT }, backend, attrs: { transposeA: false, transposeB: false } } as never) as TensorInfo;
        return transposeLast2(backend, prod);
      } finally {
        disposeTemp(backend, aT);
        if (prod) disposeTemp(backend, prod);
      }
    }
    const aa = transposeA ? transposeLast2(backend, a) : a;
    const bb = transposeB ? transposeLast2(backend, b) : b;
    try {
      return stock({ inputs: { a: aa, b: bb }, backend, attrs: { transposeA: false, transposeB: false } } as never) as TensorInfo;
    } finally {
      if (aa !== a) disposeTemp(backend, aa);
      if (bb !== b) disposeTemp(backend, bb);
    }
  };
}
