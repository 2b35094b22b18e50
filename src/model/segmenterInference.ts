/**
 * The learned segmenter's forward pass without TensorFlow.js (browser-safe): context windows of
 * the front-end features ({@link gatherContext}) through the plain-JS dense stack
 * (denseNetwork.ts), softmax per frame. Training builds and fits the same network with TF.js
 * (architectures/segmenter.ts); inference reads its weights and runs here.
 */
import { denseForward, softmaxRows, type DenseNetwork } from './denseNetwork.js';

/** Number of segmentation states (S1, systole, S2, diastole). */
export const N_STATES = 4;

/**
 * Gather the context windows of frames `frames` into `out` ([frames.length × inputWidth]).
 * @param features nFrames × nFeatures, row-major
 */
export function gatherContext(
  features: Float32Array,
  nFrames: number,
  nFeatures: number,
  frames: ArrayLike<number>,
  offsets: readonly number[],
  out: Float32Array,
  outRow = 0,
): void {
  const width = offsets.length * nFeatures;
  for (let r = 0; r < frames.length; r++) {
    const t = frames[r]!;
    let o = (outRow + r) * width;
    for (const d of offsets) {
      const u = t + d;
      if (u < 0 || u >= nFrames) out.fill(0, o, o + nFeatures);
      else out.set(features.subarray(u * nFeatures, u * nFeatures + nFeatures), o);
      o += nFeatures;
    }
  }
}

/**
 * Per-frame posteriors (softmax) of a whole recording with a plain-JS network: nFrames × 4, row-major.
 * @param offsets the architecture's context offsets
 * @param chunkFrames frames per pass (memory bound)
 */
export function predictPosteriorsDense(
  network: DenseNetwork,
  offsets: readonly number[],
  nFeatures: number,
  features: Float32Array,
  nFrames: number,
  chunkFrames = 4096,
): Float32Array {
  const width = offsets.length * nFeatures;
  const out = new Float32Array(nFrames * N_STATES);
  for (let start = 0; start < nFrames; start += chunkFrames) {
    const n = Math.min(chunkFrames, nFrames - start);
    const frames = new Int32Array(n);
    for (let i = 0; i < n; i++) frames[i] = start + i;
    const x = new Float32Array(n * width);
    gatherContext(features, nFrames, nFeatures, frames, offsets, x);
    out.set(softmaxRows(denseForward(network, x, n), n, N_STATES), start * N_STATES);
  }
  return out;
}
