import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSpectrogramPlan, spectrogram, spectrogramBatch, toDecibels, type SpectrogramOptions } from '../src/dsp/spectrogram.js';
import { getWindow } from '../src/dsp/windows.js';
import { readNpy } from '../src/node/files/npy.js';

const FIX = new URL('../fixtures/numpy/', import.meta.url);
const fixturePath = (name: string): string => new URL(name, FIX).pathname;
interface SpecCase {
  name: string;
  options: SpectrogramOptions;
  shape: number[];
  freqsHz: number[];
  timesS: number[];
}
const cases = (JSON.parse(readFileSync(fixturePath('spec_cases.json'), 'utf8')) as { cases: SpecCase[] }).cases;

for (const c of cases) {
  test(`spectrogram matches scipy.signal.spectrogram to ≤ 1e-6 relative error (${c.name})`, () => {
    const x = readNpy(fixturePath(`spec_${c.name}_x.npy`)).data;
    const ref = readNpy(fixturePath(`spec_${c.name}_sxx.npy`));
    const r = spectrogram(x, c.options);
    assert.deepEqual([r.nFreq, r.nTime], c.shape);
    assert.deepEqual(ref.shape, c.shape);
    let worst = 0;
    let peak = 0;
    for (let i = 0; i < ref.data.length; i++) peak = Math.max(peak, ref.data[i]);
    for (let i = 0; i < ref.data.length; i++) {
      // relative to the value, with a floor far below the peak for bins that are ~0 (e.g. DC after detrend)
      const denom = Math.max(Math.abs(ref.data[i]), peak * 1e-12);
      worst = Math.max(worst, Math.abs(r.sxx[i] - ref.data[i]) / denom);
    }
    assert.ok(worst <= 1e-6, `max relative error ${worst}`);
    c.freqsHz.forEach((f, k) => assert.ok(Math.abs(r.freqsHz[k] - f) <= 1e-9 * Math.max(1, f)));
    c.timesS.forEach((t, k) => assert.ok(Math.abs(r.timesS[k] - t) <= 1e-12 * Math.max(1, t)));
  });
}

test('the seed settings give 129 × 38 for a 5 s signal at 1000 Hz', () => {
  const plan = createSpectrogramPlan(5000);
  assert.equal(plan.nFreq, 129);
  assert.equal(plan.nTime, 38);
  assert.deepEqual(plan.options, {
    sampleRateHz: 1000, nperseg: 256, noverlap: 128, nfft: 256, window: 'tukey', tukeyAlpha: 0.25, detrend: 'constant', scaling: 'density',
  });
});

test('windows are periodic (scipy get_window fftbins=True): symmetric M+1 with the last point dropped', () => {
  for (const name of ['tukey', 'hann', 'hamming'] as const) {
    const p = getWindow(name, 256);
    const s = getWindow(name, 257, { periodic: false });
    for (let i = 0; i < 256; i++) assert.ok(Math.abs(p[i] - s[i]) < 1e-15, `${name}[${i}]`);
    for (let i = 0; i < 257; i++) assert.ok(Math.abs(s[i] - s[256 - i]) < 1e-12, `${name} symmetric`);
  }
  const t = getWindow('tukey', 256);
  assert.equal(t[0], 0);
  assert.equal(t[128], 1);
  assert.deepEqual(Array.from(getWindow('boxcar', 4)), [1, 1, 1, 1]);
  assert.throws(() => getWindow('tukey', 8, { tukeyAlpha: 1.5 }), RangeError);
  assert.throws(() => getWindow('kaiser' as never, 8), RangeError);
});

test('density scaling integrates to the signal variance (Parseval), spectrum scaling gives the sine power', () => {
  const fs = 1000;
  const n = 5000;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 125 * i) / fs));
  // 125 Hz falls exactly on bin 32 (fs/nfft = 3.90625 Hz)
  const box = spectrogram(x, { window: 'boxcar', scaling: 'spectrum' });
  const k = 32;
  for (let t = 0; t < box.nTime; t++) assert.ok(Math.abs(box.sxx[k * box.nTime + t] - 0.5) < 1e-9, 'sine of amplitude 1 → 0.5 V² in its bin');
  const dens = spectrogram(x, { window: 'boxcar' });
  let total = 0;
  for (let f = 0; f < dens.nFreq; f++) total += dens.sxx[f * dens.nTime] * (fs / 256);
  assert.ok(Math.abs(total - 0.5) < 1e-9, `integrated PSD ${total}`);
});

test('constant detrend removes DC: a constant signal has zero power', () => {
  const r = spectrogram(new Float64Array(1000).fill(3.5));
  assert.ok(r.sxx.every((v) => Math.abs(v) < 1e-25));
  const raw = spectrogram(new Float64Array(1000).fill(3.5), { detrend: false });
  assert.ok(raw.sxx[0] > 1);
});

test('invalid spectrogram options throw RangeError', () => {
  assert.throws(() => spectrogram(new Float64Array(1000), { noverlap: 256 }), /noverlap/);
  assert.throws(() => spectrogram(new Float64Array(1000), { nfft: 128 }), /nfft/);
  assert.throws(() => spectrogram(new Float64Array(1000), { sampleRateHz: -1 }), /sampleRateHz/);
  assert.throws(() => spectrogram(new Float64Array(1000), { window: new Float64Array(10) }), /window/);
  assert.throws(() => spectrogram(new Float64Array(0)), RangeError);
  assert.throws(() => spectrogram(new Float64Array(1000), { scaling: 'x' as never }), /scaling/);
  assert.throws(() => createSpectrogramPlan(1000).compute(new Float64Array(999)), /samples/);
});

test('spectrogramBatch equals per-signal spectrograms (float32), and the dB view is 10·log10', () => {
  const n = 3;
  const s = 1200;
  const sig = Float64Array.from({ length: n * s }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011 * (1 + (i % 7))));
  const b = spectrogramBatch(sig, n, s);
  const size = b.nFreq * b.nTime;
  for (let i = 0; i < n; i++) {
    const one = spectrogram(sig.subarray(i * s, (i + 1) * s));
    for (let j = 0; j < size; j++) assert.equal(b.data[i * size + j], Math.fround(one.sxx[j]));
  }
  const db = spectrogramBatch(sig, n, s, {}, { scale: 'db' });
  for (let j = 0; j < size; j++) assert.ok(Math.abs(db.data[j] - 10 * Math.log10(Math.max(b.data[j], 1e-20))) < 1e-3);
  const d = toDecibels(new Float64Array([1, 100, 0]), 1e-10);
  assert.deepEqual(Array.from(d), [0, 20, -100]);
  assert.throws(() => spectrogramBatch(sig, n, s + 1), RangeError);
});
