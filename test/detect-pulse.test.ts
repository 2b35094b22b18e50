import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectBeats } from '../src/hrv/classical/detectBeats.js';
import { simulateDataset } from '../src/signal/simulate.js';

test('hand-made pulse train: every half-Gaussian onset found on its sample', () => {
  const fs = 1000;
  const x = new Float64Array(5000);
  const onsets = [0, 812, 1650, 2437, 3301, 4150, 4980];
  const widthsS = [0.03, 0.07, 0.05, 0.04, 0.06, 0.035, 0.05];
  onsets.forEach((k, b) => {
    const w = fs * (widthsS[b]! / 6);
    for (let i = 0; i < Math.trunc(widthsS[b]! * fs) && k + i < x.length; i++) x[k + i] += Math.exp(-((i / w) ** 2));
  });
  const r = detectBeats(x, fs, { signal: 'pulse' });
  assert.deepEqual(r.beatTimesS.map((t) => Math.round(t * fs)), onsets);
  assert.equal(r.signalType, 'pulse');
  // all six intervals are kept, in order
  assert.deepEqual(r.rrS.map((v) => Math.round(v * fs)), onsets.slice(1).map((k, i) => k - onsets[i]!));
  assert.ok(r.quality.score > 0.9, JSON.stringify(r.quality));
});

test('seed signals (5–25 dB SNR): every beat on the right sample, HRV error ≈ quantisation', () => {
  const sims = simulateDataset({ n: 60, seed: 11 });
  let beats = 0;
  let hrvErrSum = 0;
  for (const s of sims) {
    const r = detectBeats(s.samples, 1000); // auto must say pulse
    assert.equal(r.signalType, 'pulse');
    const truth = s.beatTimesS.map((t) => Math.trunc(t * 1000));
    assert.deepEqual(r.beatTimesS.map((t) => Math.round(t * 1000)), truth, `snr ${s.snrDb}`);
    beats += truth.length;
    // population SD of the detected RR vs the seed's label
    const rr = r.rrS;
    if (rr.length === truth.length - 1 && rr.length > 0) {
      const m = rr.reduce((a, b) => a + b, 0) / rr.length;
      const sd = Math.sqrt(rr.reduce((a, b) => a + (b - m) ** 2, 0) / rr.length);
      hrvErrSum += Math.abs(sd - s.hrvS);
    }
    for (const v of [...r.beatTimesS, ...r.rrS, r.quality.score]) assert.ok(Number.isFinite(v));
  }
  assert.ok(beats > 300);
  const hrvMaeMs = (hrvErrSum / sims.length) * 1000;
  assert.ok(hrvMaeMs < 0.4, `HRV MAE ${hrvMaeMs} ms`);
});

test('pulse signals at other sample rates (500 Hz, 4 kHz) are located to the sample', () => {
  for (const fs of [500, 4000]) {
    const sims = simulateDataset({ n: 5, seed: 3, sampleRateHz: fs });
    for (const s of sims) {
      const r = detectBeats(s.samples, fs, { signal: 'auto' });
      assert.equal(r.signalType, 'pulse');
      assert.deepEqual(r.beatTimesS.map((t) => Math.round(t * fs)), s.beatTimesS.map((t) => Math.trunc(t * fs)));
    }
  }
});
