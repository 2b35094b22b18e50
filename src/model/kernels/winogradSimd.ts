/**
 * The tile transforms of Winograd F(m×m, 3×3) convolution (n = m + 2) as hand-assembled
 * WebAssembly SIMD functions on the wasm backend's heap, generated from the transform matrices
 * (see winogradConv.ts for the algorithm; F(2×2) here, F(4×4) in winograd43Simd.ts). Each works on
 * one row of tiles, 4 channels per v128 (NHWC: 4 channels are one load):
 * - input:  V = Bᵀ·d·B, d an n×n patch of the zero-padded input → n² planes [n², P, C] (plane k at
 *   dst + k·planeStride);
 * - output: Y = Aᵀ·M·A (n² → m×m), optionally + bias and ReLU, written into a [.., m·nTW, O] row;
 * - gradient: Z = A·dY·Aᵀ (an m×m tile of dy → n² values), into n² planes as the input transform.
 * The strides inside a tile are baked into the module as load/store offsets: one module per
 * geometry, compiled once per memory and cached. float32 operations in a fixed order: deterministic.
 */
import { I32, V128, SIMD, uleb, sleb, keyedKernelBinder, kernelModuleBytes } from './wasmModule.js';

/** `fn(src, dst, nTW, planeStride)` (input and gradient transforms); pointers and strides in bytes. */
export type WinoTileFn = (src: number, dst: number, nTW: number, planeStride: number) => void;
/** `fn(src, dst, nTW, planeStride, bias)` (output transform); pointers and strides in bytes. */
export type WinoOutFn = (src: number, dst: number, nTW: number, planeStride: number, bias: number) => void;

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const ci = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a;
const LT_U = 0x49;
const LOOP = [0x03, 0x40];
const END = 0x0b;
const load = (off: number) => [SIMD, 0x00, 0x04, ...uleb(off)];
const store = (off: number) => [SIMD, 0x0b, 0x04, ...uleb(off)];
const FADD = [SIMD, ...uleb(0xe4)];
const FSUB = [SIMD, ...uleb(0xe5)];
const FNEG = [SIMD, ...uleb(0xe1)];
const FMAX = [SIMD, ...uleb(0xe9)];
const ZERO = [SIMD, 0x0c, ...new Array(16).fill(0)];
/** local += n (i32) */
const inc = (l: number, n: number) => [...get(l), ...ci(n), ADD, ...set(l)];
/** local += local2 (i32) */
const incBy = (l: number, l2: number) => [...get(l), ...get(l2), ADD, ...set(l)];

const FMUL = [SIMD, ...uleb(0xe6)];

/**
 * The matrices of Winograd F(m×m, 3×3), n = m + 2 (Lavin & Gray 2016): Bᵀ (n × n, input
 * transform), Aᵀ (m × n, output transform) and G (n × 3, filter transform, used by
 * winogradConv.ts in float64).
 */
export interface WinogradMatrices {
  readonly BT: readonly (readonly number[])[];
  readonly AT: readonly (readonly number[])[];
  readonly G: readonly (readonly number[])[];
}

/** F(2×2, 3×3) (points 0, ±1, ∞). */
export const F22: WinogradMatrices = {
  BT: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
  AT: [[1, 1, 1, 0], [0, 1, -1, -1]],
  G: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
};

/** v128.const of 4 × the float32 `c`. */
function splat(c: number): number[] {
  const b = new Uint8Array(new Float32Array([c, c, c, c]).buffer);
  return [SIMD, 0x0c, ...b];
}

/**
 * Σ_k coef[k]·local(k) as SIMD instructions, terms in k order (coefficients exact in float32; at
 * least one ≠ 0): ±1 terms are added or subtracted, others multiplied by a splat constant first; a
 * negative first term is negated (−a + b equals b − a exactly).
 */
export function linear(coefs: readonly number[], local: (k: number) => number): number[] {
  const out: number[] = [];
  let first = true;
  coefs.forEach((c, k) => {
    if (c === 0) return;
    const a = Math.abs(c);
    out.push(...get(local(k)));
    if (a !== 1) out.push(...splat(a), ...FMUL);
    if (first) {
      if (c < 0) out.push(...FNEG);
      first = false;
    } else {
      out.push(...(c < 0 ? FSUB : FADD));
    }
  });
  return out;
}

/**
 * The two-level tile loop shared by the three transforms: for tw < nTW { for g < C/4 { body;
 * src += 16; dst += 16; (bias += 16) } src += srcTileExtra; dst += dstTileExtra; }.
 * Locals: params first, then i32 tw (iTw), g (iG), a (iA), bp (iBp), then v128 from iV.
 */
function tileLoops(groups: number, inner: number[], srcTileExtra: number, dstTileExtra: number, iTw: number, iG: number, withBias: boolean, iBp: number): number[] {
  const out: number[] = [];
  out.push(...ci(0), ...set(iTw));
  out.push(...LOOP);
  out.push(...ci(0), ...set(iG));
  if (withBias) out.push(...get(4), ...set(iBp));
  out.push(...LOOP);
  out.push(...inner);
  out.push(...inc(0, 16), ...inc(1, 16));
  if (withBias) out.push(...inc(iBp, 16));
  out.push(...get(iG), ...ci(1), ADD, ...tee(iG), ...ci(groups), LT_U, 0x0d, 0, END);
  if (srcTileExtra) out.push(...inc(0, srcTileExtra));
  if (dstTileExtra) out.push(...inc(1, dstTileExtra));
  out.push(...get(iTw), ...ci(1), ADD, ...tee(iTw), ...get(2), LT_U, 0x0d, 0, END);
  out.push(END);
  return out;
}

/**
 * Input transform V = Bᵀ·d·B of F(m×m, 3×3) for C channels: d an n×n patch of the zero-padded
 * input (rows of `rowW` pixels, tile stride m) → n² planes (plane k = n·i + j at dst + k·planeStride).
 */
export function winoInputTransformBytes(f: WinogradMatrices, g: { C: number; rowW: number }, shared = false): Uint8Array<ArrayBuffer> {
  const { C, rowW } = g;
  const n = f.BT.length;
  const m = n - 2;
  // params 0 src, 1 dst, 2 nTW, 3 ps; i32 4 tw, 5 g, 6 a; v128 7… d (n×n), then t (n×n)
  const D = (i: number, j: number) => 7 + i * n + j;
  const T = (i: number, j: number) => 7 + n * n + i * n + j;
  const inner: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inner.push(...get(0), ...load((i * rowW + j) * C * 4), ...set(D(i, j)));
  // t = Bᵀ·d (rows)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inner.push(...linear(f.BT[i]!, (k) => D(k, j)), ...set(T(i, j)));
  // V = t·B (columns): V[i][j] = Σ_k t[i][k]·Bᵀ[j][k]
  inner.push(...get(1), ...set(6));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) inner.push(...get(6), ...linear(f.BT[j]!, (k) => T(i, k)), ...store(0), ...incBy(6, 3));
  }
  const body = tileLoops(C / 4, inner, (m - 1) * C * 4, 0, 4, 5, false, 0);
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[3, I32], [2 * n * n, V128]], body, exportName: 'wi' }, shared);
}

/**
 * Gradient transform Z = A·dY·Aᵀ of F(m×m, 3×3) for C (= the layer's O) channels: an m×m tile of
 * the padded dy (rows of `rowW` pixels) → n² planes, as the input transform.
 */
export function winoGradTransformBytes(f: WinogradMatrices, g: { C: number; rowW: number }, shared = false): Uint8Array<ArrayBuffer> {
  const { C, rowW } = g;
  const m = f.AT.length;
  const n = f.BT.length;
  const A = Array.from({ length: n }, (_, i) => f.AT.map((row) => row[i]!));
  // params 0 src, 1 dst, 2 nTW, 3 ps; i32 4 tw, 5 g, 6 a; v128 7… y (m×m), then r (n×m)
  const Y = (i: number, j: number) => 7 + i * m + j;
  const R = (i: number, j: number) => 7 + m * m + i * m + j;
  const inner: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) inner.push(...get(0), ...load((i * rowW + j) * C * 4), ...set(Y(i, j)));
  // r = A·dY (rows)
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) inner.push(...linear(A[i]!, (k) => Y(k, j)), ...set(R(i, j)));
  // Z = r·Aᵀ (columns), stored to plane n·i + j
  inner.push(...get(1), ...set(6));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) inner.push(...get(6), ...linear(A[j]!, (k) => R(i, k)), ...store(0), ...incBy(6, 3));
  }
  const body = tileLoops(C / 4, inner, (m - 1) * C * 4, 0, 4, 5, false, 0);
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[3, I32], [m * m + n * m, V128]], body, exportName: 'wg' }, shared);
}

/**
 * Output transform Y = Aᵀ·M·A of F(m×m, 3×3) for O channels (n² planes → an m×m tile) into output
 * rows of `rowW` pixels (m·nTW), with `relu`: Y = max(Y + bias, 0).
 */
export function winoOutputTransformBytes(f: WinogradMatrices, g: { O: number; rowW: number; relu: boolean }, shared = false): Uint8Array<ArrayBuffer> {
  const { O, rowW, relu } = g;
  const m = f.AT.length;
  const n = f.BT.length;
  // params 0 src, 1 dst, 2 nTW, 3 ps, 4 bias; i32 5 tw, 6 g, 7 a, 8 bp; v128 9… M (n×n), s (m×n), b
  const M = (i: number, j: number) => 9 + i * n + j;
  const S = (i: number, j: number) => 9 + n * n + i * n + j;
  const iB = 9 + n * n + m * n;
  const inner: number[] = [];
  inner.push(...get(0), ...set(7));
  for (let k = 0; k < n * n; k++) inner.push(...get(7), ...load(0), ...set(M(Math.floor(k / n), k % n)), ...(k < n * n - 1 ? incBy(7, 3) : []));
  // s = Aᵀ·M (rows)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) inner.push(...linear(f.AT[i]!, (k) => M(k, j)), ...set(S(i, j)));
  if (relu) inner.push(...get(8), ...load(0), ...set(iB));
  // Y = s·A (columns): Y[i][j] = Σ_k s[i][k]·Aᵀ[j][k]
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      inner.push(...get(1), ...linear(f.AT[j]!, (k) => S(i, k)));
      if (relu) inner.push(...get(iB), ...FADD, ...ZERO, ...FMAX);
      inner.push(...store((i * rowW + j) * O * 4));
    }
  }
  const body = tileLoops(O / 4, inner, 0, (m - 1) * O * 4, 5, 6, relu, 8);
  return kernelModuleBytes({ params: [I32, I32, I32, I32, I32], locals: [[4, I32], [n * n + m * n + 1, V128]], body, exportName: 'wo' }, shared);
}

/** One module per transform, tile, geometry and memory. */
const bound = keyedKernelBinder();

/** The input transform of F(m×m) (`f`) for (C, padded row width), or null without wasm SIMD. C % 4 = 0. */
export function winoInputFor(memory: WebAssembly.Memory | undefined, f: WinogradMatrices, C: number, rowW: number): WinoTileFn | null {
  return bound(memory, `i${f.AT.length}:${C},${rowW}`, (s) => winoInputTransformBytes(f, { C, rowW }, s), 'wi');
}

/** The gradient (dy) transform of F(m×m) for (O, padded row width), or null without wasm SIMD. O % 4 = 0. */
export function winoGradFor(memory: WebAssembly.Memory | undefined, f: WinogradMatrices, O: number, rowW: number): WinoTileFn | null {
  return bound(memory, `g${f.AT.length}:${O},${rowW}`, (s) => winoGradTransformBytes(f, { C: O, rowW }, s), 'wg');
}

/** The output transform of F(m×m) for (O, output row width, relu), or null without wasm SIMD. O % 4 = 0. */
export function winoOutputFor(memory: WebAssembly.Memory | undefined, f: WinogradMatrices, O: number, rowW: number, relu: boolean): WinoOutFn | null {
  return bound(memory, `o${f.AT.length}:${O},${rowW},${relu ? 1 : 0}`, (s) => winoOutputTransformBytes(f, { O, rowW, relu }, s), 'wo');
}
