export * from './atomicWrite.js';
export * from './packageVersion.js';
export * from './npy.js';
export * from './dataset.js';
export * from './wav.js';
export * from './wavStream.js';
export * from './estimateFile.js';
export * from './modelStore.js';
