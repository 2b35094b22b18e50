/**
 * Training the seed CNN (browser-safe): a Keras-like loop — Adam, MSE on both heads, MAE metrics,
 * shuffled mini-batches, validation every epoch — written as a custom loop so that it can be
 * seeded (shuffling and dropout), resumed from a checkpoint without losing an epoch, stopped
 * cleanly, and split over several workers (see `node/dualTrainer.ts`).
 *
 * Losses and MAEs are reported in label units (bpm, s) whatever the mode's internal scaling.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FastRng, shuffleInPlace } from '../../signal/rng.js';
import type { TargetScaling } from '../preprocess.js';
import { FusedAdamOptimizer } from '../kernels/fusedAdam.js';
import { fuseConvLayersForTraining } from '../kernels/convBiasRelu.js';

/** Inputs and encoded targets of one split, gathered in memory. */
export interface TrainingArrays {
  /** Row-major n × F × T model inputs (already preprocessed). */
  x: Float32Array;
  n: number;
  /** [F, T, 1]. */
  inputShape: [number, number, number];
  /** Encoded HR targets (model units). */
  yHr: Float32Array;
  /** Encoded HRV targets (model units). */
  yHrv: Float32Array;
}

/** Options of the training loop; defaults are the seed's. */
export interface TrainOptions {
  /** Number of epochs (default 100). */
  epochs?: number;
  /** Mini-batch size (default 32). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3; β1 0.9, β2 0.999, ε 1e-7 as in Keras). */
  learningRate?: number;
  /** Seed of batch shuffling and dropout masks (default 42). */
  seed?: number;
  /**
   * Stop when the monitored loss (val_loss, or loss without validation) has not improved for
   * this many epochs. Default: off.
   */
  earlyStoppingPatience?: number;
}

/** One row of history.csv / history.json. */
export interface EpochLog {
  epoch: number;
  seconds: number;
  loss: number;
  hr_output_loss: number;
  hrv_output_loss: number;
  hr_output_mae: number;
  hrv_output_mae: number;
  val_loss: number | null;
  val_hr_output_loss: number | null;
  val_hrv_output_loss: number | null;
  val_hr_output_mae: number | null;
  val_hrv_output_mae: number | null;
}

/** Column order of history.csv. */
export const HISTORY_COLUMNS: ReadonlyArray<keyof EpochLog> = [
  'epoch', 'seconds', 'loss', 'hr_output_loss', 'hrv_output_loss', 'hr_output_mae', 'hrv_output_mae',
  'val_loss', 'val_hr_output_loss', 'val_hrv_output_loss', 'val_hr_output_mae', 'val_hrv_output_mae',
];

/** Sums of errors over the samples of a batch (model units). */
export interface ErrorSums {
  n: number;
  sqHr: number;
  sqHrv: number;
  absHr: number;
  absHrv: number;
}

/** A named float32 array (a weight or an optimizer slot). */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Everything needed to continue training exactly where it stopped. */
export interface TrainerState {
  /** Epochs completed. */
  epoch: number;
  history: EpochLog[];
  /** Model weights, in model.getWeights() order. */
  weights: NamedArray[];
  /** Adam state (iterations, first moments, second moments), in optimizer.getWeights() order. */
  optimizer: NamedArray[];
  /** Early-stopping bookkeeping. */
  best: number | null;
  wait: number;
}

/** What does the work of a training step; the loop is the same for one or two workers. */
export interface TrainingEngine {
  /** Forward + backward + Adam step on the training samples `idx`; returns the error sums. */
  trainBatch(idx: number[], dropoutSeed: number): Promise<ErrorSums>;
  /** Error sums of the model (inference mode) on the validation split. */
  validate(): Promise<ErrorSums | null>;
  /** Current weights and optimizer state. */
  exportState(): Promise<Pick<TrainerState, 'weights' | 'optimizer'>>;
  /** Restore weights and optimizer state. */
  importState(state: Pick<TrainerState, 'weights' | 'optimizer'>): Promise<void>;
  /** A short description (e.g. 'wasm, 2 workers'). */
  readonly description: string;
  /**
   * true: {@link trainBatch} only queues the step (its work runs elsewhere, in order), so the loop
   * may hand over the next batch of the same epoch before the current one has finished: the
   * workers then never wait for this thread between steps. The results are the same.
   */
  readonly queuesBatches?: boolean;
}

/** Progress callbacks. */
export interface TrainCallbacks {
  onEpochBegin?(epoch: number, epochs: number, nBatches: number): void;
  /** After each batch, with running means (label units) over the epoch so far. */
  onBatchEnd?(epoch: number, batch: number, nBatches: number, running: Pick<EpochLog, 'loss' | 'hr_output_mae' | 'hrv_output_mae'>): void;
  /** After each epoch; `state()` gives the checkpoint of the epoch just finished. */
  onEpochEnd?(log: EpochLog, state: () => Promise<TrainerState>): void | Promise<void>;
  /** Polled between batches: true stops training, discarding the unfinished epoch. */
  shouldStop?(): boolean;
}

/** Result of {@link fitLoop}. */
export interface FitResult {
  history: EpochLog[];
  /** Epochs completed (including resumed ones). */
  epochs: number;
  /** Wall time of this call's training, in seconds. */
  seconds: number;
  /** Why training ended. */
  stoppedBy: 'epochs' | 'early-stopping' | 'interrupt';
}

/** Defaults of {@link TrainOptions}. */
export const TRAIN_DEFAULTS = Object.freeze({ epochs: 100, batchSize: 32, learningRate: 1e-3, seed: 42 });

/**
 * Let the event loop run (signal handlers, progress output, worker messages): the wasm and cpu
 * backends compute synchronously, so without this a training loop would starve it.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** The shuffling/dropout random stream of an epoch: a pure function of (seed, epoch). */
export function epochRng(seed: number, epoch: number): FastRng {
  return new FastRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca77)) >>> 0);
}

/** Batches of an epoch: shuffled indices cut into batches, and one dropout seed per batch. */
export function epochPlan(nTrain: number, batchSize: number, seed: number, epoch: number): { batches: number[][]; dropoutSeeds: number[] } {
  const rng = epochRng(seed, epoch);
  const order = shuffleInPlace(Array.from({ length: nTrain }, (_, i) => i), rng);
  const batches: number[][] = [];
  for (let i = 0; i < nTrain; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return { batches, dropoutSeeds: batches.map(() => rng.nextUint32()) };
}

function labelLosses(s: ErrorSums, scaling: { hr: TargetScaling; hrv: TargetScaling }) {
  const h2 = scaling.hr.scale ** 2;
  const v2 = scaling.hrv.scale ** 2;
  const hrLoss = (s.sqHr / s.n) * h2;
  const hrvLoss = (s.sqHrv / s.n) * v2;
  return {
    loss: hrLoss + hrvLoss,
    hr_output_loss: hrLoss,
    hrv_output_loss: hrvLoss,
    hr_output_mae: (s.absHr / s.n) * scaling.hr.scale,
    hrv_output_mae: (s.absHrv / s.n) * scaling.hrv.scale,
  };
}

/**
 * The epoch loop: shuffles, runs batches on `engine`, validates, keeps history, early-stops,
 * reports progress and hands out checkpoints. Resumes from `resume` when given.
 */
export async function fitLoop(
  engine: TrainingEngine,
  nTrain: number,
  scaling: { hr: TargetScaling; hrv: TargetScaling },
  options: TrainOptions = {},
  callbacks: TrainCallbacks = {},
  resume?: TrainerState,
): Promise<FitResult> {
  const epochs = options.epochs ?? TRAIN_DEFAULTS.epochs;
  const batchSize = options.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const seed = options.seed ?? TRAIN_DEFAULTS.seed;
  const patience = options.earlyStoppingPatience;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be an integer ≥ 1, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be an integer ≥ 1, got ${batchSize}`);
  if (patience !== undefined && (!Number.isInteger(patience) || patience < 1)) throw new RangeError(`early-stopping patience must be an integer ≥ 1, got ${patience}`);
  if (nTrain < 1) throw new RangeError('no training samples');
  const history: EpochLog[] = resume ? resume.history.slice() : [];
  let best = resume?.best ?? null;
  let wait = resume?.wait ?? 0;
  if (resume) await engine.importState(resume);
  const t0 = performance.now();
  let stoppedBy: FitResult['stoppedBy'] = 'epochs';
  for (let epoch = resume?.epoch ?? 0; epoch < epochs; epoch++) {
    if (patience !== undefined && wait >= patience) {
      stoppedBy = 'early-stopping';
      break;
    }
    const tEpoch = performance.now();
    const { batches, dropoutSeeds } = epochPlan(nTrain, batchSize, seed, epoch);
    callbacks.onEpochBegin?.(epoch + 1, epochs, batches.length);
    const sums: ErrorSums = { n: 0, sqHr: 0, sqHrv: 0, absHr: 0, absHrv: 0 };
    const finish = (s: ErrorSums, b: number) => {
      sums.n += s.n;
      sums.sqHr += s.sqHr;
      sums.sqHrv += s.sqHrv;
      sums.absHr += s.absHr;
      sums.absHrv += s.absHrv;
      const run = labelLosses(sums, scaling);
      callbacks.onBatchEnd?.(epoch + 1, b + 1, batches.length, { loss: run.loss, hr_output_mae: run.hr_output_mae, hrv_output_mae: run.hrv_output_mae });
    };
    // a queuing engine gets batch b + 1 while batch b runs (never across an epoch's end, so that
    // validation and the checkpoint see exactly the epoch's steps)
    let inFlight: Promise<ErrorSums> | null = null;
    for (let b = 0; b < batches.length; b++) {
      await yieldToEventLoop();
      if (callbacks.shouldStop?.()) {
        if (inFlight) await inFlight;
        return { history, epochs: epoch, seconds: (performance.now() - t0) / 1000, stoppedBy: 'interrupt' };
      }
      const step = engine.trainBatch(batches[b], dropoutSeeds[b]);
      if (engine.queuesBatches) {
        // should the step before fail, this one's failure (the same worker error) is not left unhandled
        step.catch(() => undefined);
        if (inFlight) finish(await inFlight, b - 1);
        inFlight = step;
      } else {
        finish(await step, b);
      }
    }
    if (inFlight) finish(await inFlight, batches.length - 1);
    const train = labelLosses(sums, scaling);
    const valSums = await engine.validate();
    const val = valSums ? labelLosses(valSums, scaling) : null;
    const log: EpochLog = {
      epoch: epoch + 1,
      seconds: (performance.now() - tEpoch) / 1000,
      ...train,
      val_loss: val?.loss ?? null,
      val_hr_output_loss: val?.hr_output_loss ?? null,
      val_hrv_output_loss: val?.hrv_output_loss ?? null,
      val_hr_output_mae: val?.hr_output_mae ?? null,
      val_hrv_output_mae: val?.hrv_output_mae ?? null,
    };
    history.push(log);
    const monitored = log.val_loss ?? log.loss;
    if (best === null || monitored < best) {
      best = monitored;
      wait = 0;
    } else {
      wait++;
    }
    const bestNow = best;
    const waitNow = wait;
    await callbacks.onEpochEnd?.(log, async () => ({ epoch: epoch + 1, history: history.slice(), best: bestNow, wait: waitNow, ...(await engine.exportState()) }));
  }
  if (patience !== undefined && wait >= patience && history.length < epochs) stoppedBy = 'early-stopping';
  return { history, epochs: history.length, seconds: (performance.now() - t0) / 1000, stoppedBy };
}

/** The model's trainable tf.Variables, in model order. */
function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

function namedArrays(list: Array<{ name: string; tensor: tf.Tensor }>): NamedArray[] {
  return list.map(({ name, tensor }) => ({ name, shape: tensor.shape.slice(), data: Float32Array.from(tensor.dataSync() as Float32Array) }));
}

/** Dropout layers of a model (their seed is set per step for repeatable masks). */
function dropoutLayers(model: tfl.LayersModel): Array<{ seed?: number }> {
  return model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as Array<{ seed?: number }>;
}

/**
 * One model + Adam on this thread: gradients of a batch, their application, inference. Used by
 * {@link LocalEngine} and by each worker of the two-core trainer.
 */
export class ModelTrainer {
  readonly optimizer: tf.AdamOptimizer;
  private readonly vars: tf.Variable[];
  private readonly dropouts: Array<{ seed?: number }>;

  constructor(readonly model: tfl.LayersModel, learningRate: number = TRAIN_DEFAULTS.learningRate) {
    // tf's Adam; on wasm with the fast kernels one pass per variable (bit-identical, see kernels/fusedAdam.ts)
    this.optimizer = new FusedAdamOptimizer(learningRate, 0.9, 0.999, 1e-7);
    this.vars = trainableVariables(model);
    this.dropouts = dropoutLayers(model);
    // on wasm: conv + bias + ReLU as one op in training too (kernels/convBiasRelu.ts)
    fuseConvLayersForTraining(model);
  }

  /** Names of the trainable variables, in order (the order of gradients everywhere). */
  get variableNames(): string[] {
    return this.vars.map((v) => v.name);
  }

  /**
   * Gradients of the mean-over-batch loss (MSE hr + MSE hrv, model units) on the given batch,
   * with dropout masks from `dropoutSeed`. The caller disposes the returned gradients.
   */
  gradients(x: Float32Array, yHr: Float32Array, yHrv: Float32Array, dropoutSeed: number): { grads: tf.Tensor[]; sums: ErrorSums } {
    const n = yHr.length;
    const shape = this.model.inputs[0].shape.slice(1) as number[];
    let sumsT: tf.Tensor | null = null;
    this.dropouts.forEach((d, i) => {
      d.seed = (dropoutSeed + i * 7919) >>> 0;
    });
    try {
      const { grads } = tf.tidy(() => {
        const xs = tf.tensor(x, [n, ...shape]);
        const th = tf.tensor2d(yHr, [n, 1]);
        const tv = tf.tensor2d(yHrv, [n, 1]);
        return tf.variableGrads(() => {
          const [ph, pv] = this.model.apply(xs, { training: true }) as tf.Tensor[];
          const dh = tf.sub(ph, th);
          const dv = tf.sub(pv, tv);
          const sqH = tf.sum(tf.square(dh));
          const sqV = tf.sum(tf.square(dv));
          sumsT = tf.keep(tf.stack([sqH, sqV, tf.sum(tf.abs(dh)), tf.sum(tf.abs(dv))]));
          return tf.div(tf.add(sqH, sqV), n) as tf.Scalar;
        }, this.vars);
      });
      const s = (sumsT as unknown as tf.Tensor).dataSync();
      (sumsT as unknown as tf.Tensor).dispose();
      return { grads: this.vars.map((v) => grads[v.name]), sums: { n, sqHr: s[0], sqHrv: s[1], absHr: s[2], absHrv: s[3] } };
    } finally {
      this.dropouts.forEach((d) => {
        d.seed = undefined;
      });
    }
  }

  /** One Adam step with gradients given in {@link variableNames} order (disposes them). */
  applyGradients(grads: tf.Tensor[]): void {
    this.optimizer.applyGradients(this.vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    tf.dispose(grads);
  }

  /** Model outputs (model units, inference mode) for n inputs, in chunks of `chunk` samples. */
  predict(x: Float32Array, n: number, chunk = 64): { hr: Float32Array; hrv: Float32Array } {
    const shape = this.model.inputs[0].shape.slice(1) as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const hr = new Float32Array(n);
    const hrv = new Float32Array(n);
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const [a, b] = tf.tidy(() => {
        const out = this.model.apply(tf.tensor(x.subarray(i * size, (i + m) * size), [m, ...shape]), { training: false }) as tf.Tensor[];
        return [out[0].dataSync(), out[1].dataSync()];
      });
      hr.set(a, i);
      hrv.set(b, i);
    }
    return { hr, hrv };
  }

  exportState(): Pick<TrainerState, 'weights' | 'optimizer'> {
    const weights = this.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
    return { weights: namedArrays(weights), optimizer: namedArrays(this.optimizerWeightsSync()) };
  }

  private optimizerWeightsSync(): Array<{ name: string; tensor: tf.Tensor }> {
    // AdamOptimizer.getWeights() is async only because of its signature; its parts are sync.
    const o = this.optimizer as unknown as {
      iterations: number;
      accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
      accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
    };
    const it = { name: 'iter', tensor: tf.scalar(o.iterations, 'int32') };
    const list = [it, ...o.accumulatedFirstMoment.map((v) => ({ name: v.originalName, tensor: v.variable as tf.Tensor })),
      ...o.accumulatedSecondMoment.map((v) => ({ name: v.originalName, tensor: v.variable as tf.Tensor }))];
    queueMicrotask(() => it.tensor.dispose());
    return list;
  }

  async importState(state: Pick<TrainerState, 'weights' | 'optimizer'>): Promise<void> {
    const ws = this.model.weights;
    if (state.weights.length !== ws.length) throw new Error(`checkpoint has ${state.weights.length} weights, the model ${ws.length}`);
    const tensors = state.weights.map((w, i) => {
      if (w.shape.join() !== ws[i].shape.join()) throw new Error(`checkpoint weight ${w.name} has shape [${w.shape}], the model [${ws[i].shape}]`);
      return tf.tensor(w.data, w.shape);
    });
    this.model.setWeights(tensors);
    tf.dispose(tensors);
    if (state.optimizer.length > 0) {
      await this.optimizer.setWeights(state.optimizer.map((o) => ({ name: o.name, tensor: o.name === 'iter' ? tf.tensor(Int32Array.from(o.data), o.shape, 'int32') : tf.tensor(o.data, o.shape) })));
    }
  }
}

function gather(a: TrainingArrays, idx: number[]): { x: Float32Array; yHr: Float32Array; yHrv: Float32Array } {
  const size = a.inputShape[0] * a.inputShape[1] * a.inputShape[2];
  const x = new Float32Array(idx.length * size);
  const yHr = new Float32Array(idx.length);
  const yHrv = new Float32Array(idx.length);
  idx.forEach((i, k) => {
    x.set(a.x.subarray(i * size, (i + 1) * size), k * size);
    yHr[k] = a.yHr[i];
    yHrv[k] = a.yHrv[i];
  });
  return { x, yHr, yHrv };
}

/** Gather the samples `idx` of a split into batch arrays. */
export { gather as gatherBatch };

/** Error sums of predictions against encoded targets. */
export function errorSums(pred: { hr: Float32Array; hrv: Float32Array }, yHr: Float32Array, yHrv: Float32Array): ErrorSums {
  const s: ErrorSums = { n: yHr.length, sqHr: 0, sqHrv: 0, absHr: 0, absHrv: 0 };
  for (let i = 0; i < yHr.length; i++) {
    const dh = pred.hr[i] - yHr[i];
    const dv = pred.hrv[i] - yHrv[i];
    s.sqHr += dh * dh;
    s.sqHrv += dv * dv;
    s.absHr += Math.abs(dh);
    s.absHrv += Math.abs(dv);
  }
  return s;
}

/** Training on this thread (any backend). */
export class LocalEngine implements TrainingEngine {
  readonly trainer: ModelTrainer;
  readonly description: string;

  constructor(model: tfl.LayersModel, private readonly train: TrainingArrays, private readonly val: TrainingArrays | null, learningRate?: number) {
    this.trainer = new ModelTrainer(model, learningRate);
    this.description = `${tf.getBackend()}, 1 thread`;
  }

  async trainBatch(idx: number[], dropoutSeed: number): Promise<ErrorSums> {
    const b = gather(this.train, idx);
    const { grads, sums } = this.trainer.gradients(b.x, b.yHr, b.yHrv, dropoutSeed);
    this.trainer.applyGradients(grads);
    return sums;
  }

  async validate(): Promise<ErrorSums | null> {
    if (!this.val || this.val.n === 0) return null;
    return errorSums(this.trainer.predict(this.val.x, this.val.n), this.val.yHr, this.val.yHrv);
  }

  async exportState() {
    return this.trainer.exportState();
  }

  async importState(state: Pick<TrainerState, 'weights' | 'optimizer'>) {
    await this.trainer.importState(state);
  }
}
