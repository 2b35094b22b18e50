/**
 * Node-only API (`hrv-audio/node`): files (WAV streaming, npy, datasets, model store, annotation
 * files, atomic writes), pipelines (estimateFile, trainDataset, evaluateDataset, scoreFolder),
 * workers (the two-core trainer), the backend start-up, and the reports.
 */
export * from './node/files/atomicWrite.js';
export * from './node/files/packageVersion.js';
export * from './node/files/npy.js';
export * from './node/files/dataset.js';
export * from './node/files/wav.js';
export * from './node/files/wavStream.js';
export * from './node/files/modelStore.js';
export * from './node/files/checkpoint.js';
export * from './node/files/annotations.js';
export * from './node/backend.js';
export * from './node/pipelines/estimateFile.js';
export * from './node/pipelines/trainDataset.js';
export * from './node/pipelines/evaluateDataset.js';
export * from './node/pipelines/validateFolder.js';
export { readAudioForAnalysis, STDIN_NAME, AUDIO_READ_CHUNK_BYTES, type AnalysisAudio } from './node/files/readAudio.js';
export * from './node/pipelines/estimateBatch.js';
export { DualEngine, type DualEngineOptions } from './node/workers/dualEngine.js';
export * from './report/index.js';
export { prepareLearnedNode } from './node/learnedSetup.js';
