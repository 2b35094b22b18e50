import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropMisplacedPairs, subFrameOnsetTimes, templateAlignedTimes } from '../src/hrv/learned/decode.js';
import { FastRng } from '../src/signal/rng.js';

test('dropMisplacedPairs removes a short–long pair around a misplaced beat and keeps the rest', () => {
  const rr = [0.8, 0.82, 0.81, 0.6, 1.02, 0.8, 0.83, 0.79];
  const start = rr.map((_, i) => i);
  dropMisplacedPairs(rr, start, 0.3, 0.15);
  assert.deepEqual(rr, [0.8, 0.82, 0.81, 0.8, 0.83, 0.79]);
  assert.deepEqual(start, [0, 1, 2, 5, 6, 7]);
});

test('dropMisplacedPairs leaves non-adjacent intervals and off (0) alone', () => {
  const rr = [0.8, 0.6, 1.0, 0.8];
  const start = [0, 1, 3, 4]; // 0.6 and 1.0 do not share a beat
  dropMisplacedPairs(rr, start, 0.3, 0.15);
  assert.equal(rr.length, 4);
  const rr2 = [0.8, 0.6, 1.0, 0.8];
  dropMisplacedPairs(rr2, [0, 1, 2, 3], 0, 0.15);
  assert.equal(rr2.length, 4);
});

test('subFrameOnsetTimes finds the crossing of P(S1) between frame centres', () => {
  // P(S1) 0.1 at frame 9, 0.9 at frame 10: crossing of 0.5 half way between centres 9.5 and 10.5
  const n = 20;
  const post = new Float32Array(n * 4);
  for (let k = 0; k < n; k++) post[k * 4] = k < 10 ? 0.1 : 0.9;
  const [t] = subFrameOnsetTimes([10], post, n, 50, 0.5);
  assert.ok(Math.abs(t! - 10 / 50) < 1e-9);
  post[9 * 4] = 0.4; // earlier crossing: 9.5 + 0.1/0.5 = 9.7
  const [u] = subFrameOnsetTimes([10], post, n, 50, 0.5);
  assert.ok(Math.abs(u! - 9.7 / 50) < 1e-6, String(u));
});

test('templateAlignedTimes removes beat-to-beat jitter of coarse onsets', () => {
  const fs = 1000;
  const rng = new FastRng(3);
  const env = new Float32Array(30 * fs);
  const truth: number[] = [];
  for (let t = 0.5; t < 29; t += 0.8 + rng.normal(0, 0.03)) {
    truth.push(t);
    const i0 = Math.round(t * fs);
    for (let j = 0; j < 120; j++) env[i0 + j] += Math.sin((Math.PI * j) / 120) ** 2 * (1 + 0.3 * Math.sin(j / 7)); // an S1-like bump
  }
  for (let i = 0; i < env.length; i++) env[i] += 0.02 * Math.abs(rng.normal(0, 1));
  const coarse = truth.map((t) => Math.round(t * 50) / 50 + rng.uniform(-0.01, 0.01));
  const aligned = templateAlignedTimes(coarse, env, fs, 0.02);
  const rrErr = (times: number[]): number => {
    let s = 0;
    for (let k = 1; k < times.length; k++) s += Math.abs(times[k]! - times[k - 1]! - (truth[k]! - truth[k - 1]!));
    return s / (times.length - 1);
  };
  assert.ok(rrErr(aligned) < 0.002, `aligned RR error ${rrErr(aligned)}`);
  assert.ok(rrErr(coarse) > 0.004, `coarse RR error ${rrErr(coarse)}`);
});
