/**
 * Start one of this folder's worker scripts (Node). The script is found next to this module:
 * `NAME.js` in the tsc build (dist/src/node/workers/), `NAME.js` in the CLI bundle (dist/bin/,
 * where the bundler puts the worker entries in the same folder as the code that starts them),
 * or `NAME.ts` when running from source under tsx (the worker then registers tsx's loader
 * itself, since Node 20 workers do not inherit `--import` hooks). Keep every
 * `new URL(…, import.meta.url)` for a worker here, so that the layouts stay in step.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The worker scripts of src/node/workers/ (each is also an entry of the CLI bundle). */
export type WorkerScript = 'estimateWorker' | 'trainWorker';

/** A worker thread running `script`, with `options` (workerData, …). */
export function startWorker(script: WorkerScript, options: WorkerOptions = {}): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${script}.js`, import.meta.url), options);
  const url = new URL(`./${script}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * V8 flags of a worker process: no background compile or GC threads. A CPU-bound batch with one
 * worker per core has no idle core for them, and there they only compete with the workers
 * (measured: 200 circor recordings with `--jobs 2` on 2 cores, 8.1–8.4 s as worker threads,
 * 6.4–6.7 s as processes with this flag; docs/notes/issue-14-throughput.md).
 */
export const WORKER_PROCESS_V8_FLAGS: readonly string[] = ['--single-threaded'];

/**
 * A worker process running `script` (the same script layouts as `startWorker`), talking over IPC
 * with structured-clone serialization: `child.send(msg)`, `child.on('message', …)`. Unlike a
 * worker thread it takes its own V8 flags (`WORKER_PROCESS_V8_FLAGS`).
 */
export function startWorkerProcess(script: WorkerScript): ChildProcess {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(`./${script}.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const execArgv = [...WORKER_PROCESS_V8_FLAGS, ...(fromSource ? ['--import', 'tsx'] : [])];
  return fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}
