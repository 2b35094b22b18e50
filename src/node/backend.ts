/**
 * Node entry to backend selection: the wasm binaries are loaded from the installed
 * `@tensorflow/tfjs-backend-wasm` package (no network), and `@tensorflow/tfjs-node` is used when
 * the user's machine has it (detected at run time; it is not a dependency).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend, type BackendChoice, type BackendInfo } from '../model/backend.js';

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

/** Start the chosen backend in Node. See {@link initBackend}. */
export function initNodeBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  return initBackend(choice, { wasmPaths: wasmDistFolder(), loadNative: loadTfjsNode });
}
