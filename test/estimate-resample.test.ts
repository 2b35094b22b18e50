import { test } from 'node:test';
import assert from 'node:assert/strict';
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import {
  analysisRateFor,
  createResampler,
  designLowpass,
  FirDecimator,
  RationalResampler,
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

test('44.1 kHz → 4 kHz: in-band tones kept, out-of-band tones (3 kHz, 15 kHz) removed', () => {
  const fs = 44100;
  const inBand: Array<[number, number]> = [
    [100, 0.3],
    [1000, 0.2],
  ];
  const x = tone(fs * 3, fs, [...inBand, [3000, 0.2], [15000, 0.2]]);
  const y = resample(x, fs, 4000);
  assert.equal(y.length, 12000);
  assert.ok(maxDevFromIdeal(y, 4000, inBand, 200) < 1e-3);
  // a tone that would alias into the pass band (5 kHz → 1 kHz at 4 kHz) is gone (≤ −70 dB)
  const alias = resample(tone(fs * 2, fs, [[5000, 1]]), fs, 4000);
  let peak = 0;
  for (let i = 400; i < alias.length - 400; i++) peak = Math.max(peak, Math.abs(alias[i]!));
  assert.ok(peak < 3e-4, `aliased residue ${peak}`);
});

test('streaming in uneven blocks equals one call', () => {
  const fs = 22050;
  const x = tone(fs * 2, fs, [
    [50, 0.4],
    [700, 0.3],
  ]);
  const whole = resample(x, fs, 4000);
  const r = createResampler(fs, 4000);
  const parts: number[] = [];
  for (let at = 0, k = 0; at < x.length; k++) {
    const n = [1, 1000, 4097, 333, 20000][k % 5]!;
    parts.push(...r.push(x.subarray(at, Math.min(x.length, at + n))));
    at += n;
  }
  parts.push(...r.flush());
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

for (const [fromHz, toHz] of [
  [48000, 4000],
  [22050, 4000],
  [11025, 4000],
  [96000, 4000],
  [16000, 4000],
  [8001, 4000],
  [4000, 1000],
  [1000, 4000],
] as const) {
  test(`${fromHz} → ${toHz} Hz: length, in-band accuracy, zero delay`, () => {
    const band = Math.min(fromHz, toHz); // pass band: 0 … 0.3·min(from, to)
    const parts: Array<[number, number]> = [
      [band * 0.02, 0.5],
      [band * 0.28, 0.3],
    ];
    const n = fromHz * 2;
    const y = resample(tone(n, fromHz, parts), fromHz, toHz);
    assert.equal(y.length, Math.round((n * toHz) / fromHz));
    assert.ok(maxDevFromIdeal(y, toHz, parts, Math.round(toHz * 0.1)) < 1e-3);
  });
}

test('agrees with libsamplerate (SRC_SINC_BEST_QUALITY) on a band-limited signal', async () => {
  const fs = 44100;
  // band-limited noise-like signal: 40 random-phase tones below 1000 Hz
  const parts: Array<[number, number]> = Array.from({ length: 40 }, (_, k) => [20 + k * 24.3, 0.02 + 0.01 * Math.cos(k)]);
  const x = tone(fs * 2, fs, parts);
  const ours = resample(x, fs, 4000);
  const src = await libsamplerate.create(1, fs, 4000, { converterType: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY });
  const ref = src.simple(x);
  src.destroy();
  let maxDiff = 0;
  for (let i = 400; i < Math.min(ours.length, ref.length) - 400; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - ref[i]!));
  assert.ok(maxDiff < 1e-3, `max |ours − libsamplerate| = ${maxDiff}`);
});

test('RationalResampler: block-size independent', () => {
  const h = designLowpass(300, 700, 2000 * 2, 80);
  const x = tone(3001, 2000, [[40, 1]]);
  const a = new RationalResampler(2, 3, h);
  const y = [...a.push(x), ...a.flush()];
  assert.equal(y.length, Math.ceil((3001 * 2) / 3));
  const b = new RationalResampler(2, 3, h);
  const z: number[] = [];
  for (let i = 0; i < x.length; i += 5) z.push(...b.push(x.subarray(i, i + 5)));
  z.push(...b.flush());
  assert.deepEqual(z, y);
  assert.throws(() => createResampler(44100.5, 4000), RangeError);
});
