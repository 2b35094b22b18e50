import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/node/files/wav.js';
import { detectBeats, type DetectBeatsResult } from '../src/hrv/classical/detectBeats.js';
import { FastRng } from '../src/signal/rng.js';

function assertSane(r: DetectBeatsResult, what: string): void {
  const nums = [...r.beatTimesS, ...r.rrS, ...(r.s2TimesS ?? []), r.quality.score];
  for (const v of nums) assert.ok(Number.isFinite(v), `${what}: non-finite output`);
  assert.ok(r.periodS === null || (Number.isFinite(r.periodS) && r.periodS > 0), `${what}: period ${r.periodS}`);
  assert.ok(r.quality.score >= 0 && r.quality.score <= 1, what);
  for (let i = 1; i < r.beatTimesS.length; i++) assert.ok(r.beatTimesS[i]! > r.beatTimesS[i - 1]!, `${what}: beats not increasing`);
  for (const v of r.rrS) assert.ok(v > 0, what);
  assert.equal(r.rrS.length, r.rrStartIndex.length);
  assert.ok(r.signalType === 'pcg' || r.signalType === 'pulse');
}

const fixture = readWav(fileURLToPath(new URL('../fixtures/pcg/85116_TV.wav', import.meta.url))).samples;

test('fuzz: random arrays of random length, scale and rate never crash or give NaN', () => {
  const rng = new FastRng(2024);
  for (let trial = 0; trial < 40; trial++) {
    const fs = [500, 1000, 2000, 4000, 8000][trial % 5]!;
    const n = Math.floor(rng.uniform(0, 6) ** 2 * fs * 0.3);
    const scale = 10 ** rng.uniform(-8, 4);
    const kind = trial % 4;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (kind === 0) x[i] = rng.normal(0, scale);
      else if (kind === 1) x[i] = rng.random() < 0.01 ? scale : 0; // sparse spikes
      else if (kind === 2) x[i] = Math.round(rng.normal(0, 2)) * scale; // few levels
      else x[i] = scale; // constant (DC)
    }
    for (const signal of ['auto', 'pcg', 'pulse'] as const) assertSane(detectBeats(x, fs, { signal }), `trial ${trial} ${signal} n=${n} fs=${fs}`);
  }
});

test('fuzz: mutated real recording (NaN/Inf, zeroed blocks, spikes, truncation) stays sane', () => {
  const rng = new FastRng(7);
  for (let trial = 0; trial < 12; trial++) {
    const x = Float32Array.from(fixture.subarray(0, Math.floor(rng.uniform(0.05, 1) * fixture.length)));
    const m = trial % 4;
    for (let k = 0; k < 20; k++) {
      const i = Math.floor(rng.uniform(0, x.length));
      if (m === 0) x[i] = [NaN, Infinity, -Infinity][k % 3]!;
      else if (m === 1) x.fill(0, i, Math.min(x.length, i + 2000));
      else if (m === 2) x[i] = rng.normal(0, 50);
      else x.fill(1, i, Math.min(x.length, i + 50));
    }
    const r = detectBeats(x, 4000);
    assertSane(r, `mutation ${m}`);
    if (m === 0) assert.ok(r.quality.reasons.some((s) => /non-finite/.test(s)));
  }
});

test('sample-rate and option checks', () => {
  assert.throws(() => detectBeats(new Float32Array(100), 499), RangeError);
  assert.throws(() => detectBeats(new Float32Array(100), 8001), RangeError);
  assert.throws(() => detectBeats(new Float32Array(100), NaN), RangeError);
  assert.throws(() => detectBeats(new Float32Array(100), 1000, { signal: 'ecg' as 'pcg' }), RangeError);
  const empty = detectBeats(new Float32Array(0), 1000);
  assert.deepEqual(empty.beatTimesS, []);
  assert.equal(empty.quality.score, 0);
});
