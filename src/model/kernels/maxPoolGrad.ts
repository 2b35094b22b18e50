/**
 * MaxPoolGrad for the wasm backend as one tight pass over the windows (NHWC float32, any pool
 * size, stride, padding): the gradient goes to the first maximum of each window in row-major
 * order, exactly like the cpu backend (the stock wasm kernel breaks ties differently). Non-float32
 * inputs use the stock kernel.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapBuffer, tensorF32, type WasmBackendLike } from './heap.js';
import { poolRowFor } from './maxPool2x2Simd.js';

interface Args {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackendLike;
  attrs: {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
}

export function makeMaxPoolGradWasm(stock: KernelFunc) {
  return function maxPoolGradWasm(args: Args): TensorInfo {
    const { inputs: { dy, input }, backend, attrs } = args;
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return stock(args as never) as TensorInfo;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW,
      strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw,
      effectiveFilterHeight: efh, effectiveFilterWidth: efw } = info;
    const pt = info.padInfo.top;
    const pl = info.padInfo.left;
    const dx = backend.makeOutput(input.shape, 'float32');
    const simd = sh === 2 && sw === 2 && efh === 2 && efw === 2 && pt === 0 && pl === 0 && C % 4 === 0 && oW > 0
      ? poolRowFor(backendMemory(backend)) : null;
    if (simd && oH * 2 <= H && oW * 2 <= W) {
      pool2x2GradSimd(simd, backend, input, dy, dx, batchSize, H, W, C, oH, oW);
      return dx;
    }
    const x = tensorF32(backend, input);
    const g = tensorF32(backend, dy);
    const out = tensorF32(backend, dx);
    if (sh === 2 && sw === 2 && efh === 2 && efw === 2 && pt === 0 && pl === 0 && oH * 2 <= H && oW * 2 <= W) {
      pool2x2Grad(x, g, out, batchSize, H, W, C, oH, oW);
      return dx;
    }
    out.fill(0);
    const maxV = new Float32Array(C);
    const maxP = new Int32Array(C);
    for (let b = 0; b < batchSize; b++) {
      for (let oy = 0; oy < oH; oy++) {
        const yCorner = oy * sh - pt;
        let y0 = yCorner;
        while (y0 < 0) y0 += dh;
        const y1 = Math.min(H, yCorner + efh);
        for (let ox = 0; ox < oW; ox++) {
          const xCorner = ox * sw - pl;
          let x0 = xCorner;
          while (x0 < 0) x0 += dw;
          const x1 = Math.min(W, xCorner + efw);
          maxV.fill(Number.NEGATIVE_INFINITY);
          maxP.fill(-1);
          for (let iy = y0; iy < y1; iy += dh) {
            for (let ix = x0; ix < x1; ix += dw) {
              const base = ((b * H + iy) * W + ix) * C;
              for (let c = 0; c < C; c++) {
                const v = x[base + c];
                if (v > maxV[c]) {
                  maxV[c] = v;
                  maxP[c] = base + c;
                }
              }
            }
          }
          const gBase = ((b * oH + oy) * oW + ox) * C;
          for (let c = 0; c < C; c++) if (maxP[c] >= 0) out[maxP[c]] += g[gBase + c];
        }
      }
    }
    return dx;
  };
}

/** The wasm backend's `WebAssembly.Memory` (Emscripten exports it as `asm.memory`), if reachable. */
export function backendMemory(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  const m = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  const mem = m.asm?.memory ?? m.wasmMemory;
  return mem instanceof WebAssembly.Memory && mem.buffer === heapBuffer(backend) ? mem : undefined;
}

/**
 * The 2×2, stride-2, unpadded case with C % 4 = 0: one call of the SIMD row function per output
 * row (see maxPool2x2Simd.ts), the odd last column/row (in no window) zeroed here.
 */
function pool2x2GradSimd(
  row: NonNullable<ReturnType<typeof poolRowFor>>, backend: WasmBackendLike, input: TensorInfo, dy: TensorInfo, dx: TensorInfo,
  B: number, H: number, W: number, C: number, oH: number, oW: number,
): void {
  const xB = backend.dataIdMap.get(input.dataId).memoryOffset;
  const gB = backend.dataIdMap.get(dy.dataId).memoryOffset;
  const oB = backend.dataIdMap.get(dx.dataId).memoryOffset;
  const cB = C * 4;
  const rB = W * cB;
  const gRowB = oW * cB;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oH; oy++) {
      const at = (b * H + 2 * oy) * rB;
      row(xB + at, gB + (b * oH + oy) * gRowB, oB + at, oW, cB, rB);
    }
  }
  if (2 * oW === W && 2 * oH === H) return;
  const out = tensorF32(backend, dx);
  for (let b = 0; b < B; b++) {
    if (2 * oW < W) {
      // a last odd column is in no window
      for (let iy = 0; iy < 2 * oH; iy++) out.fill(0, ((b * H + iy) * W + 2 * oW) * C, (b * H + iy + 1) * W * C);
    }
    // a last odd row is in no window
    if (2 * oH < H) out.fill(0, (b * H + 2 * oH) * W * C, (b + 1) * H * W * C);
  }
}

/**
 * The common 2×2, stride-2, unpadded case, unrolled (same tie rule: first maximum in row-major
 * order). Writes every element of `out` once (no separate zero fill).
 */
function pool2x2Grad(x: Float32Array, g: Float32Array, out: Float32Array, B: number, H: number, W: number, C: number, oH: number, oW: number): void {
  const rowStride = W * C;
  let gi = 0;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oH; oy++) {
      for (let ox = 0; ox < oW; ox++) {
        const p00 = ((b * H + 2 * oy) * W + 2 * ox) * C;
        const p01 = p00 + C;
        const p10 = p00 + rowStride;
        const p11 = p10 + C;
        for (let c = 0; c < C; c++, gi++) {
          const a00 = x[p00 + c];
          const a01 = x[p01 + c];
          const a10 = x[p10 + c];
          const a11 = x[p11 + c];
          let best = 0;
          let v = a00 > Number.NEGATIVE_INFINITY ? a00 : Number.NEGATIVE_INFINITY; // NaN never wins
          if (a01 > v) {
            best = 1;
            v = a01;
          }
          if (a10 > v) {
            best = 2;
            v = a10;
          }
          if (a11 > v) {
            best = 3;
            v = a11;
          }
          // as the cpu backend: a window without a maximum (all NaN / −∞) passes no gradient
          const gv = v > Number.NEGATIVE_INFINITY ? g[gi] : 0;
          out[p00 + c] = best === 0 ? gv : 0;
          out[p01 + c] = best === 1 ? gv : 0;
          out[p10 + c] = best === 2 ? gv : 0;
          out[p11 + c] = best === 3 ? gv : 0;
        }
      }
      // a last odd column is in no window
      if (2 * oW < W) {
        for (let ix = 2 * oW; ix < W; ix++) {
          for (const iy of [2 * oy, 2 * oy + 1]) out.fill(0, ((b * H + iy) * W + ix) * C, ((b * H + iy) * W + ix + 1) * C);
        }
      }
    }
    // a last odd row is in no window
    if (2 * oH < H) out.fill(0, (b * H + 2 * oH) * W * C, (b + 1) * H * W * C);
  }
}
