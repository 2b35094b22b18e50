/**
 * The ReLU gradient in one pass on the wasm backend.
 *
 * tf's gradient of Relu is `mul(dy, cast(step(x), 'float32'))`: a Step pass, a Cast and a
 * Multiply pass over every activation of every conv layer in training (≈ 15 ms per step of the
 * seed CNN on one thread). {@link registerReluGradient} replaces Relu's gradient by one kernel,
 * `HrvReluGrad` (dy, x) → dy · s with s = 1 where x > 0, NaN where x is NaN, 0 elsewhere: the
 * same float32 products, so bit-identical to tf's on wasm (and the cpu backend's step also maps NaN
 * to NaN). The kernel runs as a hand-assembled wasm SIMD loop over the heap, 4 floats per
 * instruction, with a JS tail. On other backends (or without the kernel) the gradient is tf's own.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32Offset, tensorF32, type WasmBackendLike } from './heap.js';
import { backendMemory } from './maxPoolGrad.js';
import { I32, SIMD, V128, uleb, kernelBinder, kernelModuleBytes } from './wasmModule.js';

export const RELU_GRAD_KERNEL = 'HrvReluGrad';

/** `fn(dyp, xp, outp, nBytes)`: pointers in bytes, nBytes a positive multiple of 16. */
type ReluGradFn = (dyp: number, xp: number, outp: number, nBytes: number) => void;


const lanes = (bytes: number[]) => [...bytes, ...bytes, ...bytes, ...bytes];
const ONE = lanes([0x00, 0x00, 0x80, 0x3f]); // 1.0f
const NAN = lanes([0x00, 0x00, 0xc0, 0x7f]); // quiet NaN
const ZERO = lanes([0, 0, 0, 0]);

function body(): number[] {
  // params 0 dyp, 1 xp, 2 outp, 3 nBytes; locals 4 i (i32), 5 x (v128)
  const get = (i: number) => [0x20, i];
  const at = (p: number) => [...get(p), ...get(4), 0x6a];
  const load = [SIMD, 0x00, 0x04, 0x00];
  const store = [SIMD, 0x0b, 0x04, 0x00];
  const c128 = (b: number[]) => [SIMD, 0x0c, ...b];
  const op = (code: number) => [SIMD, ...uleb(code)];
  return [
    0x41, 0, 0x21, 4,
    0x03, 0x40,
    ...at(2), // store address
    ...at(1), ...load, 0x21, 5, // x
    // s = (1.0 & (x > 0)) | (NaN & (x ≠ x))
    ...c128(ONE), ...get(5), ...c128(ZERO), ...op(0x44 /* f32x4.gt */), ...op(0x4e /* v128.and */),
    ...c128(NAN), ...get(5), ...get(5), ...op(0x42 /* f32x4.ne */), ...op(0x4e), ...op(0x50 /* v128.or */),
    ...at(0), ...load, ...op(0xe6 /* f32x4.mul: s · dy */), ...store,
    ...get(4), 0x41, 16, 0x6a, 0x22, 4, ...get(3), 0x49, 0x0d, 0,
    0x0b, 0x0b,
  ];
}

/** The module's bytes (exported for the tests); `shared`: import a shared memory (threaded build). */
export function reluGradModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({ params: [I32, I32, I32, I32], locals: [[1, I32], [1, V128]], body: body(), exportName: 'rg' }, shared);
}

/** The SIMD function bound to `memory`, or null where wasm SIMD is unavailable. */
export const reluGradSimdFor = kernelBinder<ReluGradFn>(reluGradModuleBytes, 'rg');

/** The wasm kernel: inputs dy, x (float32, same shape) → dx. */
export const reluGradWasm = ((args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: WasmBackendLike }): TensorInfo => {
  const { inputs: { dy, x }, backend } = args;
  const out = backend.makeOutput(x.shape, 'float32');
  const n = x.shape.reduce((a, b) => a * b, 1);
  const simd = n >= 4 ? reluGradSimdFor(backendMemory(backend)) : null;
  const n4 = simd ? n - (n % 4) : 0;
  if (simd) simd(f32Offset(backend, dy) * 4, f32Offset(backend, x) * 4, f32Offset(backend, out) * 4, n4 * 4);
  if (n4 < n) {
    const d = tensorF32(backend, dy);
    const xv = tensorF32(backend, x);
    const o = tensorF32(backend, out);
    for (let i = n4; i < n; i++) o[i] = d[i] * (xv[i] > 0 ? 1 : Number.isNaN(xv[i]) ? NaN : 0);
  }
  return out;
}) as unknown as KernelFunc;

let gradientRegistered = false;

/**
 * Make Relu's gradient use {@link RELU_GRAD_KERNEL} on the wasm backend (idempotent). Elsewhere,
 * and for non-float32 tensors, it stays tf's `mul(dy, cast(step(x), 'float32'))`.
 */
export function registerReluGradient(): void {
  if (gradientRegistered) return;
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const d = dy as tf.Tensor;
      return {
        x: () => (tf.getBackend() === 'wasm' && tf.getKernel(RELU_GRAD_KERNEL, 'wasm') && x.dtype === 'float32' && d.dtype === 'float32'
          ? tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: d, x } as never) as tf.Tensor
          : tf.mul(d, tf.cast(tf.step(x), 'float32'))),
      };
    },
  });
  gradientRegistered = true;
}
