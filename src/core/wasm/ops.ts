/**
 * Named WebAssembly instructions for the hand-assembled kernels (the encoding is in
 * {@link ./module.ts}): each helper returns the instruction's bytes, so a kernel body reads as
 * a list of spread calls. Only the instructions our kernels use; opcodes from the WebAssembly core
 * 2.0 binary format (SIMD instructions behind the 0xfd prefix, their opcode as unsigned LEB128).
 */
import { SIMD, sleb, uleb } from './module.js';

/** Value type i64 and f64 (wasmModule exports I32, F32, V128). */
export const I64 = 0x7e;
export const F64 = 0x7c;

export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32c = (n: number): number[] => [0x41, ...sleb(n)];
export const i64c = (n: number): number[] => [0x42, ...sleb(n)];
/** f64.const (little-endian IEEE-754 bits). */
export function f64c(x: number): number[] {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [0x44, ...b];
}

/** Structured control: a block/loop/if without result, `end`, branches. */
export const block = [0x02, 0x40];
export const loop = [0x03, 0x40];
export const if_ = [0x04, 0x40];
export const else_ = [0x05];
export const end = [0x0b];
export const br = (depth: number): number[] => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
export const select = [0x1b];

/** Scalar memory access (align as log2 bytes, natural). */
export const i32Load = (offset = 0): number[] => [0x28, 2, ...uleb(offset)];
export const f32Load = (offset = 0): number[] => [0x2a, 2, ...uleb(offset)];
export const f64Load = (offset = 0): number[] => [0x2b, 3, ...uleb(offset)];
export const i32Store = (offset = 0): number[] => [0x36, 2, ...uleb(offset)];
export const f32Store = (offset = 0): number[] => [0x38, 2, ...uleb(offset)];
export const f64Store = (offset = 0): number[] => [0x39, 3, ...uleb(offset)];

/** Scalar arithmetic and comparisons. */
export const i32Eqz = [0x45];
export const i32Eq = [0x46];
export const i32LtS = [0x48];
export const i32GtS = [0x4a];
export const i32GeS = [0x4e];
export const i32Add = [0x6a];
export const i32Sub = [0x6b];
export const i32Mul = [0x6c];
export const i32And = [0x71];
export const i32Or = [0x72];
export const i32Shl = [0x74];
export const f64Eq = [0x61];
export const f64Lt = [0x63];
export const f64Gt = [0x64];
export const f64Ge = [0x66];
export const f64Add = [0xa0];
export const f64Sub = [0xa1];
export const f64Mul = [0xa2];
export const i32WrapI64 = [0xa7];
export const i64ExtendI32S = [0xac];
export const f64PromoteF32 = [0xbb];
export const f32DemoteF64 = [0xb6];

const simd = (code: number): number[] => [SIMD, ...uleb(code)];
/** v128.load / v128.store with an 8-byte alignment hint (any address works). */
export const v128Load = (offset = 0): number[] => [SIMD, 0x00, 3, ...uleb(offset)];
export const v128Store = (offset = 0): number[] => [SIMD, 0x0b, 3, ...uleb(offset)];
/** v128.const of 16 bytes. */
export const v128c = (bytes: number[]): number[] => [SIMD, 0x0c, ...bytes];
export const i64x2Splat = simd(0x12);
export const f64x2Splat = simd(0x14);
export const i64x2ExtractLane = (lane: number): number[] => [...simd(0x1d), lane];
export const f64x2ExtractLane = (lane: number): number[] => [...simd(0x21), lane];
export const f64x2Lt = simd(0x49);
export const f64x2Ge = simd(0x4c);
export const v128Bitselect = simd(0x52);
export const i64x2Add = simd(0xce);
export const f64x2Add = simd(0xf0);
export const f64x2Sub = simd(0xf1);
export const f64x2Mul = simd(0xf2);
export const f32x4DemoteF64x2Zero = simd(0x5e);
export const f64x2PromoteLowF32x4 = simd(0x5f);
/** v128.store64_lane: the low or high 8 bytes of a vector. */
export const v128Store64Lane = (lane: number, offset = 0): number[] => [SIMD, 0x5b, 3, ...uleb(offset), lane];
/** v128.load64_splat: one float64 (8 bytes) into both lanes. */
export const v128Load64Splat = (offset = 0): number[] => [SIMD, 0x0a, 3, ...uleb(offset)];

/**
 * A per-thread scratch memory for kernels that work on their own copies of the data (not on the
 * TF.js wasm heap): `ensure(bytes)` returns a memory of at least `bytes`. A larger need gets a NEW
 * memory (twice as large) instead of `memory.grow`: growing detaches the old ArrayBuffer, and with
 * grown memories the whole pipeline used ≈ 7 % more CPU, unrelated JS included (measured,
 * docs/notes/issue-14-thru8.md; most likely V8's ArrayBuffer-detaching protector, after whose
 * invalidation optimised code checks every typed-array access for a detached buffer). Views are made after `ensure`; kernels are bound per memory.
 */
export function scratchMemory(): { ensure(bytes: number): WebAssembly.Memory } {
  let memory: WebAssembly.Memory | undefined;
  return {
    ensure(bytes: number): WebAssembly.Memory {
      // a need above SCRATCH_KEEP_BYTES gets a memory of its own that is not kept (long recordings)
      if (bytes > SCRATCH_KEEP_BYTES) return new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
      const have = memory ? memory.buffer.byteLength : 0;
      if (!memory || have < bytes) memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(Math.min(SCRATCH_KEEP_BYTES, Math.max(bytes, 2 * have)) / 65536)) });
      return memory;
    },
  };
}

/** The largest scratch memory a kernel keeps between calls (bytes): bounds what a thread holds after a long recording. */
export const SCRATCH_KEEP_BYTES = 16 * 1024 * 1024;

/**
 * Above this many bytes of copies, kernels that would copy a whole signal into their scratch memory
 * take their JS path instead (no second full-length copy of a long recording; same results).
 */
export const SCRATCH_COPY_LIMIT_BYTES = 32 * 1024 * 1024;
