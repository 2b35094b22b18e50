/**
 * Batch estimates over many files: `expandInputs` (folders, recursively, by audio extension),
 * `estimateOne` (the single place that calls the library's estimate on a file, so the estimator
 * seam is a one-line change), and `estimateBatch` (a pool of worker threads, results delivered in
 * input order, failed files as error rows, already-done files skipped).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ChildProcess } from 'node:child_process';
import { startWorkerProcess } from '../workers/startWorker.js';
import { AUDIO_FILE_EXTENSIONS } from '../../audio/formats.js';
import { estimateFile, type FileEstimateResult } from './estimateFile.js';
import type { FileEstimateOptions } from './estimateFile.js';
import { InputError } from '../../errors.js';
import { STDIN_NAME } from '../files/readAudio.js';

/** One file's outcome: the result, or its one-line error. */
export type BatchRow =
  | { file: string; ok: true; result: FileEstimateResult }
  | { file: string; ok: false; error: string; errorKind: 'input' | 'internal' };

/**
 * Files named by `inputs`: files as given, `-` as is, folders walked recursively (sorted by name,
 * hidden entries skipped) for files with an audio extension.
 * @throws InputError for a path that does not exist
 */
export function expandInputs(inputs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const names = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of names) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (AUDIO_FILE_EXTENSIONS.includes(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  for (const input of inputs) {
    if (input === STDIN_NAME) {
      out.push(input);
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      throw new InputError(`no such file or folder: ${input}`);
    }
    if (isDir) walk(input);
    else out.push(input);
  }
  return out;
}

/** The estimate of one file as a row (never throws for a bad file). The one call into the library. */
export async function estimateOne(file: string, options: FileEstimateOptions): Promise<BatchRow> {
  try {
    const result = await estimateFile(file, options);
    delete result.envelope;
    return { file, ok: true, result };
  } catch (err) {
    const input = err instanceof InputError || err instanceof RangeError;
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    return { file, ok: false, error: message, errorKind: input ? 'input' : 'internal' };
  }
}

/** Options of {@link estimateBatch}. */
export interface BatchOptions {
  /** Worker threads (default: the number of cores; 1 runs in this thread). */
  jobs?: number;
  /** Called with each row, in input order. */
  onRow: (row: BatchRow, index: number) => void | Promise<void>;
}

/** Default `--jobs`: the number of cores. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Estimate every file; rows reach `onRow` in input order whatever order the workers finish in.
 * Returns the number of failed files.
 */
export async function estimateBatch(files: readonly string[], options: FileEstimateOptions, batch: BatchOptions): Promise<number> {
  const jobs = Math.max(1, Math.min(batch.jobs ?? defaultJobs(), files.length));
  let failed = 0;
  const done = new Map<number, BatchRow>();
  let nextOut = 0;
  let flushing = Promise.resolve();
  const deliver = (index: number, row: BatchRow): Promise<void> => {
    done.set(index, row);
    flushing = flushing.then(async () => {
      while (done.has(nextOut)) {
        const r = done.get(nextOut)!;
        done.delete(nextOut);
        if (!r.ok) failed++;
        await batch.onRow(r, nextOut);
        nextOut++;
      }
    });
    return flushing;
  };
  const stdinOnly = files.filter((f) => f === STDIN_NAME);
  if (jobs === 1 || stdinOnly.length > 0) {
    for (let i = 0; i < files.length; i++) await deliver(i, await estimateOne(files[i]!, options));
    return failed;
  }
  let next = 0;
  const runWorker = async (): Promise<void> => {
    // a process per worker (not a thread): it can run without V8's background threads, which on a
    // machine whose cores all run workers only compete with them (startWorker.ts). A worker that
    // dies gets its file's error row and is replaced for the files after it.
    let worker: ChildProcess | undefined;
    const alive = (w: ChildProcess | undefined): w is ChildProcess => w !== undefined && w.exitCode === null && w.signalCode === null;
    try {
      for (;;) {
        const index = next++;
        if (index >= files.length) return;
        const file = files[index]!;
        if (!alive(worker)) worker = startWorkerProcess('estimateWorker');
        const w = worker;
        const row = await new Promise<BatchRow>((resolve) => {
          const settle = (r: BatchRow): void => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
            resolve(r);
          };
          const fail = (why: string): void => settle({ file, ok: false, error: `worker failed: ${why}`, errorKind: 'internal' });
          const onMessage = (r: unknown): void => settle(r as BatchRow);
          const onError = (e: Error): void => fail(e.message);
          const onExit = (code: number | null, signal: string | null): void => fail(`exited (${signal ?? `code ${code}`})`);
          w.once('message', onMessage);
          w.once('error', onError);
          w.once('exit', onExit);
          w.send({ file, options });
        });
        await deliver(index, row);
      }
    } finally {
      if (alive(worker)) {
        const w = worker;
        const gone = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        w.disconnect();
        await gone;
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, runWorker));
  await flushing;
  return failed;
}
