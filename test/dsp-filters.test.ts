import { test } from 'node:test';
import assert from 'node:assert/strict';
import { butterworth, sosFiltfilt, sosMagnitude, bandpassFiltfilt } from '../src/dsp/butterworth.js';
import { energyEnvelope } from '../src/dsp/envelope.js';
import { autocorrelation } from '../src/dsp/autocorrelation.js';
import { findPeaks } from '../src/dsp/peaks.js';

const sine = (f: number, fs: number, n: number, a = 1): Float64Array => Float64Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / fs));
const rms = (x: ArrayLike<number>, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (to - from));
};

test('Butterworth: −3 dB at the cutoff, unity in the passband, order-N roll-off', () => {
  const fs = 4000;
  for (const order of [2, 4, 6]) {
    const lp = butterworth('lowpass', order, 400, fs);
    assert.equal(lp.length, order / 2);
    assert.ok(Math.abs(sosMagnitude(lp, 400, fs) - Math.SQRT1_2) < 1e-9);
    assert.ok(Math.abs(sosMagnitude(lp, 1, fs) - 1) < 1e-6);
    const hp = butterworth('highpass', order, 25, fs);
    assert.ok(Math.abs(sosMagnitude(hp, 25, fs) - Math.SQRT1_2) < 1e-9);
    assert.ok(Math.abs(sosMagnitude(hp, 1999, fs) - 1) < 1e-6);
  }
  // analog Butterworth: |H(2·fc)| ≈ 1/sqrt(1 + 2^(2N)) well below Nyquist (bilinear warping is small here)
  const lp4 = butterworth('lowpass', 4, 100, 8000);
  assert.ok(Math.abs(sosMagnitude(lp4, 200, 8000) - 1 / Math.sqrt(1 + 2 ** 8)) < 2e-3);
});

test('Butterworth design rejects bad arguments', () => {
  assert.throws(() => butterworth('lowpass', 3, 100, 1000), RangeError);
  assert.throws(() => butterworth('lowpass', 4, 600, 1000), RangeError);
  assert.throws(() => butterworth('highpass', 4, 0, 1000), RangeError);
});

test('zero-phase band-pass keeps an in-band sine (no delay) and removes out-of-band ones', () => {
  const fs = 4000;
  const n = 8000;
  const inBand = sine(100, fs, n);
  const y = bandpassFiltfilt(inBand, fs, 25, 400);
  // amplitude within 1 % and no phase shift in the middle part
  assert.ok(Math.abs(rms(y, 2000, 6000) - rms(inBand, 2000, 6000)) < 0.01 * rms(inBand, 2000, 6000));
  let maxDiff = 0;
  for (let i = 2000; i < 6000; i++) maxDiff = Math.max(maxDiff, Math.abs(y[i]! - inBand[i]!));
  assert.ok(maxDiff < 0.03, `max deviation ${maxDiff}`);
  assert.ok(rms(bandpassFiltfilt(sine(5, fs, n), fs, 25, 400), 2000, 6000) < 0.01);
  assert.ok(rms(bandpassFiltfilt(sine(1500, fs, n), fs, 25, 400), 2000, 6000) < 0.01);
  // empty and one-sample inputs
  assert.equal(sosFiltfilt(new Float64Array(0), butterworth('lowpass', 2, 10, 100)).length, 0);
  assert.equal(bandpassFiltfilt([1], fs, 25, 400).length, 1);
});

test('energy envelope: RMS level of a burst, decimated to ≈250 Hz', () => {
  const fs = 4000;
  const x = new Float64Array(fs); // 1 s
  for (let i = 1600; i < 2400; i++) x[i] = Math.sin((2 * Math.PI * 100 * i) / fs); // 0.4–0.6 s burst, RMS 1/√2
  const env = energyEnvelope(x, fs);
  assert.equal(env.factor, 16);
  assert.equal(env.sampleRateHz, 250);
  assert.equal(env.values.length, 250);
  const mid = env.values[125]!;
  assert.ok(Math.abs(mid - Math.SQRT1_2) < 0.05, `mid ${mid}`);
  assert.ok(env.values[20]! < 0.01 && env.values[230]! < 0.01);
});

test('autocorrelation: 1 at lag 0 and the period of a pulse train is its largest non-zero-lag peak', () => {
  const x = new Float64Array(1000);
  for (let i = 0; i < 1000; i += 37) x[i] = 1;
  const r = autocorrelation(x, 100);
  assert.ok(Math.abs(r[0]! - 1) < 1e-12);
  let best = 1;
  for (let k = 2; k <= 100; k++) if (r[k]! > r[best]!) best = k;
  assert.equal(best, 37);
  assert.deepEqual(Array.from(autocorrelation(new Float64Array(10).fill(3), 4)), [0, 0, 0, 0, 0]);
});

test('findPeaks: local maxima, plateaus, height and distance', () => {
  const x = [0, 2, 1, 3, 3, 1, 5, 0, 4, 0];
  assert.deepEqual(findPeaks(x), [1, 3, 6, 8]);
  assert.deepEqual(findPeaks(x, { minHeight: 3.5 }), [6, 8]);
  assert.deepEqual(findPeaks(x, { minDistance: 3 }), [3, 6]);
  assert.deepEqual(findPeaks([]), []);
});

test('slidingCorrelation: FFT blocks equal the direct sums (short and long templates, ragged end)', async () => {
  const { slidingCorrelation } = await import('../src/dsp/correlate.js');
  let s = 3;
  const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  for (const [n, L] of [[5000, 200], [3001, 33], [100, 300], [777, 8]] as const) {
    const x = Float64Array.from({ length: n }, rnd);
    const g = Float64Array.from({ length: L }, rnd);
    const c = slidingCorrelation(x, g);
    assert.equal(c.length, n);
    let maxErr = 0;
    for (let k = 0; k < n; k++) {
      let acc = 0;
      for (let i = 0; i < L && k + i < n; i++) acc += x[k + i]! * g[i]!;
      maxErr = Math.max(maxErr, Math.abs(acc - c[k]!));
    }
    assert.ok(maxErr < 1e-9, `n=${n} L=${L}: ${maxErr}`);
  }
});

test('sosFiltfilt (sections fused four/two per loop) equals one biquad at a time, bit for bit', () => {
  type Q = { b0: number; b1: number; b2: number; a1: number; a2: number };
  const one = (x: Float64Array, q: Q, back: boolean): void => {
    const { b0, b1, b2, a1, a2 } = q;
    const n = x.length;
    const x0 = back ? x[n - 1]! : x[0]!;
    const y0 = x0 * ((b0 + b1 + b2) / (1 + a1 + a2));
    let z1 = y0 - b0 * x0;
    let z2 = b2 * x0 - a2 * y0;
    for (let k = 0; k < n; k++) {
      const i = back ? n - 1 - k : k;
      const xn = x[i]!;
      const yn = b0 * xn + z1;
      z1 = b1 * xn - a1 * yn + z2;
      z2 = b2 * xn - a2 * yn;
      x[i] = yn;
    }
  };
  const n = 5000;
  let seed = 5;
  const x = Float64Array.from({ length: n }, () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  });
  const pad = 300;
  for (const sections of [
    butterworth('lowpass', 2, 100, 1000),
    butterworth('highpass', 4, 20, 4000),
    [...butterworth('highpass', 4, 20, 4000), ...butterworth('lowpass', 4, 200, 4000)],
    [...butterworth('highpass', 6, 25, 1000), ...butterworth('lowpass', 4, 400, 1000)],
    [...butterworth('highpass', 8, 25, 1000), ...butterworth('lowpass', 4, 400, 1000)],
  ]) {
    const ext = new Float64Array(n + 2 * pad);
    for (let i = 0; i < pad; i++) ext[i] = 2 * x[0]! - x[pad - i]!;
    ext.set(x, pad);
    for (let i = 0; i < pad; i++) ext[pad + n + i] = 2 * x[n - 1]! - x[n - 2 - i]!;
    for (const q of sections) one(ext, q, false);
    for (const q of sections) one(ext, q, true);
    assert.deepEqual(Array.from(sosFiltfilt(x, sections, pad)), Array.from(ext.subarray(pad, pad + n)), `${sections.length} sections`);
  }
});
