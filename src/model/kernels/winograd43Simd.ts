/**
 * The tile transforms of Winograd F(4×4, 3×3) as hand-assembled WebAssembly SIMD functions (the
 * F(2×2, 3×3) ones are in winogradSimd.ts; same calling conventions, one row of tiles per call,
 * 4 channels per v128):
 * - input:  V = Bᵀ·d·B, d a 6×6 patch of the zero-padded input (tile stride 4 pixels) → 36 planes;
 * - output: Y = Aᵀ·M·A (36 → 4×4), optionally + bias and ReLU.
 * The matrices (Lavin & Gray 2016, points 0, ±1, ±2, ∞):
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
 * Each output is emitted as a sum of ±c·input terms (c ≠ 1: one f32x4.mul by a splat constant),
 * in a fixed order: deterministic.
 */
import { I32, V128, SIMD, uleb, keyedKernelBinder, kernelModuleBytes } from './wasmModule.js';
import { asm, tileLoops, type WinoOutFn, type WinoTileFn } from './winogradSimd.js';

export const BT43 = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]];
export const AT43 = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]];
/** G of F(4×4, 3×3) (6 × 3). */
export const G43 = [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]];

const { get, set, load, store, FADD, FSUB, FNEG, FMAX, ZERO, incBy } = asm;
const FMUL = [SIMD, ...uleb(0xe6)];

/** v128.const of 4 × the float32 `c`. */
function splat(c: number): number[] {
  const b = new Uint8Array(new Float32Array([c, c, c, c]).buffer);
  return [SIMD, 0x0c, ...b];
}

/** Σ_k coef[k]·local(k) as SIMD instructions (coefficients exact in float32; at least one ≠ 0). */
function linear(coefs: number[], local: (k: number) => number): number[] {
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

/** Input transform of F(4×4, 3×3) for C channels, padded input rows of `rowW` pixels. */
export function wino43InputModuleBytes(g: { C: number; rowW: number }, shared = false): Uint8Array<ArrayBuffer> {
  const { C, rowW } = g;
  // params 0 src, 1 dst, 2 nTW, 3 ps; i32 4 tw, 5 g, 6 a; v128 7–42 d (6×6), 43–78 t (6×6)
  const D = (i: number, j: number) => 7 + i * 6 + j;
  const T = (i: number, j: number) => 43 + i * 6 + j;
  const inner: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) inner.push(...get(0), ...load((i * rowW + j) * C * 4), ...set(D(i, j)));
  // t = Bᵀ·d
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) inner.push(...linear(BT43[i]!, (k) => D(k, j)), ...set(T(i, j)));
  // V = t·B: V[i][j] = Σ_k t[i][k]·Bᵀ[j][k], stored to plane 6i + j
  inner.push(...get(1), ...set(6));
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) inner.push(...get(6), ...linear(BT43[j]!, (k) => T(i, k)), ...store(0), ...incBy(6, 3));
  }
  const body = tileLoops(C / 4, inner, 3 * C * 4, 0, 4, 5, false, 0);
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[3, I32], [72, V128]], body, exportName: 'wi' }, shared);
}

/** Output transform of F(4×4, 3×3) for O channels into output rows of `rowW` pixels (4·nTW). */
export function wino43OutputModuleBytes(g: { O: number; rowW: number; relu: boolean }, shared = false): Uint8Array<ArrayBuffer> {
  const { O, rowW, relu } = g;
  // params 0 src, 1 dst, 2 nTW, 3 ps, 4 bias; i32 5 tw, 6 g, 7 a, 8 bp; v128 9–44 m (6×6), 45–68 s (4×6), 69 b
  const M = (i: number, j: number) => 9 + i * 6 + j;
  const S = (i: number, j: number) => 45 + i * 6 + j;
  const inner: number[] = [];
  inner.push(...get(0), ...set(7));
  for (let k = 0; k < 36; k++) inner.push(...get(7), ...load(0), ...set(M(Math.floor(k / 6), k % 6)), ...(k < 35 ? incBy(7, 3) : []));
  // s = Aᵀ·M
  for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) inner.push(...linear(AT43[i]!, (k) => M(k, j)), ...set(S(i, j)));
  if (relu) inner.push(...get(8), ...load(0), ...set(69));
  // Y = s·A: Y[i][j] = Σ_k s[i][k]·Aᵀ[j][k]
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      inner.push(...get(1), ...linear(AT43[j]!, (k) => S(i, k)));
      if (relu) inner.push(...get(69), ...FADD, ...ZERO, ...FMAX);
      inner.push(...store((i * rowW + j) * O * 4));
    }
  }
  const body = tileLoops(O / 4, inner, 0, 3 * O * 4, 5, 6, relu, 8);
  return kernelModuleBytes({ params: [I32, I32, I32, I32, I32], locals: [[4, I32], [61, V128]], body, exportName: 'wo' }, shared);
}

/** One module per geometry and memory. */
const bound = keyedKernelBinder();

/** The F(4×4, 3×3) input transform for (C, padded row width), or null without wasm SIMD. */
export function wino43InputFor(memory: WebAssembly.Memory | undefined, C: number, rowW: number): WinoTileFn | null {
  return bound(memory, `i${C},${rowW}`, (s) => wino43InputModuleBytes({ C, rowW }, s), 'wi');
}

/** The F(4×4, 3×3) output transform for (O, output row width, relu), or null without wasm SIMD. */
export function wino43OutputFor(memory: WebAssembly.Memory | undefined, O: number, rowW: number, relu: boolean): WinoOutFn | null {
  return bound(memory, `o${O},${rowW},${relu ? 1 : 0}`, (s) => wino43OutputModuleBytes({ O, rowW, relu }, s), 'wo');
}
