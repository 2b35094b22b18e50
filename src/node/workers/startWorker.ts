/**
 * Start one of this folder's worker scripts (Node). The script is found next to this module:
 * `NAME.js` in the tsc build (dist/src/node/workers/), `NAME.js` in the CLI bundle (dist/bin/,
 * where the bundler puts the worker entries in the same folder as the code that starts them),
 * or `NAME.ts` when running from source under tsx (the worker then registers tsx's loader
 * itself, since Node 20 workers do not inherit `--import` hooks). Keep every
 * `new URL(…, import.meta.url)` for a worker here, so that the layouts stay in step.
 */
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
