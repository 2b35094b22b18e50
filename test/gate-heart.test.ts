/**
 * Issue 11 §1, "is this a heartbeat at all?": the seeded non-heart zoo, the event-level heart
 * evidence (heartEvidence.ts) and each heart rule (heartRules.ts) by itself, and the default
 * (learned) pipeline refusing zoo sounds it trusted before while the real fixtures stay trusted.
 * Never reads ../shared.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ZOO_KINDS, zooSet, zooSignal, type ZooKind } from '../src/signal/adversaryZoo.js';
import { heartEvidence, harmonicity, type HeartEvidence } from '../src/hrv/gate/heartEvidence.js';
import { heartReasons, HEART_DEFAULTS } from '../src/hrv/gate/heartRules.js';
import { gate, type GateEvidence } from '../src/hrv/gate/index.js';
import { estimate } from '../src/hrv/estimate.js';
import { prepareLearnedNode } from '../src/node/learnedSetup.js';
import { readWav } from '../src/node/files/wav.js';
import { FastRng } from '../src/signal/rng.js';

test('zoo: every kind, deterministic per seed, finite, peak 0.5, at 8/16/44.1 kHz', () => {
  for (const kind of ZOO_KINDS) {
    const a = zooSignal(kind, 11, { sampleRateHz: 8000, durationS: 3 });
    assert.equal(a.length, 24000);
    assert.deepEqual(a, zooSignal(kind, 11, { sampleRateHz: 8000, durationS: 3 }), `${kind}: same seed, same samples`);
    assert.notDeepEqual(a, zooSignal(kind, 12, { sampleRateHz: 8000, durationS: 3 }), `${kind}: another seed differs`);
    let peak = 0;
    for (const v of a) {
      assert.ok(Number.isFinite(v));
      peak = Math.max(peak, Math.abs(v));
    }
    assert.ok(Math.abs(peak - 0.5) < 1e-9, `${kind}: peak ${peak}`);
  }
  const set = zooSet({ perKind: 3 });
  assert.equal(set.length, 3 * ZOO_KINDS.length);
  assert.deepEqual(new Set(set.map((z) => z.options.sampleRateHz)), new Set([8000, 16000, 44100]));
  assert.ok(set.some((z) => z.options.snrDb === 15) && set.some((z) => z.options.snrDb === undefined));
  assert.throws(() => zooSignal('nope' as ZooKind, 1), RangeError);
});

test('zoo: a mixture at 15 dB SNR carries background noise between the events', () => {
  const clean = zooSignal('shutter', 5, { durationS: 4 });
  const noisy = zooSignal('shutter', 5, { durationS: 4, snrDb: 15 });
  const quietShare = (x: Float64Array): number => x.filter((v) => Math.abs(v) < 1e-4).length / x.length;
  assert.ok(quietShare(clean) > 0.3, 'the clean shutter is silent between shots');
  assert.ok(quietShare(noisy) < 0.05, 'the mixture is not');
});

// --- the evidence on hand-built signals with known event times -------------------------------

const FS = 4000;
const RR_S = 0.8;
const SYS_S = 0.3;

/** Beats at a steady 75 bpm with S2 300 ms after each S1. */
function beatsFor(n: number): { signalType: 'pcg'; beatTimesS: number[]; s2TimesS: number[]; rrS: number[]; rrStartIndex: number[] } {
  // a small deterministic beat-to-beat variation (a metronome-exact rhythm is refused by another rule)
  const beatTimesS = Array.from({ length: n }, (_, i) => 0.5 + i * RR_S + 0.03 * Math.sin(1.7 * i));
  return { signalType: 'pcg', beatTimesS, s2TimesS: beatTimesS.map((t) => t + SYS_S), rrS: beatTimesS.slice(1).map((t, i) => t - beatTimesS[i]!), rrStartIndex: beatTimesS.slice(1).map((_, i) => i) };
}

/** A heart-sound-like event: a 40 Hz transient with a random 30–70 Hz wobble, ~40 ms. */
function addEvent(x: Float64Array, t: number, amp: number, rng: FastRng, fixed = false): void {
  const f = fixed ? 45 : rng.uniform(30, 70);
  const ph = fixed ? 0 : rng.uniform(0, 2 * Math.PI);
  const i0 = Math.round(t * FS);
  for (let k = 0; k < 0.12 * FS && i0 + k < x.length; k++) {
    const s = k / FS;
    x[i0 + k] += amp * Math.exp(-s / 0.02) * Math.sin(2 * Math.PI * f * s + ph) * (fixed ? 1 : 1 + 0.3 * rng.normal());
  }
}

function heartLike(seed: number, opts: { s2?: boolean; fixed?: boolean; noise?: number } = {}): { x: Float64Array; beats: ReturnType<typeof beatsFor> } {
  const rng = new FastRng(seed);
  const beats = beatsFor(24);
  const x = new Float64Array(Math.round(20 * FS));
  for (const t of beats.beatTimesS) {
    addEvent(x, t, 1, rng, opts.fixed);
    if (opts.s2 !== false) addEvent(x, t + SYS_S, 0.7, rng, opts.fixed);
  }
  for (let i = 0; i < x.length; i++) x[i] += (opts.noise ?? 0.01) * rng.normal();
  return { x, beats };
}

function evidenceWith(heart: Partial<HeartEvidence>): GateEvidence {
  const h: HeartEvidence = { nEvents: 40, eventLowShare: 0.9, s1Contrast: 10, s2Contrast: 8, eventWidthMs: 30, beatSimilarity: 0.5, harmonicity: 0.1, posteriorConfidence: 0.9, ...heart };
  return { heart: h } as GateEvidence;
}

test('heart evidence of a heart-like signal lies inside every rule', () => {
  const { x, beats } = heartLike(1);
  const h = heartEvidence(x, FS, beats);
  assert.ok(h.nEvents >= 40);
  assert.ok(h.eventLowShare > 0.9, `low share ${h.eventLowShare}`);
  assert.ok(h.s2Contrast > 5 && h.s1Contrast > 5, `contrast ${h.s1Contrast} ${h.s2Contrast}`);
  assert.ok(h.eventWidthMs > 10 && h.eventWidthMs < 60, `width ${h.eventWidthMs}`);
  assert.ok(h.beatSimilarity < 0.97, `similarity ${h.beatSimilarity}`);
  assert.ok(h.harmonicity < 0.5, `harmonicity ${h.harmonicity}`);
  assert.ok(Number.isNaN(h.posteriorConfidence), 'no posteriors given');
  assert.deepEqual(heartReasons({ heart: h } as GateEvidence), []);
});

test('heart evidence: no S2 → low S2 contrast; the same waveform every beat → similarity ≈ 1; silence between → huge contrast', () => {
  assert.ok(heartEvidence(heartLike(2, { s2: false }).x, FS, beatsFor(24)).s2Contrast < HEART_DEFAULTS.minS2Contrast);
  assert.ok(heartEvidence(heartLike(3, { fixed: true }).x, FS, beatsFor(24)).beatSimilarity > HEART_DEFAULTS.maxBeatSimilarity);
  const silent = heartEvidence(heartLike(4, { noise: 0 }).x, FS, beatsFor(24));
  assert.ok(Math.min(silent.s1Contrast, silent.s2Contrast) > HEART_DEFAULTS.maxFloorContrast);
});

test('heart evidence: slow swells are wide events; tones are harmonic; posteriors give the confidence', () => {
  const x = new Float64Array(20 * FS);
  const rng = new FastRng(5);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal() * Math.sin((Math.PI * i) / FS / RR_S) ** 2; // noise swelling every 0.8 s
  const beats = beatsFor(12);
  beats.beatTimesS = beats.beatTimesS.map((_, i) => 0.4 + 1.6 * i); // alternate swells read as S1 and S2
  beats.s2TimesS = beats.beatTimesS.map((t) => t + 0.8);
  beats.rrS = beats.rrS.map(() => 1.6);
  assert.ok(heartEvidence(x, FS, beats).eventWidthMs > HEART_DEFAULTS.maxEventWidthMs);
  const tone = new Float64Array(4 * FS).map((_, i) => Math.sin((2 * Math.PI * 220 * i) / FS));
  assert.ok(harmonicity(tone, FS) > 0.95);
  const noise = new Float64Array(4 * FS).map(() => rng.normal());
  assert.ok(harmonicity(noise, FS) < 0.1);
  const posteriors = new Float32Array(4 * 100);
  for (let f = 0; f < 100; f++) posteriors.set(f % 2 ? [0.7, 0.1, 0.1, 0.1] : [0.25, 0.25, 0.25, 0.25], 4 * f);
  const h = heartEvidence(heartLike(6).x, FS, beatsFor(24), { frameRateHz: 50, posteriors });
  assert.ok(Math.abs(h.posteriorConfidence - 0.475) < 1e-6);
});

const RULES: Array<[string, Partial<HeartEvidence>, RegExp]> = [
  ['wide events', { eventWidthMs: HEART_DEFAULTS.maxEventWidthMs + 20 }, /last \d+ ms/],
  ['no second sound', { s2Contrast: HEART_DEFAULTS.minS2Contrast - 0.5 }, /no second heart sound/],
  ['pitched frames', { harmonicity: HEART_DEFAULTS.maxHarmonicity + 0.1 }, /have a pitch/],
  ['identical beats', { beatSimilarity: 0.995 }, /same waveform/],
  ['identical high clicks', { beatSimilarity: HEART_DEFAULTS.clickSimilarity + 0.02, eventLowShare: HEART_DEFAULTS.clickMaxLowShare - 0.2 }, /high-pitched click/],
  ['silent between the sounds', { s1Contrast: 5 * HEART_DEFAULTS.maxFloorContrast, s2Contrast: 2 * HEART_DEFAULTS.maxFloorContrast }, /silent between/],
];

for (const [name, heart, reason] of RULES) {
  test(`heart rule by itself: ${name}`, () => {
    const out = heartReasons(evidenceWith(heart));
    assert.equal(out.length, 1, out.join('; '));
    assert.match(out[0]!, reason);
    // just inside the threshold: no reason; too few events: no rule speaks
    assert.deepEqual(heartReasons(evidenceWith({ ...heart, nEvents: HEART_DEFAULTS.minEvents - 1 })), []);
  });
}

test('heart rules: just inside every threshold, and a rule switched off', () => {
  const inside = evidenceWith({
    eventWidthMs: HEART_DEFAULTS.maxEventWidthMs - 1,
    s2Contrast: HEART_DEFAULTS.minS2Contrast + 0.1,
    harmonicity: HEART_DEFAULTS.maxHarmonicity - 0.01,
    beatSimilarity: HEART_DEFAULTS.clickSimilarity - 0.01,
    eventLowShare: HEART_DEFAULTS.clickMaxLowShare - 0.1,
    s1Contrast: HEART_DEFAULTS.maxFloorContrast - 1,
  });
  assert.deepEqual(heartReasons(inside), []);
  const wide = evidenceWith({ eventWidthMs: 500 });
  assert.deepEqual(heartReasons(wide, { ...HEART_DEFAULTS, maxEventWidthMs: Infinity }), []);
});

test('the gate refuses with the heart rule (verdict none, isHeartbeat false) and can be told not to apply them', () => {
  const { x, beats } = heartLike(7, { s2: false });
  const det = { ...beats, quality: { score: 0.9, reasons: [] } };
  const g = gate(x, FS, det);
  assert.equal(g.verdict, 'none');
  assert.equal(g.isHeartbeat, false);
  assert.ok(g.reasons.some((r) => /no second heart sound/.test(r)), g.reasons.join('; '));
  assert.ok(g.evidence.heart && g.evidence.heart.s2Contrast < HEART_DEFAULTS.minS2Contrast);
  const off = gate(x, FS, det, { heart: false });
  assert.ok(!off.reasons.some((r) => /second heart sound/.test(r)));
  const ok = heartLike(8);
  assert.equal(gate(ok.x, FS, { ...ok.beats, quality: { score: 0.9, reasons: [] } }).trusted, true);
});

// --- the default (learned) pipeline ----------------------------------------------------------

/** Zoo sounds the learned default trusted before the heart rules (scripts/gate-zoo.ts, seed base 1000). */
const TRUSTED_BEFORE: Array<[ZooKind, number, number]> = [
  ['footsteps', 1600, 8000],
  ['music', 1400, 8000],
  ['shutter', 1005, 44100],
];

for (const [kind, seed, fs] of TRUSTED_BEFORE) {
  test(`learned default: ${kind} (seed ${seed}, ${fs} Hz) gets no heart rate and a reason`, async () => {
    await prepareLearnedNode();
    const r = await estimate(zooSignal(kind, seed, { sampleRateHz: fs }), fs);
    assert.equal(r.method, 'learned');
    assert.equal(r.trusted, false, `${kind}: ${r.verdict} ${r.heartRateBpm}`);
    assert.equal(r.verdict, 'none');
    assert.equal(r.heartRateBpm, null);
    assert.ok(r.quality.reasons.some((s) => /^not (a |heart|a recorded)/.test(s)), r.quality.reasons.join('; '));
  });
}

test('learned default: the real fixtures stay trusted', async () => {
  await prepareLearnedNode();
  for (const name of ['85116_TV', '68377_PV', '84802_AV', '74420_MV']) {
    const a = readWav(`fixtures/pcg/${name}.wav`);
    const r = await estimate(a.samples, a.sampleRateHz);
    assert.equal(r.method, 'learned');
    assert.equal(r.trusted, true, `${name}: ${r.verdict}: ${r.quality.reasons.join('; ')}`);
  }
});
