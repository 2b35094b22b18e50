/**
 * A float32 matrix transpose on the wasm backend's heap as a hand-assembled WebAssembly SIMD
 * function: 4 × 4 blocks, four v128 loads, eight i8x16.shuffle, four v128 stores. Pure data
 * movement (bit-exact). Used by the segmenter's training kernel (denseMlpGrad.ts) for the batch's
 * input (256 × 408), where a JS loop costs ≈ 0.25 ms per step.
 */
import { I32, V128, SIMD, kernelBinder, kernelModuleBytes } from './wasmModule.js';

/** `fn(src, dst, rows, cols)`: byte pointers; rows and cols positive multiples of 4. dst = srcᵀ. */
export type TransposeSimdFn = (src: number, dst: number, rows: number, cols: number) => void;

/** The bytes of an i8x16.shuffle picking 32-bit lanes (0–3 of the first operand, 4–7 of the second). */
function shuffle32(lanes: number[]): number[] {
  return [SIMD, 0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
}

function body(): number[] {
  // params 0 src, 1 dst, 2 rows, 3 cols; locals 4 i, 5 j, 6 rowBytes (cols·4), 7 sp, 8 dp,
  // 9 colBytes (rows·4) (i32); 10–13 r0–r3, 14–17 t0–t3 (v128)
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const load = [SIMD, 0x00, 0x04, 0x00];
  const store = [SIMD, 0x0b, 0x04, 0x00];
  const add = 0x6a;
  const mul = 0x6c;
  const shl2 = [0x41, 2, 0x74];
  // address p + k·stride, k = 0…3
  const addr = (p: number, stride: number, k: number) => (k === 0 ? get(p) : [...get(p), ...get(stride), ...(k > 1 ? [0x41, k, mul] : []), add]);
  const out: number[] = [];
  out.push(...get(3), ...shl2, ...set(6), ...get(2), ...shl2, ...set(9));
  out.push(0x41, 0, ...set(4));
  out.push(0x03, 0x40); // loop over i (blocks of 4 rows)
  out.push(0x41, 0, ...set(5));
  out.push(0x03, 0x40); // loop over j (blocks of 4 columns)
  // sp = src + (i·cols + j)·4; rows i…i+3
  out.push(...get(0), ...get(4), ...get(3), mul, ...get(5), add, ...shl2, add, ...set(7));
  for (let k = 0; k < 4; k++) out.push(...addr(7, 6, k), ...load, ...set(10 + k));
  // t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
  out.push(...get(10), ...get(11), ...shuffle32([0, 4, 1, 5]), ...set(14));
  out.push(...get(10), ...get(11), ...shuffle32([2, 6, 3, 7]), ...set(15));
  out.push(...get(12), ...get(13), ...shuffle32([0, 4, 1, 5]), ...set(16));
  out.push(...get(12), ...get(13), ...shuffle32([2, 6, 3, 7]), ...set(17));
  // dp = dst + (j·rows + i)·4; columns j…j+3 become rows of dst
  out.push(...get(1), ...get(5), ...get(2), mul, ...get(4), add, ...shl2, add, ...set(8));
  out.push(...addr(8, 9, 0), ...get(14), ...get(16), ...shuffle32([0, 1, 4, 5]), ...store);
  out.push(...addr(8, 9, 1), ...get(14), ...get(16), ...shuffle32([2, 3, 6, 7]), ...store);
  out.push(...addr(8, 9, 2), ...get(15), ...get(17), ...shuffle32([0, 1, 4, 5]), ...store);
  out.push(...addr(8, 9, 3), ...get(15), ...get(17), ...shuffle32([2, 3, 6, 7]), ...store);
  // j += 4 while j < cols
  out.push(...get(5), 0x41, 4, add, 0x22, 5, ...get(3), 0x49, 0x0d, 0);
  out.push(0x0b);
  // i += 4 while i < rows
  out.push(...get(4), 0x41, 4, add, 0x22, 4, ...get(2), 0x49, 0x0d, 0);
  out.push(0x0b, 0x0b);
  return out;
}

/** The module's bytes (exported for the tests); `shared`: import a shared memory (threaded build). */
export function transposeModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[6, I32], [8, V128]], body: body(), exportName: 'tr' }, shared);
}

/** The SIMD transpose bound to `memory`, or null where wasm SIMD is unavailable. */
export const transposeSimdFor = kernelBinder<TransposeSimdFn>(transposeModuleBytes, 'tr');
