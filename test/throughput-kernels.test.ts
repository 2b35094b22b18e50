/**
 * Issue 14 (throughput): the rewritten numeric kernels give bit-identical results to the
 * straightforward implementations they replaced (kept in test/reference/). Seeded synthetic
 * inputs only; never reads ../shared.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { harmonicity, heartEvidence } from '../src/hrv/gate/heartEvidence.js';
import { templateAlignedTimes } from '../src/hrv/learned/decode.js';
import { durationTables, hsmmViterbi } from '../src/hrv/learned/hsmm.js';
import * as hsmmReference from './reference/hsmm.js';
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

test('templateAlignedTimes (sliding window sums, one dot product per lag) agrees with the one-lag-at-a-time reference', () => {
  // other rounding of the normalisation (Σe² − (Σe)²/len against Σ(e − m)²): the same lags except at
  // near-ties, so at least 98 % of the times are equal and none moves by more than 2 samples
  let equal = 0;
  let total = 0;
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
      const want = templateAlignedTimesReference(times, env, fs, maxLagS);
      assert.equal(got.length, want.length);
      for (let i = 0; i < got.length; i++) {
        assert.ok(Math.abs(got[i]! - want[i]!) <= 2 / fs + 1e-9, `seed ${seed}, lag ${maxLagS}, beat ${i}: ${got[i]} vs ${want[i]}`);
        if (got[i] === want[i]) equal++;
        total++;
      }
    }
  }
  assert.ok(equal >= 0.98 * total, `${equal} of ${total} times equal`);
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

/**
 * Same length, and equal (`exact`) or equal to float32 rounding: an integer second stage (L = 1, e.g.
 * 4000 → 1000 Hz) now runs as a decimator with folded symmetric taps, which sums in another order.
 */
function assertResampled(got: Float32Array, want: Float32Array, exact: boolean, what: string): void {
  if (exact) return assert.deepEqual(got, want, what);
  assert.equal(got.length, want.length, what);
  let worst = 0;
  let peak = 0;
  for (let i = 0; i < got.length; i++) {
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    peak = Math.max(peak, Math.abs(want[i]!));
  }
  assert.ok(worst <= 1e-6 * peak, `${what}: differs by ${worst} (peak ${peak})`);
}

test('resampler (two outputs per pass; an integer second stage with folded taps) equals the reference, whole and streamed', () => {
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
    const a = createResampler(inHz, outHz);
    const exact = a.up !== 1 || a.up === a.down; // the polyphase second stage is unchanged
    assertResampled(got, resampleReference.resample(x, inHz, outHz), exact, `${inHz} → ${outHz}`);
    // streamed in odd blocks: every push and the flush agree
    const b = resampleReference.createResampler(inHz, outHz);
    for (let i = 0; i < x.length; i += 997) {
      const block = x.subarray(i, Math.min(x.length, i + 997));
      assertResampled(a.push(block), b.push(block), exact, `${inHz} → ${outHz} block at ${i}`);
    }
    assertResampled(a.flush(), b.flush(), exact, `${inHz} → ${outHz} flush`);
  }
});

/** Log emissions (log p − log prior) of synthetic segmenter posteriors of a heart at `bpm`. */
function syntheticEmissions(bpm: number, seconds: number, seed: number, confidence: number): Float64Array {
  const fps = 50;
  const rng = new FastRng(seed);
  const n = seconds * fps;
  const states = new Uint8Array(n);
  let t = Math.round(rng.uniform(0, 60 / bpm) * fps);
  states.fill(3, 0, t);
  while (t < n) {
    const T = (60 / bpm) * (1 + rng.normal(0, 0.05));
    const seq = [0.066 + 0.087 * T, 0.046 + 0.156 * T, 0.059 + 0.075 * T, 0.763 * T - 0.171].map((d) => Math.max(1, Math.round(d * fps)));
    seq.forEach((d, s) => {
      states.fill(s, Math.min(n, t), Math.min(n, t + d));
      t += d;
    });
  }
  const priors = [0.13, 0.22, 0.11, 0.54];
  const e = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    const p = [0, 1, 2, 3].map((s) => (s === states[i] ? confidence : (1 - confidence) / 3) * Math.exp(rng.normal(0, 0.5)));
    const z = p.reduce((a, b) => a + b, 0);
    for (let s = 0; s < 4; s++) e[i * 4 + s] = Math.log(p[s]! / z + 1e-5) - Math.log(priors[s]!);
  }
  return e;
}

test('hsmmViterbi (four durations per pass) gives the same path and score as the one-duration reference', () => {
  let cases = 0;
  for (const [bpm, conf, seed] of [
    [60, 0.9, 1],
    [75, 0.7, 2],
    [110, 0.5, 3],
    [150, 0.95, 4],
    [45, 0.3, 5],
  ] as const) {
    const e = syntheticEmissions(bpm, 20, seed, conf);
    const n = e.length / 4;
    for (const periodS of [0.4, 0.55, 0.8, 1.0, 1.35]) {
      for (const scale of [0.85, 1, 1.2]) {
        const tables = durationTables(periodS, 50, undefined, scale);
        for (const len of [n, 37, 3, 1]) {
          const sub = e.subarray(0, len * 4);
          const got = hsmmViterbi(sub, len, tables);
          const want = hsmmReference.hsmmViterbi(sub, len, tables);
          assert.equal(got.logScore, want.logScore, `bpm ${bpm}, period ${periodS}, scale ${scale}, n ${len}`);
          assert.deepEqual(got.states, want.states);
          cases++;
        }
      }
    }
  }
  // pure noise, ties (a constant emission), and non-finite emissions
  const rng = new FastRng(9);
  const noise = new Float64Array(800 * 4).map(() => 3 * rng.normal());
  const tables = durationTables(0.7, 50);
  assert.deepEqual(hsmmViterbi(noise, 800, tables), hsmmReference.hsmmViterbi(noise, 800, tables));
  const flat = new Float64Array(300 * 4).fill(-1);
  assert.deepEqual(hsmmViterbi(flat, 300, tables), hsmmReference.hsmmViterbi(flat, 300, tables));
  noise[444] = -Infinity;
  noise[1001] = NaN;
  assert.deepEqual(hsmmViterbi(noise, 800, tables), hsmmReference.hsmmViterbi(noise, 800, tables));
  assert.equal(cases, 300);
});
