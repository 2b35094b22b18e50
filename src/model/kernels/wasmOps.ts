/** Named wasm instructions and the scratch memory (src/core/wasm/ops.ts), re-exported for the model's kernels. */
export * from '../../core/wasm/ops.js';
