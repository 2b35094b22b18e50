/**
 * Training loop of the segmenter (browser-safe; runs on whichever TF.js backend is current).
 * Mini-batches of labelled frames are gathered in JS from per-recording feature matrices, in an
 * order shuffled by a seeded generator; Adam; masked cross-entropy. Same seed, same backend →
 * same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FastRng, shuffleInPlace } from '../../signal/rng.js';
import { buildSegmenter, inputWidth, N_STATES, type SegmenterArchitecture } from '../architectures/segmenter.js';
import { FusedAdamOptimizer } from '../kernels/fusedAdam.js';
import { DENSE_MLP_GRAD_KERNEL, denseMlpGrads, oneHotKnown } from '../kernels/denseMlpGrad.js';
import { maskedStateCrossEntropy } from './maskedLoss.js';

/** One training recording: features (nFrames × nFeatures) and per-frame labels (0 = unknown). */
export interface SegmenterExample {
  features: Float32Array;
  nFrames: number;
  labels: Uint8Array;
}

/** Training settings. */
export interface SegmenterTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Keep every `frameStride`-th labelled frame per epoch (random phase per epoch); 1 = all. */
  frameStride: number;
  seed: number;
  /** Time-stretch augmentation: extra copies of every recording slowed by these factors (> 1 = slower heart). */
  stretchFactors: number[];
}

/** Defaults (frozen). */
export const SEGMENTER_TRAIN_DEFAULTS: Readonly<SegmenterTrainOptions> = Object.freeze({
  epochs: 6,
  batchSize: 256,
  learningRate: 2e-3,
  frameStride: 2,
  seed: 42,
  stretchFactors: [],
});

/**
 * A recording slowed down by `factor` at the feature level: frames linearly interpolated,
 * labels from the nearest source frame (unknown where either neighbour is unknown).
 */
export function stretchExample(ex: SegmenterExample, nFeatures: number, factor: number): SegmenterExample {
  const n = Math.floor(ex.nFrames * factor);
  const features = new Float32Array(n * nFeatures);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const x = k / factor;
    const i = Math.min(ex.nFrames - 1, Math.floor(x));
    const j = Math.min(ex.nFrames - 1, i + 1);
    const w = x - i;
    for (let c = 0; c < nFeatures; c++) features[k * nFeatures + c] = (1 - w) * ex.features[i * nFeatures + c]! + w * ex.features[j * nFeatures + c]!;
    labels[k] = ex.labels[i] && ex.labels[j] ? ex.labels[w < 0.5 ? i : j]! : 0;
  }
  return { features, nFrames: n, labels };
}

/**
 * The context window of frame `t` into `out` at `at` (as gatherContext of segmenter.ts, for one
 * frame, one copy per run of consecutive offsets inside the recording: this runs for 256 frames per
 * training step).
 */
export function gatherFrame(features: Float32Array, nFrames: number, nFeatures: number, t: number, offsets: readonly number[], out: Float32Array, at: number): void {
  let o = at;
  const n = offsets.length;
  for (let k = 0; k < n;) {
    // a run of consecutive offsets whose frames all lie inside the recording is one contiguous copy
    const u = t + offsets[k]!;
    let e = k + 1;
    if (u >= 0) while (e < n && offsets[e] === offsets[e - 1]! + 1 && t + offsets[e]! < nFrames) e++;
    if (u < 0 || u >= nFrames) {
      for (let c = 0; c < nFeatures; c++) out[o + c] = 0;
      o += nFeatures;
      k++;
      continue;
    }
    const len = (e - k) * nFeatures;
    const s = u * nFeatures;
    if (len >= 64) out.set(features.subarray(s, s + len), o);
    else for (let c = 0; c < len; c++) out[o + c] = features[s + c]!;
    o += len;
    k = e;
  }
}

/** Progress callback: called after each epoch. */
export type EpochCallback = (epoch: number, loss: number, seconds: number) => void;

/** Train a fresh segmenter. Returns the model and the per-epoch training loss. */
export function trainSegmenter(
  examples: readonly SegmenterExample[],
  arch: Readonly<SegmenterArchitecture>,
  options: Partial<SegmenterTrainOptions> = {},
  onEpoch?: EpochCallback,
): { model: tfl.Sequential; losses: number[] } {
  const o = { ...SEGMENTER_TRAIN_DEFAULTS, ...options };
  if (o.stretchFactors.length) examples = [...examples, ...o.stretchFactors.flatMap((f) => examples.map((ex) => stretchExample(ex, arch.nFeatures, f)))];
  const model = buildSegmenter(arch, o.seed);
  const rng = new FastRng(o.seed);
  // every labelled frame as (recording, frame), packed into one Int32Array pair
  let total = 0;
  for (const ex of examples) for (let k = 0; k < ex.nFrames; k++) if (ex.labels[k]) total++;
  const recOf = new Int32Array(total);
  const frameOf = new Int32Array(total);
  let at = 0;
  examples.forEach((ex, r) => {
    for (let k = 0; k < ex.nFrames; k++) {
      if (ex.labels[k]) {
        recOf[at] = r;
        frameOf[at] = k;
        at++;
      }
    }
  });
  const width = inputWidth(arch);
  // tf's Adam (β 0.9/0.999, ε 1e-7 as tf.train.adam on wasm and cpu), one pass per variable on wasm
  const optimizer = new FusedAdamOptimizer(o.learningRate, 0.9, 0.999, 1e-7);
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const losses: number[] = [];
  const x = new Float32Array(o.batchSize * width);
  const y = new Uint8Array(o.batchSize);
  const yHot = new Float32Array(o.batchSize * N_STATES);
  // on wasm: the whole forward/backward pass as one kernel (kernels/denseMlpGrad.ts)
  const fused = tf.getBackend() === 'wasm' && !!tf.getKernel(DENSE_MLP_GRAD_KERNEL, 'wasm');
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const t0 = Date.now();
    const phase = Math.floor(rng.random() * o.frameStride);
    const order: number[] = [];
    for (let i = phase; i < total; i += o.frameStride) order.push(i);
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let batches = 0;
    for (let b = 0; b + o.batchSize <= order.length; b += o.batchSize) {
      for (let i = 0; i < o.batchSize; i++) {
        const j = order[b + i]!;
        const ex = examples[recOf[j]!]!;
        gatherFrame(ex.features, ex.nFrames, arch.nFeatures, frameOf[j]!, arch.offsets, x, i * width);
        y[i] = ex.labels[frameOf[j]!]!;
      }
      if (fused) {
        // one kernel for the loss and every gradient (no tape), then the fused Adam
        const { known } = oneHotKnown(y, N_STATES, yHot);
        const xt = tf.tensor2d(x, [o.batchSize, width]);
        const yt = tf.tensor2d(yHot, [o.batchSize, N_STATES]);
        const [loss, ...grads] = denseMlpGrads(xt, yt, known, vars);
        optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
        lossSum += loss!.dataSync()[0]!;
        tf.dispose([xt, yt, loss!, ...grads]);
      } else {
        const loss = optimizer.minimize(
          () => {
            const logits = model.apply(tf.tensor2d(x, [o.batchSize, width])) as tf.Tensor2D;
            return maskedStateCrossEntropy(logits, y);
          },
          true,
          vars,
        ) as tf.Scalar;
        lossSum += loss.dataSync()[0]!;
        loss.dispose();
      }
      batches++;
    }
    const mean = batches ? lossSum / batches : NaN;
    losses.push(mean);
    onEpoch?.(epoch + 1, mean, (Date.now() - t0) / 1000);
  }
  optimizer.dispose();
  return { model, losses };
}
