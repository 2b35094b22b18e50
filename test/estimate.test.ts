import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '../src/signal/simulate.js';
import { FastRng } from '../src/signal/rng.js';
import { estimate, MIN_DURATION_S, SEGMENT_S, type EstimateResult } from '../src/hrv/estimate.js';
import { hrvMeasures } from '../src/hrv/measures/index.js';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';
import { writeWav } from '../src/node/files/wav.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-est-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function pulseSignal(seed: number, durationS: number, sampleRateHz = 1000, hrBpm = 72, hrvS = 0.03) {
  const [s] = simulateDataset({
    n: 1,
    seed,
    durationS,
    sampleRateHz,
    hrMinBpm: hrBpm,
    hrMaxBpm: hrBpm,
    hrvMinS: hrvS,
    hrvMaxS: hrvS,
    snrMinDb: 15,
    snrMaxDb: 15,
  });
  return s!;
}

/** Every number in the result is finite or null: no NaN / Infinity anywhere. */
function assertNoNaN(value: unknown, path = 'result'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    Array.from(value as ArrayLike<unknown>).forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
}

test('seed-style pulse signal: beats, HR and SDNN match the truth', async () => {
  const s = pulseSignal(7, 30);
  const r = await estimate(s.samples, 1000);
  assert.equal(r.method, 'classical');
  assert.equal(r.signalType, 'pulse');
  assert.equal(r.trusted, true);
  assert.equal(r.beatTimesS.length, s.nBeats);
  for (let i = 0; i < s.nBeats; i++) assert.ok(Math.abs(r.beatTimesS[i]! - s.beatTimesS[i]!) < 0.002, `beat ${i}`);
  assert.ok(Math.abs(r.heartRateBpm! - s.hrBpm) < 0.5, `HR ${r.heartRateBpm} vs ${s.hrBpm}`);
  assert.ok(Math.abs(r.sdnnMs! - s.hrvS * 1000) < 1, `SDNN ${r.sdnnMs} vs ${s.hrvS * 1000}`);
  assert.ok(r.quality.score > 0.7);
  assert.equal(r.durationS, 30);
  assert.equal(r.sampleRateHz, 1000);
  assert.equal(r.analysisRateHz, 1000);
  assertNoNaN(r);
  // the measures are hrvMeasures of the reported intervals
  const m = hrvMeasures(r.rrS);
  assert.equal(r.rmssdMs, m.rmssdMs);
  assert.equal(r.sd1Ms, m.sd1Ms);
});

test('convention option switches the definitions', async () => {
  const s = pulseSignal(11, 20);
  const hp = await estimate(s.samples, 1000, { signal: 'pulse' });
  const nk = await estimate(s.samples, 1000, { signal: 'pulse', convention: 'neurokit' });
  assert.equal(nk.convention, 'neurokit');
  assert.deepEqual(nk.rrS, hp.rrS);
  const want = hrvMeasures(hp.rrS, 'neurokit');
  assert.equal(nk.pnn20, want.pnn20);
  assert.equal(nk.sdnnMs, want.sdnnMs);
  assert.ok(nk.sdnnMs! > hp.sdnnMs!); // ddof 1 > ddof 0
});

test('windows: whole windows every hop, HR per window near the truth', async () => {
  const s = pulseSignal(3, 30);
  const r = await estimate(s.samples, 1000, { windowS: 10, hopS: 5 });
  assert.deepEqual(
    r.windows!.map((w) => [w.startS, w.endS]),
    [
      [0, 10],
      [5, 15],
      [10, 20],
      [15, 25],
      [20, 30],
    ],
  );
  for (const w of r.windows!) {
    const truth = s.beatTimesS.filter((t) => t >= w.startS && t < w.endS).length;
    assert.equal(w.nBeats, truth);
    assert.ok(w.heartRateBpm !== null && Math.abs(w.heartRateBpm - 72) < 8, `window HR ${w.heartRateBpm}`);
    assert.ok(w.quality > 0 && w.quality <= 1);
  }
  const one = await estimate(s.samples.subarray(0, 8000), 1000, { windowS: 10 });
  assert.deepEqual(one.windows!.map((w) => [w.startS, w.endS]), [[0, 8]]);
});

test('silence and noise: no heart rate, low quality, no NaN', async () => {
  const silent = await estimate(new Float32Array(8000), 1000, { windowS: 4 });
  assert.equal(silent.heartRateBpm, null);
  assert.equal(silent.sdnnMs, null);
  assert.equal(silent.trusted, false);
  assert.equal(silent.quality.score, 0);
  assert.ok(silent.quality.reasons.length > 0);
  assertNoNaN(silent);
  const rng = new FastRng(5);
  const noise = Float64Array.from({ length: 40000 }, () => rng.normal(0, 0.1));
  const n = await estimate(noise, 4000, { windowS: 5 });
  assert.equal(n.trusted, false);
  assert.equal(n.heartRateBpm, null);
  assert.ok(n.quality.score < 0.2);
  for (const w of n.windows!) assert.equal(w.heartRateBpm, null);
  assertNoNaN(n);
});

test('bad input: too short, too low a rate, bad options', async () => {
  await assert.rejects(() => estimate(new Float32Array(2000), 1000), (e: unknown) => e instanceof RangeError && /too short/.test(e.message));
  await assert.rejects(() => estimate(new Float32Array(4000), 400), (e: unknown) => e instanceof RangeError && /too low/.test(e.message));
  await assert.rejects(() => estimate(new Float32Array(4000), NaN), RangeError);
  await assert.rejects(() => estimate(new Float32Array(5000), 1000, { windowS: -1 }), RangeError);
  await assert.rejects(() => estimate(new Float32Array(5000), 1000, { signal: 'ecg' as never }), RangeError);
  await assert.rejects(() => estimate(new Float32Array(5000), 1000, { convention: 'kubios' as never }), RangeError);
  assert.equal(MIN_DURATION_S, 3);
});

test('44.1 kHz: array and file are resampled alike to 4000 Hz and match the truth', async () => {
  const s = pulseSignal(21, 12, 44100, 80, 0.02);
  const a = await estimate(Float32Array.from(s.samples), 44100);
  assert.equal(a.sampleRateHz, 44100);
  assert.equal(a.analysisRateHz, 4000);
  const path = join(tmp, 'p44.wav');
  writeWav(path, s.samples, 44100, { format: 'float32' });
  const f = await estimateFile(path);
  assert.equal(f.analysisRateHz, 4000);
  assert.equal(f.source.sampleRateHz, 44100);
  assert.equal(f.source.format, 'float 32-bit');
  assert.deepEqual(f.beatTimesS, a.beatTimesS);
  for (const r of [a, f] as EstimateResult[]) {
    assert.equal(r.beatTimesS.length, s.nBeats);
    assert.ok(Math.abs(r.heartRateBpm! - s.hrBpm) < 0.5, `HR ${r.heartRateBpm} vs ${s.hrBpm}`);
    assert.ok(Math.abs(r.sdnnMs! - s.hrvS * 1000) < 1.5, `SDNN ${r.sdnnMs} vs ${s.hrvS * 1000}`);
  }
});

test('estimateFile: stereo 16-bit file with the signal in one channel', async () => {
  const s = pulseSignal(4, 15, 2000);
  const path = join(tmp, 'stereo.wav');
  const peak = Math.max(...Array.from(s.samples, Math.abs));
  const left = Float64Array.from(s.samples, (v) => (0.9 * v) / peak);
  writeWav(path, [left, new Float64Array(left.length)], 2000);
  const f = await estimateFile(path, { windowS: 5 });
  assert.equal(f.source.channels, 2);
  assert.equal(f.analysisRateHz, 2000);
  assert.equal(f.beatTimesS.length, s.nBeats);
  assert.ok(Math.abs(f.heartRateBpm! - s.hrBpm) < 0.5);
  assert.equal(f.windows!.length, 3);
  await assert.rejects(estimateFile(join(tmp, 'missing.wav')), /no such file/);
});

test('long recordings are detected in segments: no beat lost or doubled at the joins', async () => {
  const s = pulseSignal(13, SEGMENT_S * 2 + 100, 500, 75, 0.02);
  const r = await estimate(s.samples, 500, { returnEnvelope: true });
  assert.equal(r.beatTimesS.length, s.nBeats);
  for (let i = 0; i < s.nBeats; i++) assert.ok(Math.abs(r.beatTimesS[i]! - s.beatTimesS[i]!) < 0.004, `beat ${i}`);
  // intervals across the joins (300 s, 600 s) are kept
  assert.ok(r.rrS.length >= s.nBeats - 3, `${r.rrS.length} intervals for ${s.nBeats} beats`);
  assert.ok(Math.abs(r.heartRateBpm! - s.hrBpm) < 0.2);
  assert.ok(Math.abs(r.sdnnMs! - s.hrvS * 1000) < 1);
  assert.equal(r.signalType, 'pulse');
  assert.ok(r.envelope && Math.abs(r.envelope.values.length / r.envelope.sampleRateHz - r.durationS) < 0.1);
});
