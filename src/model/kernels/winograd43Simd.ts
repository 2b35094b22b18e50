/**
 * The tile transforms of Winograd F(4×4, 3×3) as WebAssembly SIMD functions, generated from its
 * matrices by the generic transforms of winogradSimd.ts (same calling conventions, one row of tiles
 * per call, 4 channels per v128):
 * - input:  V = Bᵀ·d·B, d a 6×6 patch of the zero-padded input (tile stride 4 pixels) → 36 planes;
 * - output: Y = Aᵀ·M·A (36 → 4×4), optionally + bias and ReLU.
 * The matrices (Lavin & Gray 2016, points 0, ±1, ±2, ∞):
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
 * Each output is a sum of ±c·input terms (c ≠ 1: one f32x4.mul by a splat constant), in a fixed
 * order: deterministic.
 */
import { keyedKernelBinder } from './wasmModule.js';
import { winoInputTransformBytes, winoOutputTransformBytes, type WinogradMatrices, type WinoOutFn, type WinoTileFn } from './winogradSimd.js';

/** F(4×4, 3×3): Bᵀ 6 × 6, Aᵀ 4 × 6, G 6 × 3. */
export const F43: WinogradMatrices = {
  BT: [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
  AT: [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]],
  G: [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]],
};

/** F(4×4) input transform for C channels, padded input rows of `rowW` pixels. */
export function wino43InputModuleBytes(g: { C: number; rowW: number }, shared = false): Uint8Array<ArrayBuffer> {
  return winoInputTransformBytes(F43, g, shared);
}

/** F(4×4) output transform for O channels into output rows of `rowW` pixels (4·nTW). */
export function wino43OutputModuleBytes(g: { O: number; rowW: number; relu: boolean }, shared = false): Uint8Array<ArrayBuffer> {
  return winoOutputTransformBytes(F43, g, shared);
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
