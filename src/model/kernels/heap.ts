/**
 * Access to the wasm backend's heap and C entry points.
 *
 * These helpers use non-public internals of `@tensorflow/tfjs-backend-wasm` 4.22.0 (pinned exactly in
 * package.json): `backend.wasm` (the Emscripten module), `backend.dataIdMap` and `backend.makeOutput`.
 * Heap views go stale when the heap grows, so every accessor here builds a fresh view: call them
 * again after anything that can allocate (makeOutput, a kernel call).
 */
import type { backend_util, DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** The part of the Emscripten module the kernels use. */
export interface WasmModuleLike {
  HEAPU8: Uint8Array;
  /** The module's memory (the threaded build: shared, and HEAPU8 may lag behind its growth). */
  wasmMemory?: WebAssembly.Memory;
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: unknown[]) => unknown;
}

/** The part of `BackendWasm` the kernels use. */
export interface WasmBackendLike {
  wasm: WasmModuleLike;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number }; delete?(dataId: object): boolean };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/**
 * The heap's current buffer. The threaded build's memory is shared, and Emscripten refreshes
 * `HEAPU8` only lazily after the memory grew, so the memory's own buffer is asked when it exists.
 */
export function heapBuffer(backend: WasmBackendLike): ArrayBufferLike {
  return backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
}

/** Fresh float32 view of the whole heap (never cache it across allocations). */
export function heapF32(backend: WasmBackendLike): Float32Array {
  return new Float32Array(heapBuffer(backend));
}

/** Index (in float32 elements) of a tensor's first element on the heap. */
export function f32Offset(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset >>> 2;
}

/** The wasm backend's id of a tensor (the key its C code uses). */
export function wasmId(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).id;
}

/** Fresh float32 view of one tensor's data on the heap. */
export function tensorF32(backend: WasmBackendLike, t: TensorInfo): Float32Array {
  const n = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(heapBuffer(backend), backend.dataIdMap.get(t.dataId).memoryOffset, n);
}

/**
 * A float32 tensor of `shape` that aliases the heap at byte `memoryOffset` (inside another
 * tensor's data): the backend registers a new id for it and allocates nothing. Used to hand
 * sub-blocks of one buffer to the C entry points, which take tensor ids. Release it with
 * {@link disposeAlias} (never disposeData/disposeTemp: that would free the owner's memory).
 */
export function aliasF32(backend: WasmBackendLike, memoryOffset: number, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32', memoryOffset);
}

/** Forget an alias made by {@link aliasF32} (its C-side entry and XNNPACK caches; frees nothing). */
export function disposeAlias(backend: WasmBackendLike, t: TensorInfo): void {
  const tfjs = (backend.wasm as unknown as { tfjs: { disposeData(id: number): void } }).tfjs;
  tfjs.disposeData(wasmId(backend, t));
  backend.dataIdMap.delete!(t.dataId);
}

/** Release a temporary tensor made by a kernel. */
export function disposeTemp(backend: WasmBackendLike, t: TensorInfo): void {
  backend.disposeData(t.dataId);
}

type CFunc = (...args: unknown[]) => unknown;
const cfuncs = new WeakMap<WasmModuleLike, Map<string, CFunc>>();

function cfunc(backend: WasmBackendLike, name: string, argTypes: string[]): CFunc {
  let map = cfuncs.get(backend.wasm);
  if (!map) {
    map = new Map();
    cfuncs.set(backend.wasm, map);
  }
  let f = map.get(name);
  if (!f) {
    f = backend.wasm.cwrap(name, null, argTypes);
    map.set(name, f);
  }
  return f;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/**
 * out[batch, m, n] = a[batch, m, k] · b[batch or 1, k, n] through the wasm backend's XNNPACK GEMM
 * (no transposes: a transpose flag makes the C code leave XNNPACK). `out` must already exist.
 * Note: XNNPACK caches the packed `b` by tensor id, so `b` must be a tensor whose data never
 * changes after this call (a fresh temporary is fine).
 */
export function gemm(backend: WasmBackendLike, a: TensorInfo, aShape: number[], b: TensorInfo, bShape: number[], out: TensorInfo): void {
  const f = cfunc(backend, 'BatchMatMul', ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  f(wasmId(backend, a), shapeBytes(aShape), 3, wasmId(backend, b), shapeBytes(bShape), 3, 0, 0, wasmId(backend, out));
}

/**
 * out[batch, m, n] = act(a · b + bias) through the wasm backend's XNNPACK GEMM with the bias and
 * the activation fused (the C entry point of tf's _FusedMatMul; `activation` 0 linear, 1 relu).
 * XNNPACK caches the packed `b` and `bias` by tensor id (see {@link gemm}).
 */
export function gemmBiasAct(backend: WasmBackendLike, a: TensorInfo, aShape: number[], b: TensorInfo, bShape: number[], bias: TensorInfo, activation: 0 | 1, out: TensorInfo): void {
  const f = cfunc(backend, '_FusedMatMul', ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number']);
  f(wasmId(backend, a), shapeBytes(aShape), 3, wasmId(backend, b), shapeBytes(bShape), 3, 0, 0, activation, wasmId(backend, bias), 0, 0, wasmId(backend, out));
}

/** Explicit-padding NHWC conv2d (stride 1, dilation 1) through the wasm backend's XNNPACK conv. */
export function conv2dExplicit(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  geom: { batch: number; inH: number; inW: number; kh: number; kw: number; padTop: number; padRight: number; padBottom: number; padLeft: number; inC: number; outC: number },
  out: TensorInfo,
): void {
  const f = cfunc(backend, 'Conv2D', new Array(19).fill('number'));
  f(
    wasmId(backend, x), geom.batch, geom.inH, geom.inW, wasmId(backend, filter), geom.kh, geom.kw,
    geom.padTop, geom.padRight, geom.padBottom, geom.padLeft, 0 /* isSamePad */,
    1, 1, 1, 1, geom.inC, geom.outC, wasmId(backend, out),
  );
}


/**
 * out = transpose of a row-major [rows, cols] float32 tensor (→ [cols, rows]) through the wasm
 * backend's C Transpose. `out` must already exist and hold rows·cols floats.
 */
export function transpose2d(backend: WasmBackendLike, x: TensorInfo, rows: number, cols: number, out: TensorInfo): void {
  const f = cfunc(backend, 'Transpose', ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
  f(wasmId(backend, x), shapeBytes([rows, cols]), 2, 0 /* float32 */, wasmId(backend, out), shapeBytes([1, 0]), 2);
}

/**
 * out = x with its last two axes swapped ([batch, rows, cols] → [batch, cols, rows], float32)
 * through the wasm backend's C Transpose. `out` must already exist.
 */
export function transposeBatched(backend: WasmBackendLike, x: TensorInfo, batch: number, rows: number, cols: number, out: TensorInfo): void {
  if (batch === 1) {
    transpose2d(backend, x, rows, cols, out);
    return;
  }
  const f = cfunc(backend, 'Transpose', ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
  f(wasmId(backend, x), shapeBytes([batch, rows, cols]), 3, 0 /* float32 */, wasmId(backend, out), shapeBytes([0, 2, 1]), 3);
}

/** The attributes Conv2DBackpropFilter and Conv2DBackpropInput share (tfjs-core's kernel attrs). */
export interface Conv2DBackpropAttrs {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
