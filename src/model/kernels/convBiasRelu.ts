/**
 * relu(conv2d(x, filter) + bias) as ONE op under the gradient tape (kernel `HrvConv2DBiasRelu`).
 *
 * tf.fused.conv2d refuses to fuse a ReLU while gradients are recorded (`shouldFuse`), so a
 * training step of a Conv2D layer runs Conv2D, Add and Relu as three kernels, with two extra passes
 * over the activations. This op runs Winograd (F(4×4) or F(2×2), by shape) with the bias and ReLU in its output
 * transform for 3×3 'same' convolutions with ≥ 8 channels in and out (winogradConv.ts), else the
 * wasm backend's FusedConv2D (XNNPACK adds the bias and clamps in the same pass), and has its own
 * gradient: dz = dy·step(y) (HrvReluGrad on wasm; y > 0
 * exactly where the pre-activation is > 0), then the stock Conv2DBackpropInput /
 * Conv2DBackpropFilter kernels (ours on wasm) and the bias sum, each only when asked for.
 * {@link fuseConvLayersForTraining} makes a model's Conv2D layers use it on wasm; the layers, their
 * weights and the saved model format are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { RELU_GRAD_KERNEL } from './reluGrad.js';
import { winogradConv, winogradFits } from './winogradConv.js';
import type { WasmBackendLike } from './heap.js';

export const CONV_BIAS_RELU_KERNEL = 'HrvConv2DBiasRelu';

interface Attrs { strides: [number, number]; pad: 'same' | 'valid' }

/**
 * The wasm kernel: Winograd (F(4×4, 3×3) or F(2×2, 3×3), by shape) with the bias and ReLU fused into its output transform
 * for 3×3 'same' convolutions with enough channels (winogradConv.ts), else the backend's own
 * FusedConv2D with activation relu.
 */
export function makeConvBiasReluWasm(): KernelFunc {
  return ((args: { inputs: { x: TensorInfo; filter: TensorInfo; bias: TensorInfo }; backend: unknown; attrs: Attrs }) => {
    const fused = tf.getKernel('FusedConv2D', 'wasm');
    if (!fused) throw new Error('FusedConv2D is not registered for wasm');
    const { inputs: { x, filter, bias }, backend, attrs } = args;
    if (x.dtype === 'float32' && filter.dtype === 'float32' && bias.dtype === 'float32') {
      const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad);
      if (winogradFits(backend as WasmBackendLike, info)) return winogradConv(backend as WasmBackendLike, x, filter, bias);
    }
    return fused.kernelFunc({
      inputs: { x, filter, bias } as never,
      backend: backend as never,
      attrs: { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: 'relu' } as never,
    });
  }) as unknown as KernelFunc;
}

let gradientRegistered = false;

/** The op's gradient (idempotent). */
export function registerConvBiasReluGradient(): void {
  if (gradientRegistered) return;
  tf.registerGradient({
    kernelName: CONV_BIAS_RELU_KERNEL,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as tf.Tensor[];
      const d = dy as tf.Tensor;
      const { strides, pad } = attrs as unknown as Attrs;
      // computed once, used by all three gradients
      const dz = tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend()) && d.dtype === 'float32'
        ? tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: d, x: y! } as never) as tf.Tensor
        : tf.mul(d, tf.cast(tf.step(y!), 'float32'));
      const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
      return {
        x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter: filter! } as never, { ...common, inputShape: x!.shape } as never) as tf.Tensor,
        filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dz } as never, { ...common, filterShape: filter!.shape } as never) as tf.Tensor,
        bias: () => tf.sum(dz, [0, 1, 2]),
      };
    },
  });
  gradientRegistered = true;
}

/** relu(conv2d(x, filter, strides, pad) + bias), NHWC, dilation 1: one op (wasm only). */
export function convBiasRelu(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, strides: [number, number], pad: 'same' | 'valid'): tf.Tensor4D {
  return tf.engine().runKernel(CONV_BIAS_RELU_KERNEL, { x, filter, bias } as never, { strides, pad } as never) as tf.Tensor4D;
}

interface ConvLayerLike {
  getClassName(): string;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: unknown): tf.Tensor | tf.Tensor[];
  kernel?: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation?: { getClassName(): string };
  rank?: number;
}

/**
 * Route the Conv2D layers of `model` (NHWC, dilation 1, bias, ReLU) through {@link convBiasRelu}
 * while the wasm backend with the kernel is current; otherwise (and for other layers) their own
 * call runs. Changes only how the layer computes, not its weights or configuration. Idempotent.
 */
export function fuseConvLayersForTraining(model: tfl.LayersModel): number {
  let n = 0;
  for (const layer of model.layers as unknown as ConvLayerLike[]) {
    if (layer.getClassName() !== 'Conv2D' || (layer as { hrvFused?: boolean }).hrvFused) continue;
    const dil = Array.isArray(layer.dilationRate) ? layer.dilationRate : [layer.dilationRate, layer.dilationRate];
    if (layer.rank !== 2 || layer.dataFormat !== 'channelsLast' || dil.some((v) => v !== 1) || !layer.bias ||
      layer.activation?.getClassName() !== 'relu' || (layer.padding !== 'same' && layer.padding !== 'valid')) continue;
    const own = layer.call.bind(layer);
    const strides = [layer.strides[0]!, layer.strides[1] ?? layer.strides[0]!] as [number, number];
    const pad = layer.padding as 'same' | 'valid';
    layer.call = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (tf.getBackend() !== 'wasm' || !tf.getKernel(CONV_BIAS_RELU_KERNEL, 'wasm') || x.dtype !== 'float32') return own(inputs, kwargs);
      return convBiasRelu(x as tf.Tensor4D, layer.kernel!.read() as tf.Tensor4D, layer.bias!.read() as tf.Tensor1D, strides, pad);
    };
    (layer as { hrvFused?: boolean }).hrvFused = true;
    n++;
  }
  return n;
}
