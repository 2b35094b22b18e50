/**
 * Issue 14 (throughput): the WebAssembly SIMD forward pass of the HSMM decoder gives the same path
 * and score, bit for bit, as the plain-JS forward pass (hsmmViterbiReference). Seeded synthetic
 * emissions, including exact ties (quantised scores), −∞ and NaN; never reads ../shared.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { durationTables, hsmmViterbi, hsmmViterbiReference } from '../src/hrv/learned/hsmm.js';
import { hsmmSimdAvailable } from '../src/hrv/learned/hsmmSimd.js';
import { FastRng } from '../src/signal/rng.js';

test('wasm SIMD is available for the HSMM forward pass (Node 20)', () => {
  assert.equal(hsmmSimdAvailable(), true);
});

test('the SIMD forward pass decodes identically to the JS one (scores, paths, ties, −∞, NaN)', () => {
  const rng = new FastRng(14);
  let cases = 0;
  // lengths: odd and even, shorter and longer than the duration tables, and a long one (memory growth) before short ones
  for (const n of [4000, 1, 2, 3, 5, 17, 64, 151, 600, 1201]) {
    for (const periodS of [0.35, 0.8, 1.4]) {
      for (const kind of ['noise', 'ties', 'cyclic'] as const) {
        const e = new Float64Array(n * 4);
        const lag = Math.round(periodS * 50);
        for (let t = 0; t < n; t++) {
          for (let s = 0; s < 4; s++) {
            const phase = Math.floor((4 * (t % lag)) / lag);
            const x = kind === 'cyclic' ? (phase === s ? -0.1 : -2.5) + 0.3 * rng.normal() : 2 * rng.normal();
            e[t * 4 + s] = kind === 'ties' ? Math.round(x) : x;
          }
        }
        const tables = durationTables(periodS, 50, undefined, kind === 'ties' ? 1.2 : 1);
        const got = hsmmViterbi(e, n, tables);
        const want = hsmmViterbiReference(e, n, tables);
        assert.ok(Object.is(got.logScore, want.logScore), `n ${n} period ${periodS} ${kind}: ${got.logScore} vs ${want.logScore}`);
        assert.deepEqual(got.states, want.states, `n ${n} period ${periodS} ${kind}`);
        cases++;
      }
    }
  }
  // all-equal scores (ties everywhere), −∞ and NaN emissions
  const tables = durationTables(0.7, 50);
  const flat = new Float64Array(333 * 4).fill(-1);
  assert.deepEqual(hsmmViterbi(flat, 333, tables), hsmmViterbiReference(flat, 333, tables));
  const odd = new Float64Array(500 * 4).map(() => rng.normal());
  for (let i = 100; i < 300; i++) odd[i] = -Infinity;
  assert.deepEqual(hsmmViterbi(odd, 500, tables), hsmmViterbiReference(odd, 500, tables));
  odd[1201] = NaN;
  assert.deepEqual(hsmmViterbi(odd, 500, tables), hsmmViterbiReference(odd, 500, tables));
  assert.equal(cases, 90);
});
