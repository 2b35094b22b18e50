/**
 * Cross-entropy over the 4 segmentation states that ignores unknown (state-0) frames. Browser-safe.
 */
import * as tf from '@tensorflow/tfjs-core';
import { N_STATES } from '../architectures/segmenter.js';

/**
 * Mean softmax cross-entropy of `logits` [batch, 4] against `labels` (0 unknown, 1 S1, 2 systole,
 * 3 S2, 4 diastole), averaged over the frames whose label is not 0 (0 when all are 0).
 */
export function maskedStateCrossEntropy(logits: tf.Tensor2D, labels: Int32Array | Uint8Array): tf.Scalar {
  const n = labels.length;
  const oneHot = new Float32Array(n * N_STATES);
  let known = 0;
  for (let i = 0; i < n; i++) {
    const s = labels[i]!;
    if (s >= 1 && s <= N_STATES) {
      oneHot[i * N_STATES + s - 1] = 1;
      known++;
    }
  }
  return tf.tidy(() => {
    const y = tf.tensor2d(oneHot, [n, N_STATES]);
    const logp = tf.logSoftmax(logits);
    // rows of unknown frames are all-zero in y, so they add nothing
    const total = tf.neg(tf.sum(tf.mul(y, logp)));
    return tf.div(total, tf.scalar(Math.max(1, known))) as tf.Scalar;
  });
}
