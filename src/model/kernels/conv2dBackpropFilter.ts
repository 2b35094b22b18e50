/**
 * Conv2DBackpropFilter for the wasm backend (the stock backend has none).
 *
 * Fast path (stride 1, dilation 1, NHWC, float32): the filter gradient is a GEMM,
 *   dW[K, outC] = Σ_chunks im2col(x)ᵀ[K, rows] · dy[rows, outC],   K = kh·kw·inC,
 * with the product done by XNNPACK (dy, the smaller operand, is the one XNNPACK packs; the long
 * side K stays the GEMM's M, which keeps packing cheap relative to the arithmetic), over chunks
 * of ~2048 output pixels cut at whole output lines (bounded memory, and shorter float32 sums:
 * ~10× lower error). The transposed im2col chunk is built directly on the wasm heap from a
 * channel-major copy of x (one C transpose per call): every row of it is then a sequence of
 * contiguous runs, one per output line, instead of a stride-C gather per element.
 * 3×3 'same' with ≥ 64 input channels takes Winograd F(2×2, 3×3) instead (winogradConv.ts).
 * Anything else goes through a generic direct loop (any stride, NHWC or NCHW).
 */
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, f32Offset, gemm, heapF32, tensorF32, transpose2d, type WasmBackendLike, type Conv2DBackpropAttrs } from './heap.js';
import { filterGradC1For } from './filterGradC1Simd.js';
import { backendMemory } from './maxPoolGrad.js';
import { winogradFilterGrad, winogradFits } from './winogradConv.js';

/** Rows (output pixels) per GEMM chunk. */
export let FILTER_GRAD_CHUNK_ROWS = 2048;
/** Change the chunk size (for benchmarks). */
export function setFilterGradChunkRows(rows: number): void {
  FILTER_GRAD_CHUNK_ROWS = rows;
}

interface Args {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropAttrs & {
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
  if (!fast) return filterGradGeneric(backend, x, dy, info);
  if (winogradFits(backend, info, 'filterGrad')) return winogradFilterGrad(backend, x, dy, info.inChannels, info.outChannels);
  return filterGradC1(backend, x, dy, info) ?? filterGradGemm(backend, x, dy, info);
}

/**
 * One input channel (C = 1, O % 4 = 0, kh·kw ≤ 12): the SIMD kernel of filterGradC1Simd.ts, one
 * call per image over a zero-padded copy of the image; per-image float32 partial sums added in
 * float64. Returns null where it does not apply (the GEMM path then runs).
 */
function filterGradC1(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW, outChannels: O,
    filterHeight: kh, filterWidth: kw } = info;
  if (C !== 1 || B < 1 || oH < 1 || oW < 1) return null;
  const xRowW = oW + kw - 1;
  const xRows = oH + kh - 1;
  const fn = filterGradC1For(backendMemory(backend), { xRowW, kh, kw, outC: O });
  if (!fn) return null;
  const T = kh * kw;
  const nG = O / 4;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const xpad = backend.makeOutput([B, xRows, xRowW], 'float32');
  const part = backend.makeOutput([B, nG, T, 4], 'float32');
  // all allocations are done: the heap view stays valid until the end
  const heap = heapF32(backend);
  const xOff = f32Offset(backend, x);
  const pOff = f32Offset(backend, xpad);
  // xpad[b][r][c] = x[b][r − pt][c − pl], 0 outside the image
  const c0 = Math.max(0, pl);
  const c1 = Math.min(xRowW, W + pl);
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < xRows; r++) {
      const d = pOff + (b * xRows + r) * xRowW;
      const iy = r - pt;
      if (iy < 0 || iy >= H || c1 <= c0) {
        heap.fill(0, d, d + xRowW);
        continue;
      }
      if (c0 > 0) heap.fill(0, d, d + c0);
      const s = xOff + (b * H + iy) * W + c0 - pl;
      heap.copyWithin(d + c0, s, s + (c1 - c0));
      if (c1 < xRowW) heap.fill(0, d + c1, d + xRowW);
    }
  }
  const dyByte = f32Offset(backend, dy) * 4;
  const partOff = f32Offset(backend, part);
  for (let b = 0; b < B; b++) {
    fn((pOff + b * xRows * xRowW) * 4, dyByte + b * oH * oW * O * 4, (partOff + b * nG * T * 4) * 4, oH, oW, nG);
  }
  const acc = new Float64Array(T * O);
  const p = tensorF32(backend, part);
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < nG; g++) {
      for (let t = 0; t < T; t++) {
        const s = ((b * nG + g) * T + t) * 4;
        const d = t * O + g * 4;
        acc[d] += p[s];
        acc[d + 1] += p[s + 1];
        acc[d + 2] += p[s + 2];
        acc[d + 3] += p[s + 3];
      }
    }
  }
  disposeTemp(backend, xpad);
  disposeTemp(backend, part);
  const dW = backend.makeOutput([kh, kw, 1, O], 'float32');
  tensorF32(backend, dW).set(acc);
  return dW;
}

function filterGradGemm(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW, outChannels: O,
    filterHeight: kh, filterWidth: kw } = info;
  const K = kh * kw * C;
  const nRows = batchSize * oH * oW;
  const acc = new Float64Array(K * O);
  // whole output lines per chunk, so that every im2col run is one line
  const chunk = Math.min(nRows, Math.max(1, Math.floor(FILTER_GRAD_CHUNK_ROWS / oW)) * oW);
  // x channel-major, xT[c][b, y, x], by the backend's C transpose (for C = 1 it already is)
  const xT = C === 1 ? x : backend.makeOutput([C, batchSize * H * W], 'float32');
  if (xT !== x) transpose2d(backend, x, batchSize * H * W, C, xT);
  const geom = { H, W, C, oH, oW, kh, kw, pt: info.padInfo.top, pl: info.padInfo.left, plane: batchSize * H * W };
  for (let r0 = 0; r0 < nRows; r0 += chunk) {
    const rows = Math.min(chunk, nRows - r0);
    const colT = backend.makeOutput([1, K, rows], 'float32');
    const dyChunk = backend.makeOutput([1, rows, O], 'float32');
    const prod = backend.makeOutput([1, K, O], 'float32');
    // all allocations are done: this heap view stays valid until the GEMM call
    const heap = heapF32(backend);
    const dyOff = f32Offset(backend, dy) + r0 * O;
    heap.copyWithin(f32Offset(backend, dyChunk), dyOff, dyOff + rows * O);
    im2colTransposed(heap, f32Offset(backend, xT), f32Offset(backend, colT), r0 / oW, rows / oW, geom);
    // dW[K, O] = colᵀ[K, rows] · dy[rows, O]; XNNPACK packs the dy chunk (a fresh tensor)
    gemm(backend, colT, [1, K, rows], dyChunk, [1, rows, O], prod);
    const p = tensorF32(backend, prod);
    for (let i = 0; i < K * O; i++) acc[i] += p[i];
    disposeTemp(backend, colT);
    disposeTemp(backend, dyChunk);
    disposeTemp(backend, prod);
  }
  if (xT !== x) disposeTemp(backend, xT);
  const dW = backend.makeOutput([kh, kw, C, O], 'float32');
  tensorF32(backend, dW).set(acc);
  return dW;
}

/** Geometry of {@link im2colTransposed}; `plane` = batch·H·W (one channel of xT). */
export interface Im2colGeom { H: number; W: number; C: number; oH: number; oW: number; kh: number; kw: number; pt: number; pl: number; plane: number }

/**
 * Transposed im2col of whole output lines line0 … line0+lines−1 (a line = one (b, oy); stride 1)
 * from the channel-major input xT[c][(b·H + y)·W + x] into `heap` at `colOff`:
 * colT[(ky·kw + kx)·C + c][r] = xT[c][(b·H + oy + ky − pt)·W + ox + kx − pl], 0 outside the image,
 * r = (line − line0)·oW + ox. For each row of colT and each line the in-image part is one
 * contiguous run of xT; only the border pixels are zero-filled.
 */
export function im2colTransposed(heap: Float32Array, xTOff: number, colOff: number, line0: number, lines: number, g: Im2colGeom): void {
  const { H, W, C, oH, oW, kh, kw, pt, pl, plane } = g;
  const rows = lines * oW;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      // output columns whose input column ox + kx − pl is inside [0, W)
      const ox0 = Math.max(0, pl - kx);
      const ox1 = Math.min(oW, W + pl - kx);
      for (let c = 0; c < C; c++) {
        const dRow = colOff + ((ky * kw + kx) * C + c) * rows;
        const sPlane = xTOff + c * plane + kx - pl;
        if (W === oW && sPlane >= 0) {
          blockRuns(heap, dRow, sPlane, line0, lines, ky, ox0, ox1, g);
          continue;
        }
        let b = Math.floor(line0 / oH);
        let oy = line0 - b * oH;
        for (let l = 0; l < lines; l++) {
          const d = dRow + l * oW;
          const iy = oy + ky - pt;
          if (iy < 0 || iy >= H || ox1 <= ox0) {
            for (let i = 0; i < oW; i++) heap[d + i] = 0;
          } else {
            for (let i = 0; i < ox0; i++) heap[d + i] = 0;
            const s = sPlane + (b * H + iy) * W;
            for (let i = ox0; i < ox1; i++) heap[d + i] = heap[s + i];
            for (let i = ox1; i < oW; i++) heap[d + i] = 0;
          }
          if (++oy === oH) {
            oy = 0;
            b++;
          }
        }
      }
    }
  }
}

/**
 * One row of colT for one (ky, kx, c) when input and output lines have the same width (stride 1,
 * 'same'-like width): the lines of one image with an in-image input row are then one contiguous
 * block of xT, copied at once (shifted by kx − pl); the pixels whose input column is outside the
 * image (read from the neighbouring line by the block copy) and the lines whose input row is
 * outside are zeroed afterwards.
 */
function blockRuns(heap: Float32Array, dRow: number, sPlane: number, line0: number, lines: number, ky: number, ox0: number, ox1: number, g: Im2colGeom): void {
  const { H, oH, oW, pt } = g;
  let l = 0;
  while (l < lines) {
    const line = line0 + l;
    const b = Math.floor(line / oH);
    const oyS = line - b * oH;
    const n = Math.min(lines - l, oH - oyS); // lines of image b in this chunk
    // in-image input rows: 0 ≤ oy + ky − pt < H
    const oyA = Math.max(oyS, pt - ky);
    const oyB = Math.min(oyS + n, H + pt - ky);
    const d = dRow + l * oW;
    if (oyB > oyA) {
      const dA = d + (oyA - oyS) * oW;
      const sA = sPlane + (b * H + oyA + ky - pt) * oW;
      heap.copyWithin(dA, sA, sA + (oyB - oyA) * oW);
      if (ox0 > 0 || ox1 < oW) {
        for (let oy = oyA; oy < oyB; oy++) {
          const dl = d + (oy - oyS) * oW;
          const zEnd = Math.min(ox0, oW);
          for (let i = 0; i < zEnd; i++) heap[dl + i] = 0;
          for (let i = Math.max(ox1, 0); i < oW; i++) heap[dl + i] = 0;
        }
      }
      if (oyA > oyS) heap.fill(0, d, dA);
      if (oyB < oyS + n) heap.fill(0, d + (oyB - oyS) * oW, d + n * oW);
    } else {
      heap.fill(0, d, d + n * oW);
    }
    l += n;
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
