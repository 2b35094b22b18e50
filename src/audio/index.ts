export * from './formats.js';
export * from './sniff.js';
export * from './decode.js';
