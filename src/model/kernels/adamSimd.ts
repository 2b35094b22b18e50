/**
 * The Adam update of {@link fusedAdamWasm} as a hand-assembled WebAssembly SIMD function on the
 * wasm backend's heap, four parameters per instruction.
 *
 * Bit-identical to the JS loop (and so to tf's Adam): wasm's f32x4 add, mul, div and sqrt are
 * IEEE-754 single-precision operations rounded to nearest, exactly what the JS loop gets by
 * rounding every double result with Math.fround; the operations run in the same order. The
 * scalars arrive as f32 parameters (JS numbers are rounded to float32 on the call, as Math.fround).
 */
import { I32, F32, V128, SIMD, uleb, kernelBinder, kernelModuleBytes } from './wasmModule.js';

/**
 * `fn(xp, mp, vp, gp, nxp, nmp, nvp, nBytes, b1, b2, cb1, cb2, c1, c2, eps, nlr)`: pointers in
 * bytes, nBytes a positive multiple of 16 (the tail is done by the caller).
 */
export type AdamSimdFn = (
  xp: number, mp: number, vp: number, gp: number, nxp: number, nmp: number, nvp: number, nBytes: number,
  b1: number, b2: number, cb1: number, cb2: number, c1: number, c2: number, eps: number, nlr: number,
) => void;




function body(): number[] {
  // params 0 xp, 1 mp, 2 vp, 3 gp, 4 nxp, 5 nmp, 6 nvp, 7 nBytes, 8…15 f32 scalars;
  // locals: 16 i (i32); 17 B1, 18 B2, 19 CB1, 20 CB2, 21 C1, 22 C2, 23 EPS, 24 NLR, 25 g, 26 mi, 27 vi (v128)
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const at = (p: number) => [...get(p), ...get(16), 0x6a]; // p + i
  const load = [SIMD, 0x00, 0x04, 0x00];
  const store = [SIMD, 0x0b, 0x04, 0x00];
  const op = (code: number) => [SIMD, ...uleb(code)];
  const add = op(0xe4);
  const mul = op(0xe6);
  const div = op(0xe7);
  const sqrt = op(0xe3);
  const out: number[] = [];
  for (let k = 0; k < 8; k++) out.push(...get(8 + k), SIMD, 0x13 /* f32x4.splat */, ...set(17 + k));
  out.push(0x41, 0, ...set(16));
  out.push(0x03, 0x40); // loop
  out.push(...at(3), ...load, ...set(25)); // g
  // mi = m·b1 + g·cb1; store
  out.push(...at(1), ...load, ...get(17), ...mul, ...get(25), ...get(19), ...mul, ...add, ...set(26));
  out.push(...at(5), ...get(26), ...store);
  // vi = v·b2 + (g·g)·cb2; store
  out.push(...at(2), ...load, ...get(18), ...mul, ...get(25), ...get(25), ...mul, ...get(20), ...mul, ...add, ...set(27));
  out.push(...at(6), ...get(27), ...store);
  // x' = ((mi / c1) / (√(vi / c2) + eps)) · nlr + x
  out.push(...at(4));
  out.push(...get(26), ...get(21), ...div);
  out.push(...get(27), ...get(22), ...div, ...sqrt, ...get(23), ...add);
  out.push(...div, ...get(24), ...mul, ...at(0), ...load, ...add, ...store);
  // i += 16; continue while i < nBytes
  out.push(...get(16), 0x41, 16, 0x6a, ...tee(16), ...get(7), 0x49, 0x0d, 0);
  out.push(0x0b, 0x0b);
  return out;
}

/** The module's bytes (exported for the tests); `shared`: import a shared memory (threaded build). */
export function adamModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const params = [...new Array(8).fill(I32), ...new Array(8).fill(F32)];
  return kernelModuleBytes({ params, locals: [[1, I32], [11, V128]], body: body(), exportName: 'adam' }, shared);
}

/** The SIMD Adam function bound to `memory`, or null where wasm SIMD is unavailable. */
export const adamSimdFor = kernelBinder<AdamSimdFn>(adamModuleBytes, 'adam');
