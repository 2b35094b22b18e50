/**
 * The 2×2, stride-2 MaxPoolGrad inner loop as a tiny hand-assembled WebAssembly SIMD function that
 * works directly on the wasm backend's heap (it imports the backend's `WebAssembly.Memory`).
 *
 * Why: in plain JS the per-window "which of 4 is the first maximum" branches are unpredictable on
 * real data (≈ 20 ns per window and channel); with f32x4 compares and bit selects there are no
 * data-dependent branches at all, four channels per instruction.
 *
 * Tie rule, exactly the cpu backend's (and the JS kernel's): the gradient goes to the first
 * maximum in row-major order (strict `>` comparisons, NaN never wins); a window whose elements are
 * all NaN / −∞ passes no gradient. Every element of the 2×2 windows is written (no zero fill).
 */
import { I32, V128, SIMD, kernelBinder, kernelModuleBytes } from './wasmModule.js';

/** `row(xp, gp, op, oW, cB, rB)`: one output row; pointers in bytes, cB = C·4, rB = W·C·4. */
export type PoolRowFn = (xp: number, gp: number, op: number, oW: number, cB: number, rB: number) => void;

const OP = {
  localGet: 0x20, localSet: 0x21, localTee: 0x22, i32Const: 0x41, i32Add: 0x6a, i32Mul: 0x6c,
  i32LtU: 0x49, loop: 0x03, brIf: 0x0d, end: 0x0b, void: 0x40,
  // SIMD sub-opcodes (after 0xfd)
  load: 0x00, store: 0x0b, const: 0x0c, gt: 0x44, and: 0x4e, andnot: 0x4f, bitselect: 0x52,
} as const;

// float32 −∞ = 0xff800000, little endian, four lanes
const NEG_INF = [0x00, 0x00, 0x80, 0xff, 0x00, 0x00, 0x80, 0xff, 0x00, 0x00, 0x80, 0xff, 0x00, 0x00, 0x80, 0xff];

function body(): number[] {
  // params 0 xp, 1 gp, 2 op, 3 oW, 4 cB, 5 rB; locals 6 i, 7 gEnd (i32); 8 v, 9 c1, 10 c2, 11 c3, 12 t (v128)
  const g = (i: number) => [OP.localGet, i];
  const s = (i: number) => [OP.localSet, i];
  const tee = (i: number) => [OP.localTee, i];
  const add = [OP.i32Add];
  const simd = (op: number) => [SIMD, op];
  const load = [SIMD, OP.load, 0, 0]; // align 2^0, offset 0
  const store = [SIMD, OP.store, 0, 0];
  const negInf = [SIMD, OP.const, ...NEG_INF];
  const gt = simd(OP.gt);
  const sel = simd(OP.bitselect);
  const and = simd(OP.and);
  const andnot = simd(OP.andnot);
  return [
    // gEnd = gp + oW * cB
    ...g(1), ...g(3), ...g(4), OP.i32Mul, ...add, ...s(7),
    OP.loop, OP.void, // over windows
    OP.i32Const, 0, ...s(6),
    OP.loop, OP.void, // over channels, 4 at a time
    // v = a00 > −∞ ? a00 : −∞
    ...g(0), ...g(6), ...add, ...load, ...tee(8), ...negInf, ...g(8), ...negInf, ...gt, ...sel, ...s(8),
    // c1 = a01 > v; v = c1 ? a01 : v
    ...g(0), ...g(4), ...add, ...g(6), ...add, ...load, ...tee(12), ...g(8), ...gt, ...s(9),
    ...g(12), ...g(8), ...g(9), ...sel, ...s(8),
    // c2 = a10 > v; v = c2 ? a10 : v
    ...g(0), ...g(5), ...add, ...g(6), ...add, ...load, ...tee(12), ...g(8), ...gt, ...s(10),
    ...g(12), ...g(8), ...g(10), ...sel, ...s(8),
    // c3 = a11 > v; v = c3 ? a11 : v
    ...g(0), ...g(5), ...add, ...g(4), ...add, ...g(6), ...add, ...load, ...tee(12), ...g(8), ...gt, ...s(11),
    ...g(12), ...g(8), ...g(11), ...sel, ...s(8),
    // t = dy & (v > −∞)
    ...g(1), ...g(6), ...add, ...load, ...g(8), ...negInf, ...gt, ...and, ...s(12),
    // out11 = t & c3; t &= ~c3
    ...g(2), ...g(5), ...add, ...g(4), ...add, ...g(6), ...add, ...g(12), ...g(11), ...and, ...store,
    ...g(12), ...g(11), ...andnot, ...s(12),
    // out10 = t & c2; t &= ~c2
    ...g(2), ...g(5), ...add, ...g(6), ...add, ...g(12), ...g(10), ...and, ...store,
    ...g(12), ...g(10), ...andnot, ...s(12),
    // out01 = t & c1; out00 = t & ~c1
    ...g(2), ...g(4), ...add, ...g(6), ...add, ...g(12), ...g(9), ...and, ...store,
    ...g(2), ...g(6), ...add, ...g(12), ...g(9), ...andnot, ...store,
    // i += 16; continue while i < cB
    ...g(6), OP.i32Const, 16, ...add, ...tee(6), ...g(4), OP.i32LtU, OP.brIf, 0,
    OP.end,
    // xp += 2cB; op += 2cB; gp += cB; continue while gp < gEnd
    ...g(0), ...g(4), ...g(4), ...add, ...add, ...s(0),
    ...g(2), ...g(4), ...g(4), ...add, ...add, ...s(2),
    ...g(1), ...g(4), ...add, ...tee(1), ...g(7), OP.i32LtU, OP.brIf, 0,
    OP.end,
    OP.end,
  ];
}




/**
 * The module's bytes (exported for the tests). `shared`: import a shared memory (the threaded
 * wasm build's), declared with the wasm32 maximum of 65536 pages so that any memory matches.
 */
export function poolRowModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: new Array(6).fill(I32), locals: [[2, I32], [5, V128]], body: body(), exportName: 'row' }, shared);
}

/**
 * The SIMD row function bound to `memory`, or null when this runtime cannot compile it (no wasm
 * SIMD) — the caller then uses its JS loop.
 */
export const poolRowFor = kernelBinder<PoolRowFn>(poolRowModuleBytes, 'row');
