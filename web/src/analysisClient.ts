/** A promise-per-request client over one analysis Web Worker. */
import type { AnalyseOptions, PageResult } from './estimator.js';
import analysisWorkerUrl from './analysisWorker.ts?worker&url';

/** URL of the built worker script (also cached for offline use). */
export const ANALYSIS_WORKER_URL: string = analysisWorkerUrl;

interface Reply {
  id: number;
  ok: boolean;
  result?: PageResult;
  message?: string;
  elapsedMs?: number;
}

export interface Analysis {
  result: PageResult;
  /** Time the estimate took inside the worker, ms. */
  elapsedMs: number;
}

export class AnalysisClient {
  private readonly worker = new Worker(analysisWorkerUrl, { type: 'module' });
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Analysis) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<Reply>): void => {
      const p = this.pending.get(event.data.id);
      if (!p) return;
      this.pending.delete(event.data.id);
      if (event.data.ok && event.data.result) p.resolve({ result: event.data.result, elapsedMs: event.data.elapsedMs ?? 0 });
      else p.reject(new Error(event.data.message ?? 'analysis failed'));
    };
  }

  /** Analyse a copy of `samples` (the copy is transferred to the worker). */
  analyse(samples: Float32Array, sampleRateHz: number, options: AnalyseOptions): Promise<Analysis> {
    const id = this.nextId++;
    const copy = samples.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, samples: copy, sampleRateHz, options }, [copy.buffer]);
    });
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }
}
