import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/node/files/wav.js';
import { detectBeats } from '../src/hrv/classical/detectBeats.js';
import { assessQuality, signalLevelStats } from '../src/hrv/classical/quality.js';
import { detectSignalType } from '../src/hrv/classical/signalType.js';
import { FastRng } from '../src/signal/rng.js';

const fs = 4000;
const n = 20 * fs;
const fixture = fileURLToPath(new URL('../fixtures/pcg/68377_PV.wav', import.meta.url));

function speechLike(seed: number): Float64Array {
  // voiced "syllables" of 80–300 ms (harmonics of 100–250 Hz, sine-windowed) with random pauses
  const rng = new FastRng(seed);
  const x = new Float64Array(n);
  let t = 0;
  while (t < n) {
    const len = Math.round(rng.uniform(0.08, 0.3) * fs);
    const f0 = rng.uniform(100, 250);
    for (let i = 0; i < len && t + i < n; i++) {
      let v = 0;
      for (let h = 1; h < 8; h++) v += Math.sin((2 * Math.PI * f0 * h * i) / fs) / h;
      x[t + i] = 0.2 * Math.sin((Math.PI * i) / len) * v + rng.normal(0, 0.005);
    }
    t += len + Math.round(rng.uniform(0.02, 0.4) * fs);
  }
  return x;
}

const cases: Array<[string, () => Float64Array, RegExp]> = [
  ['silence', () => new Float64Array(n), /silence/],
  ['white noise', () => { const r = new FastRng(1); return Float64Array.from({ length: n }, () => r.normal(0, 0.1)); }, /stand out|rhythm|periodicity|span/],
  ['brown noise', () => { const r = new FastRng(2); let b = 0; return Float64Array.from({ length: n }, () => (b = 0.99 * b + r.normal(0, 0.01))); }, /stand out|rhythm|periodicity|span/],
  ['440 Hz tone', () => Float64Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / fs)), /rhythm|stand out/],
  ['60 Hz hum', () => Float64Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 60 * i) / fs)), /rhythm|stand out/],
  ['speech-like', () => speechLike(3), /stand out|span|rejected|periodicity|rhythm/],
];

for (const [name, make, reason] of cases) {
  test(`no heartbeat (${name}): low quality with a reason`, () => {
    const r = detectBeats(make(), fs);
    assert.ok(r.quality.score < 0.3, `${name}: ${JSON.stringify(r.quality)}`);
    assert.ok(r.quality.reasons.some((s) => reason.test(s)), `${name}: ${r.quality.reasons.join('; ')}`);
  });
}

test('a clean real recording scores high; the same recording hard-clipped scores low and says clipping', () => {
  const { samples } = readWav(fixture);
  const good = detectBeats(samples, fs);
  assert.ok(good.quality.score >= 0.8, JSON.stringify(good.quality));
  let peak = 0;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  const lim = 0.05 * peak;
  const clipped = Float32Array.from(samples, (v) => Math.max(-lim, Math.min(lim, v)));
  const bad = detectBeats(clipped, fs);
  assert.ok(bad.quality.score < 0.3, JSON.stringify(bad.quality));
  assert.ok(bad.quality.reasons.some((s) => s.startsWith('clipping')));
});

test('signal type: heart sounds → pcg, seed pulses → pulse, noise → pcg (and then low quality)', () => {
  const { samples } = readWav(fixture);
  assert.equal(detectSignalType(samples, fs).signalType, 'pcg');
  const r = new FastRng(5);
  const noise = Float64Array.from({ length: n }, () => r.normal(0, 1));
  assert.equal(detectSignalType(noise, fs).signalType, 'pcg');
});

test('assessQuality: hand-made inputs', () => {
  const base = { durationS: 10, rms: 0.1, clippedFraction: 0, nBeats: 12, rrS: Array(11).fill(0.85), nCandidateIntervals: 11, contrast: 5, periodicity: 0.5 };
  assert.deepEqual(assessQuality(base), { score: 1, reasons: [] });
  assert.equal(assessQuality({ ...base, rms: 0 }).score, 0);
  const few = assessQuality({ ...base, nBeats: 2, rrS: [0.8] });
  assert.equal(few.score, 0);
  assert.match(few.reasons[0]!, /no heartbeat rhythm/);
  // half the recording covered → coverage factor (0.5 − 0.25)/(0.7 − 0.25)
  const half = assessQuality({ ...base, rrS: Array(5).fill(1), nCandidateIntervals: 5 });
  assert.ok(Math.abs(half.score - 0.25 / 0.45) < 1e-9);
  assert.deepEqual(signalLevelStats([0, 1, 1, 1, -0.5]), { rms: Math.sqrt(3.25 / 5), maxAbs: 1, clippedFraction: 0.6 });
});
