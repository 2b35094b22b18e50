/** Node-only model helpers: backend start-up from node_modules, training/evaluation on dataset folders, checkpoints, the two-core trainer. */
export * from './backend.js';
export * from './checkpoint.js';
export * from './trainDataset.js';
export * from './evaluateDataset.js';
export { DualEngine, type DualEngineOptions } from './dualEngine.js';
