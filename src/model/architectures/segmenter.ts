/**
 * The learned heart-sound segmenter's network (browser-safe): a per-frame MLP over a multi-scale
 * context window of front-end features (Springer's per-frame logistic regression, extended with
 * context and two hidden layers). Input per frame: the features at frame offsets
 * {@link SegmenterArchitecture.offsets} (zero outside the recording), flattened offset-major:
 * [nOffsets × nFeatures]. Output: logits over the 4 states (S1, systole, S2, diastole).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { gatherContext, N_STATES, posteriorsByChunk } from '../segmenterInference.js';

export { gatherContext, N_STATES };

/** Architecture of the segmenter (recorded in bundle.json). */
export interface SegmenterArchitecture {
  kind: 'context-mlp';
  /** Frame offsets of the context window, e.g. −45 … 45. */
  offsets: number[];
  /** Hidden layer widths (ReLU). */
  hidden: number[];
  nFeatures: number;
}

/** Offsets −near…near step 1, then ±(near+step)…±far step `step`. */
export function contextOffsets(near = 15, far = 45, step = 3): number[] {
  const out: number[] = [];
  for (let o = -far; o < -near; o += step) out.push(o);
  for (let o = -near; o <= near; o++) out.push(o);
  const right: number[] = [];
  for (let o = -far; o < -near; o += step) right.push(-o);
  out.push(...right.reverse());
  return out;
}

/** Default architecture (frozen). */
export const SEGMENTER_ARCHITECTURE_DEFAULTS: Readonly<SegmenterArchitecture> = Object.freeze({
  kind: 'context-mlp' as const,
  offsets: contextOffsets(),
  hidden: [48, 32],
  nFeatures: 8,
});

/** Input width of an architecture. */
export function inputWidth(arch: Readonly<SegmenterArchitecture>): number {
  return arch.offsets.length * arch.nFeatures;
}

/** Build the network with seeded Glorot-uniform initialisation. Output: logits [batch, 4]. */
export function buildSegmenter(arch: Readonly<SegmenterArchitecture>, seed: number): tfl.Sequential {
  const model = tfl.sequential();
  arch.hidden.forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        units,
        activation: 'relu',
        inputShape: i === 0 ? [inputWidth(arch)] : undefined,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 101 * i }),
        biasInitializer: 'zeros',
        name: `hidden${i}`,
      }),
    );
  });
  model.add(
    tfl.layers.dense({
      units: N_STATES,
      inputShape: arch.hidden.length === 0 ? [inputWidth(arch)] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 997 }),
      name: 'logits',
    }),
  );
  return model;
}

/**
 * Per-frame posteriors (softmax) of a whole recording: nFrames × 4, row-major.
 * @param chunkFrames frames per forward pass (memory bound)
 */
export function predictPosteriors(
  model: tfl.LayersModel,
  arch: Readonly<SegmenterArchitecture>,
  features: Float32Array,
  nFrames: number,
  chunkFrames = 4096,
): Float32Array {
  const width = inputWidth(arch);
  return posteriorsByChunk(features, nFrames, arch.nFeatures, arch.offsets, chunkFrames, (x, n) => {
    const probs = tf.tidy(() => tf.softmax(model.predict(tf.tensor2d(x, [n, width])) as tf.Tensor2D));
    const rows = probs.dataSync() as Float32Array;
    probs.dispose();
    return rows;
  });
}
