/**
 * Issue 11: the gate. Seeded synthetic non-heart sounds are never trusted; real heart fixtures
 * stay trusted with their numbers; half-rate readings are not trusted; HRV needs a minimum of
 * intervals; windows with < 2 intervals are null; silence is `none` for every path.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adversarySignal, type AdversaryKind, type AdversaryOptions } from '../src/signal/adversaries.js';
import { estimate } from '../src/hrv/estimate.js';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation } from '../src/hrv/validate/segmentation.js';
import { referenceBeats } from '../src/hrv/validate.js';
import { simulateDataset } from '../src/signal/simulate.js';
import { gate, expectedSystoleS, GATE_DEFAULTS } from '../src/hrv/gate/index.js';
import { hrvAllowed, MIN_HRV_INTERVALS } from '../src/hrv/gate/minimumData.js';
import { spectralEvidence } from '../src/hrv/gate/spectrum.js';
import { windowRows } from '../src/hrv/windows.js';

const cases: Array<[string, AdversaryKind, number, AdversaryOptions]> = [
  ['clicks at 66/min', 'clicks', 1, { ratePerMin: 66 }],
  ['clicks at 140/min', 'clicks', 2, { ratePerMin: 140 }],
  ['camera shutter (double clicks) at 66/min', 'clicks', 3, { ratePerMin: 66, double: true, frequencyHz: 900 }],
  ['white noise AM at 1.5 Hz', 'am-noise', 4, { ratePerMin: 90, colour: 'white' }],
  ['pink noise AM at 1.5 Hz', 'am-noise', 5, { ratePerMin: 90, colour: 'pink' }],
  ['440 Hz tone', 'tone', 6, { frequencyHz: 440 }],
  ['alarm beeps 1 kHz at 120/min', 'tone', 7, { frequencyHz: 1000, ratePerMin: 120 }],
  ['low alarm beeps 150 Hz at 70/min', 'tone', 8, { frequencyHz: 150, ratePerMin: 70 }],
  ['mains hum 50 Hz', 'hum', 9, {}],
  ['speech-like formant source', 'speech-like', 10, {}],
  ['music-like chords at 100/min', 'music-like', 11, { ratePerMin: 100 }],
  ['low-frequency noise bursts at 75/min', 'bursts', 12, { ratePerMin: 75, jitterS: 0.02 }],
  ['digital silence', 'silence', 13, {}],
];

for (const [name, kind, seed, options] of cases) {
  test(`not a heartbeat, never trusted: ${name}`, async () => {
    const x = adversarySignal(kind, seed, options);
    const r = await estimate(x, 4000);
    assert.equal(r.trusted, false, `${name}: verdict ${r.verdict}, HR ${r.heartRateBpm}`);
    assert.ok(r.verdict === 'none' || r.verdict === 'poor');
    assert.equal(r.heartRateBpm, null);
    assert.equal(r.sdnnMs, null);
    assert.ok(r.quality.reasons.length > 0, 'a reason says why');
  });
}

test('adversaries are deterministic: same seed, same samples', async () => {
  assert.deepEqual(adversarySignal('am-noise', 42, { colour: 'pink' }), adversarySignal('am-noise', 42, { colour: 'pink' }));
  assert.notDeepEqual(adversarySignal('am-noise', 42), adversarySignal('am-noise', 43));
});

test('digital silence and constant input: verdict none with a silence reason', async () => {
  for (const x of [new Float64Array(4000 * 10), new Float64Array(4000 * 10).fill(0.25)]) {
    const r = await estimate(x, 4000);
    assert.equal(r.verdict, 'none');
    assert.equal(r.trusted, false);
    assert.ok(r.quality.reasons.some((s) => /silen/.test(s)));
  }
});

test('each not-heart rule fires on its own evidence', async () => {
  const hum = spectralEvidence(adversarySignal('hum', 1), 4000);
  assert.ok(hum.tonalFraction > GATE_DEFAULTS.maxTonalFraction, `hum tonal ${hum.tonalFraction}`);
  const white = spectralEvidence(adversarySignal('am-noise', 2, { colour: 'white' }), 4000);
  assert.ok(white.flatness > GATE_DEFAULTS.maxFlatness, `white flatness ${white.flatness}`);
  assert.ok(white.heartBandFraction < 0.15);
  const clicks = adversarySignal('clicks', 3, { ratePerMin: 66 });
  const r = await estimate(clicks, 4000);
  assert.ok(r.quality.reasons.some((s) => /20–200 Hz/.test(s)), r.quality.reasons.join('; '));
  assert.ok(r.quality.reasons.some((s) => /machine-regular/.test(s)), 'an exact metronome is too regular');
});

const FIXTURES = [
  ['85116_TV', 105],
  ['68377_PV', 90],
  ['84802_AV', 85],
  ['74420_MV', 121],
] as const;

for (const [name, hr] of FIXTURES) {
  test(`real heart fixture ${name} stays trusted with its heart rate`, async () => {
    const a = readWav(`fixtures/pcg/${name}.wav`);
    const r = await estimate(a.samples, a.sampleRateHz);
    assert.equal(r.trusted, true, `${name}: verdict ${r.verdict}: ${r.quality.reasons.join('; ')}`);
    assert.ok(r.verdict === 'good' || r.verdict === 'fair');
    assert.ok(Math.abs(r.heartRateBpm! - hr) < 5, `${name}: HR ${r.heartRateBpm} vs ${hr}`);
  });
}

for (const name of ['50326_TV', '84692_AV']) {
  test(`half-rate reading of ${name} is not trusted and the reason names the doubled rate`, async () => {
    const a = readWav(`fixtures/pcg-halfrate/${name}.wav`);
    const ref = referenceBeats(parseSegmentation(readFileSync(`fixtures/pcg-halfrate/${name}.tsv`, 'utf8')));
    const refHr = 60 / (ref.rrS.reduce((p, q) => p + q, 0) / ref.rrS.length);
    const r = await estimate(a.samples, a.sampleRateHz);
    const right = r.heartRateBpm !== null && Math.abs(r.heartRateBpm - refHr) <= 5;
    assert.ok(right || !r.trusted, `${name}: trusted ${r.heartRateBpm} vs annotated ${refHr}`);
    assert.equal(r.trusted, false);
    const named = r.quality.reasons.find((s) => /may be (\d+) bpm/.test(s));
    assert.ok(named, r.quality.reasons.join('; '));
    const doubled = Number(/may be (\d+) bpm/.exec(named)![1]);
    assert.ok(Math.abs(doubled - refHr) < 8, `doubled ${doubled} vs ${refHr}`);
  });
}

test('expected systole follows Weissler: shorter at higher rates', async () => {
  assert.ok(expectedSystoleS(60) > expectedSystoleS(120));
  assert.ok(Math.abs(expectedSystoleS(60) - 0.38) < 0.01);
});

function pulse(seed: number, durationS: number) {
  const [s] = simulateDataset({ seed, n: 1, durationS, sampleRateHz: 1000, hrMinBpm: 72, hrMaxBpm: 72, hrvMinS: 0.03, hrvMaxS: 0.03, snrMinDb: 15, snrMaxDb: 15 });
  return s!;
}

test('the seed pulse signal is still a heartbeat (trusted, good)', async () => {
  const s = pulse(7, 30);
  const r = await estimate(s.samples, 1000);
  assert.equal(r.verdict, 'good');
  assert.ok(Math.abs(r.heartRateBpm! - s.hrBpm) < 0.5);
});

test('HRV below the minimum: HR stays, HRV figures are null with a reason', async () => {
  const s = pulse(8, 5);
  const r = await estimate(s.samples, 1000);
  assert.equal(r.trusted, true);
  assert.ok(r.heartRateBpm !== null);
  assert.ok(r.nIntervals < MIN_HRV_INTERVALS);
  for (const k of ['sdnnMs', 'rmssdMs', 'sdsdMs', 'pnn20', 'pnn50', 'sd1Ms', 'sd2Ms', 'madMs'] as const) assert.equal(r[k], null, k);
  assert.ok(r.quality.reasons.some((t) => /HRV not reported/.test(t)));
  assert.equal(hrvAllowed(Array(10).fill(1)).ok, true);
  assert.equal(hrvAllowed(Array(9).fill(1.2)).ok, false);
  assert.equal(hrvAllowed(Array(12).fill(0.5)).ok, false, '6 s is too short');
});

test('windows with fewer than 2 intervals give null, never 0.00', async () => {
  const rows = windowRows(
    { durationS: 4, beatTimesS: [0.5, 1.5, 2.5, 3.5], rrS: [1, 1, 1], rrStartIndex: [0, 1, 2], qualityScore: 1, convention: 'heartpy', minQuality: 0 },
    2,
  );
  for (const w of rows) {
    assert.equal(w.sdnnMs, null);
    assert.equal(w.heartRateBpm, null, `window ${w.startS}: one interval gives no HR`);
  }
  const refused = windowRows(
    { durationS: 20, beatTimesS: Array.from({ length: 20 }, (_, i) => i), rrS: Array(19).fill(1), rrStartIndex: Array.from({ length: 19 }, (_, i) => i), qualityScore: 1, convention: 'heartpy', minQuality: 0, recordingTrusted: false },
    10,
  );
  assert.ok(refused.every((w) => w.heartRateBpm === null));
});

test('verdict follows the quality thresholds (trusted ⇔ good or fair)', async () => {
  const s = pulse(9, 30);
  const det = { signalType: 'pulse' as const, beatTimesS: s.beatTimesS, rrS: s.beatTimesS.slice(1).map((t, i) => t - s.beatTimesS[i]!), rrStartIndex: s.beatTimesS.slice(1).map((_, i) => i) };
  const at = (score: number) => gate(s.samples, 1000, { ...det, quality: { score, reasons: [] } });
  assert.equal(at(0.9).verdict, 'good');
  assert.equal(at(0.5).verdict, 'fair');
  assert.equal(at(0.1).verdict, 'poor');
  assert.equal(at(0.1).trusted, false);
  assert.equal(at(0.1).heartRateBpm, null);
  assert.equal(at(0.5).trusted, true);
  assert.equal(gate(s.samples, 1000, { ...det, quality: { score: 0.5, reasons: [] } }, { fairQuality: 0.6 }).verdict, 'poor', 'minQuality moves the fair threshold');
});
