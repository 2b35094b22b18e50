/**
 * Issue 14 (throughput): the rewritten numeric kernels give bit-identical results to the
 * straightforward implementations they replaced (kept in test/reference/). Seeded synthetic
 * inputs only; never reads ../shared.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { harmonicity, heartEvidence } from '../src/hrv/gate/heartEvidence.js';
import { templateAlignedTimes } from '../src/hrv/learned/decode.js';
import { FastRng } from '../src/signal/rng.js';
import { createResampler, resample } from '../src/dsp/resample.js';
import * as resampleReference from './reference/resample.js';
import { zooSignal, ZOO_KINDS } from '../src/signal/adversaryZoo.js';
import { bandpassFiltfilt } from '../src/dsp/butterworth.js';
import { gateSignal } from '../src/hrv/gate/evidence.js';
import { gateEnvelopes } from '../src/hrv/gate/events.js';
import * as ref from './reference/heartEvidence.js';
import { templateAlignedTimesReference } from './reference/templateAlignedTimes.js';

/** A heart-like test signal: decaying 40–120 Hz bursts (S1, S2) in noise, plus an optional tone. */
function heartish(seed: number, fs: number, durationS: number, toneHz = 0): { x: Float64Array; beats: number[]; s2: number[] } {
  const rng = new FastRng(seed);
  const n = Math.round(fs * durationS);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.05 * rng.normal();
  const beats: number[] = [];
  const s2: number[] = [];
  for (let t = 0.3 + 0.2 * rng.random(); t < durationS - 0.5; t += 0.7 + 0.1 * rng.normal()) {
    beats.push(t);
    s2.push(t + 0.3);
    for (const [at, f] of [
      [t, 50 + 30 * rng.random()],
      [t + 0.3, 80 + 40 * rng.random()],
    ] as const) {
      const a = Math.round(at * fs);
      for (let k = 0; k < 0.08 * fs && a + k < n; k++) x[a + k] += Math.exp(-k / (0.02 * fs)) * Math.sin((2 * Math.PI * f * k) / fs);
    }
  }
  if (toneHz > 0) for (let i = 0; i < n; i++) x[i] += 0.3 * Math.sin((2 * Math.PI * toneHz * i) / fs);
  return { x, beats, s2 };
}

test('harmonicity (four lags per pass, early stop) equals the one-lag-at-a-time YIN reference', () => {
  let pitched = 0;
  for (const fs of [1000, 2000, 4000, 8000, 44100]) {
    for (const tone of [0, 150, 330]) {
      const { x } = heartish(fs + tone, fs, fs > 8000 ? 3 : 8, tone);
      const broad = bandpassFiltfilt(x, fs, 20, Math.min(2000, 0.45 * fs));
      const h = harmonicity(broad, fs);
      assert.equal(h, ref.harmonicity(broad, fs), `fs ${fs}, tone ${tone}`);
      if (h > 0.5) pitched++;
    }
  }
  for (const kind of ZOO_KINDS) {
    const x = Float64Array.from(zooSignal(kind, 3, { sampleRateHz: 8000, durationS: 3 }));
    assert.equal(harmonicity(x, 8000), ref.harmonicity(x, 8000), kind);
  }
  assert.ok(pitched >= 4, `the tones are found pitched (${pitched})`); // the comparison covers both outcomes
  assert.ok(Number.isNaN(harmonicity(new Float64Array(10), 4000)));
});

test('heartEvidence (lag-independent energy summed once, four lags per pass, selection medians) equals the reference', () => {
  for (const fs of [1000, 4000, 8000]) {
    for (const seed of [1, 2, 3]) {
      const { x, beats, s2 } = heartish(seed * 7 + fs, fs, 12, seed === 3 ? 200 : 0);
      const got = heartEvidence(x, fs, { beatTimesS: beats, s2TimesS: s2, rrS: [], rrStartIndex: [] } as never);
      const want = ref.heartEvidence(x, fs, { beatTimesS: beats, s2TimesS: s2, rrS: [], rrStartIndex: [] } as never);
      assert.deepEqual(got, want, `fs ${fs}, seed ${seed}`);
      assert.ok(got.nEvents > 10 && Number.isFinite(got.beatSimilarity) && Number.isFinite(got.s2Contrast));
    }
  }
});

test('templateAlignedTimes (four lags per pass) equals the one-lag-at-a-time reference', () => {
  for (const seed of [1, 2, 3, 4]) {
    const rng = new FastRng(seed);
    const fs = 1000;
    const env = new Float32Array(20 * fs);
    const times: number[] = [];
    for (let t = 0.4; t < 19.5; t += 0.8 + 0.05 * rng.normal()) times.push(t + 0.01 * rng.normal());
    for (let i = 0; i < env.length; i++) env[i] = 0.1 * Math.abs(rng.normal());
    for (const t of times) for (let k = 0; k < 60; k++) env[Math.round(t * fs) + k] += Math.exp(-k / 15) * (1 + 0.2 * rng.random());
    for (const maxLagS of [0.005, 0.02, 0.037]) {
      const got = templateAlignedTimes(times, env, fs, maxLagS);
      assert.deepEqual(got, templateAlignedTimesReference(times, env, fs, maxLagS), `seed ${seed}, lag ${maxLagS}`);
    }
  }
});


test('the gate keeps its 20 Hz broad band for the heart evidence only where it is the same filter (≤ 4444 Hz)', () => {
  for (const fs of [1000, 2000, 4000, 8000]) {
    const { x, beats, s2 } = heartish(fs, fs, 8);
    const signal = gateSignal(x, fs);
    const beatsIn = { beatTimesS: beats, s2TimesS: s2, rrS: [], rrStartIndex: [] } as never;
    if (fs <= 4000) {
      assert.deepEqual(signal.broadBand, bandpassFiltfilt(x, fs, 20, Math.min(2000, 0.45 * fs)), `fs ${fs}: the heart evidence's own broad band`);
      assert.deepEqual(heartEvidence(x, fs, beatsIn, undefined, signal.broadBand), heartEvidence(x, fs, beatsIn));
    } else {
      assert.equal(signal.broadBand, undefined, `fs ${fs}: another filter (low-pass at 2000 Hz)`);
    }
    assert.deepEqual(signal.env, gateEnvelopes(x, fs), `fs ${fs}: the envelopes do not depend on the sharing`);
  }
});

test('resampler (two outputs per pass) equals the one-output-per-pass reference, whole and streamed', () => {
  const rng = new FastRng(5);
  for (const [inHz, outHz] of [
    [4000, 1000],
    [44100, 4000],
    [48000, 4000],
    [22050, 4000],
    [11025, 1000],
    [8000, 4000],
    [1000, 4000],
    [2000, 1000],
  ] as const) {
    const x = new Float32Array(Math.round(inHz * 1.7) + 3).map(() => rng.normal());
    const got = resample(x, inHz, outHz);
    assert.deepEqual(got, resampleReference.resample(x, inHz, outHz), `${inHz} → ${outHz}`);
    // streamed in odd blocks: every push and the flush agree
    const a = createResampler(inHz, outHz);
    const b = resampleReference.createResampler(inHz, outHz);
    for (let i = 0; i < x.length; i += 997) {
      const block = x.subarray(i, Math.min(x.length, i + 997));
      assert.deepEqual(a.push(block), b.push(block), `${inHz} → ${outHz} block at ${i}`);
    }
    assert.deepEqual(a.flush(), b.flush());
  }
});
