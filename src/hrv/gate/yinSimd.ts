/**
 * YIN's difference function for the harmonicity evidence (heartEvidence.ts, `framePitched`):
 * acc[lag] = Σ_{i=s}^{s+w−1} (x[i] − x[i+lag])² for eight consecutive lags per pass over the
 * frame, as a hand-assembled WebAssembly SIMD function (two lags per f64x2, four accumulators).
 *
 * Bit-identical to the JS loop: each lag's sum starts at +0 and adds (x[i] − x[i+lag])² for i in
 * order, with f64x2.sub/mul/add (IEEE-754 double operations rounded to nearest, no fused
 * multiply–add, like JS). Works on a per-thread scratch memory holding a copy of the signal.
 */
import { I32, V128, kernelModuleBytes, kernelBinder } from '../../core/wasm/module.js';
import * as w from '../../core/wasm/ops.js';

/** `fn(x, s, w, lag0, acc)`: x and acc byte addresses of float64 arrays; writes acc[lag0 … lag0 + 7]. */
export type Yin8Fn = (x: number, s: number, w: number, lag0: number, acc: number) => void;

function body(): number[] {
  const [X, S, W, LAG0, ACC, p, e, lo, t, v, a0, a1, a2, a3, q] = Array.from({ length: 15 }, (_, i) => i);
  const acc = [a0, a1, a2, a3];
  const out: number[] = [];
  for (const a of acc) out.push(...w.f64c(0), ...w.f64x2Splat, ...w.set(a));
  out.push(...w.get(X), ...w.get(S), ...w.i32c(3), ...w.i32Shl, ...w.i32Add, ...w.tee(p));
  out.push(...w.get(W), ...w.i32c(3), ...w.i32Shl, ...w.i32Add, ...w.set(e));
  out.push(...w.get(LAG0), ...w.i32c(3), ...w.i32Shl, ...w.set(lo));
  out.push(...w.block, ...w.loop);
  out.push(...w.get(p), ...w.get(e), ...w.i32GeS, ...w.brIf(1));
  out.push(...w.get(p), ...w.v128Load64Splat(0), ...w.set(v));
  out.push(...w.get(p), ...w.get(lo), ...w.i32Add, ...w.set(t));
  acc.forEach((a, j) => {
    out.push(...w.get(v), ...w.get(t), ...w.v128Load(16 * j), ...w.f64x2Sub, ...w.tee(q));
    out.push(...w.get(q), ...w.f64x2Mul, ...w.get(a), ...w.f64x2Add, ...w.set(a));
  });
  out.push(...w.get(p), ...w.i32c(8), ...w.i32Add, ...w.set(p));
  out.push(...w.br(0), ...w.end, ...w.end);
  acc.forEach((a, j) => out.push(...w.get(ACC), ...w.get(lo), ...w.i32Add, ...w.get(a), ...w.v128Store(16 * j)));
  out.push(...w.end);
  return out;
}

/** The module's bytes (exported for the tests). */
export function yinModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32, I32, I32], locals: [[4, I32], [6, V128]], body: body(), exportName: 'yin8' }, shared);
}

/** The SIMD function bound to `memory`, or null where wasm SIMD is unavailable. */
export const yinSimdFor = kernelBinder<Yin8Fn>(yinModuleBytes, 'yin8');
