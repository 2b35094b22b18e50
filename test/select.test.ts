import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kthSmallest, selectKth } from '../src/core/select.js';

test('selectKth and kthSmallest give the value a sort puts at index k', () => {
  let seed = 11;
  const rnd = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let trial = 0; trial < 3000; trial++) {
    const n = 1 + Math.floor(rnd() * 80);
    const ties = rnd() < 0.5;
    const v = Float64Array.from({ length: n }, () => (ties ? Math.floor(rnd() * 4) : rnd() - 0.5));
    const k = Math.floor(rnd() * n);
    const sorted = Float64Array.from(v).sort();
    const s = Float64Array.from(v);
    assert.equal(selectKth(s, k), sorted[k]);
    for (let i = 0; i < k; i++) assert.ok(s[i]! <= s[k]!);
    for (let i = k + 1; i < n; i++) assert.ok(s[i]! >= s[k]!);
    if (rnd() < 0.3) v[Math.floor(rnd() * n)] = NaN;
    assert.deepEqual(kthSmallest(Float64Array.from(v), k), Float64Array.from(v).sort()[k]);
  }
});
