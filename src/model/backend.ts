/**
 * Choosing and starting the TensorFlow.js backend (browser-safe; Node specifics live in
 * `node/backend.ts`).
 *
 * - `wasm` (default): XNNPACK SIMD, one thread, plus this package's fast training kernels.
 * - `cpu`: pure JavaScript; slow (~0.2 samples/s training), for reference and tests.
 * - `tensorflow`: native libtensorflow through `@tensorflow/tfjs-node`, when the user has it
 *   installed (it is not a dependency of this package).
 * - `auto`: `tensorflow` if it can be loaded, else `wasm`, else `cpu`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-layers registers every op's gradient (needed for training)
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './kernels/index.js';

/** Backend names accepted by `--backend`. */
export const BACKEND_CHOICES = ['auto', 'wasm', 'cpu', 'tensorflow'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Options of {@link initBackend}. */
export interface BackendOptions {
  /** Folder (ending in '/') or URL prefix the wasm binaries are loaded from; default: next to the script. */
  wasmPaths?: string;
  /**
   * Loads the native backend (`@tensorflow/tfjs-node`) and resolves true when it registered the
   * `tensorflow` backend; supplied by the Node entry point. Without it `tensorflow` is unavailable.
   */
  loadNative?: () => Promise<boolean>;
}

/** Which backend runs, in words for the user. */
export interface BackendInfo {
  name: 'wasm' | 'cpu' | 'tensorflow';
  description: string;
  /** Whether the fast training kernels are active (wasm only). */
  fastKernels: boolean;
}

let wasmPathsSet = false;

/** Parse a `--backend` value. Throws RangeError on an unknown name. */
export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new RangeError(`unknown backend '${value}' (choose one of ${BACKEND_CHOICES.join(', ')})`);
}

/**
 * Start the chosen backend and make it current. Throws an Error when an explicitly chosen backend
 * cannot start (e.g. `tensorflow` without `@tensorflow/tfjs-node`).
 */
export async function initBackend(choice: BackendChoice = 'auto', options: BackendOptions = {}): Promise<BackendInfo> {
  if (choice === 'tensorflow' || choice === 'auto') {
    const ok = options.loadNative ? await options.loadNative().catch(() => false) : false;
    if (ok && (await tf.setBackend('tensorflow'))) {
      return { name: 'tensorflow', description: 'tensorflow (native libtensorflow via @tensorflow/tfjs-node)', fastKernels: false };
    }
    if (choice === 'tensorflow') {
      throw new Error("backend 'tensorflow' needs @tensorflow/tfjs-node, which is not installed (try --backend wasm)");
    }
  }
  if (choice === 'wasm' || choice === 'auto') {
    if (options.wasmPaths && !wasmPathsSet) {
      setWasmPaths(options.wasmPaths);
      wasmPathsSet = true;
    }
    const fastKernels = registerWasmTrainingKernels();
    let ok = false;
    try {
      ok = await tf.setBackend('wasm');
    } catch {
      ok = false;
    }
    if (ok) {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return {
        name: 'wasm',
        description: `wasm (XNNPACK${simd ? ', SIMD' : ''}, 1 thread${fastKernels ? ', fast training kernels' : ''})`,
        fastKernels,
      };
    }
    if (choice === 'wasm') throw new Error('the wasm backend failed to start (its .wasm files could not be loaded)');
  }
  await tf.setBackend('cpu');
  return { name: 'cpu', description: 'cpu (pure JavaScript, slow)', fastKernels: false };
}
