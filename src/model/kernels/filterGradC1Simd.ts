/**
 * Conv2DBackpropFilter for ONE input channel (the first conv layer of a spectrogram CNN) as a
 * hand-assembled WebAssembly SIMD function working on the wasm backend's heap.
 *
 * Why: with C = 1 the GEMM formulation has K = kh·kw (9), so XNNPACK spends its time packing and
 * the im2col copy is as large as the arithmetic: 14 % of the GEMM ceiling (docs/notes/issue-16.md).
 * Here there is no im2col and no packing:
 *   dW[t, o] = Σ_pixels xpad[pixel + tap offset t] · dy[pixel, o]
 * is computed per image, 4 output channels per v128 (dy is NHWC, so 4 channels are one load), with
 * one accumulator per tap (kh·kw ≤ {@link C1_MAX_TAPS} registers), and the x value of each tap
 * broadcast by `v128.load32_splat` from a zero-padded copy of the image (so no border tests).
 * The tap offsets are baked into the function as load offsets: one module per (padded row width,
 * kh, kw, O), compiled once and cached.
 *
 * Numerics: float32 multiply and add (no FMA in wasm SIMD), one float32 partial sum per image,
 * channel and tap over that image's pixels in row-major order; the per-image sums are added in
 * float64 in image order and rounded once. Deterministic (fixed order, one thread), and within
 * float32 accumulation error of the cpu backend (which sums in float64).
 */
import { I32, V128, SIMD, uleb, sleb, instantiateKernel, kernelModuleBytes } from './wasmModule.js';

/** `fn(xp, dyp, op, oH, oW, nGroups)`: one image; pointers in bytes. */
export type FilterGradC1Fn = (xp: number, dyp: number, op: number, oH: number, oW: number, nGroups: number) => void;

/** Largest filter (kh·kw taps) the kernel takes: one v128 accumulator per tap must stay in registers. */
export const C1_MAX_TAPS = 12;





/** Geometry baked into one module. */
export interface C1Geometry {
  /** Row width of the zero-padded image copy, in floats (≥ oW + kw − 1). */
  xRowW: number;
  kh: number;
  kw: number;
  /** Output channels (dy's pixel stride in floats); a multiple of 4. */
  outC: number;
}

function body(g: C1Geometry): number[] {
  const T = g.kh * g.kw;
  // params: 0 xp, 1 dyp, 2 op, 3 oH, 4 oW, 5 nG; i32 locals: 6 grp, 7 xr, 8 dr, 9 oy, 10 ox;
  // v128 locals: 11 dv, 12 … 12 + T − 1 accumulators
  const get = (i: number) => [0x20, ...uleb(i)];
  const set = (i: number) => [0x21, ...uleb(i)];
  const tee = (i: number) => [0x22, ...uleb(i)];
  const c = (n: number) => [0x41, ...sleb(n)];
  const add = [0x6a];
  const mul = [0x6c];
  const ltU = [0x49];
  const loop = [0x03, 0x40];
  const end = [0x0b];
  const brIf = (d: number) => [0x0d, d];
  const zero = [SIMD, 0x0c, ...new Array(16).fill(0)];
  const out: number[] = [];
  out.push(...c(0), ...set(6));
  out.push(...loop); // G: over channel groups
  for (let t = 0; t < T; t++) out.push(...zero, ...set(12 + t));
  // xr = xp; dr = dyp + grp·16; oy = 0
  out.push(...get(0), ...set(7));
  out.push(...get(1), ...get(6), ...c(16), ...mul, ...add, ...set(8));
  out.push(...c(0), ...set(9));
  out.push(...loop); // Y: over output rows
  out.push(...c(0), ...set(10));
  out.push(...loop); // X: over output pixels of the row
  out.push(...get(8), SIMD, 0x00, 0x04, 0x00, ...set(11)); // dv = v128.load(dr) (align 16)
  for (let ky = 0; ky < g.kh; ky++) {
    for (let kx = 0; kx < g.kw; kx++) {
      const t = ky * g.kw + kx;
      const off = (ky * g.xRowW + kx) * 4;
      // acc_t = acc_t + splat(x[xr + off]) · dv
      out.push(...get(12 + t), ...get(7), SIMD, 0x09, 0x02, ...uleb(off), ...get(11), SIMD, ...uleb(0xe6), SIMD, ...uleb(0xe4), ...set(12 + t));
    }
  }
  // xr += 4; dr += O·4; ox += 1; continue while ox < oW
  out.push(...get(7), ...c(4), ...add, ...set(7));
  out.push(...get(8), ...c(g.outC * 4), ...add, ...set(8));
  out.push(...get(10), ...c(1), ...add, ...tee(10), ...get(4), ...ltU, ...brIf(0));
  out.push(...end);
  // xr += (xRowW − oW)·4; oy += 1; continue while oy < oH
  out.push(...get(7), ...c(g.xRowW * 4), ...add, ...get(4), ...c(4), ...mul, 0x6b /* i32.sub */, ...set(7));
  out.push(...get(9), ...c(1), ...add, ...tee(9), ...get(3), ...ltU, ...brIf(0));
  out.push(...end);
  // store the accumulators at op + t·16; op += T·16
  for (let t = 0; t < T; t++) out.push(...get(2), ...get(12 + t), SIMD, 0x0b, 0x04, ...uleb(t * 16));
  out.push(...get(2), ...c(T * 16), ...add, ...set(2));
  out.push(...get(6), ...c(1), ...add, ...tee(6), ...get(5), ...ltU, ...brIf(0));
  out.push(...end);
  out.push(...end);
  return out;
}

/** The module's bytes (exported for the tests); `shared`: import a shared memory (threaded build). */
export function filterGradC1ModuleBytes(g: C1Geometry, shared = false): Uint8Array<ArrayBuffer> {
  const T = g.kh * g.kw;
  return kernelModuleBytes({ params: new Array(6).fill(I32), locals: [[5, I32], [1 + T, V128]], body: body(g), exportName: 'fg' }, shared);
}

const cache = new WeakMap<WebAssembly.Memory, Map<string, FilterGradC1Fn | null>>();

/** The SIMD function for geometry `g` bound to `memory`, or null where wasm SIMD is unavailable. */
export function filterGradC1For(memory: WebAssembly.Memory | undefined, g: C1Geometry): FilterGradC1Fn | null {
  if (!memory || typeof WebAssembly === 'undefined') return null;
  if (g.kh * g.kw > C1_MAX_TAPS || g.outC % 4 !== 0 || g.outC <= 0) return null;
  let byGeom = cache.get(memory);
  if (!byGeom) {
    byGeom = new Map();
    cache.set(memory, byGeom);
  }
  const key = `${g.xRowW},${g.kh},${g.kw},${g.outC}`;
  let fn = byGeom.get(key);
  if (fn !== undefined) return fn;
  fn = instantiateKernel<FilterGradC1Fn>(memory, (shared) => filterGradC1ModuleBytes(g, shared), 'fg');
  byGeom.set(key, fn);
  return fn;
}
