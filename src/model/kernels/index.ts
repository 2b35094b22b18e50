/**
 * Fast training kernels for the TensorFlow.js wasm backend.
 *
 * The stock wasm backend runs the forward pass on XNNPACK but cannot train a Conv2D quickly: it
 * has no Conv2DBackpropFilter, and several gradient kernels are naive loops. `registerWasmTrainingKernels()`
 * replaces them (tf.registerKernel) with:
 * - Conv2DBackpropFilter: im2col on the heap × dy through the XNNPACK GEMM, in chunks;
 * - Conv2DBackpropInput: a forward XNNPACK conv of dy with the rotated, channel-swapped filter;
 * - BatchMatMul: explicit transposes so XNNPACK is always used (2-D products: see below);
 * - MaxPoolGrad, Sum over leading axes (bias gradients): tight loops (the Sum's column sums in wasm SIMD, sumSimd.ts);
 * - Identity, same-dtype Cast: zero-copy;
 * - Conv2DBackpropFilter with one input channel: a wasm SIMD kernel (filterGradC1Simd.ts);
 * - HrvFusedAdam: one-pass Adam update used by {@link FusedAdamOptimizer} (bit-identical to tf's),
 *   in wasm SIMD (adamSimd.ts);
 * - HrvReluGrad: Relu's gradient in one SIMD pass instead of Step, Cast and Multiply (reluGrad.ts;
 *   registered as Relu's gradient, bit-identical to tf's);
 * - HrvDenseMlpGrad: loss and all gradients of a dense ReLU network under the masked softmax
 *   cross-entropy in one call (denseMlpGrad.ts; the learned segmenter's training step);
 * - HrvConv2DBiasRelu: conv + bias + ReLU as one op under the tape, forward through XNNPACK's
 *   fused conv, with its own gradient (convBiasRelu.ts; used by ModelTrainer's Conv2D layers);
 * - 3×3 stride-1 'same' convolutions with ≥ 8 channels (the fused op's forward pass and
 *   Conv2DBackpropInput; Conv2DBackpropFilter from 64 input channels): Winograd F(4×4, 3×3) or
 *   F(2×2, 3×3) by shape (4× or 2.25× fewer multiplies; the filter gradient F(2×2), F(4×4) where C ≥ 64
 *   and it pads no more than F(2×2)), our SIMD GEMM (gemmSimd.ts) per transformed plane between wasm
 *   SIMD tile transforms (winogradConv.ts);
 * - BatchMatMul of 2-D operands with M % 4 = 0 and N % 4 = 0 (the dense layers and their gradients):
 *   our SIMD GEMM (batchMatMul.ts).
 * Each falls back to the stock/generic path outside its fast case (stride ≠ 1, NCHW, …).
 *
 * They use non-public internals of `@tensorflow/tfjs-backend-wasm`, so they are only registered
 * for the exact version they were written and tested against ({@link WASM_KERNELS_FOR_VERSION}).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs-core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterWasm } from './conv2dBackpropFilter.js';
import { makeConv2DBackpropInputWasm } from './conv2dBackpropInput.js';
import { makeBatchMatMulWasm } from './batchMatMul.js';
import { makeMaxPoolGradWasm } from './maxPoolGrad.js';
import { makeSumWasm } from './sum.js';
import { makeCastWasm, makeIdentityWasm } from './identity.js';
import { FUSED_ADAM_KERNEL, fusedAdamWasm } from './fusedAdam.js';
import { RELU_GRAD_KERNEL, reluGradWasm, registerReluGradient } from './reluGrad.js';
import { DENSE_MLP_GRAD_KERNEL, denseMlpGradWasm } from './denseMlpGrad.js';
import { CONV_BIAS_RELU_KERNEL, makeConvBiasReluWasm, registerConvBiasReluGradient } from './convBiasRelu.js';

export { FILTER_GRAD_CHUNK_ROWS } from './conv2dBackpropFilter.js';
export { FusedAdamOptimizer } from './fusedAdam.js';

/** The `@tensorflow/tfjs-backend-wasm` version these kernels were written and tested against. */
export const WASM_KERNELS_FOR_VERSION = '4.22.0';

const missing: KernelFunc = () => {
  throw new Error('no stock wasm kernel to fall back to');
};

type Maker = (stock: KernelFunc) => unknown;
const KERNELS: Array<[string, Maker]> = [
  ['Conv2DBackpropFilter', () => conv2DBackpropFilterWasm],
  ['Conv2DBackpropInput', makeConv2DBackpropInputWasm],
  ['BatchMatMul', makeBatchMatMulWasm],
  ['MaxPoolGrad', makeMaxPoolGradWasm],
  ['Sum', makeSumWasm],
  ['Identity', makeIdentityWasm],
  ['Cast', makeCastWasm],
  [FUSED_ADAM_KERNEL, () => fusedAdamWasm],
  [RELU_GRAD_KERNEL, () => reluGradWasm],
  [DENSE_MLP_GRAD_KERNEL, () => denseMlpGradWasm],
  [CONV_BIAS_RELU_KERNEL, () => makeConvBiasReluWasm()],
];

let registered = false;

/**
 * Register the fast training kernels for the `wasm` backend (idempotent). Returns false (and
 * registers nothing) when the installed wasm backend is not the pinned version.
 */
export function registerWasmTrainingKernels(): boolean {
  if (registered) return true;
  if (version_wasm !== WASM_KERNELS_FOR_VERSION) return false;
  for (const [name, make] of KERNELS) {
    const stock = getKernel(name, 'wasm');
    if (stock) unregisterKernel(name, 'wasm');
    registerKernel({
      kernelName: name,
      backendName: 'wasm',
      setupFunc: stock?.setupFunc,
      kernelFunc: make(stock?.kernelFunc ?? missing) as KernelFunc,
    });
  }
  registerReluGradient();
  registerConvBiasReluGradient();
  registered = true;
  return true;
}

/** Whether the fast kernels are registered. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
