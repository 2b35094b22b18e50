/**
 * Sum over leading axes for the wasm backend (the bias gradient: NHWC → C, or [batch, n] → n) as a
 * tight loop with float64 accumulation; the stock kernel transposes the whole tensor first. Other
 * reductions use the stock kernel.
 */
import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, f32Offset, tensorF32, type WasmBackendLike } from './heap.js';
import { backendMemory } from './maxPoolGrad.js';
import { columnSumSimdFor } from './sumSimd.js';

interface Args {
  inputs: { x: TensorInfo };
  backend: WasmBackendLike;
  attrs: { axis: number | number[]; keepDims: boolean };
}

export function makeSumWasm(stock: KernelFunc) {
  return function sumWasm(args: Args): TensorInfo {
    const { inputs: { x }, backend, attrs } = args;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return stock(args as never) as TensorInfo;
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(axes.length);
    const cols = rest.reduce((a, b) => a * b, 1);
    const acc = new Float64Array(cols);
    // eight rows per pass: an eighth of the accumulator loads/stores (partial sums in float64);
    // in wasm SIMD, four columns at a time, where cols is a multiple of 4 (the same additions in
    // the same order: bit-identical, sumSimd.ts)
    let r = 0;
    const simd = cols % 4 === 0 && rows >= 8 ? columnSumSimdFor(backendMemory(backend)) : null;
    if (simd) {
      const accT = backend.makeOutput([2 * cols], 'float32'); // cols float64 accumulators
      const accOff = f32Offset(backend, accT);
      tensorF32(backend, accT).fill(0);
      const groups = Math.floor(rows / 8);
      simd(f32Offset(backend, x) * 4, accOff * 4, cols * 4, groups);
      const accHeap = tensorF32(backend, accT);
      acc.set(new Float64Array(accHeap.buffer, accHeap.byteOffset, cols));
      disposeTemp(backend, accT);
      r = groups * 8;
    }
    const v = tensorF32(backend, x);
    for (; r + 8 <= rows; r += 8) {
      const b0 = r * cols;
      const b1 = b0 + cols;
      const b2 = b1 + cols;
      const b3 = b2 + cols;
      const b4 = b3 + cols;
      const b5 = b4 + cols;
      const b6 = b5 + cols;
      const b7 = b6 + cols;
      for (let c = 0; c < cols; c++) {
        acc[c] += ((v[b0 + c] + v[b1 + c]) + (v[b2 + c] + v[b3 + c])) + ((v[b4 + c] + v[b5 + c]) + (v[b6 + c] + v[b7 + c]));
      }
    }
    for (; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) acc[c] += v[base + c];
    }
    const outShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(rest, axes) : rest;
    const out = backend.makeOutput(outShape, 'float32');
    tensorF32(backend, out).set(acc);
    return out;
  };
}
