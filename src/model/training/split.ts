import { NumpyRng } from '../../signal/numpyRng.js';

/** Indices of a train/test split. */
export interface SplitIndices {
  /** Indices of the training samples, in shuffled order. */
  trainIdx: number[];
  /** Indices of the test samples, in shuffled order. */
  testIdx: number[];
}

/**
 * numpy's legacy `RandomState(seed).permutation(n)`: Fisher–Yates from the end, each index drawn
 * by `random_interval` (32-bit MT19937 outputs masked to the next power of two minus one,
 * rejected while above the bound).
 */
export function numpyPermutation(n: number, seed: number): number[] {
  const rng = new NumpyRng(seed);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    let mask = i;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let j: number;
    do {
      j = (rng.nextUint32() & mask) >>> 0;
    } while (j > i);
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm;
}

/**
 * Seeded train/test split of `n` samples, identical to scikit-learn's
 * `train_test_split(..., test_size=testFraction, random_state=seed)` as the seed notebook calls it:
 * `p = RandomState(seed).permutation(n)`, test = p[:ceil(n × testFraction)], train = the rest, in
 * that order.
 *
 * @param n number of samples (≥ 2)
 * @param testFraction share of samples in the test split, in (0, 1); default 0.2
 * @param seed random_state, an integer in [0, 2³²); default 42
 */
export function trainTestSplit(n: number, testFraction = 0.2, seed = 42): SplitIndices {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`need at least 2 samples to split, got ${n}`);
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`test fraction must lie in (0, 1), got ${testFraction}`);
  }
  const nTest = Math.min(n - 1, Math.max(1, Math.ceil(n * testFraction)));
  const order = numpyPermutation(n, seed);
  return { testIdx: order.slice(0, nTest), trainIdx: order.slice(nTest) };
}
