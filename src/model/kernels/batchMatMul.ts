/**
 * BatchMatMul for the wasm backend with explicit transposes: the stock kernel leaves XNNPACK for a
 * naive loop whenever a transpose flag is set (as in every Dense layer's backward pass). Transposed
 * operands are copied to fresh heap tensors (new ids, so XNNPACK's packed-operand cache stays right)
 * and multiplied without flags. For a·bᵀ of matrices with a large b (a Dense layer's input gradient,
 * b = its weights) the product is computed as (b·aᵀ)ᵀ, so that only the small a and the output
 * are transposed. Non-float32 inputs go to the stock kernel.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, transposeBatched, type WasmBackendLike } from './heap.js';

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

export function makeBatchMatMulWasm(stock: KernelFunc) {
  return function batchMatMulWasm(args: Args): TensorInfo {
    const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
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
