/**
 * Zero-copy Identity and same-dtype Cast for the wasm backend: the output shares the input's heap
 * buffer (reference counted, as the cpu backend does). Cast to another dtype uses the stock kernel.
 */
import type { KernelFunc, TensorInfo, DataType } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './heap.js';

export function makeIdentityWasm(stock: KernelFunc) {
  return function identityWasm(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike }): TensorInfo {
    const { inputs: { x }, backend } = args;
    if (x.dtype === 'string') return stock(args as never) as TensorInfo;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

export function makeCastWasm(stock: KernelFunc) {
  return function castWasm(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike; attrs: { dtype: DataType } }): TensorInfo {
    const { inputs: { x }, backend, attrs } = args;
    if (x.dtype !== attrs.dtype || x.dtype === 'string') return stock(args as never) as TensorInfo;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
