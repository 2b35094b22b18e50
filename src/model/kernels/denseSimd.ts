/**
 * The dense layers of denseNetwork.ts (inference: y = act(bias + Σ_k x_k·w_kj), float64 sums,
 * float32 outputs) as a hand-assembled WebAssembly SIMD function: eight output columns per block
 * held in four f64x2 accumulators.
 *
 * Bit-identical to the JS loop: each output starts at its bias, adds x_k·w_kj for k in order with
 * f64x2.mul then f64x2.add (IEEE-754 double operations rounded to nearest, no fused multiply-add,
 * like JS's * and +), applies ReLU in float64 (a < 0 → +0, as JS's `a < 0 ? 0 : a`) and rounds to
 * float32 with f32x4.demote_f64x2_zero (round to nearest even, as a Float32Array store).
 * The kernel works on its own per-thread memory (copies of the inputs and weights).
 */
import { I32, V128, kernelModuleBytes, kernelBinder } from './wasmModule.js';
import * as w from './wasmOps.js';

/**
 * `fn(x, n, nIn, w, bias, y, nOut, relu, nBlocks)` (byte addresses): x [n × nIn] float32, w the
 * packed kernel [nBlocks][nIn][8] float64, bias [nBlocks·8] float64 (zero-padded), y [n × nOut]
 * float32 (the last block of a row may write up to 7 floats past the row: the next row overwrites
 * them, and the buffer must have 8 floats of slack after the last row).
 */
export type DenseLayerFn = (x: number, n: number, nIn: number, wp: number, bias: number, y: number, nOut: number, relu: number, nBlocks: number) => void;

function body(): number[] {
  const [X, N, NIN, W, BIAS, Y, NOUT, RELU, NB, r, b, k, p, xr, yo, a0, a1, a2, a3, v, zero] = Array.from({ length: 21 }, (_, i) => i);
  const acc = [a0, a1, a2, a3];
  const out: number[] = [];
  out.push(...w.f64c(0), ...w.f64x2Splat, ...w.set(zero));
  out.push(...w.i32c(0), ...w.set(r));
  out.push(...w.block, ...w.loop); // rows
  out.push(...w.get(r), ...w.get(N), ...w.i32GeS, ...w.brIf(1));
  out.push(...w.get(X), ...w.get(r), ...w.get(NIN), ...w.i32Mul, ...w.i32c(2), ...w.i32Shl, ...w.i32Add, ...w.set(xr));
  out.push(...w.i32c(0), ...w.set(b));
  out.push(...w.loop); // blocks of eight columns
  for (let i = 0; i < 4; i++) out.push(...w.get(BIAS), ...w.get(b), ...w.i32c(6), ...w.i32Shl, ...w.i32Add, ...w.v128Load(16 * i), ...w.set(acc[i]!));
  out.push(...w.get(W), ...w.get(b), ...w.get(NIN), ...w.i32Mul, ...w.i32c(6), ...w.i32Shl, ...w.i32Add, ...w.set(p));
  out.push(...w.i32c(0), ...w.set(k));
  out.push(...w.block, ...w.loop); // inputs k
  out.push(...w.get(k), ...w.get(NIN), ...w.i32GeS, ...w.brIf(1));
  out.push(...w.get(xr), ...w.get(k), ...w.i32c(2), ...w.i32Shl, ...w.i32Add, ...w.f32Load(0), ...w.f64PromoteF32, ...w.f64x2Splat, ...w.set(v));
  for (let i = 0; i < 4; i++) out.push(...w.get(acc[i]!), ...w.get(v), ...w.get(p), ...w.v128Load(16 * i), ...w.f64x2Mul, ...w.f64x2Add, ...w.set(acc[i]!));
  out.push(...w.get(p), ...w.i32c(64), ...w.i32Add, ...w.set(p));
  out.push(...w.get(k), ...w.i32c(1), ...w.i32Add, ...w.set(k));
  out.push(...w.br(0), ...w.end, ...w.end);
  out.push(...w.get(RELU), ...w.if_);
  for (let i = 0; i < 4; i++) out.push(...w.get(zero), ...w.get(acc[i]!), ...w.get(acc[i]!), ...w.get(zero), ...w.f64x2Lt, ...w.v128Bitselect, ...w.set(acc[i]!));
  out.push(...w.end);
  // yo = y + 4·(r·nOut + 8b)
  out.push(...w.get(Y), ...w.get(r), ...w.get(NOUT), ...w.i32Mul, ...w.get(b), ...w.i32c(3), ...w.i32Shl, ...w.i32Add, ...w.i32c(2), ...w.i32Shl, ...w.i32Add, ...w.set(yo));
  for (let i = 0; i < 4; i++) out.push(...w.get(yo), ...w.get(acc[i]!), ...w.f32x4DemoteF64x2Zero, ...w.v128Store64Lane(0, 8 * i));
  out.push(...w.get(b), ...w.i32c(1), ...w.i32Add, ...w.tee(b), ...w.get(NB), ...w.i32LtS, ...w.brIf(0));
  out.push(...w.end); // blocks
  out.push(...w.get(r), ...w.i32c(1), ...w.i32Add, ...w.set(r));
  out.push(...w.br(0), ...w.end, ...w.end); // rows
  out.push(...w.end);
  return out;
}

/** The module's bytes (exported for the tests). */
export function denseLayerModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32, I32, I32, I32, I32, I32, I32], locals: [[6, I32], [6, V128]], body: body(), exportName: 'dense' }, shared);
}

/** The SIMD function bound to `memory`, or null where wasm SIMD is unavailable. */
export const denseLayerSimdFor = kernelBinder<DenseLayerFn>(denseLayerModuleBytes, 'dense');
