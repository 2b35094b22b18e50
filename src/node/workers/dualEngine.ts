/**
 * Two-core training (Node): two worker threads, each with its own wasm instance and its own copy
 * of the model, compute the gradients of half of every batch; the gradients are exchanged through
 * a SharedArrayBuffer, averaged (weighted by the halves' sizes), and both workers apply the same
 * Adam step, so their weights stay identical. The epoch loop runs on the main thread.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from './startWorker.js';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ErrorSums, TrainerState, TrainingArrays, TrainingEngine } from '../../model/training/train.js';

/** Messages from a worker. */
type Reply =
  | { type: 'ready' }
  | { type: 'sums'; sums: ErrorSums }
  | { type: 'state'; state: Pick<TrainerState, 'weights' | 'optimizer'> }
  | { type: 'done' }
  | { type: 'profile'; phases: Record<string, number> }
  | { type: 'error'; message: string };

function sharedCopy(a: Float32Array): Float32Array {
  const s = new Float32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

function sharedSplit(a: TrainingArrays | null) {
  if (!a) return null;
  return { x: sharedCopy(a.x), n: a.n, inputShape: a.inputShape, yHr: sharedCopy(a.yHr), yHrv: sharedCopy(a.yHrv) };
}

class WorkerHandle {
  private pending: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  constructor(readonly worker: Worker) {
    worker.on('message', (r: Reply) => {
      const p = this.pending.shift();
      if (!p) return;
      if (r.type === 'error') p.reject(new Error(`training worker: ${r.message}`));
      else p.resolve(r);
    });
    worker.on('error', (e) => {
      for (const p of this.pending.splice(0)) p.reject(e);
    });
    worker.on('exit', (code) => {
      for (const p of this.pending.splice(0)) p.reject(new Error(`training worker exited with code ${code}`));
    });
  }
  next(): Promise<Reply> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  request(msg: unknown): Promise<Reply> {
    const p = this.next();
    this.worker.postMessage(msg);
    return p;
  }
}

/** Options of {@link DualEngine.start}. */
export interface DualEngineOptions {
  train: TrainingArrays;
  val: TrainingArrays | null;
  learningRate?: number;
  seed: number;
  /** Backend each worker starts ('wasm' normally). */
  backend: string;
  /** The model whose initial weights both workers start from. */
  weights: tfl.LayersModel;
  /** false: the workers use the direct convolution kernels instead of Winograd (for benchmarks). Default true. */
  winograd?: boolean;
}

function addSums(a: ErrorSums, b: ErrorSums): ErrorSums {
  return { n: a.n + b.n, sqHr: a.sqHr + b.sqHr, sqHrv: a.sqHrv + b.sqHrv, absHr: a.absHr + b.absHr, absHrv: a.absHrv + b.absHrv };
}

/** The two-worker training engine. */
export class DualEngine implements TrainingEngine {
  readonly description: string;
  /** Batches are messages, handled in order by the workers: the loop may queue the next one. */
  readonly queuesBatches = true;
  private constructor(private readonly workers: WorkerHandle[], private readonly valN: number) {
    this.description = 'wasm, 2 worker threads';
  }

  static async start(opts: DualEngineOptions): Promise<DualEngine> {
    const model = opts.weights;
    const nParams = model.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((p, q) => p * q, 1), 0);
    const initial = model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[], data: Float32Array.from(w.read().dataSync() as Float32Array) }));
    // gradient slots: [parity 0: worker 0, worker 1][parity 1: worker 0, worker 1]
    const grads = new Float32Array(new SharedArrayBuffer(4 * nParams * 4));
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * 8));
    const train = sharedSplit(opts.train);
    const val = sharedSplit(opts.val);
    const handles: WorkerHandle[] = [];
    for (let w = 0; w < 2; w++) {
      const worker = startWorker('trainWorker', { workerData: { rank: w, backend: opts.backend, learningRate: opts.learningRate, inputShape: opts.train.inputShape, initial, grads, ctrl, nParams, train, val, winograd: opts.winograd } });
      worker.unref();
      handles.push(new WorkerHandle(worker));
    }
    try {
      await Promise.all(handles.map((h) => h.next()));
    } catch (err) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw err;
    }
    return new DualEngine(handles, opts.val?.n ?? 0);
  }

  async trainBatch(idx: number[], dropoutSeed: number): Promise<ErrorSums> {
    const half = Math.ceil(idx.length / 2);
    const parts = [idx.slice(0, half), idx.slice(half)];
    const replies = await Promise.all(this.workers.map((h, w) => h.request({ type: 'batch', idx: parts[w], counts: [parts[0].length, parts[1].length], dropoutSeed: (dropoutSeed + w * 0x61c88647) >>> 0 })));
    return replies.map((r) => (r as { sums: ErrorSums }).sums).reduce(addSums);
  }

  async validate(): Promise<ErrorSums | null> {
    if (this.valN === 0) return null;
    const half = Math.ceil(this.valN / 2);
    const ranges = [[0, half], [half, this.valN]];
    const replies = await Promise.all(this.workers.map((h, w) => h.request({ type: 'validate', from: ranges[w][0], to: ranges[w][1] })));
    return replies.map((r) => (r as { sums: ErrorSums }).sums).reduce(addSums);
  }

  /** Weights and optimizer state (from worker `rank`; both hold the same). */
  async exportState(rank: 0 | 1 = 0): Promise<Pick<TrainerState, 'weights' | 'optimizer'>> {
    const r = await this.workers[rank].request({ type: 'export' });
    return (r as { state: Pick<TrainerState, 'weights' | 'optimizer'> }).state;
  }

  async importState(state: Pick<TrainerState, 'weights' | 'optimizer'>): Promise<void> {
    await Promise.all(this.workers.map((h) => h.request({ type: 'import', state })));
  }

  /**
   * Per worker, the wall milliseconds of each phase of the training steps since the start or the
   * last reset (summed), and the step count `steps`: idle (waiting for the next batch from this
   * thread), gather, compute (forward + backward), copyOut (own gradients into shared memory),
   * barrier (waiting for the other worker), average, adam. For benchmarks.
   */
  async profile(reset = false): Promise<Array<Record<string, number>>> {
    const replies = await Promise.all(this.workers.map((h) => h.request({ type: 'profile', reset })));
    return replies.map((r) => (r as { phases: Record<string, number> }).phases);
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((h) => h.worker.terminate()));
  }
}
