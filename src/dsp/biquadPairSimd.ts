/**
 * Two biquad cascades at once, one per f64x2 lane (two filters over the same signal, e.g. two
 * bands): a hand-assembled WebAssembly SIMD function that runs `nSections` second-order sections
 * (direct form II transposed) over an interleaved buffer [a0, b0, a1, b1, …] in place, from index
 * `start` to `end` (exclusive) in steps of ±1, with the sections' states kept in memory between
 * calls (so a lane can be (re)started at any index by writing its state).
 *
 * Bit-identical per lane to butterworth.ts's JS loops: y = b0·x + z1; z1 = (b1·x − a1·y) + z2;
 * z2 = b2·x − a2·y, the same float64 operations in the same order (f64x2.mul/add/sub are IEEE-754
 * double operations rounded to nearest, no fused multiply–add). Browser-safe.
 */
import { I32, V128, kernelModuleBytes, keyedKernelBinder } from '../core/wasm/module.js';
import * as w from '../core/wasm/ops.js';

/**
 * `fn(buf, start, end, step, coef, state)` (byte addresses): coef [nSections][5 (b0 b1 b2 a1 a2)]
 * pairs of float64 (lane a, lane b); state [nSections][2 (z1 z2)] pairs, read at the start and
 * written at the end.
 */
export type BiquadPairFn = (buf: number, start: number, end: number, step: number, coef: number, state: number) => void;

function body(nSections: number): number[] {
  const [BUF, START, END, STEP, COEF, STATE, i, p, X, Y] = Array.from({ length: 10 }, (_, k) => k);
  const sec = (j: number) => ({ z1: 10 + 2 * j, z2: 11 + 2 * j });
  // the coefficients are read from memory at each use (constant offsets): the states stay in registers
  const c = (j: number, k: number) => [...w.get(COEF), ...w.v128Load(16 * (5 * j + k))];
  const out: number[] = [];
  for (let j = 0; j < nSections; j++) {
    const s = sec(j);
    out.push(...w.get(STATE), ...w.v128Load(16 * (2 * j)), ...w.set(s.z1));
    out.push(...w.get(STATE), ...w.v128Load(16 * (2 * j + 1)), ...w.set(s.z2));
  }
  out.push(...w.get(START), ...w.set(i));
  out.push(...w.block, ...w.loop);
  out.push(...w.get(i), ...w.get(END), ...w.i32Eq, ...w.brIf(1));
  out.push(...w.get(BUF), ...w.get(i), ...w.i32c(4), ...w.i32Shl, ...w.i32Add, ...w.tee(p), ...w.v128Load(0), ...w.set(X));
  for (let j = 0; j < nSections; j++) {
    const s = sec(j);
    // y = b0·x + z1
    out.push(...c(j, 0), ...w.get(X), ...w.f64x2Mul, ...w.get(s.z1), ...w.f64x2Add, ...w.set(Y));
    // z1 = (b1·x − a1·y) + z2
    out.push(...c(j, 1), ...w.get(X), ...w.f64x2Mul, ...c(j, 3), ...w.get(Y), ...w.f64x2Mul, ...w.f64x2Sub, ...w.get(s.z2), ...w.f64x2Add, ...w.set(s.z1));
    // z2 = b2·x − a2·y
    out.push(...c(j, 2), ...w.get(X), ...w.f64x2Mul, ...c(j, 4), ...w.get(Y), ...w.f64x2Mul, ...w.f64x2Sub, ...w.set(s.z2));
    out.push(...w.get(Y), ...w.set(X));
  }
  out.push(...w.get(p), ...w.get(X), ...w.v128Store(0));
  out.push(...w.get(i), ...w.get(STEP), ...w.i32Add, ...w.set(i));
  out.push(...w.br(0), ...w.end, ...w.end);
  for (let j = 0; j < nSections; j++) {
    const s = sec(j);
    out.push(...w.get(STATE), ...w.get(s.z1), ...w.v128Store(16 * (2 * j)));
    out.push(...w.get(STATE), ...w.get(s.z2), ...w.v128Store(16 * (2 * j + 1)));
  }
  out.push(...w.end);
  return out;
}

/** The module's bytes for `nSections` sections (exported for the tests). */
export function biquadPairModuleBytes(nSections: number, shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32, I32, I32, I32], locals: [[2, I32], [2 + 2 * nSections, V128]], body: body(nSections), exportName: 'bq2' }, shared);
}

const bind = keyedKernelBinder();

/** The SIMD function for `nSections` sections bound to `memory`, or null where wasm SIMD is unavailable. */
export function biquadPairSimdFor(memory: WebAssembly.Memory, nSections: number): BiquadPairFn | null {
  return bind<BiquadPairFn>(memory, String(nSections), (shared) => biquadPairModuleBytes(nSections, shared), 'bq2');
}
