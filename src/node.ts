/** Node-only API (file I/O, reports). */
export * from './io/index.js';
export * from './report/index.js';
export * from './model/node/index.js';
export * from './node/files/annotations.js';
export * from './node/pipelines/validateFolder.js';
