/**
 * The multi-threaded wasm backend (XNNPACK over a pthreadpool) in Node.
 *
 * `@tensorflow/tfjs-backend-wasm` 4.22 ships `tfjs-backend-wasm-threaded-simd.wasm`, but in Node
 * it never uses it: the flag `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false there
 * (tfjs issue #3830). Forcing the flag fails with `ERR_WORKER_PATH`, for two reasons:
 * 1. Emscripten starts each pthread with `new Worker(locateFile('…worker.js'))`, and tfjs's
 *    `locateFile` returns `URL.createObjectURL(new Blob([workerSource]))` — a `blob:` URL, which
 *    Node's `Worker` refuses (it takes a file path or a `file:`/`data:` URL object only);
 * 2. inside each worker, Emscripten loads the main script from `mainScriptUrlOrBlob`, a Blob that
 *    tfjs builds from the factory's source, through `URL.createObjectURL` + `importScripts`, which
 *    in Node is `eval(fs.readFileSync(path))` — a `blob:` URL again.
 * The Emscripten glue itself supports Node (worker_threads, shared `WebAssembly.Memory`), so the
 * build loads properly once both URLs are real files:
 * - the worker source (`wasm-out/…threaded-simd.worker.js`, with its `\n` escapes restored as
 *   tfjs does) is written once to a temporary `.cjs` file, prefixed with one line that makes the
 *   worker's own `URL.createObjectURL` return the path of the installed main script
 *   (`wasm-out/tfjs-backend-wasm-threaded-simd.js`, which defines `WasmBackendModuleThreadedSimd`);
 * - `URL.createObjectURL` on the main thread returns that file's path while the backend starts.
 * A third, silent problem: the C side sizes its pool as `min(requested, logicalCores / 2)`
 * (it assumes hyper-threading), so on a 2-core machine it always gets 1 thread. `os.cpus()` is
 * made to report 2 × the requested count while the module initialises.
 *
 * Emscripten pre-starts 8 idle workers (its PTHREAD_POOL_SIZE); XNNPACK uses `threads − 1` of
 * them plus the calling thread. They are unref'd so that they never keep the process alive.
 * Results do not depend on the thread count: XNNPACK splits work by output tiles, each output
 * element is still summed by one thread in the same order (tested: bit-identical gradients).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** Path of the pthread worker script for this tfjs-backend-wasm version (written once). */
function workerScript(mainScript: string): string {
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const dir = join(os.tmpdir(), 'hrv-audio-wasm-threads');
  const file = join(dir, `tfjs-backend-wasm-${version_wasm}-worker.cjs`);
  const { wasmWorkerContents } = require(join(pkgDir, 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const text = `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};\n` +
    wasmWorkerContents.replace(/\n/g, '\\n');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file); // atomic: concurrent starts see a whole file
  }
  return file;
}

/**
 * Arrange for the next `tf.setBackend('wasm')` to load the threaded SIMD build with `threads`
 * XNNPACK threads, run `start` (which must call it), and undo the temporary patches. Returns what
 * `start` returns.
 */
export async function withWasmThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const mainScript = join(pkgDir, 'wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const worker = workerScript(mainScript);
  const url = URL as unknown as { createObjectURL: (b: unknown) => string };
  const osMut = os as unknown as { cpus: typeof os.cpus };
  const createObjectURL = url.createObjectURL;
  const cpus = osMut.cpus;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  url.createObjectURL = () => worker;
  const one = cpus()[0];
  osMut.cpus = () => new Array(2 * threads).fill(one);
  try {
    return await start();
  } finally {
    url.createObjectURL = createObjectURL;
    osMut.cpus = cpus;
    unrefWorkers();
  }
}

/** Let the pthread workers of the current wasm backend not keep the process alive. */
export function unrefWorkers(): void {
  if (tf.getBackend() !== 'wasm') return;
  const pt = (tf.backend() as unknown as { wasm: { PThread?: { unusedWorkers: Array<{ unref(): void }>; runningWorkers: Array<{ unref(): void }> } } }).wasm.PThread;
  if (!pt) return;
  for (const w of [...pt.unusedWorkers, ...pt.runningWorkers]) w.unref();
}

/** XNNPACK threads of the running wasm backend (1 for the single-threaded build). */
export function wasmThreadsCount(): number {
  if (tf.getBackend() !== 'wasm') return 1;
  const t = (tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm.tfjs.getThreadsCount();
  return t > 0 ? t : 1;
}
