import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kthSmallest, selectKth, selectionMedian } from '../src/core/select.js';

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

test('selectionMedian equals the sort-based median, leaves its input alone, and sorts when NaN is present', () => {
  const sortMedian = (v: number[]): number => {
    const s = [...v].sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  };
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const n of [1, 2, 3, 4, 7, 8, 31, 64, 101]) {
    const v = Array.from({ length: n }, () => Math.round(rand() * 20) - 10 + rand());
    const copy = [...v];
    assert.equal(selectionMedian(v), sortMedian(v), `n = ${n}`);
    assert.deepEqual(v, copy);
  }
  assert.ok(Number.isNaN(selectionMedian([])));
  const withNaN = [3, NaN, 1, 2];
  assert.ok(Object.is(selectionMedian(withNaN), sortMedian(withNaN)));
});
