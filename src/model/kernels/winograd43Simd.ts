/**
 * The matrices of Winograd F(4×4, 3×3); winogradSimd.ts generates its tile transforms from them (one
 * row of tiles per call, 4 channels per v128):
 * - input:  V = Bᵀ·d·B, d a 6×6 patch of the zero-padded input (tile stride 4 pixels) → 36 planes;
 * - output: Y = Aᵀ·M·A (36 → 4×4), optionally + bias and ReLU.
 * The matrices (Lavin & Gray 2016, points 0, ±1, ±2, ∞):
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
 * Each output is a sum of ±c·input terms (c ≠ 1: one f32x4.mul by a splat constant), in a fixed
 * order: deterministic.
 */
import type { WinogradMatrices } from './winogradSimd.js';

/** F(4×4, 3×3): Bᵀ 6 × 6, Aᵀ 4 × 6, G 6 × 3. */
export const F43: WinogradMatrices = {
  BT: [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
  AT: [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]],
  G: [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]],
};
