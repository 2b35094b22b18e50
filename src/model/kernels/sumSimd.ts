/**
 * The column sums of {@link makeSumWasm} (the bias gradient: Σ over rows of a [rows, cols] float32
 * matrix) as a hand-assembled WebAssembly SIMD function on the wasm backend's heap, four columns
 * per instruction, for cols a multiple of 4.
 *
 * Bit-identical to the JS loop it replaces: per group of eight rows, each column's eight float32
 * values are widened to float64 (exact), summed as ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7))
 * and added to the column's float64 accumulator: the same float64 additions in the same order
 * (f64x2.add is IEEE-754 double addition, rounded to nearest like JS's +). The rows after the
 * last full group of eight are added by the caller, as before.
 */
import { I32, SIMD, V128, uleb, kernelBinder, kernelModuleBytes } from './wasmModule.js';

/**
 * `fn(xp, accp, rowBytes, groups)`: xp the first row (bytes), accp the float64 accumulators (cols
 * of them, bytes, 16-byte aligned), rowBytes = 4·cols (a positive multiple of 16), groups = the
 * number of groups of eight rows to add.
 */
export type ColumnSum8Fn = (xp: number, accp: number, rowBytes: number, groups: number) => void;

function body(): number[] {
  // params 0 xp, 1 accp, 2 rb, 3 groups; locals 4 g, 5 cb, 6 q (i32); 7…14 v0…v7 (v128)
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const op = (code: number) => [SIMD, ...uleb(code)];
  const load = (offset = 0) => [SIMD, 0x00, 0x04, ...uleb(offset)];
  const store = (offset = 0) => [SIMD, 0x0b, 0x04, ...uleb(offset)];
  const F64X2_ADD = 0xf0;
  const PROMOTE_LOW = 0x5f; // f64x2.promote_low_f32x4
  // lanes 2, 3 of a f32x4 moved to lanes 0, 1 (i8x16.shuffle of the vector with itself)
  const HIGH = [SIMD, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
  const V = (k: number) => 7 + k;
  const wide = (k: number, high: boolean) => [...get(V(k)), ...(high ? [...get(V(k)), ...HIGH] : []), ...op(PROMOTE_LOW)];
  // ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)) in float64, one half of the four columns
  const tree = (high: boolean) => [
    ...wide(0, high), ...wide(1, high), ...op(F64X2_ADD), ...wide(2, high), ...wide(3, high), ...op(F64X2_ADD), ...op(F64X2_ADD),
    ...wide(4, high), ...wide(5, high), ...op(F64X2_ADD), ...wide(6, high), ...wide(7, high), ...op(F64X2_ADD), ...op(F64X2_ADD),
    ...op(F64X2_ADD),
  ];
  const loads: number[] = [];
  // q = xp + cb; v_k = load(q + k·rb)
  loads.push(...get(0), ...get(5), 0x6a, ...tee(6), ...load(), ...set(V(0)));
  for (let k = 1; k < 8; k++) loads.push(...get(6), ...get(2), 0x6a, ...tee(6), ...load(), ...set(V(k)));
  // the accumulators of columns cb/4 … cb/4 + 3: accp + 2·cb (lanes 0, 1) and + 16 (lanes 2, 3)
  const acc = [...get(1), ...get(5), ...get(5), 0x6a, 0x6a];
  return [
    0x41, 0, ...set(4), // g = 0
    0x02, 0x40, // block
    0x03, 0x40, // loop over groups
    ...get(4), ...get(3), 0x4f /* i32.ge_u */, 0x0d, 1, // g ≥ groups: done
    0x41, 0, ...set(5), // cb = 0
    0x03, 0x40, // loop over columns, four at a time
    ...loads,
    ...acc, ...acc, ...load(0), ...tree(false), ...op(F64X2_ADD), ...store(0),
    ...acc, ...acc, ...load(16), ...tree(true), ...op(F64X2_ADD), ...store(16),
    ...get(5), 0x41, 16, 0x6a, ...tee(5), ...get(2), 0x49 /* i32.lt_u */, 0x0d, 0,
    0x0b, // end column loop
    ...get(0), ...get(2), 0x41, 3, 0x74 /* i32.shl */, 0x6a, ...set(0), // xp += 8·rb
    ...get(4), 0x41, 1, 0x6a, ...set(4), // g++
    0x0c, 0, // next group
    0x0b, // end group loop
    0x0b, // end block
    0x0b, // end function
  ];
}

/** The module's bytes (exported for the tests); `shared`: import a shared memory (threaded build). */
export function columnSumModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[3, I32], [8, V128]], body: body(), exportName: 'cs8' }, shared);
}

/** The SIMD function bound to `memory`, or null where wasm SIMD is unavailable. */
export const columnSumSimdFor = kernelBinder<ColumnSum8Fn>(columnSumModuleBytes, 'cs8');
