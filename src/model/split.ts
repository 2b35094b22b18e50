import { FastRng, shuffleInPlace } from '../signal/rng.js';

/** Indices of a train/test split. */
export interface SplitIndices {
  /** Indices of the training samples, in shuffled order. */
  trainIdx: number[];
  /** Indices of the test samples, in shuffled order. */
  testIdx: number[];
}

/**
 * Seeded random train/test split of `n` samples, like scikit-learn's `train_test_split`
 * (test size = ceil(n × testFraction), the seed uses 0.2 and random_state 42).
 *
 * @param n number of samples (≥ 2)
 * @param testFraction share of samples in the test split, in (0, 1); default 0.2
 * @param seed seed of the shuffle; default 42
 */
export function trainTestSplit(n: number, testFraction = 0.2, seed = 42): SplitIndices {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`need at least 2 samples to split, got ${n}`);
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`test fraction must lie in (0, 1), got ${testFraction}`);
  }
  const nTest = Math.min(n - 1, Math.max(1, Math.ceil(n * testFraction)));
  const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), new FastRng(seed));
  return { testIdx: order.slice(0, nTest), trainIdx: order.slice(nTest) };
}
