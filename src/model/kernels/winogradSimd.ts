/**
 * The tile transforms of Winograd F(2×2, 3×3) convolution as hand-assembled WebAssembly SIMD
 * functions on the wasm backend's heap (see winogradConv.ts for the algorithm). Each works on one
 * row of tiles, 4 channels per v128 (NHWC: 4 channels are one load), adds and subtracts only:
 * - input:  V = Bᵀ·d·B, d a 4×4 patch of the zero-padded input, 16 values per channel, written to
 *   16 planes [16, P, C] (plane k at dst + k·planeStride);
 * - output: Y = Aᵀ·M·A (16 → 2×2), optionally + bias and ReLU, written into a [.., 2·nTW, O] row;
 * - gradient: Z = A·dY·Aᵀ (a 2×2 tile of dy → 16 values), into 16 planes as the input transform.
 * The strides inside a tile are baked into the module as load/store offsets: one module per
 * geometry, compiled once per memory and cached. float32 adds in a fixed order: deterministic.
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

/** The instruction helpers above, shared with the F(4×4, 3×3) transforms (winograd43Simd.ts). */
export const asm = { get, set, tee, ci, ADD, LT_U, LOOP, END, load, store, FADD, FSUB, FNEG, FMAX, ZERO, inc, incBy };

/** An expression tree over v128 locals: a local, or a sum / difference / negation. */
type Ex = number | ['+' | '-', Ex, Ex] | ['neg', Ex];
function emit(e: Ex): number[] {
  if (typeof e === 'number') return get(e);
  if (e[0] === 'neg') return [...emit(e[1]), ...FNEG];
  return [...emit(e[1]), ...emit(e[2]), ...(e[0] === '+' ? FADD : FSUB)];
}

/**
 * The two-level tile loop shared by the three transforms: for tw < nTW { for g < C/4 { body;
 * src += 16; dst += 16; (bias += 16) } src += srcTileExtra; dst += dstTileExtra; }.
 * Locals: params first, then i32 tw (iTw), g (iG), a (iA), bp (iBp), then v128 from iV.
 */
export function tileLoops(groups: number, inner: number[], srcTileExtra: number, dstTileExtra: number, iTw: number, iG: number, withBias: boolean, iBp: number): number[] {
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

/** Input transform V = Bᵀ·d·B for C channels, padded input rows of `rowW` pixels. */
export function winoInputModuleBytes(g: { C: number; rowW: number }, shared = false): Uint8Array<ArrayBuffer> {
  const { C, rowW } = g;
  // params 0 src, 1 dst, 2 nTW, 3 ps; i32 4 tw, 5 g, 6 a; v128 7–22 d, 23–38 t
  const D = (i: number, j: number) => 7 + i * 4 + j;
  const T = (i: number, j: number) => 23 + i * 4 + j;
  const inner: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) inner.push(...get(0), ...load((i * rowW + j) * C * 4), ...set(D(i, j)));
  // t = Bᵀ·d (rows): t0 = d0 − d2, t1 = d1 + d2, t2 = d2 − d1, t3 = d1 − d3
  for (let j = 0; j < 4; j++) {
    const rows: Ex[] = [['-', D(0, j), D(2, j)], ['+', D(1, j), D(2, j)], ['-', D(2, j), D(1, j)], ['-', D(1, j), D(3, j)]];
    rows.forEach((e, i) => inner.push(...emit(e), ...set(T(i, j))));
  }
  // V = t·B (columns), stored to plane k = 4i + j
  inner.push(...get(1), ...set(6));
  for (let i = 0; i < 4; i++) {
    const cols: Ex[] = [['-', T(i, 0), T(i, 2)], ['+', T(i, 1), T(i, 2)], ['-', T(i, 2), T(i, 1)], ['-', T(i, 1), T(i, 3)]];
    for (const e of cols) inner.push(...get(6), ...emit(e), ...store(0), ...incBy(6, 3));
  }
  const body = [...tileLoops(C / 4, inner, C * 4, 0, 4, 5, false, 0)];
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[3, I32], [32, V128]], body, exportName: 'wi' }, shared);
}

/** Gradient transform Z = A·dY·Aᵀ for O channels, padded dy rows of `rowW` pixels. */
export function winoGradModuleBytes(g: { C: number; rowW: number }, shared = false): Uint8Array<ArrayBuffer> {
  const { C, rowW } = g;
  // params 0 src, 1 dst, 2 nTW, 3 ps; i32 4 tw, 5 g, 6 a; v128 7–10 y, 11–18 r (4×2)
  const Y = (i: number, j: number) => 7 + i * 2 + j;
  const R = (i: number, j: number) => 11 + i * 2 + j;
  const inner: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) inner.push(...get(0), ...load((i * rowW + j) * C * 4), ...set(Y(i, j)));
  // r = A·dY (rows): r0 = y0, r1 = y0 + y1, r2 = y0 − y1, r3 = −y1
  for (let j = 0; j < 2; j++) {
    const rows: Ex[] = [Y(0, j), ['+', Y(0, j), Y(1, j)], ['-', Y(0, j), Y(1, j)], ['neg', Y(1, j)]];
    rows.forEach((e, i) => inner.push(...emit(e), ...set(R(i, j))));
  }
  inner.push(...get(1), ...set(6));
  for (let i = 0; i < 4; i++) {
    const cols: Ex[] = [R(i, 0), ['+', R(i, 0), R(i, 1)], ['-', R(i, 0), R(i, 1)], ['neg', R(i, 1)]];
    for (const e of cols) inner.push(...get(6), ...emit(e), ...store(0), ...incBy(6, 3));
  }
  const body = [...tileLoops(C / 4, inner, C * 4, 0, 4, 5, false, 0)];
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[3, I32], [12, V128]], body, exportName: 'wg' }, shared);
}

/**
 * Output transform Y = Aᵀ·M·A for O channels into output rows of `rowW` pixels (2·nTW), with
 * `relu`: Y = max(Y + bias, 0).
 */
export function winoOutputModuleBytes(g: { O: number; rowW: number; relu: boolean }, shared = false): Uint8Array<ArrayBuffer> {
  const { O, rowW, relu } = g;
  // params 0 src, 1 dst, 2 nTW, 3 ps, 4 bias; i32 5 tw, 6 g, 7 a, 8 bp; v128 9–24 m, 25–32 s (2×4), 33 b
  const M = (i: number, j: number) => 9 + i * 4 + j;
  const S = (i: number, j: number) => 25 + i * 4 + j;
  const inner: number[] = [];
  inner.push(...get(0), ...set(7));
  for (let k = 0; k < 16; k++) inner.push(...get(7), ...load(0), ...set(M(k >> 2, k & 3)), ...(k < 15 ? incBy(7, 3) : []));
  // s = Aᵀ·M (rows): s0 = m0 + m1 + m2, s1 = m1 − m2 − m3
  for (let j = 0; j < 4; j++) {
    inner.push(...emit(['+', ['+', M(0, j), M(1, j)], M(2, j)]), ...set(S(0, j)));
    inner.push(...emit(['-', ['-', M(1, j), M(2, j)], M(3, j)]), ...set(S(1, j)));
  }
  if (relu) inner.push(...get(8), ...load(0), ...set(33));
  for (let i = 0; i < 2; i++) {
    const cols: Ex[] = [['+', ['+', S(i, 0), S(i, 1)], S(i, 2)], ['-', ['-', S(i, 1), S(i, 2)], S(i, 3)]];
    cols.forEach((e, j) => {
      inner.push(...get(1), ...emit(e));
      if (relu) inner.push(...get(33), ...FADD, ...ZERO, ...FMAX);
      inner.push(...store((i * rowW + j) * O * 4));
    });
  }
  const body = [...tileLoops(O / 4, inner, 0, O * 4, 5, 6, relu, 8)];
  return kernelModuleBytes({ params: [I32, I32, I32, I32, I32], locals: [[4, I32], [25, V128]], body, exportName: 'wo' }, shared);
}

/** One module per geometry and memory. */
const bound = keyedKernelBinder();

/** The input transform for (C, padded row width), or null without wasm SIMD. C % 4 = 0. */
export function winoInputFor(memory: WebAssembly.Memory | undefined, C: number, rowW: number): WinoTileFn | null {
  return bound(memory, `i${C},${rowW}`, (s) => winoInputModuleBytes({ C, rowW }, s), 'wi');
}

/** The gradient (dy) transform for (O, padded row width), or null without wasm SIMD. O % 4 = 0. */
export function winoGradFor(memory: WebAssembly.Memory | undefined, O: number, rowW: number): WinoTileFn | null {
  return bound(memory, `g${O},${rowW}`, (s) => winoGradModuleBytes({ C: O, rowW }, s), 'wg');
}

/** The output transform for (O, output row width, relu), or null without wasm SIMD. O % 4 = 0. */
export function winoOutputFor(memory: WebAssembly.Memory | undefined, O: number, rowW: number, relu: boolean): WinoOutFn | null {
  return bound(memory, `o${O},${rowW},${relu ? 1 : 0}`, (s) => winoOutputModuleBytes({ O, rowW, relu }, s), 'wo');
}
