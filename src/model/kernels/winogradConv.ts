/**
 * Winograd F(2×2, 3×3) convolution on the wasm backend's heap: the forward pass, the input
 * gradient and the filter gradient of a 3×3, stride-1, 'same' NHWC convolution (Lavin & Gray 2016,
 * "Fast Algorithms for Convolutional Neural Networks").
 *
 * The output is cut into 2×2 tiles; each needs a 4×4 input patch d. With the transforms
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 −1 −1],
 * a tile of output channel o is Y = Aᵀ·[Σ_c (G·g_co·Gᵀ) ⊙ (Bᵀ·d_c·B)]·A. Per position k of the 4×4
 * transformed tile the channel sum is a GEMM, M[k] = V[k]·U[k] with V[k] = [tiles, C] and
 * U[k] = [C, O]: 16 GEMMs of 2·tiles·C·O FLOPs do the work of 36 (the direct conv's 9 taps ×
 * 4 pixels), 2.25× fewer multiplies. The 16 GEMMs are XNNPACK GEMM calls, one per plane; the transforms
 * are adds only, in wasm SIMD (winogradSimd.ts); the filter transforms are small JS loops.
 * - Input gradient: dx is the same 'same' convolution of dy with the filter rotated 180° and its
 *   channels swapped, so it takes the same path.
 * - Filter gradient: Y is linear in g, so dg_co = Σ_tiles Gᵀ·[(A·dY_o·Aᵀ) ⊙ (Bᵀ·d_c·B)]·G, i.e. per
 *   position k the GEMM dU[k] = V[k]ᵀ·Z[k] ([C, tiles]·[tiles, O]), Z = A·dY·Aᵀ of each 2×2 tile
 *   of dy (zero past the image), then dg = Gᵀ·dU·G.
 * Tiles are processed in chunks of whole tile rows, so that the transformed operands stay small.
 * Numerics: not bit-identical to the direct convolution (different sums), within float32
 * rounding of it (see docs/notes/issue-16-wino.md for the measured error). Deterministic: fixed
 * loop orders, one thread for the transforms, XNNPACK's GEMM deterministic for a thread count and
 * across thread counts (each output element is summed by one thread in a fixed order).
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, f32Offset, heapF32, tensorF32, transposeBatched, type WasmBackendLike } from './heap.js';
import { backendMemory } from './maxPoolGrad.js';
import { F22, winoGradFor, winoInputFor, winoOutputFor, type WinogradMatrices } from './winogradSimd.js';
import { gemmAbFor, gemmAtBFor } from './gemmSimd.js';
import { F43 } from './winograd43Simd.js';
import { winoFilterFor, winoFilterGradFor } from './winogradFilterSimd.js';

/** Tiles (2×2 output pixels) per forward GEMM chunk. */
export let WINO_CHUNK_TILES = 1024;
/** Tiles per filter-gradient chunk (the transformed operands' size; the GEMM accumulates across chunks). */
export let WINO_GRAD_CHUNK_TILES = 2048;
/** Change the chunk sizes (for benchmarks). */
export function setWinogradChunkTiles(forward: number, grad = WINO_GRAD_CHUNK_TILES): void {
  WINO_CHUNK_TILES = forward;
  WINO_GRAD_CHUNK_TILES = grad;
}

/**
 * Smallest channel counts (in and out, both multiples of 4) for which the conv ops take the
 * Winograd path; below it the direct XNNPACK path runs (measured: docs/notes/issue-16-wino.md).
 */
export const WINO_MIN_CHANNELS = 8;
/**
 * Smallest input channel count for the Winograd filter gradient. With XNNPACK's GEMM ([O, tiles]·
 * [tiles, C] per position, a fresh operator per call) it lost to the direct im2col path at C = 32
 * (docs/notes/issue-16-wino.md), so it was 64; with our own SIMD GEMM (gemmSimd.ts) it wins at
 * C = 32 too (docs/notes/issue-16-gemm7.md), so every conv that takes Winograd takes it.
 */
export const WINO_FILTER_GRAD_MIN_IN_CHANNELS = WINO_MIN_CHANNELS;

let enabled = true;
/** Turn the Winograd path on or off (benchmarks compare both in one process); returns the previous setting. */
export function setWinogradEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/**
 * Whether a conv of this geometry takes the Winograd path: 3×3 filter, stride 1, dilation 1,
 * 'same' padding (1 on each side), NHWC, float32, C and O multiples of 4 and ≥ {@link WINO_MIN_CHANNELS},
 * wasm SIMD available, and the path enabled. `use` 'filterGrad': also C ≥ {@link WINO_FILTER_GRAD_MIN_IN_CHANNELS}.
 */
export function winogradFits(backend: WasmBackendLike, info: backend_util.Conv2DInfo, use: 'conv' | 'filterGrad' = 'conv'): boolean {
  if (use === 'filterGrad' && info.inChannels < WINO_FILTER_GRAD_MIN_IN_CHANNELS) return false;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo,
    inHeight, inWidth, outHeight, outWidth, inChannels: C, outChannels: O, dataFormat } = info;
  if (!enabled || filterHeight !== 3 || filterWidth !== 3 || strideHeight !== 1 || strideWidth !== 1 ||
    dilationHeight !== 1 || dilationWidth !== 1 || dataFormat !== 'channelsLast' || padInfo.top !== 1 || padInfo.left !== 1 ||
    outHeight !== inHeight || outWidth !== inWidth || info.batchSize < 1 || inHeight < 1 || inWidth < 1) return false;
  if (C % 4 !== 0 || O % 4 !== 0 || C < WINO_MIN_CHANNELS || O < WINO_MIN_CHANNELS) return false;
  const mem = backendMemory(backend);
  return !!(mem && winoInputFor(mem, F22, 4, 6) && winoOutputFor(mem, F22, 4, 2, false) && winoGradFor(mem, F22, 4, 2) && gemmAtBFor(mem) && gemmAbFor(mem, 4));
}

/** Per-phase milliseconds, accumulated while `enabled` (for bench/winogradLayers.ts). */
export const WINO_PROFILE = { enabled: false, ms: {} as Record<string, number> };
let tMark = 0;
function mark(phase: string | null): void {
  if (!WINO_PROFILE.enabled) return;
  const now = performance.now();
  if (phase) WINO_PROFILE.ms[phase] = (WINO_PROFILE.ms[phase] ?? 0) + now - tMark;
  tMark = now;
}

/** Tiles of m × m outputs (m = 2: F(2×2, 3×3); 4: F(4×4, 3×3)); padded input (m·nTH + 2) × (m·nTW + 2). */
interface Geom { B: number; H: number; W: number; m: number; nTH: number; nTW: number; Hp: number; Wp: number }
function geom(B: number, H: number, W: number, m = 2): Geom {
  const nTH = Math.ceil(H / m);
  const nTW = Math.ceil(W / m);
  return { B, H, W, m, nTH, nTW, Hp: m * nTH + 2, Wp: m * nTW + 2 };
}

/** x [B, H, W, C] → xpad [B, Hp, Wp, C]: x at offset (1, 1), zero elsewhere. */
function padInput(backend: WasmBackendLike, x: TensorInfo, g: Geom, C: number): TensorInfo {
  const { B, H, W, Hp, Wp } = g;
  const xp = backend.makeOutput([B, Hp, Wp, C], 'float32');
  const heap = heapF32(backend);
  const s0 = f32Offset(backend, x);
  const d0 = f32Offset(backend, xp);
  const rowP = Wp * C;
  for (let b = 0; b < B; b++) {
    const db = d0 + b * Hp * rowP;
    heap.fill(0, db, db + rowP + C); // row 0 and the left border of row 1
    for (let y = 0; y < H; y++) {
      const d = db + (y + 1) * rowP + C;
      heap.copyWithin(d, s0 + (b * H + y) * W * C, s0 + (b * H + y + 1) * W * C);
      // right border of this row and left border of the next
      heap.fill(0, d + W * C, d + rowP);
    }
    heap.fill(0, db + (H + 1) * rowP + C, db + Hp * rowP);
  }
  return xp;
}

/** dy [B, H, W, O] → [B, m·nTH, m·nTW, O], zero past the image (or dy itself when H, W are multiples of m). */
function padOutputGrad(backend: WasmBackendLike, dy: TensorInfo, g: Geom, O: number): TensorInfo {
  const { B, H, W, m, nTH, nTW } = g;
  if (H === m * nTH && W === m * nTW) return dy;
  const Wq = m * nTW;
  const Hq = m * nTH;
  const dp = backend.makeOutput([B, Hq, Wq, O], 'float32');
  const heap = heapF32(backend);
  const s0 = f32Offset(backend, dy);
  const d0 = f32Offset(backend, dp);
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < Hq; y++) {
      const d = d0 + (b * Hq + y) * Wq * O;
      if (y >= H) {
        heap.fill(0, d, d + Wq * O);
        continue;
      }
      const s = s0 + (b * H + y) * W * O;
      heap.copyWithin(d, s, s + W * O);
      if (Wq > W) heap.fill(0, d + W * O, d + Wq * O);
    }
  }
  return dp;
}

/**
 * The filter transform of F(m×m, 3×3): U[k][e] = (G·g_e·Gᵀ)[k] for the n = C·O filters g_e of
 * w [3, 3, n] (tap-major, e contiguous), (m + 2)² planes; `rotate`: g_e rotated 180° (tap t read as
 * 8 − t). Float64 arithmetic rounded once.
 */
export function winogradFilter(G: WinogradMatrices['G'], w: Float32Array, n: number, rotate: boolean, out: Float32Array): void {
  const nG = G.length;
  const g = new Float64Array(9);
  const r = new Float64Array(3 * nG);
  for (let e = 0; e < n; e++) {
    for (let t = 0; t < 9; t++) g[t] = w[(rotate ? 8 - t : t) * n + e]!;
    // r = G·g (nG × 3)
    for (let i = 0; i < nG; i++) {
      const Gi = G[i]!;
      for (let b = 0; b < 3; b++) r[i * 3 + b] = Gi[0]! * g[b]! + Gi[1]! * g[3 + b]! + Gi[2]! * g[6 + b]!;
    }
    // U = r·Gᵀ (nG × nG)
    for (let i = 0; i < nG; i++) {
      const a = r[i * 3]!, b = r[i * 3 + 1]!, c = r[i * 3 + 2]!;
      for (let j = 0; j < nG; j++) {
        const Gj = G[j]!;
        out[(i * nG + j) * n + e] = Gj[0]! * a + Gj[1]! * b + Gj[2]! * c;
      }
    }
  }
}

/**
 * The filter gradient's output transform of F(m×m, 3×3): dW[a][b] = Σ_ij G[i][a]·G[j][b]·dU[i][j]
 * for the n filters of dU [(m + 2)², n] (plane k = (m + 2)·i + j), into dW [9, n]. Float64
 * arithmetic rounded once: the reference (and fallback) of the SIMD transform
 * (winogradFilterSimd.ts, `winoFilterGradFor`).
 */
export function winogradFilterGradTransform(G: WinogradMatrices['G'], dU: ArrayLike<number>, n: number, out: Float32Array): void {
  const nG = G.length;
  const t = new Float64Array(3 * nG);
  for (let e = 0; e < n; e++) {
    // t[a][j] = Σ_i G[i][a]·dU[i][j]
    for (let a = 0; a < 3; a++) {
      for (let j = 0; j < nG; j++) {
        let sum = 0;
        for (let i = 0; i < nG; i++) {
          const gi = G[i]![a]!;
          if (gi !== 0) sum += gi * dU[(i * nG + j) * n + e]!;
        }
        t[a * nG + j] = sum;
      }
    }
    // dW[a][b] = Σ_j t[a][j]·G[j][b]
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let j = 0; j < nG; j++) {
          const gj = G[j]![b]!;
          if (gj !== 0) sum += t[a * nG + j]! * gj;
        }
        out[(a * 3 + b) * n + e] = sum;
      }
    }
  }
}

/**
 * Which tile to use for a forward-type conv (forward or input gradient) of C → O channels on
 * H × W images: 4 (F(4×4, 3×3)) for C ≥ {@link WINO43_MIN_IN_CHANNELS} on images at least 4 × 4,
 * else 2. Set by measurement (docs/notes/issue-16-gemm7.md): with our SIMD GEMM (no XNNPACK
 * operator per plane) F(4×4) wins on the seed CNN's layers 3 and 4 and on layer 2's input
 * gradient (64 → 32), and loses on layer 2's forward pass (32 → 64), where its heavier input
 * transform weighs against a GEMM with K = 32.
 */
export function winogradTile(C: number, O: number, H: number, W: number): 2 | 4 {
  if (tileOverride) return tileOverride;
  return C >= WINO43_MIN_IN_CHANNELS && H >= 4 && W >= 4 ? 4 : 2;
}
/**
 * Which tile the filter gradient uses (unless forced by {@link setWinogradGradTile}): F(4×4, 3×3)
 * for C ≥ {@link WINO43_MIN_IN_CHANNELS} when its tiles cover no more of the image than F(2×2)'s
 * (4·⌈H/4⌉·4·⌈W/4⌉ ≤ 2·⌈H/2⌉·2·⌈W/2⌉), else F(2×2). Set by measurement
 * (docs/notes/issue-16-gemm10.md): with the chunks summed by the GEMM and the SIMD output
 * transform, F(4×4) wins on layer 4 (128 → 128, 16 × 4: no extra padding) and loses on layer 3
 * (64 → 128, 32 × 9: F(4×4) pads 9 to 12 columns, F(2×2) to 10). Layer 2 (C = 32) keeps F(2×2):
 * F(4×4) was faster there too, but its error (2–3e-5 of the largest value) is 5–7× F(2×2)'s.
 */
export function winogradGradTile(C: number, _O: number, H: number, W: number): 2 | 4 {
  if (gradTileOverride) return gradTileOverride;
  const area = (m: number) => m * Math.ceil(H / m) * m * Math.ceil(W / m);
  return C >= WINO43_MIN_IN_CHANNELS && area(4) <= area(2) ? 4 : 2;
}
let gradTileOverride: 2 | 4 | 0 = 0;
/** Force the filter gradient's tile (2 or 4; 0: automatic). Returns the previous setting. */
export function setWinogradGradTile(m: 2 | 4 | 0): 2 | 4 | 0 {
  const was = gradTileOverride;
  gradTileOverride = m;
  return was;
}
/** Smallest input channel count for F(4×4, 3×3). */
export const WINO43_MIN_IN_CHANNELS = 64;
let tileOverride: 2 | 4 | 0 = 0;
/** Force the tile (2 or 4) for benchmarks and tests; 0: automatic ({@link winogradTile}). Returns the previous setting. */
export function setWinogradTile(m: 2 | 4 | 0): 2 | 4 | 0 {
  const was = tileOverride;
  tileOverride = m;
  return was;
}

/**
 * out [B, H, W, O] = conv2d_same(x [B, H, W, C], filter given as its transform U [16, C, O])
 * (+ bias, ReLU when `bias` is given). C, O multiples of 4.
 */
export function winogradConvTransformed(
  backend: WasmBackendLike, x: TensorInfo, U: TensorInfo, C: number, O: number, bias: TensorInfo | null, out: TensorInfo,
  m: 2 | 4 = 2,
): void {
  const [B, H, W] = x.shape as [number, number, number, number];
  const g = geom(B, H, W, m);
  const { nTH, nTW, Hp, Wp } = g;
  const nT = (m + 2) * (m + 2);
  const mem = backendMemory(backend);
  const f = m === 4 ? F43 : F22;
  const fin = winoInputFor(mem, f, C, Wp);
  const fout = winoOutputFor(mem, f, O, m * nTW, bias !== null);
  const gemmAb = gemmAbFor(mem, C);
  if (!fin || !fout || !gemmAb) throw new Error('winograd: wasm SIMD unavailable');
  const rowsTotal = B * nTH;
  const rowsPerChunk = Math.max(1, Math.min(rowsTotal, Math.floor(WINO_CHUNK_TILES / nTW)));
  // planes of P4 rows (P rounded up to a multiple of 4, the GEMM's row block); rows ≥ P of V are
  // left as they are, and the rows of M they give are never read
  const maxP = (rowsPerChunk * nTW + 3) & ~3;
  const xp = padInput(backend, x, g, C);
  mark('pad');
  const direct = H === m * nTH && W === m * nTW;
  const yp = direct ? out : backend.makeOutput([B, m * nTH, m * nTW, O], 'float32');
  const V = backend.makeOutput([nT, maxP, C], 'float32');
  const M = backend.makeOutput([nT, maxP, O], 'float32');
  const xpB = f32Offset(backend, xp) * 4;
  const ypB = f32Offset(backend, yp) * 4;
  const vB = f32Offset(backend, V) * 4;
  const mB = f32Offset(backend, M) * 4;
  const biasB = bias ? f32Offset(backend, bias) * 4 : 0;
  const uB = f32Offset(backend, U) * 4;
  for (let r0 = 0; r0 < rowsTotal; r0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, rowsTotal - r0);
    const P = rows * nTW;
    const P4 = (P + 3) & ~3;
    for (let r = 0; r < rows; r++) {
      const b = Math.floor((r0 + r) / nTH);
      const th = r0 + r - b * nTH;
      fin(xpB + (b * Hp + m * th) * Wp * C * 4, vB + r * nTW * C * 4, nTW, P4 * C * 4);
    }
    mark('inputTransform');
    // M[k] = V[k]·U[k]: [P4, C]·[C, O], by our SIMD GEMM reading V where the transform wrote it
    for (let k = 0; k < nT; k++) {
      gemmAb(vB + k * P4 * C * 4, uB + k * C * O * 4, mB + k * P4 * O * 4, P4, O, C, 4, 16 * C, O * 4, O * 4, 0);
    }
    mark('gemm');
    for (let r = 0; r < rows; r++) {
      const b = Math.floor((r0 + r) / nTH);
      const th = r0 + r - b * nTH;
      fout(mB + r * nTW * O * 4, ypB + (b * m * nTH + m * th) * m * nTW * O * 4, nTW, P4 * O * 4, biasB);
    }
    mark('outputTransform');
  }
  disposeTemp(backend, V);
  disposeTemp(backend, M);
  disposeTemp(backend, xp);
  if (!direct) {
    const heap = heapF32(backend);
    const s0 = f32Offset(backend, yp);
    const d0 = f32Offset(backend, out);
    const Wq = m * nTW;
    for (let b = 0; b < B; b++) {
      for (let y = 0; y < H; y++) {
        const s = s0 + (b * m * nTH + y) * Wq * O;
        heap.copyWithin(d0 + (b * H + y) * W * O, s, s + W * O);
      }
    }
    disposeTemp(backend, yp);
  }
  mark('crop');
}

/**
 * conv2d_same(x, w) (+ bias and ReLU when `bias` is given) for w [3, 3, C, O]; with `rotate`,
 * the input gradient's convolution: x has O channels and the result C (w rotated 180°, channels
 * swapped). Returns a new [B, H, W, ·] tensor.
 */
export function winogradConv(backend: WasmBackendLike, x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, rotate = false, tile?: 2 | 4): TensorInfo {
  const [, , C0, O0] = w.shape as [number, number, number, number];
  const C = rotate ? O0 : C0;
  const O = rotate ? C0 : O0;
  const [B, H, W] = x.shape as [number, number, number, number];
  const m = tile ?? winogradTile(C, O, H, W);
  const f = m === 4 ? F43 : F22;
  mark(null);
  const U = backend.makeOutput([(m + 2) * (m + 2), C, O], 'float32');
  // the SIMD filter transform (float32), else the float64 JS loop
  const wf = winoFilterFor(backendMemory(backend), f, C * O, rotate);
  const transform = (src: TensorInfo): void => {
    if (wf) wf(f32Offset(backend, src) * 4, f32Offset(backend, U) * 4);
    else winogradFilter(f.G, tensorF32(backend, src), C * O, rotate, tensorF32(backend, U));
  };
  if (rotate) {
    // w [9, C0, O0] → [9, O0, C0] (the backend's C transpose), then the transform with taps reversed
    const wT = backend.makeOutput([9, O0, C0], 'float32');
    transposeBatched(backend, w, 9, C0, O0, wT);
    transform(wT);
    disposeTemp(backend, wT);
  } else {
    transform(w);
  }
  mark('filterTransform');
  const out = backend.makeOutput([B, H, W, O], 'float32');
  try {
    winogradConvTransformed(backend, x, U, C, O, bias, out, m);
  } finally {
    disposeTemp(backend, U);
  }
  return out;
}

/** K block of the filter gradient's GEMMs (tiles): the [KC, C] and [KC, O] panels stay in L2. */
const WINO_GRAD_GEMM_KC = 256;

/**
 * The filter gradient dW [3, 3, C, O] of conv2d_same(x [B, H, W, C], w) given dy [B, H, W, O], by
 * Winograd F(m×m, 3×3) (n = m + 2, n² planes): per chunk of tiles, dU[k] = V[k]ᵀ·Z[k]
 * ([C, tiles]·[tiles, O]) by our SIMD GEMM (gemmSimd.ts), reading V and Z where the transforms
 * wrote them (no packing, no transpose), in K blocks of {@link WINO_GRAD_GEMM_KC} tiles; the K
 * blocks and the chunks all accumulate into dU through the GEMM (float32, in tile order); then
 * dW = Gᵀ·dU·G in wasm SIMD (float32; winogradFilterSimd.ts), the float64 JS
 * {@link winogradFilterGradTransform} as the fallback.
 */
export function winogradFilterGrad(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, C: number, O: number, tile?: 2 | 4): TensorInfo {
  const [B, H, W] = x.shape as [number, number, number, number];
  const m = tile ?? winogradGradTile(C, O, H, W);
  const f = m === 4 ? F43 : F22;
  const n = m + 2;
  const nT = n * n;
  const g = geom(B, H, W, m);
  const { nTH, nTW, Hp, Wp } = g;
  const mem = backendMemory(backend);
  const fin = winoInputFor(mem, f, C, Wp);
  const fgr = winoGradFor(mem, f, O, m * nTW);
  const gemmAtB = gemmAtBFor(mem);
  if (!fin || !fgr || !gemmAtB) throw new Error('winograd: wasm SIMD unavailable');
  const rowsTotal = B * nTH;
  const rowsPerChunk = Math.max(1, Math.min(rowsTotal, Math.floor(WINO_GRAD_CHUNK_TILES / nTW)));
  const maxP = rowsPerChunk * nTW;
  mark(null);
  const xp = padInput(backend, x, g, C);
  const dp = padOutputGrad(backend, dy, g, O);
  mark('dwPad');
  const V = backend.makeOutput([nT, maxP, C], 'float32');
  const Z = backend.makeOutput([nT, maxP, O], 'float32');
  const dU = backend.makeOutput([nT, C, O], 'float32');
  const nCO = C * O;
  for (let r0 = 0; r0 < rowsTotal; r0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, rowsTotal - r0);
    const P = rows * nTW;
    const xpB = f32Offset(backend, xp) * 4;
    const dpB = f32Offset(backend, dp) * 4;
    const vB = f32Offset(backend, V) * 4;
    const zB = f32Offset(backend, Z) * 4;
    const uB = f32Offset(backend, dU) * 4;
    for (let r = 0; r < rows; r++) {
      const b = Math.floor((r0 + r) / nTH);
      const th = r0 + r - b * nTH;
      fin(xpB + (b * Hp + m * th) * Wp * C * 4, vB + r * nTW * C * 4, nTW, P * C * 4);
      fgr(dpB + (b * m * nTH + m * th) * m * nTW * O * 4, zB + r * nTW * O * 4, nTW, P * O * 4);
    }
    mark('dwTransforms');
    // dU[k] (+)= V[k]ᵀ·Z[k]: V[k] [P, C], Z[k] [P, O], dU[k] [C, O]; every K block and every
    // chunk after the first accumulates into dU (float32, in tile order)
    for (let k = 0; k < nT; k++) {
      const vk = vB + k * P * C * 4;
      const zk = zB + k * P * O * 4;
      for (let k0 = 0; k0 < P; k0 += WINO_GRAD_GEMM_KC) {
        gemmAtB(vk + k0 * C * 4, zk + k0 * O * 4, uB + k * nCO * 4, C, O, Math.min(WINO_GRAD_GEMM_KC, P - k0), C * 4, 16, O * 4, O * 4, r0 > 0 || k0 > 0 ? 1 : 0);
      }
    }
    mark('dwGemm');
  }
  disposeTemp(backend, Z);
  disposeTemp(backend, V);
  disposeTemp(backend, xp);
  if (dp !== dy) disposeTemp(backend, dp);
  // dW[a][b] = Σ_ij G[i][a]·G[j][b]·dU[i][j] ([n², C, O] → [9, C, O]): wasm SIMD, else float64 JS
  const dW = backend.makeOutput([3, 3, C, O], 'float32');
  const wfg = winoFilterGradFor(mem, f, nCO);
  if (wfg) wfg(f32Offset(backend, dU) * 4, f32Offset(backend, dW) * 4);
  else winogradFilterGradTransform(f.G, tensorF32(backend, dU), nCO, tensorF32(backend, dW));
  disposeTemp(backend, dU);
  mark('dwFilterTransform');
  return dW;
}
