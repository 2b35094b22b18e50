/** The wasm encoding of the hand-assembled kernels lives in core (src/core/wasm/module.ts) so that dsp can use it too; re-exported here for the model's kernels. */
export * from '../../core/wasm/module.js';
