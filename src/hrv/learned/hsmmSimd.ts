/**
 * The forward pass of {@link hsmmViterbi} (the best segment ending at each frame in each state) as
 * a hand-assembled WebAssembly SIMD function: two segment durations per f64x2 instruction.
 *
 * Bit-identical to the JS loop: every candidate score is (δ_prev[k] + log pmf[d]) + (C[t+1] − C[k+1])
 * with the same float64 additions in the same order (f64x2.add/sub are IEEE-754 double operations,
 * rounded to nearest like JS's + and −), and the same winner: the JS loop keeps the first duration
 * (smallest d) with the largest score (strictly greater wins). Here durations run from large to
 * small with "greater or equal wins" per lane, and the two lanes and the odd first duration are
 * merged by score, then by the smaller d, which picks the same one. NaN scores lose in both.
 * With no finite score the duration is 1, as in JS. The boundary candidates (a first segment from
 * frame 0, cut by the recording's start) are computed in JS and compared last, as in JS.
 *
 * One module per thread and memory (module-level cache); the scratch memory is replaced by a larger
 * one for a longer decoding (never grown: see scratchMemory). Everything here is browser-safe.
 */
import { I32, V128, kernelModuleBytes, kernelBinder } from '../../core/wasm/module.js';
import * as w from '../../core/wasm/ops.js';
import { scratchMemory } from '../../core/wasm/ops.js';

/** `fn(T, header, extra)`: see {@link forwardModuleBytes}. */
type ForwardFn = (nFrames: number, headerPtr: number, extraPtr: number) => void;

/** Bytes of the per-state header: cBase, deltaBase, deltaPrevBase, backBase, lpReversedBase, M (i32 each). */
const HEADER_BYTES = 24;

function body(): number[] {
  // params 0 T, 1 hdr, 2 ex; i32 locals 3 t, 4 s, 5 h, 6 M, 7 dInner, 8 k, 9 cB, 10 dP, 11 lpB, 12 bestK, 13 arg, 14 kl;
  // f64 15 ct1, 16 best, 17 v, 18 b; v128 19 ct1v, 20 bestV, 21 argV, 22 kV, 23 vv, 24 mask
  const [T, HDR, EX, t, s, h, M, dInner, k, cB, dP, lpB, bestK, arg, kl, ct1, best, v, b, ct1v, bestV, argV, kV, vv, mask] = Array.from({ length: 25 }, (_, i) => i);
  const addr8 = (base: number, idx: number) => [...w.get(base), ...w.get(idx), ...w.i32c(3), ...w.i32Shl, ...w.i32Add];
  const NEG_INF = w.f64c(-Infinity);
  // merge one lane (score b, frame kl): b > best, or b == best and kl > bestK (larger k = smaller d)
  const mergeLane = (lane: number) => [
    ...w.get(bestV), ...w.f64x2ExtractLane(lane), ...w.set(b),
    ...w.get(argV), ...w.i64x2ExtractLane(lane), ...w.i32WrapI64, ...w.set(kl),
    ...w.get(b), ...w.get(best), ...w.f64Gt,
    ...w.get(b), ...w.get(best), ...w.f64Eq, ...w.get(kl), ...w.get(bestK), ...w.i32GtS, ...w.i32And,
    ...w.i32Or,
    ...w.if_, ...w.get(b), ...w.set(best), ...w.get(kl), ...w.set(bestK), ...w.end,
  ];
  return [
    ...w.i32c(0), ...w.set(t),
    ...w.block, ...w.loop, // over frames t
    ...w.get(t), ...w.get(T), ...w.i32GeS, ...w.brIf(1),
    ...w.i32c(0), ...w.set(s),
    ...w.loop, // over states s
    ...w.get(HDR), ...w.get(s), ...w.i32c(HEADER_BYTES), ...w.i32Mul, ...w.i32Add, ...w.set(h),
    ...w.get(h), ...w.i32Load(20), ...w.set(M),
    // dInner = min(M, t)
    ...w.get(M), ...w.get(t), ...w.get(M), ...w.get(t), ...w.i32LtS, ...w.select, ...w.set(dInner),
    ...w.get(h), ...w.i32Load(0), ...w.set(cB),
    ...w.get(h), ...w.i32Load(8), ...w.set(dP),
    // lpB = lpReversedBase + 8·(M − t): lp[d] = lpR[M − d] sits at lpB + 8k for k = t − d
    ...w.get(h), ...w.i32Load(16), ...w.get(M), ...w.get(t), ...w.i32Sub, ...w.i32c(3), ...w.i32Shl, ...w.i32Add, ...w.set(lpB),
    ...addr8(cB, t), ...w.f64Load(8), ...w.tee(ct1), ...w.f64x2Splat, ...w.set(ct1v),
    ...NEG_INF, ...w.set(best), ...w.i32c(-1), ...w.set(bestK),
    ...w.get(t), ...w.get(dInner), ...w.i32Sub, ...w.set(k),
    // an odd number of durations: the largest one alone
    ...w.get(dInner), ...w.i32c(1), ...w.i32And,
    ...w.if_,
    ...addr8(dP, k), ...w.f64Load(0), ...addr8(lpB, k), ...w.f64Load(0), ...w.f64Add,
    ...w.get(ct1), ...addr8(cB, k), ...w.f64Load(8), ...w.f64Sub, ...w.f64Add, ...w.tee(v),
    ...w.get(best), ...w.f64Ge,
    ...w.if_, ...w.get(v), ...w.set(best), ...w.get(k), ...w.set(bestK), ...w.end,
    ...w.get(k), ...w.i32c(1), ...w.i32Add, ...w.set(k),
    ...w.end,
    ...NEG_INF, ...w.f64x2Splat, ...w.set(bestV),
    ...w.i64c(-1), ...w.i64x2Splat, ...w.set(argV),
    ...w.get(k), ...w.i64ExtendI32S, ...w.i64x2Splat, ...w.v128c([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), ...w.i64x2Add, ...w.set(kV),
    ...w.block, ...w.loop, // pairs k, k + 1 (durations d, d − 1)
    ...w.get(k), ...w.get(t), ...w.i32GeS, ...w.brIf(1),
    ...addr8(dP, k), ...w.v128Load(0), ...addr8(lpB, k), ...w.v128Load(0), ...w.f64x2Add,
    ...w.get(ct1v), ...addr8(cB, k), ...w.v128Load(8), ...w.f64x2Sub, ...w.f64x2Add, ...w.tee(vv),
    ...w.get(bestV), ...w.f64x2Ge, ...w.set(mask),
    ...w.get(vv), ...w.get(bestV), ...w.get(mask), ...w.v128Bitselect, ...w.set(bestV),
    ...w.get(kV), ...w.get(argV), ...w.get(mask), ...w.v128Bitselect, ...w.set(argV),
    ...w.get(kV), ...w.i64c(2), ...w.i64x2Splat, ...w.i64x2Add, ...w.set(kV),
    ...w.get(k), ...w.i32c(2), ...w.i32Add, ...w.set(k),
    ...w.br(0),
    ...w.end, ...w.end,
    ...mergeLane(0),
    ...mergeLane(1),
    // arg = best > −∞ ? t − bestK : 1
    ...w.get(t), ...w.get(bestK), ...w.i32Sub, ...w.i32c(1), ...w.get(best), ...NEG_INF, ...w.f64Gt, ...w.select, ...w.set(arg),
    // the boundary candidate (−∞ where none), duration t + 1
    ...w.get(EX), ...w.get(t), ...w.i32c(2), ...w.i32Shl, ...w.get(s), ...w.i32Add, ...w.i32c(3), ...w.i32Shl, ...w.i32Add, ...w.f64Load(0), ...w.tee(v),
    ...w.get(best), ...w.f64Gt,
    ...w.if_, ...w.get(v), ...w.set(best), ...w.get(t), ...w.i32c(1), ...w.i32Add, ...w.set(arg), ...w.end,
    ...w.get(h), ...w.i32Load(4), ...w.get(t), ...w.i32c(3), ...w.i32Shl, ...w.i32Add, ...w.get(best), ...w.f64Store(0),
    ...w.get(h), ...w.i32Load(12), ...w.get(t), ...w.i32c(2), ...w.i32Shl, ...w.i32Add, ...w.get(arg), ...w.i32Store(0),
    ...w.get(s), ...w.i32c(1), ...w.i32Add, ...w.tee(s), ...w.i32c(4), ...w.i32LtS, ...w.brIf(0),
    ...w.end, // states
    ...w.get(t), ...w.i32c(1), ...w.i32Add, ...w.set(t),
    ...w.br(0),
    ...w.end, ...w.end, // frames
    ...w.end,
  ];
}

/**
 * The module's bytes (exported for the tests). `fn(T, header, extra)`: header = 4 × 24 bytes, per
 * state s its cumulative emissions C_s (T + 1 float64), its δ_s (T float64, written), the previous
 * state's δ, its back pointers (T int32, written), its log pmf reversed (lpR[m] = log pmf[M − m],
 * m = 0 … M − 1) and M (the table's longest duration); extra = T × 4 float64, the boundary
 * candidate of (t, s) at [4t + s] or −∞.
 */
export function forwardModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32], locals: [[12, I32], [4, w.F64], [6, V128]], body: body(), exportName: 'hsmmf' }, shared);
}

const forwardFor = kernelBinder<ForwardFn>(forwardModuleBytes, 'hsmmf');

const scratch = scratchMemory();
let available: boolean | undefined;

/** Whether this runtime runs the SIMD forward pass (wasm with SIMD). */
export function hsmmSimdAvailable(): boolean {
  if (available === undefined) available = typeof WebAssembly !== 'undefined' && forwardFor(scratch.ensure(65536)) !== null;
  return available;
}

/** The forward pass's results: views into the kernel's memory, valid until the next call. */
export interface HsmmForward {
  /** Cumulative emissions per state, T + 1 each. */
  C: Float64Array[];
  /** Best score of a segment in state s ending at t, T each. */
  delta: Float64Array[];
  /** Its duration, T each. */
  back: Int32Array[];
}

const align16 = (n: number) => (n + 15) & ~15;

/**
 * The SIMD forward pass, or null where wasm SIMD is unavailable.
 * @param logEmission nFrames × 4 row-major log emission scores
 * @param logPmf per state, log duration pmf, index 1 … maxFrames[s]
 * @param logSurvival per state, log survival, index 1 … maxFrames[s]
 * @param logInit log of the initial state probability
 */
export function hsmmForwardSimd(logEmission: Float64Array, T: number, logPmf: Float64Array[], logSurvival: Float64Array[], maxFrames: number[], logInit: number): HsmmForward | null {
  if (!hsmmSimdAvailable()) return null;
  const S = 4;
  let at = 128;
  const cAt: number[] = [];
  const dAt: number[] = [];
  const bAt: number[] = [];
  const lAt: number[] = [];
  for (let s = 0; s < S; s++) (cAt.push(at), (at = align16(at + 8 * (T + 1))));
  for (let s = 0; s < S; s++) (dAt.push(at), (at = align16(at + 8 * T)));
  const exAt = at;
  at = align16(at + 8 * 4 * T);
  for (let s = 0; s < S; s++) (lAt.push(at), (at = align16(at + 8 * maxFrames[s]!)));
  for (let s = 0; s < S; s++) (bAt.push(at), (at = align16(at + 4 * T)));
  const mem = scratch.ensure(at);
  const fn = forwardFor(mem)!;
  const buf = mem.buffer;
  const header = new Int32Array(buf, 0, 6 * S);
  const C: Float64Array[] = [];
  const delta: Float64Array[] = [];
  const back: Int32Array[] = [];
  const ex = new Float64Array(buf, exAt, 4 * T).fill(-Infinity);
  const logFlat = logInit + Math.log(1e-6);
  for (let s = 0; s < S; s++) {
    const c = new Float64Array(buf, cAt[s]!, T + 1);
    c[0] = 0;
    for (let t = 0; t < T; t++) c[t + 1] = c[t]! + logEmission[t * S + s]!;
    C.push(c);
    delta.push(new Float64Array(buf, dAt[s]!, T));
    back.push(new Int32Array(buf, bAt[s]!, T));
    const M = maxFrames[s]!;
    const lpR = new Float64Array(buf, lAt[s]!, M);
    const lp = logPmf[s]!;
    for (let m = 0; m < M; m++) lpR[m] = lp[M - m]!;
    header.set([cAt[s]!, dAt[s]!, dAt[(s + S - 1) % S]!, bAt[s]!, lAt[s]!, M], 6 * s);
    // boundary candidates of duration t + 1 (the JS loop's last two comparisons; they exclude each other)
    const ls = logSurvival[s]!;
    const tEnd = Math.min(T, 4 * M);
    for (let t = 0; t < tEnd; t++) {
      const ct1 = c[t + 1]!;
      ex[4 * t + s] = t + 1 <= M ? logInit + ls[t + 1]! + (ct1 - c[0]!) : logFlat + ct1;
    }
  }
  fn(T, 0, exAt);
  return { C, delta, back };
}
