import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/io/wav.js';
import { parseSegmentation } from '../src/io/annotations.js';
import { detectBeats } from '../src/hrv/detectBeats.js';
import { scoreRecording, summarizeValidation, type ValidationRow } from '../src/hrv/validate.js';

const dir = fileURLToPath(new URL('../fixtures/pcg/', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.wav'))
  .map((f) => f.slice(0, -4))
  .sort();

test('fixtures are present (4 CirCor recordings with annotations)', () => {
  assert.equal(names.length, 4);
});

test('real heart sounds: HR within 2 bpm, S1 sensitivity/PPV ≥ 0.9 per recording, auto → pcg', () => {
  const rows: ValidationRow[] = [];
  for (const name of names) {
    const audio = readWav(`${dir}${name}.wav`);
    const segments = parseSegmentation(readFileSync(`${dir}${name}.tsv`, 'utf8'), name);
    const r = detectBeats(audio.samples, audio.sampleRateHz, { returnEnvelope: true });
    assert.equal(r.signalType, 'pcg', name);
    assert.ok(r.quality.score >= 0.5, `${name}: quality ${JSON.stringify(r.quality)}`);
    assert.ok(r.envelope && r.envelope.values.length > 0 && r.envelope.sampleRateHz > 100);
    assert.ok(r.s2TimesS && r.s2TimesS.length > 0.7 * r.beatTimesS.length, `${name}: S2 found`);
    assert.ok(r.periodS !== null && r.periodS > 0.3 && r.periodS < 1.2);
    const row = scoreRecording(name, segments, r);
    rows.push(row);
    assert.ok(Math.abs(row.hrErrorBpm!) <= 2, `${name}: HR error ${row.hrErrorBpm}`);
    assert.ok(row.sensitivity! >= 0.9 && row.ppv! >= 0.85, `${name}: sens ${row.sensitivity} ppv ${row.ppv}`);
  }
  const s = summarizeValidation(rows);
  assert.ok(s.sensitivity! >= 0.95 && s.ppv! >= 0.95, JSON.stringify(s));
  assert.ok(s.sdnnMaeMs! <= 8, `SDNN MAE ${s.sdnnMaeMs}`);
  assert.ok(s.rmssdMaeMs! <= 15, `RMSSD MAE ${s.rmssdMaeMs}`);
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
