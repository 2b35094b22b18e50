/**
 * The binary encoding shared by our hand-assembled WebAssembly SIMD kernels (model/kernels' maxPool2x2Simd,
 * filterGradC1Simd, adamSimd, reluGrad): each is a module with one function that works on the
 * wasm backend's heap, imported as `env.memory`. There is no wasm toolchain on our machines, so
 * the bytes are built here at run time (and nothing binary is committed). Spec: WebAssembly core
 * 2.0, binary format (sections 1 type, 2 import, 3 function, 7 export, 10 code).
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
/** Prefix of the SIMD instructions. */
export const SIMD = 0xfd;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function wasmName(s: string): number[] {
  return [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** One kernel function: its parameter types, its locals, its instructions and its export name. */
export interface KernelFunctionSpec {
  /** Parameter value types, in order (the function returns nothing). */
  params: number[];
  /** Local declarations as [count, value type] groups, after the parameters. */
  locals: [number, number][];
  /** The instructions, ending with `end` (0x0b). */
  body: number[];
  /** The name the function is exported under. */
  exportName: string;
}

/**
 * A module of one function importing `env.memory`. `shared`: import a shared memory (the threaded
 * wasm build's), declared with the wasm32 maximum of 65536 pages so that any such memory matches.
 */
export function kernelModuleBytes(f: KernelFunctionSpec, shared = false): Uint8Array<ArrayBuffer> {
  const limits = shared ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00];
  const code = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type]), ...f.body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, ...uleb(f.params.length), ...f.params, 0]),
    ...section(2, [1, ...wasmName('env'), ...wasmName('memory'), 0x02, ...limits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...wasmName(f.exportName), 0x00, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

/**
 * Compile `bytes(shared)` and bind its export `exportName` to `memory`; null when this runtime
 * cannot (no WebAssembly, no SIMD): the caller then takes its JS path.
 */
export function instantiateKernel<F>(memory: WebAssembly.Memory, bytes: (shared: boolean) => Uint8Array<ArrayBuffer>, exportName: string): F | null {
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes(shared)), { env: { memory } }).exports[exportName] as F;
  } catch {
    return null;
  }
}

/**
 * A per-memory binder of kernels built per geometry (one module per key, e.g. channel count and
 * row width): `bind(memory, key, bytes, exportName)` compiles and binds each (memory, key) once;
 * null as for {@link kernelBinder}. Each caller keeps its own binder, so keys need only be
 * unique within it.
 */
export function keyedKernelBinder(): <F>(memory: WebAssembly.Memory | undefined, key: string, bytes: (shared: boolean) => Uint8Array<ArrayBuffer>, exportName: string) => F | null {
  const cache = new WeakMap<WebAssembly.Memory, Map<string, unknown>>();
  return <F>(memory: WebAssembly.Memory | undefined, key: string, bytes: (shared: boolean) => Uint8Array<ArrayBuffer>, exportName: string): F | null => {
    if (!memory || typeof WebAssembly === 'undefined') return null;
    let m = cache.get(memory);
    if (!m) {
      m = new Map();
      cache.set(memory, m);
    }
    let fn = m.get(key) as F | null | undefined;
    if (fn === undefined) {
      fn = instantiateKernel<F>(memory, bytes, exportName);
      m.set(key, fn);
    }
    return fn;
  };
}

/**
 * A per-memory binder of one kernel: `(memory) => F | null`, compiling and binding the module
 * once per memory (`instantiateKernel`), null without a memory, without WebAssembly or without
 * SIMD (then the caller takes its JS path).
 */
export function kernelBinder<F>(bytes: (shared: boolean) => Uint8Array<ArrayBuffer>, exportName: string): (memory: WebAssembly.Memory | undefined) => F | null {
  const cache = new WeakMap<WebAssembly.Memory, F | null>();
  return (memory) => {
    if (!memory || typeof WebAssembly === 'undefined') return null;
    let fn = cache.get(memory);
    if (fn === undefined) {
      fn = instantiateKernel<F>(memory, bytes, exportName);
      cache.set(memory, fn);
    }
    return fn;
  };
}
