/** Model layer (browser-safe): the seed CNN, preprocessing, training loop, evaluation, backends. */
export * from './training/split.js';
export * from './architectures/seedCnn.js';
export * from './preprocess.js';
export * from './metrics.js';
export * from './training/data.js';
export * from './training/train.js';
export * from './evaluate.js';
export * from './backend.js';
export { registerWasmTrainingKernels, wasmTrainingKernelsRegistered, WASM_KERNELS_FOR_VERSION } from './kernels/index.js';
export * from './inference.js';
export * from './bundle.js';
