/**
 * The filter transform of Winograd F(m×m, 3×3), U = G·g·Gᵀ for each of n 3×3 filters, as a
 * hand-assembled WebAssembly SIMD function on the wasm backend's heap (4 filters per v128), generated
 * from G like the tile transforms (winogradSimd.ts). It replaces a float64 JS loop that took 4–9 ms per
 * call for the seed CNN's 64 × 128 and 128 × 128 filter banks under F(4×4) (docs/notes/issue-16-gemm7.md).
 * - input w [9, n] (tap-major, filters contiguous), with `rotate` read as tap 8 − t (the input
 *   gradient's filter, rotated 180°);
 * - output U [(m + 2)², n] (plane k = (m + 2)·i + j).
 * float32 arithmetic in a fixed order (G's coefficients rounded to float32): deterministic; within
 * float32 rounding of the float64 transform (measured in test/kernels-winograd.test.ts).
 */
import { I32, V128, SIMD, uleb, sleb, keyedKernelBinder, kernelModuleBytes } from './wasmModule.js';
import { linear, type WinogradMatrices } from './winogradSimd.js';

/** `fn(src, dst)`: byte pointers of w [9, n] and U [(m + 2)², n]. */
export type WinoFilterFn = (src: number, dst: number) => void;

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const ci = (n: number) => [0x41, ...sleb(n)];
const load = (off: number) => [SIMD, 0x00, 0x04, ...uleb(off)];
const store = (off: number) => [SIMD, 0x0b, 0x04, ...uleb(off)];

/** The module's bytes for n filters (n % 4 = 0, n ≥ 4). */
export function winoFilterTransformBytes(f: WinogradMatrices, g: { n: number; rotate: boolean }, shared = false): Uint8Array<ArrayBuffer> {
  const { n, rotate } = g;
  const G = f.G;
  const nG = G.length;
  // params 0 src, 1 dst; i32 2 e (bytes); v128 3… g (9), r (nG × 3)
  const Gv = (t: number) => 3 + t;
  const R = (i: number, b: number) => 3 + 9 + i * 3 + b;
  const body: number[] = [];
  body.push(...ci(0), ...set(2));
  body.push(0x03, 0x40);
  for (let t = 0; t < 9; t++) body.push(...get(0), ...load((rotate ? 8 - t : t) * n * 4), ...set(Gv(t)));
  // r = G·g: r[i][b] = Σ_a G[i][a]·g[a][b]
  for (let i = 0; i < nG; i++) {
    for (let b = 0; b < 3; b++) {
      if (G[i]!.every((c) => c === 0)) continue;
      body.push(...linear(G[i]!, (a) => Gv(a * 3 + b)), ...set(R(i, b)));
    }
  }
  // U[i][j] = Σ_b r[i][b]·G[j][b]
  for (let i = 0; i < nG; i++) {
    for (let j = 0; j < nG; j++) {
      body.push(...get(1), ...linear(G[j]!, (b) => R(i, b)), ...store((i * nG + j) * n * 4));
    }
  }
  // src += 16, dst += 16 while e < n·4
  body.push(...get(0), ...ci(16), 0x6a, ...set(0), ...get(1), ...ci(16), 0x6a, ...set(1));
  body.push(...get(2), ...ci(16), 0x6a, ...tee(2), ...ci(n * 4), 0x49, 0x0d, 0, 0x0b);
  body.push(0x0b);
  return kernelModuleBytes({ params: [I32, I32], locals: [[1, I32], [9 + 3 * nG, V128]], body, exportName: 'wf' }, shared);
}

const bound = keyedKernelBinder();

/** The filter transform of F(m×m) (`f`) for n filters (n % 4 = 0), or null without wasm SIMD. */
export function winoFilterFor(memory: WebAssembly.Memory | undefined, f: WinogradMatrices, n: number, rotate: boolean): WinoFilterFn | null {
  return bound(memory, `f${f.AT.length}:${n},${rotate ? 1 : 0}`, (s) => winoFilterTransformBytes(f, { n, rotate }, s), 'wf');
}

/**
 * The filter gradient's output transform of Winograd F(m×m, 3×3), dW = Gᵀ·dU·G for each of n
 * filters (4 filters per v128), the transpose of the filter transform above:
 * - input dU [(m + 2)², n] (plane k = (m + 2)·i + j, as the filter-gradient GEMMs write it);
 * - output dW [9, n] (tap t = 3·a + b).
 * t[a][j] = Σ_i G[i][a]·dU[i][j], then dW[a][b] = Σ_j G[j][b]·t[a][j], float32 in a fixed order
 * (G rounded to float32): deterministic; the float64 JS `winogradFilterGradTransform`
 * (winogradConv.ts) is the reference and the fallback.
 */
export function winoFilterGradTransformBytes(f: WinogradMatrices, n: number, shared = false): Uint8Array<ArrayBuffer> {
  const G = f.G;
  const nG = G.length;
  const col = (a: number) => G.map((row) => row[a]!);
  // params 0 src, 1 dst; i32 2 e (bytes); v128 3… dU (nG²), t (3 × nG)
  const D = (i: number, j: number) => 3 + i * nG + j;
  const T = (a: number, j: number) => 3 + nG * nG + a * nG + j;
  const body: number[] = [];
  body.push(...ci(0), ...set(2));
  body.push(0x03, 0x40);
  for (let k = 0; k < nG * nG; k++) body.push(...get(0), ...load(k * n * 4), ...set(3 + k));
  for (let a = 0; a < 3; a++) {
    for (let j = 0; j < nG; j++) body.push(...linear(col(a), (i) => D(i, j)), ...set(T(a, j)));
  }
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) body.push(...get(1), ...linear(col(b), (j) => T(a, j)), ...store((a * 3 + b) * n * 4));
  }
  body.push(...get(0), ...ci(16), 0x6a, ...set(0), ...get(1), ...ci(16), 0x6a, ...set(1));
  body.push(...get(2), ...ci(16), 0x6a, ...tee(2), ...ci(n * 4), 0x49, 0x0d, 0, 0x0b);
  body.push(0x0b);
  return kernelModuleBytes({ params: [I32, I32], locals: [[1, I32], [nG * nG + 3 * nG, V128]], body, exportName: 'wfg' }, shared);
}

/** The filter gradient's output transform Gᵀ·dU·G of F(m×m) (`f`) for n filters (n % 4 = 0), or null without wasm SIMD. */
export function winoFilterGradFor(memory: WebAssembly.Memory | undefined, f: WinogradMatrices, n: number): WinoFilterFn | null {
  return bound(memory, `g${f.AT.length}:${n}`, (s) => winoFilterGradTransformBytes(f, n, s), 'wfg');
}
