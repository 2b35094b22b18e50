/**
 * Node entry to backend selection: the wasm binaries are loaded from the installed
 * `@tensorflow/tfjs-backend-wasm` package (no network), and `@tensorflow/tfjs-node` is used when
 * the user's machine has it (detected at run time; it is not a dependency).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend, type BackendChoice, type BackendInfo } from '../model/backend.js';
import { wasmThreadsCount, withWasmThreads } from './wasmThreads.js';

const require = createRequire(import.meta.url);

/** Folder holding the wasm backend's .wasm files, with a trailing separator. */
export function wasmDistFolder(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + '/';
}

/** Try to load @tensorflow/tfjs-node (registers the 'tensorflow' backend). */
export async function loadTfjsNode(): Promise<boolean> {
  let resolved: string;
  try {
    resolved = require.resolve('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  await import(pathToFileURL(resolved).href);
  return true;
}

/** Options of {@link initNodeBackend}. */
export interface NodeBackendOptions {
  /**
   * XNNPACK threads of the wasm backend (default 1: the single-threaded SIMD build). With more,
   * the threaded SIMD build is loaded (see `wasmThreads.ts`). Must be decided before the first
   * start of the wasm backend in this thread; ignored by the other backends.
   */
  wasmThreads?: number;
}

/** Start the chosen backend in Node. See {@link initBackend}. */
export async function initNodeBackend(choice: BackendChoice = 'auto', options: NodeBackendOptions = {}): Promise<BackendInfo> {
  const threads = options.wasmThreads ?? 1;
  const start = () => initBackend(choice, { wasmPaths: wasmDistFolder(), loadNative: loadTfjsNode });
  if (threads <= 1) return start();
  const info = await withWasmThreads(threads, start);
  if (info.name !== 'wasm') return info;
  const n = wasmThreadsCount();
  return { ...info, description: info.description.replace('1 thread', `${n} threads`) };
}
