/**
 * Conv2DBackpropInput for the wasm backend, as a forward convolution.
 *
 * Fast path (stride 1, dilation 1, NHWC, float32): dx = conv(dy, W'), with W' the filter rotated
 * 180° and its in/out channels swapped, W'[ky, kx, o, c] = W[kh−1−ky, kw−1−kx, c, o], and padding
 * (kh−1−padTop, kw−1−padLeft, …) — this runs on XNNPACK's convolution; for 3×3 'same' with enough
 * channels, the same convolution by Winograd, F(4×4, 3×3) or F(2×2, 3×3) by shape (winogradConv.ts `winogradTile`). Otherwise the stock kernel.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { conv2dExplicit, disposeTemp, tensorF32, type WasmBackendLike, type Conv2DBackpropAttrs } from './heap.js';
import { winogradConv, winogradFits } from './winogradConv.js';

interface Args {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropAttrs & {
    inputShape: [number, number, number, number];
  };
}

export function makeConv2DBackpropInputWasm(stock: KernelFunc) {
  return function conv2DBackpropInputWasm(args: Args): TensorInfo {
    const { inputs: { dy, filter }, backend, attrs } = args;
    const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad,
      attrs.dimRoundingMode, false, dataFormat,
    );
    const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW, outChannels: O,
      filterHeight: kh, filterWidth: kw } = info;
    const padTop = kh - 1 - info.padInfo.top;
    const padLeft = kw - 1 - info.padInfo.left;
    const padBottom = H - padTop + kh - 1 - oH;
    const padRight = W - padLeft + kw - 1 - oW;
    const fast = info.strideHeight === 1 && info.strideWidth === 1 && info.dataFormat === 'channelsLast' &&
      dy.dtype === 'float32' && filter.dtype === 'float32' &&
      Math.min(padTop, padLeft, padBottom, padRight) >= 0;
    if (!fast) return stock(args as never) as TensorInfo;
    // 3×3 'same' with enough channels: Winograd, tile chosen by shape (winogradConv.ts)
    if (winogradFits(backend, info)) return winogradConv(backend, dy, filter, null, true);

    const rot = backend.makeOutput([kh, kw, O, C], 'float32');
    const dx = backend.makeOutput([batchSize, H, W, C], 'float32');
    const w = tensorF32(backend, filter);
    const r = tensorF32(backend, rot);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const src = ((kh - 1 - ky) * kw + (kw - 1 - kx)) * C * O;
        const dst = (ky * kw + kx) * O * C;
        for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) r[dst + o * C + c] = w[src + c * O + o];
      }
    }
    conv2dExplicit(backend, dy, rot, { batch: batchSize, inH: oH, inW: oW, kh, kw, padTop, padRight, padBottom, padLeft, inC: O, outC: C }, dx);
    disposeTemp(backend, rot);
    return dx;
  };
}
