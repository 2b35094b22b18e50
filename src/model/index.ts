/** Model layer (browser-safe): the seed CNN, preprocessing, training loop, evaluation, backends. */
export * from './split.js';
export * from './cnn.js';
export * from './preprocess.js';
export * from './metrics.js';
export * from './data.js';
export * from './train.js';
export * from './evaluate.js';
export * from './backend.js';
export { registerWasmTrainingKernels, wasmTrainingKernelsRegistered, WASM_KERNELS_FOR_VERSION } from './kernels/index.js';
export * from './predictRecording.js';
