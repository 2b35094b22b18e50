/** Node-only API (file I/O, reports). */
export * from './io/index.js';
export * from './report/index.js';
export * from './model/node/index.js';
