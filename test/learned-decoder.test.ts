import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSegmentation } from '../src/hrv/learned/decode.js';
import { durationTables, hsmmViterbi } from '../src/hrv/learned/hsmm.js';
import { FastRng } from '../src/signal/rng.js';

const FPS = 50;

/** Synthetic posteriors of a recording at `bpm` with beat-to-beat jitter; returns true S1 onsets. */
function synthetic(bpm: number, seconds: number, seed: number, confidence = 0.7): { post: Float32Array; n: number; onsetsS: number[] } {
  const rng = new FastRng(seed);
  const n = seconds * FPS;
  const states = new Uint8Array(n);
  const onsetsS: number[] = [];
  let t = Math.round(rng.uniform(0, 60 / bpm) * FPS);
  states.fill(3, 0, t);
  while (t < n) {
    const T = (60 / bpm) * (1 + rng.normal(0, 0.02));
    const s1 = Math.max(1, Math.round((0.066 + 0.087 * T) * FPS));
    const sysInt = Math.round((0.112 + 0.243 * T) * FPS);
    const s2 = Math.max(1, Math.round((0.059 + 0.075 * T) * FPS));
    const total = Math.round(T * FPS);
    onsetsS.push(t / FPS);
    const seq = [s1, sysInt - s1, s2, total - sysInt - s2];
    seq.forEach((d, s) => {
      states.fill(s, Math.min(n, t), Math.min(n, t + d));
      t += d;
    });
  }
  const post = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let s = 0; s < 4; s++) {
      const v = (s === states[i] ? confidence : (1 - confidence) / 3) * Math.exp(rng.normal(0, 0.3));
      post[i * 4 + s] = v;
      z += v;
    }
    for (let s = 0; s < 4; s++) post[i * 4 + s] = post[i * 4 + s]! / z;
  }
  return { post, n, onsetsS: onsetsS.filter((x) => x > 0 && x < seconds - 0.5) };
}

function matched(ref: number[], det: number[], tol: number): number {
  let k = 0;
  for (const r of ref) if (det.some((d) => Math.abs(d - r) <= tol)) k++;
  return k;
}

for (const bpm of [40, 72, 120, 180, 210]) {
  test(`decoder finds the beats and the rate at ${bpm} bpm (no half/double rate)`, () => {
    const { post, n, onsetsS } = synthetic(bpm, 30, bpm);
    const seg = decodeSegmentation(post, n, FPS);
    const hr = 60 / (seg.rrS.reduce((a, b) => a + b, 0) / seg.rrS.length);
    assert.ok(Math.abs(hr - bpm) / bpm < 0.05, `HR ${hr.toFixed(1)} vs ${bpm}`);
    assert.ok(matched(onsetsS, seg.beatTimesS, 0.05) >= onsetsS.length - 1, `${matched(onsetsS, seg.beatTimesS, 0.05)} of ${onsetsS.length} beats found`);
    assert.ok(Math.abs(seg.beatTimesS.length - onsetsS.length) <= 2);
    assert.ok(seg.quality.score > 0.5);
  });
}

test('decoder gives no beats for uninformative posteriors', () => {
  const n = 20 * FPS;
  const post = new Float32Array(n * 4).fill(0.25);
  const seg = decodeSegmentation(post, n, FPS);
  assert.equal(seg.rrS.length, 0);
  assert.equal(seg.quality.score, 0);
  assert.ok(seg.quality.reasons.length > 0);
});

test('hsmmViterbi follows the cycle order and respects durations', () => {
  const { post, n } = synthetic(90, 10, 3, 0.9);
  const e = Float64Array.from(post, (p) => Math.log(p));
  const path = hsmmViterbi(e, n, durationTables(60 / 90, FPS));
  for (let t = 1; t < n; t++) {
    const a = path.states[t - 1]!;
    const b = path.states[t]!;
    assert.ok(a === b || b === (a + 1) % 4, `illegal transition ${a}→${b} at ${t}`);
  }
  assert.ok(Number.isFinite(path.logScore));
});

test('decoder is deterministic', () => {
  const { post, n } = synthetic(100, 15, 9);
  assert.deepEqual(decodeSegmentation(post, n, FPS).beatTimesS, decodeSegmentation(post, n, FPS).beatTimesS);
});
