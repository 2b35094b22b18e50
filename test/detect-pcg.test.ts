import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation } from '../src/hrv/validate/segmentation.js';
import { referenceFromSegments } from '../src/hrv/validate/reference.js';
import { detectBeats } from '../src/hrv/classical/detectBeats.js';
import { scoreRecording, type RecordingScore } from '../src/hrv/validate/score.js';
import { summarizeScores } from '../src/hrv/validate/summary.js';

const dir = fileURLToPath(new URL('../fixtures/pcg/', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.wav'))
  .map((f) => f.slice(0, -4))
  .sort();

test('fixtures are present (4 CirCor recordings with annotations)', () => {
  assert.equal(names.length, 4);
});

test('real heart sounds: HR within 2 bpm, S1 sensitivity/PPV ≥ 0.9 per recording, auto → pcg', () => {
  const rows: RecordingScore[] = [];
  for (const name of names) {
    const audio = readWav(`${dir}${name}.wav`);
    const segments = parseSegmentation(readFileSync(`${dir}${name}.tsv`, 'utf8'), name);
    const r = detectBeats(audio.samples, audio.sampleRateHz, { returnEnvelope: true });
    assert.equal(r.signalType, 'pcg', name);
    assert.ok(r.quality.score >= 0.5, `${name}: quality ${JSON.stringify(r.quality)}`);
    assert.ok(r.envelope && r.envelope.values.length > 0 && r.envelope.sampleRateHz > 100);
    assert.ok(r.s2TimesS && r.s2TimesS.length > 0.7 * r.beatTimesS.length, `${name}: S2 found`);
    assert.ok(r.periodS !== null && r.periodS > 0.3 && r.periodS < 1.2);
    const row = scoreRecording(name, referenceFromSegments(segments), r);
    rows.push(row);
    assert.ok(Math.abs(row.hrErrorBpm!) <= 2, `${name}: HR error ${row.hrErrorBpm}`);
    assert.ok(row.beats100.sensitivity! >= 0.9 && row.beats100.ppv! >= 0.85, `${name}: ${JSON.stringify(row.beats100)}`);
  }
  const s = summarizeScores(rows);
  assert.ok(s.beats100.sensitivity! >= 0.95 && s.beats100.ppv! >= 0.95, JSON.stringify(s));
  assert.ok(s.sdnn.mae! <= 8, `SDNN MAE ${s.sdnn.mae}`);
  assert.ok(s.rmssd.mae! <= 15, `RMSSD MAE ${s.rmssd.mae}`);
});

test('the same recording resampled to 2 kHz and 8 kHz (linear) gives the same heart rate', () => {
  const audio = readWav(`${dir}${names[0]}.wav`);
  const base = detectBeats(audio.samples, 4000, { signal: 'pcg' });
  const hr = (rr: number[]): number => 60 / (rr.reduce((a, b) => a + b, 0) / rr.length);
  for (const fs of [2000, 8000]) {
    const n = Math.floor((audio.samples.length * fs) / 4000);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const p = (i * 4000) / fs;
      const k = Math.floor(p);
      const f = p - k;
      y[i] = (1 - f) * audio.samples[k]! + f * (audio.samples[Math.min(k + 1, audio.samples.length - 1)] ?? 0);
    }
    const r = detectBeats(y, fs, { signal: 'pcg' });
    assert.ok(Math.abs(hr(r.rrS) - hr(base.rrS)) < 1, `fs ${fs}: ${hr(r.rrS)} vs ${hr(base.rrS)}`);
  }
});

test('synthetic heart sounds (hand-checkable): S1 = 120 ms 50 Hz burst, S2 = 80 ms 110 Hz burst 300 ms later', () => {
  const fs = 4000;
  const rrS = [0.8, 0.82, 0.78, 0.85, 0.8, 0.76, 0.79, 0.83, 0.81, 0.8, 0.78, 0.84, 0.8, 0.82, 0.79, 0.8, 0.81, 0.77, 0.83, 0.8];
  const s1 = [0.5];
  for (const r of rrS) s1.push(s1[s1.length - 1]! + r);
  const x = new Float64Array(Math.ceil((s1[s1.length - 1]! + 0.6) * fs));
  let seed = 1;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (let i = 0; i < x.length; i++) x[i] = 0.01 * noise();
  const burst = (t0: number, durS: number, fHz: number, amp: number): void => {
    const n = Math.round(durS * fs);
    for (let i = 0; i < n; i++) x[Math.round(t0 * fs) + i] += amp * Math.sin((Math.PI * i) / n) ** 2 * Math.sin((2 * Math.PI * fHz * i) / fs);
  };
  for (const t of s1) {
    burst(t, 0.12, 50, 1);
    burst(t + 0.3, 0.08, 110, 0.8);
  }
  const r = detectBeats(x, fs, { signal: 'pcg' });
  assert.equal(r.beatTimesS.length, s1.length);
  // the beat time is an onset estimate: within 30 ms of the true burst start, never the S2
  r.beatTimesS.forEach((t, i) => assert.ok(Math.abs(t - s1[i]!) < 0.03, `beat ${i}: ${t} vs ${s1[i]}`));
  assert.equal(r.s2TimesS!.length, s1.length);
  r.s2TimesS!.forEach((t, i) => assert.ok(Math.abs(t - (s1[i]! + 0.3)) < 0.03));
  assert.equal(r.rrS.length, rrS.length);
  r.rrS.forEach((v, i) => assert.ok(Math.abs(v - rrS[i]!) < 0.005, `rr ${i}: ${v} vs ${rrS[i]}`));
  assert.ok(Math.abs(r.periodS! - 0.8) < 0.05);
  assert.ok(r.quality.score > 0.9, JSON.stringify(r.quality));
});

test('an inaudible S1 between two heard S2s is inferred one systole before its S2; the intervals stay', () => {
  const fs = 4000;
  const rrS = [0.8, 0.82, 0.78, 0.85, 0.8, 0.76, 0.79, 0.83, 0.81, 0.8, 0.78, 0.84, 0.8, 0.82, 0.79, 0.8, 0.81, 0.77, 0.83, 0.8];
  const s1 = [0.5];
  for (const r of rrS) s1.push(s1[s1.length - 1]! + r);
  const x = new Float64Array(Math.ceil((s1[s1.length - 1]! + 0.6) * fs));
  let seed = 7;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (let i = 0; i < x.length; i++) x[i] = 0.01 * noise();
  const burst = (t0: number, durS: number, fHz: number, amp: number): void => {
    const n = Math.round(durS * fs);
    for (let i = 0; i < n; i++) x[Math.round(t0 * fs) + i] += amp * Math.sin((Math.PI * i) / n) ** 2 * Math.sin((2 * Math.PI * fHz * i) / fs);
  };
  const silent = new Set([6, 13]); // these S1s are not heard at all
  s1.forEach((t, i) => {
    if (!silent.has(i)) burst(t, 0.12, 50, 1);
    burst(t + 0.3, 0.08, 110, 0.8);
  });
  const r = detectBeats(x, fs, { signal: 'pcg' });
  assert.equal(r.beatTimesS.length, s1.length);
  r.beatTimesS.forEach((t, i) => assert.ok(Math.abs(t - s1[i]!) < 0.03, `beat ${i}: ${t} vs ${s1[i]}`));
  assert.equal(r.rrS.length, rrS.length); // no interval lost around the inferred beats
  r.rrS.forEach((v, i) => assert.ok(Math.abs(v - rrS[i]!) < 0.03, `rr ${i}: ${v} vs ${rrS[i]}`));
  const off = detectBeats(x, fs, { signal: 'pcg', pcg: { inferMissedS1: false } });
  assert.equal(off.beatTimesS.length, s1.length - silent.size);
  assert.ok(off.rrS.length <= rrS.length - 2 * silent.size);
});
