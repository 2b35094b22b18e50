/**
 * A register-blocked float32 GEMM as a hand-assembled WebAssembly SIMD function on the wasm
 * backend's heap, for the Winograd-domain products (winogradConv.ts), whose right operands change
 * every call: XNNPACK would pack them into a fresh operator each time (≈ 0.1 ms a call), while this
 * kernel reads both operands where the Winograd transforms wrote them, with no packing pass.
 *
 *   C[M, N] (= or +=) Σ_k A(i, k)·B[k, j]
 *
 * - B is row-major with row stride `ldb` bytes (N contiguous floats a row);
 * - A(i, k) is at `a + k·aStep + aOff(i mod 4) + ⌊i / 4⌋·aBlock`, where the row offsets
 *   aOff(r) are baked into the module as load offsets. Two layouts:
 *   - 'atb' (A stored as [K, lda], C = Aᵀ·B; the filter gradient's dU = Vᵀ·Z): aOff(r) = 4·r,
 *     aStep = lda·4, aBlock = 16;
 *   - 'ab' (A stored row-major as [M, lda], C = A·B; the forward product M = V·U): aOff(r) =
 *     r·lda·4 (one module per lda), aStep = 4, aBlock = 4·lda·4.
 * - C is row-major with row stride `ldc` bytes.
 *
 * Micro-kernel: 4 rows × 8 columns of C in 8 v128 accumulators; per k, 4 `v128.load32_splat` of A,
 * 2 `v128.load` of B, 8 `f32x4.mul` and 8 `f32x4.add` (wasm SIMD has no FMA). K is the innermost
 * loop; the 4 × 8 blocks are walked column block by column block, so that B's [K, 8] panel stays
 * in L1 while A's panel is reused from L2. A last column block of 4 when N mod 8 = 4.
 * Summation order: each C element sums its K products in k order, one float32 rounding per add
 * (starting from 0, or from C's value with `accumulate`): deterministic and the same for any
 * blocking of M and N. Requires M % 4 = 0, N % 4 = 0, K ≥ 1.
 */
import { I32, V128, SIMD, uleb, sleb, keyedKernelBinder, kernelModuleBytes } from './wasmModule.js';

/**
 * `fn(a, b, c, M, N, K, aStep, aBlock, ldb, ldc, accumulate)`: pointers, steps and strides in
 * bytes; `accumulate` 1: C += …, 0: C = ….
 */
export type GemmSimdFn = (a: number, b: number, c: number, M: number, N: number, K: number,
  aStep: number, aBlock: number, ldb: number, ldc: number, accumulate: number) => void;

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const ci = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a;
const SUB = 0x6b;
const MUL = 0x6c;
const LT_U = 0x49;
const LE_U = 0x4d;
const NE = 0x47;
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const ELSE = 0x05;
const END = 0x0b;
const BR_IF = 0x0d;
const load = (off: number) => [SIMD, 0x00, 0x04, ...uleb(off)];
const loadSplat32 = (off: number) => [SIMD, 0x09, 0x02, ...uleb(off)];
const store = (off: number) => [SIMD, 0x0b, 0x04, ...uleb(off)];
const FADD = [SIMD, ...uleb(0xe4)];
const FMUL = [SIMD, ...uleb(0xe6)];
const ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];

// params
const PA = 0, PB = 1, PC = 2, PM = 3, PN = 4, PK = 5, PASTEP = 6, PABLOCK = 7, PLDB = 8, PLDC = 9, PACC = 10;
// i32 locals
const JB = 11; // column offset of the block, bytes
const I = 12; // row of the block
const AI = 13; // A pointer of the row block
const CI = 14; // C pointer of the block (row i, column jb)
const A = 15; // A pointer inside the K loop
const B = 16; // B pointer inside the K loop
const KK = 17; // K counter
const CR = 18; // C row pointer (loads and stores)
const N4 = 19; // N·4
const NI32 = 9;
// v128 locals
const ACC0 = 20; // 4 × 2 accumulators: ACC0 + 2·r + j
const BV0 = 28; // 2 B vectors
const SV = 30; // the splat of A
const NV128 = 11;

/** The 4 × nr block (nr = 8 or 4) at (I, JB): init (0 or C), the K loop, the store. */
function block(nr: 8 | 4, aOff: (r: number) => number): number[] {
  const nj = nr / 4;
  const acc = (r: number, j: number) => ACC0 + 2 * r + j;
  const out: number[] = [];
  // accumulators: C's values or 0
  out.push(...get(PACC), ...IF);
  out.push(...get(CI), ...set(CR));
  for (let r = 0; r < 4; r++) {
    for (let j = 0; j < nj; j++) out.push(...get(CR), ...load(16 * j), ...set(acc(r, j)));
    if (r < 3) out.push(...get(CR), ...get(PLDC), ADD, ...set(CR));
  }
  out.push(ELSE);
  for (let r = 0; r < 4; r++) for (let j = 0; j < nj; j++) out.push(...ZERO, ...set(acc(r, j)));
  out.push(END);
  // K loop
  out.push(...get(AI), ...set(A), ...get(PB), ...get(JB), ADD, ...set(B), ...get(PK), ...set(KK));
  out.push(...LOOP);
  for (let j = 0; j < nj; j++) out.push(...get(B), ...load(16 * j), ...set(BV0 + j));
  for (let r = 0; r < 4; r++) {
    out.push(...get(A), ...loadSplat32(aOff(r)), ...set(SV));
    for (let j = 0; j < nj; j++) out.push(...get(acc(r, j)), ...get(SV), ...get(BV0 + j), ...FMUL, ...FADD, ...set(acc(r, j)));
  }
  out.push(...get(A), ...get(PASTEP), ADD, ...set(A));
  out.push(...get(B), ...get(PLDB), ADD, ...set(B));
  out.push(...get(KK), ...ci(1), SUB, ...tee(KK), ...ci(0), NE, BR_IF, 0, END);
  // store
  out.push(...get(CI), ...set(CR));
  for (let r = 0; r < 4; r++) {
    for (let j = 0; j < nj; j++) out.push(...get(CR), ...get(acc(r, j)), ...store(16 * j));
    if (r < 3) out.push(...get(CR), ...get(PLDC), ADD, ...set(CR));
  }
  return out;
}

/** The row loop over blocks of 4 rows at column JB, for blocks of nr columns. */
function rowLoop(nr: 8 | 4, aOff: (r: number) => number): number[] {
  const out: number[] = [];
  out.push(...ci(0), ...set(I), ...get(PA), ...set(AI), ...get(PC), ...get(JB), ADD, ...set(CI));
  out.push(...LOOP);
  out.push(...block(nr, aOff));
  out.push(...get(AI), ...get(PABLOCK), ADD, ...set(AI));
  out.push(...get(CI), ...get(PLDC), ...ci(4), MUL, ADD, ...set(CI));
  out.push(...get(I), ...ci(4), ADD, ...tee(I), ...get(PM), LT_U, BR_IF, 0, END);
  return out;
}

/** The function body for row offsets aOff(r) (bytes). */
function body(aOff: (r: number) => number): number[] {
  const out: number[] = [];
  out.push(...get(PN), ...ci(4), MUL, ...set(N4), ...ci(0), ...set(JB));
  // column blocks of 8 while JB + 32 ≤ N·4
  out.push(0x02, 0x40); // block (exit)
  out.push(...get(JB), ...ci(32), ADD, ...get(N4), 0x4b /* gt_u */, BR_IF, 0);
  out.push(...LOOP);
  out.push(...rowLoop(8, aOff));
  out.push(...get(JB), ...ci(32), ADD, ...tee(JB), ...ci(32), ADD, ...get(N4), LE_U, BR_IF, 0, END);
  out.push(END);
  // a last block of 4 columns
  out.push(...get(JB), ...get(N4), LT_U, ...IF, ...rowLoop(4, aOff), END);
  out.push(END);
  return out;
}

/** The module's bytes: `layout` 'atb' (A stored [K, ·], C = Aᵀ·B) or 'ab' with A's row stride `lda` floats. */
export function gemmModuleBytes(layout: 'atb' | 'ab', lda: number, shared = false): Uint8Array<ArrayBuffer> {
  const aOff = layout === 'atb' ? (r: number) => 4 * r : (r: number) => r * lda * 4;
  return kernelModuleBytes({
    params: new Array<number>(11).fill(I32),
    locals: [[NI32, I32], [NV128, V128]],
    body: body(aOff),
    exportName: 'gemm',
  }, shared);
}

const bound = keyedKernelBinder();

/**
 * C[M, N] = Aᵀ·B for A stored [K, M] with row stride lda floats (M % 4 = 0): bound to `memory`, or
 * null without wasm SIMD. Call as fn(a, b, c, M, N, K, lda·4, 16, ldb·4, ldc·4, accumulate).
 */
export function gemmAtBFor(memory: WebAssembly.Memory | undefined): GemmSimdFn | null {
  return bound(memory, 'atb', (s) => gemmModuleBytes('atb', 0, s), 'gemm');
}

/**
 * C[M, N] = A·B for A stored row-major [M, lda] (M % 4 = 0): bound to `memory`, or null without
 * wasm SIMD. Call as fn(a, b, c, M, N, K, 4, 16·lda, ldb·4, ldc·4, accumulate).
 */
export function gemmAbFor(memory: WebAssembly.Memory | undefined, lda: number): GemmSimdFn | null {
  return bound(memory, `ab:${lda}`, (s) => gemmModuleBytes('ab', lda, s), 'gemm');
}
