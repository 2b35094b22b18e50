export * from './atomicWrite.js';
