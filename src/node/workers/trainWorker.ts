/**
 * One worker of the two-core trainer (see dualEngine.ts): its own wasm backend and model copy;
 * computes the gradients of its half of each batch, exchanges them through shared memory,
 * applies the averaged gradient with Adam.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../backend.js';
import { buildSeedCnn } from '../../model/architectures/seedCnn.js';
import { errorSums, gatherBatch, ModelTrainer, type NamedArray, type TrainerState, type TrainingArrays } from '../../model/training/train.js';
import type { BackendChoice } from '../../model/backend.js';
import { setWinogradEnabled } from '../../model/kernels/winogradConv.js';

interface Init {
  rank: 0 | 1;
  backend: BackendChoice;
  learningRate?: number;
  inputShape: [number, number, number];
  initial: NamedArray[];
  grads: Float32Array;
  ctrl: Int32Array;
  nParams: number;
  train: TrainingArrays;
  val: TrainingArrays | null;
  /** false: direct convolution kernels instead of Winograd (benchmarks). */
  winograd?: boolean;
}

const init = workerData as Init;
const port = parentPort!;
const ARRIVED = 0;
const GENERATION = 1;

/**
 * dst[j] = w0·a[j] + w1·b[j] (in float64, rounded once to float32). One monomorphic loop over the
 * whole parameter vector, so that V8 optimises it after the first steps (the per-variable closure
 * it replaces ran at ≈ 20 ms a step against ≈ 2 ms for this one).
 */
function weightedSum(dst: Float32Array, a: Float32Array, b: Float32Array, w0: number, w1: number): void {
  const n = dst.length;
  for (let j = 0; j < n; j++) dst[j] = w0 * a[j] + w1 * b[j];
}

async function main(): Promise<void> {
  await initNodeBackend(init.backend);
  setWinogradEnabled(init.winograd !== false);
  const model = buildSeedCnn(init.inputShape);
  const trainer = new ModelTrainer(model, init.learningRate);
  await trainer.importState({ weights: init.initial, optimizer: [] });
  const sizes = model.trainableWeights.map((w) => (w.shape as number[]).reduce((p, q) => p * q, 1));
  const shapes = model.trainableWeights.map((w) => w.shape as number[]);
  const P = init.nParams;
  // the averaged gradient, all variables end to end (reused every step; tf.tensor copies it)
  const mean = new Float32Array(P);
  const copiesOnWrite = tf.getBackend() === 'wasm';
  let step = 0;
  // per-phase wall milliseconds of the training steps, summed (read by the 'profile' request)
  const phases: Record<string, number> = { idle: 0, gather: 0, compute: 0, copyOut: 0, barrier: 0, average: 0, adam: 0, steps: 0 };
  let mark = 0;
  // end of the last step (its reply posted): the time until the next batch arrives is 'idle'
  let lastEnd = -1;
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] += now - mark;
    mark = now;
  };

  const barrier = () => {
    const gen = Atomics.load(init.ctrl, GENERATION);
    if (Atomics.add(init.ctrl, ARRIVED, 1) === 1) {
      Atomics.store(init.ctrl, ARRIVED, 0);
      Atomics.add(init.ctrl, GENERATION, 1);
      Atomics.notify(init.ctrl, GENERATION);
    } else {
      Atomics.wait(init.ctrl, GENERATION, gen);
    }
  };

  port.on('message', async (msg: { type: string; [k: string]: unknown }) => {
    try {
      if (msg.type === 'batch') {
        const idx = msg.idx as number[];
        const counts = msg.counts as [number, number];
        const parity = step++ & 1;
        const mine = init.grads.subarray((parity * 2 + init.rank) * P, (parity * 2 + init.rank + 1) * P);
        let sums = { n: 0, sqHr: 0, sqHrv: 0, absHr: 0, absHrv: 0 };
        mark = performance.now();
        if (lastEnd >= 0) phases.idle += mark - lastEnd;
        if (idx.length > 0) {
          const b = gatherBatch(init.train, idx);
          lap('gather');
          const g = trainer.gradients(b.x, b.yHr, b.yHrv, msg.dropoutSeed as number);
          sums = g.sums;
          lap('compute');
          let off = 0;
          g.grads.forEach((t) => {
            mine.set(t.dataSync() as Float32Array, off);
            off += t.size;
          });
          tf.dispose(g.grads);
        } else {
          mine.fill(0);
        }
        lap('copyOut');
        barrier();
        lap('barrier');
        const g0 = init.grads.subarray((parity * 2) * P, (parity * 2 + 1) * P);
        const g1 = init.grads.subarray((parity * 2 + 1) * P, (parity * 2 + 2) * P);
        const total = counts[0] + counts[1];
        const w0 = counts[0] / total;
        const w1 = counts[1] / total;
        weightedSum(mean, g0, g1, w0, w1);
        const avg: tf.Tensor[] = [];
        let off = 0;
        for (let i = 0; i < sizes.length; i++) {
          // the wasm backend copies the values into its heap; others may keep the array itself
          const part = copiesOnWrite ? mean.subarray(off, off + sizes[i]) : mean.slice(off, off + sizes[i]);
          avg.push(tf.tensor(part, shapes[i]));
          off += sizes[i];
        }
        lap('average');
        trainer.applyGradients(avg);
        lap('adam');
        phases.steps++;
        port.postMessage({ type: 'sums', sums });
        lastEnd = performance.now();
      } else if (msg.type === 'validate') {
        const from = msg.from as number;
        const to = msg.to as number;
        const v = init.val!;
        const size = v.inputShape[0] * v.inputShape[1] * v.inputShape[2];
        const pred = trainer.predict(v.x.subarray(from * size, to * size), to - from);
        port.postMessage({ type: 'sums', sums: errorSums(pred, v.yHr.subarray(from, to), v.yHrv.subarray(from, to)) });
        lastEnd = -1; // validation ends the epoch's steps
      } else if (msg.type === 'profile') {
        port.postMessage({ type: 'profile', phases: { ...phases } });
        if (msg.reset) for (const k of Object.keys(phases)) phases[k] = 0;
        lastEnd = -1;
      } else if (msg.type === 'export') {
        port.postMessage({ type: 'state', state: trainer.exportState() });
      } else if (msg.type === 'import') {
        await trainer.importState(msg.state as Pick<TrainerState, 'weights' | 'optimizer'>);
        port.postMessage({ type: 'done' });
      }
    } catch (err) {
      port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
  port.postMessage({ type: 'ready' });
}

main().catch((err) => port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
