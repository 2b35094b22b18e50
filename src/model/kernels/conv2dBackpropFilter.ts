/**
 * Conv2DBackpropFilter for the wasm backend (the stock backend has none).
 *
 * Fast path (stride 1, dilation 1, NHWC, float32): the filter gradient is a GEMM,
 *   dW[K, outC] = Σ_chunks im2col(x)ᵀ[K, rows] · dy[rows, outC],   K = kh·kw·inC,
 * with the (transposed) im2col chunk built directly on the wasm heap and the product done by
 * XNNPACK (dy, the smaller operand, is the one XNNPACK packs), over
 * chunks of ~2048 output pixels (bounded memory, and shorter float32 sums: ~10× lower error).
 * Anything else goes through a generic direct loop (any stride, NHWC or NCHW).
 */
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, f32Offset, gemm, heapF32, tensorF32, transpose2d, type WasmBackendLike } from './heap.js';

/** Rows (output pixels) per GEMM chunk. */
export let FILTER_GRAD_CHUNK_ROWS = 2048;
/** Change the chunk size (for benchmarks). */
export function setFilterGradChunkRows(rows: number): void {
  FILTER_GRAD_CHUNK_ROWS = rows;
}

interface Args {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendLike;
  attrs: {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
}

export function conv2DBackpropFilterWasm(args: Args): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, dataFormat,
  );
  const fast = info.strideHeight === 1 && info.strideWidth === 1 && info.dataFormat === 'channelsLast' &&
    x.dtype === 'float32' && dy.dtype === 'float32';
  return fast ? filterGradGemm(backend, x, dy, info) : filterGradGeneric(backend, x, dy, info);
}

function filterGradGemm(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW, outChannels: O,
    filterHeight: kh, filterWidth: kw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const K = kh * kw * C;
  const nRows = batchSize * oH * oW;
  const acc = new Float64Array(K * O);
  const chunk = Math.min(FILTER_GRAD_CHUNK_ROWS, nRows);
  // dyᵀ [O, nRows] once, by the backend's C transpose; each chunk's A operand is O runs of it
  const dyT = backend.makeOutput([O, nRows], 'float32');
  transpose2d(backend, dy, nRows, O, dyT);
  for (let r0 = 0; r0 < nRows; r0 += chunk) {
    const rows = Math.min(chunk, nRows - r0);
    const col = backend.makeOutput([1, rows, K], 'float32');
    const dyChunk = rows === nRows ? dyT : backend.makeOutput([1, O, rows], 'float32');
    const prod = backend.makeOutput([1, O, K], 'float32');
    // all allocations are done: this heap view stays valid until the GEMM call
    const heap = heapF32(backend);
    if (dyChunk !== dyT) {
      const src = f32Offset(backend, dyT) + r0;
      const dst = f32Offset(backend, dyChunk);
      for (let o = 0; o < O; o++) heap.copyWithin(dst + o * rows, src + o * nRows, src + o * nRows + rows);
    }
    im2colRows(heap, f32Offset(backend, x), f32Offset(backend, col), r0, rows, { H, W, C, oH, oW, kh, kw, pt, pl });
    // dWᵀ[O, K] = dyᵀ[O, rows] · col[rows, K]; XNNPACK packs col (a fresh tensor every chunk)
    gemm(backend, dyChunk, [1, O, rows], col, [1, rows, K], prod);
    const p = tensorF32(backend, prod);
    for (let o = 0; o < O; o++) {
      const po = o * K;
      for (let k = 0; k < K; k++) acc[k * O + o] += p[po + k];
    }
    disposeTemp(backend, col);
    if (dyChunk !== dyT) disposeTemp(backend, dyChunk);
    disposeTemp(backend, prod);
  }
  disposeTemp(backend, dyT);
  const dW = backend.makeOutput([kh, kw, C, O], 'float32');
  tensorF32(backend, dW).set(acc);
  return dW;
}

interface Im2colGeom { H: number; W: number; C: number; oH: number; oW: number; kh: number; kw: number; pt: number; pl: number }

/**
 * Row-major im2col of output pixels r0 … r0+rows−1 (stride 1, NHWC) into `heap` at `colOff`:
 * col[r][(ky·kw + kx)·C + c] = x[b, oy + ky − pt, ox + kx − pl, c], 0 outside the image.
 * For each (pixel, ky) the in-image kx range is one contiguous run of x (kx-run × C floats),
 * copied as a block; only the border pieces are zero-filled.
 */
export function im2colRows(heap: Float32Array, xOff: number, colOff: number, r0: number, rows: number, g: Im2colGeom): void {
  const { H, W, C, oH, oW, kh, kw, pt, pl } = g;
  const K = kh * kw * C;
  const rowC = kw * C;
  let b = Math.floor(r0 / (oH * oW));
  let oy = Math.floor((r0 - b * oH * oW) / oW);
  let ox = r0 - b * oH * oW - oy * oW;
  for (let r = 0; r < rows; r++) {
    const d0 = colOff + r * K;
    const ix0 = ox - pl;
    const kx0 = ix0 < 0 ? -ix0 : 0;
    const kx1 = Math.min(kw, W - ix0);
    for (let ky = 0; ky < kh; ky++) {
      const d = d0 + ky * rowC;
      const iy = oy + ky - pt;
      if (iy < 0 || iy >= H || kx1 <= kx0) {
        for (let i = 0; i < rowC; i++) heap[d + i] = 0;
        continue;
      }
      for (let i = 0; i < kx0 * C; i++) heap[d + i] = 0;
      const s = xOff + ((b * H + iy) * W + ix0 + kx0) * C;
      const n = (kx1 - kx0) * C;
      const dd = d + kx0 * C;
      if (n >= 64) heap.copyWithin(dd, s, s + n);
      else for (let i = 0; i < n; i++) heap[dd + i] = heap[s + i];
      for (let i = kx1 * C; i < rowC; i++) heap[d + i] = 0;
    }
    if (++ox === oW) {
      ox = 0;
      if (++oy === oH) {
        oy = 0;
        b++;
      }
    }
  }
}

/** Direct loops, any stride/padding, NHWC or NCHW (a port of the cpu backend's algorithm). */
function filterGradGeneric(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inChannels: C, outChannels: O,
    batchSize, inHeight: H, inWidth: W, outHeight: oH, outWidth: oW } = info;
  const last = info.dataFormat === 'channelsLast';
  const xv = Float32Array.from(tensorF32(backend, x));
  const dyv = Float32Array.from(tensorF32(backend, dy));
  const xIdx = last
    ? (b: number, r: number, c: number, d: number) => ((b * H + r) * W + c) * C + d
    : (b: number, r: number, c: number, d: number) => ((b * C + d) * H + r) * W + c;
  const yIdx = last
    ? (b: number, r: number, c: number, d: number) => ((b * oH + r) * oW + c) * O + d
    : (b: number, r: number, c: number, d: number) => ((b * O + d) * oH + r) * oW + c;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dw = new Float32Array(kh * kw * C * O);
  for (let wR = 0; wR < kh; wR++) {
    const yRMin = Math.max(0, Math.ceil((top - wR) / sh));
    const yRMax = Math.min(oH, (H + top - wR) / sh);
    for (let wC = 0; wC < kw; wC++) {
      const yCMin = Math.max(0, Math.ceil((left - wC) / sw));
      const yCMax = Math.min(oW, (W + left - wC) / sw);
      for (let d1 = 0; d1 < C; d1++) {
        for (let d2 = 0; d2 < O; d2++) {
          let dot = 0;
          for (let b = 0; b < batchSize; b++) {
            for (let yR = yRMin; yR < yRMax; yR++) {
              const xR = wR + yR * sh - top;
              for (let yC = yCMin; yC < yCMax; yC++) {
                const xC = wC + yC * sw - left;
                dot += xv[xIdx(b, xR, xC, d1)] * dyv[yIdx(b, yR, yC, d2)];
              }
            }
          }
          dw[((wR * kw + wC) * C + d1) * O + d2] = dot;
        }
      }
    }
  }
  const out = backend.makeOutput([kh, kw, C, O], 'float32');
  tensorF32(backend, out).set(dw);
  return out;
}
