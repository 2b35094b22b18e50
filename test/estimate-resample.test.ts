import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analysisRateFor,
  createResampler,
  decimateToMaxRate,
  designLowpass,
  FirDecimator,
  resample,
} from '../src/dsp/resample.js';

const tone = (n: number, fs: number, parts: Array<[number, number]>): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => parts.reduce((s, [f, a]) => s + a * Math.sin((2 * Math.PI * f * i) / fs), 0));

function maxDevFromIdeal(y: ArrayLike<number>, fs: number, parts: Array<[number, number]>, edge: number): number {
  let m = 0;
  for (let i = edge; i < y.length - edge; i++) {
    const want = parts.reduce((s, [f, a]) => s + a * Math.sin((2 * Math.PI * f * i) / fs), 0);
    m = Math.max(m, Math.abs(y[i]! - want));
  }
  return m;
}

test('analysis-rate policy: 500–8000 Hz as is, higher → 4000 Hz, lower rejected', () => {
  assert.equal(analysisRateFor(500), 500);
  assert.equal(analysisRateFor(4000), 4000);
  assert.equal(analysisRateFor(8000), 8000);
  assert.equal(analysisRateFor(8001), 4000);
  assert.equal(analysisRateFor(44100), 4000);
  assert.throws(() => analysisRateFor(499), /too low/);
  assert.throws(() => analysisRateFor(0), RangeError);
});

test('designLowpass: unit DC gain, symmetric, stop band ≥ 80 dB', () => {
  const h = designLowpass(1600, 6820, 44100);
  assert.equal(h.length % 2, 1);
  assert.ok(Math.abs(h.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  for (let i = 0; i < h.length; i++) assert.ok(Math.abs(h[i]! - h[h.length - 1 - i]!) < 1e-15);
  const gain = (f: number): number => {
    let re = 0;
    let im = 0;
    for (let i = 0; i < h.length; i++) {
      re += h[i]! * Math.cos((2 * Math.PI * f * i) / 44100);
      im -= h[i]! * Math.sin((2 * Math.PI * f * i) / 44100);
    }
    return Math.hypot(re, im);
  };
  assert.ok(Math.abs(gain(1000) - 1) < 1e-3);
  for (const f of [6820, 8000, 12000, 20000]) assert.ok(gain(f) < 1e-4, `gain at ${f} Hz: ${gain(f)}`);
});

test('44.1 kHz → 4 kHz: in-band tones kept, out-of-band tones (3 kHz, 15 kHz) removed', async () => {
  const fs = 44100;
  const inBand: Array<[number, number]> = [
    [100, 0.3],
    [1000, 0.2],
  ];
  const x = tone(fs * 3, fs, [...inBand, [3000, 0.2], [15000, 0.2]]);
  const y = await resample(x, fs, 4000);
  assert.equal(y.length, 12000);
  assert.ok(maxDevFromIdeal(y, 4000, inBand, 200) < 1e-3);
});

test('streaming in uneven blocks equals one call', async () => {
  const fs = 22050;
  const x = tone(fs * 2, fs, [
    [50, 0.4],
    [700, 0.3],
  ]);
  const whole = await resample(x, fs, 4000);
  const r = await createResampler(fs, 4000);
  const parts: number[] = [];
  for (let at = 0, k = 0; at < x.length; k++) {
    const n = [1, 1000, 4097, 333, 20000][k % 5]!;
    parts.push(...r.push(x.subarray(at, Math.min(x.length, at + n))));
    at += n;
  }
  parts.push(...r.flush());
  r.destroy();
  assert.equal(parts.length, whole.length);
  assert.equal(parts.length, Math.round((x.length * 4000) / fs));
  let maxDiff = 0;
  for (let i = 0; i < parts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(parts[i]! - whole[i]!));
  assert.ok(maxDiff < 1e-6, `max diff ${maxDiff}`);
});

test('FirDecimator: zero delay, ceil(n / D) outputs, block-size independent', () => {
  const h = designLowpass(100, 400, 2000);
  const x = tone(1003, 2000, [[20, 1]]);
  const a = new FirDecimator(3, h);
  const y = [...a.push(x), ...a.flush()];
  assert.equal(y.length, Math.ceil(1003 / 3));
  const b = new FirDecimator(3, h);
  const z: number[] = [];
  for (let i = 0; i < x.length; i += 7) z.push(...b.push(x.subarray(i, i + 7)));
  z.push(...b.flush());
  assert.deepEqual(z, y);
  // a 20 Hz tone passes with no delay: y[k] ≈ x[3k]
  for (let k = 40; k < y.length - 40; k++) assert.ok(Math.abs(y[k]! - x[3 * k]!) < 1e-3);
});

test('decimateToMaxRate (synchronous path of estimate): 48 kHz → 8 kHz', () => {
  const fs = 48000;
  const inBand: Array<[number, number]> = [
    [80, 0.5],
    [900, 0.2],
  ];
  const x = tone(fs, fs, [...inBand, [5000, 0.3]]); // 5 kHz would alias to 3 kHz at 8 kHz
  const d = decimateToMaxRate(x, fs);
  assert.equal(d.sampleRateHz, 8000);
  assert.equal(d.samples.length, 8000);
  assert.ok(maxDevFromIdeal(d.samples, 8000, inBand, 300) < 1e-3);
  const same = decimateToMaxRate(x.subarray(0, 100), 4000);
  assert.equal(same.sampleRateHz, 4000);
});
