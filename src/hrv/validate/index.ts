/** Scoring of beat detection, HR and HRV against a reference (issue 10). Browser-safe. */
export * from './segmentation.js';
export * from './reference.js';
export * from './matching.js';
export * from './score.js';
export * from './summary.js';
export * from './table.js';
export * from './annotatedWindows.js';
export * from './retimeCycles.js';
