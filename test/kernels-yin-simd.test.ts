/**
 * Issue 14 (throughput): the WebAssembly SIMD YIN difference function (src/hrv/gate/yinSimd.ts)
 * gives the same sums, bit for bit, as the one-lag-at-a-time JS loop. Seeded synthetic signals.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { yinSimdFor } from '../src/hrv/gate/yinSimd.js';
import { harmonicity } from '../src/hrv/gate/heartEvidence.js';
import * as ref from './reference/heartEvidence.js';
import { FastRng } from '../src/signal/rng.js';

test('the SIMD difference function equals the JS sums bit for bit', () => {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const yin8 = yinSimdFor(memory);
  assert.notEqual(yin8, null, 'wasm SIMD is available (Node 20)');
  const rng = new FastRng(3);
  const n = 4000;
  const x = new Float64Array(memory.buffer, 0, n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.21) + 0.3 * rng.normal() + (i % 97 === 0 ? 1e12 : 0);
  const accAt = 8 * n;
  const acc = new Float64Array(memory.buffer, accAt, 80);
  for (const [s, w, lag0] of [[0, 110, 1], [17, 110, 9], [1000, 1, 33], [2000, 0, 5], [3000, 333, 41]] as const) {
    yin8!(0, s, w, lag0, accAt);
    for (let lag = lag0; lag < lag0 + 8; lag++) {
      let a = 0;
      for (let i = s; i < s + w; i++) {
        const q = x[i]! - x[i + lag]!;
        a += q * q;
      }
      assert.ok(Object.is(acc[lag], a), `s ${s} w ${w} lag ${lag}: ${acc[lag]} vs ${a}`);
    }
  }
});

test('harmonicity with the SIMD difference function equals the reference on noisy tones', () => {
  const rng = new FastRng(8);
  for (const fs of [2000, 4000, 8000]) {
    for (const toneHz of [0, 110, 230, 470]) {
      const x = new Float64Array(fs * 6).map((_, i) => (toneHz ? Math.sin((2 * Math.PI * toneHz * i) / fs) : 0) + 0.4 * rng.normal() * (1 + Math.sin(i / fs)));
      assert.equal(harmonicity(x, fs), ref.harmonicity(x, fs), `fs ${fs} tone ${toneHz}`);
    }
  }
});
