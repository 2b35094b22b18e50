import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpyPermutation, trainTestSplit } from '../src/model/training/split.js';
import { FastRng } from '../src/signal/rng.js';

test('trainTestSplit: 80/20, disjoint, covers all, seeded', () => {
  const a = trainTestSplit(500, 0.2, 42);
  assert.equal(a.testIdx.length, 100);
  assert.equal(a.trainIdx.length, 400);
  const all = [...a.trainIdx, ...a.testIdx].sort((x, y) => x - y);
  assert.deepEqual(all, Array.from({ length: 500 }, (_, i) => i));
  assert.deepEqual(trainTestSplit(500, 0.2, 42), a);
  assert.notDeepEqual(trainTestSplit(500, 0.2, 43).testIdx, a.testIdx);
  assert.equal(trainTestSplit(7, 0.2).testIdx.length, 2); // ceil like scikit-learn
});

test('trainTestSplit rejects bad arguments', () => {
  assert.throws(() => trainTestSplit(1), /at least 2/);
  assert.throws(() => trainTestSplit(10, 0), /test fraction/);
  assert.throws(() => trainTestSplit(10, Number.NaN), /test fraction/);
});

test('FastRng: deterministic, uniform mean, normal moments', () => {
  const r1 = new FastRng(7);
  const r2 = new FastRng(7);
  for (let i = 0; i < 10; i++) assert.equal(r1.random(), r2.random());
  const r = new FastRng(1);
  let s = 0;
  let s2 = 0;
  let u = 0;
  const n = 200000;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
    const v = r.random();
    assert.ok(v >= 0 && v < 1);
    u += v;
  }
  assert.ok(Math.abs(s / n) < 0.01);
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
  assert.ok(Math.abs(u / n - 0.5) < 0.005);
  assert.throws(() => new FastRng(Number.NaN), /finite/);
});

test('numpyPermutation equals numpy RandomState(seed).permutation(n)', () => {
  // values printed by numpy 2.4: np.random.RandomState(seed).permutation(n)
  assert.deepEqual(numpyPermutation(10, 42), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
  assert.deepEqual(numpyPermutation(7, 0), [6, 2, 1, 3, 0, 5, 4]);
  const p500 = numpyPermutation(500, 42);
  assert.deepEqual(p500.slice(0, 12), [361, 73, 374, 155, 104, 394, 377, 124, 68, 450, 9, 194]);
  assert.deepEqual(p500.slice(-5), [106, 270, 348, 435, 102]);
  assert.deepEqual(numpyPermutation(70000, 1).slice(0, 6), [6670, 49567, 50796, 22310, 54037, 6869]);
});

test('trainTestSplit is scikit-learn\'s train_test_split(test_size=0.2, random_state=42)', () => {
  // sklearn ShuffleSplit: test = permutation[:n_test], train = permutation[n_test:]
  const s = trainTestSplit(500, 0.2, 42);
  assert.deepEqual(s.testIdx.slice(0, 3), [361, 73, 374]);
  assert.deepEqual(s.trainIdx.slice(-2), [435, 102]);
});
