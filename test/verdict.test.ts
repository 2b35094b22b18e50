/**
 * Issue 11 §2–3: rate hypotheses (half / single / double) and the verdict they lead to. Each rule
 * by itself on small synthetic inputs, then the learned default on committed CirCor fixtures.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hsmmRateMargins, judgeRate, rateHypothesisEvidence, RATE_AMBIGUITY_DEFAULTS, type RateHypothesisEvidence } from '../src/hrv/gate/rateHypotheses.js';
import { applyRateJudgement, AMBIGUOUS_RATE_MAX_QUALITY, estimate } from '../src/hrv/estimate.js';
import { gate, GOOD_SCORE, type GateResult } from '../src/hrv/gate/index.js';
import { classicalEstimator } from '../src/hrv/classical/estimator.js';
import { resolveEstimateOptions } from '../src/hrv/estimate.js';
import { adversarySignal } from '../src/signal/adversaries.js';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation } from '../src/hrv/validate/segmentation.js';
import { referenceBeats } from '../src/hrv/validate.js';
import { prepareLearnedNode } from '../src/node/learnedSetup.js';

const ev = (o: Partial<RateHypothesisEvidence>): RateHypothesisEvidence => ({ chosenBpm: 80, halfMarginPerFrame: 0.5, doubleMarginPerFrame: 0.5, classicalRatio: 1, ...o });

test('HSMM margins: the chosen rate against its half and double competitors, per frame', () => {
  const m = hsmmRateMargins({ candidatesBpm: [80, 40, 160, 100], scores: [-1000, -1200, -1100, -900], chosenBpm: 80 }, 1000);
  assert.ok(Math.abs(m.halfMarginPerFrame! - 0.2) < 1e-12);
  assert.ok(Math.abs(m.doubleMarginPerFrame! - 0.1) < 1e-12);
  // no competitor decoded: no evidence, never a made-up margin
  const none = hsmmRateMargins({ candidatesBpm: [80, 100], scores: [-1000, -1100], chosenBpm: 80 }, 1000);
  assert.equal(none.halfMarginPerFrame, null);
  assert.equal(none.doubleMarginPerFrame, null);
  // competitors within the ratio tolerance count, others do not
  const near = hsmmRateMargins({ candidatesBpm: [80, 43, 60], scores: [-1000, -1010, -1001], chosenBpm: 80 }, 100);
  assert.ok(Math.abs(near.halfMarginPerFrame! - 0.1) < 1e-12);
});

test('rate evidence from learned details: frames = duration × frame rate; classical ratio', () => {
  const e = rateHypothesisEvidence({ candidatesBpm: [120, 60], scores: [-500, -600], chosenBpm: 120, frameRateHz: 50 }, 20, 60);
  assert.ok(Math.abs(e.halfMarginPerFrame! - 0.1) < 1e-12);
  assert.equal(e.classicalRatio, 0.5);
  assert.equal(rateHypothesisEvidence({}, 20, null).chosenBpm, null);
});

test('judgeRate: a clear margin keeps the rate; the classical disagreement is named, not silent', () => {
  assert.deepEqual(judgeRate(ev({})), { outcome: 'clear', reasons: [] });
  const j = judgeRate(ev({ classicalRatio: 0.5 }));
  assert.equal(j.outcome, 'clear');
  assert.match(j.reasons.join(' '), /classical detector reads 40 bpm; kept 80 bpm/);
});

test('judgeRate: a small half-rate margin is ambiguous and says which rate competes', () => {
  const j = judgeRate(ev({ halfMarginPerFrame: RATE_AMBIGUITY_DEFAULTS.minMarginPerFrame / 2 }));
  assert.equal(j.outcome, 'ambiguous');
  assert.match(j.reasons[0]!, /40 bpm almost as well as 80 bpm/);
  const d = judgeRate(ev({ doubleMarginPerFrame: 0.01 }));
  assert.equal(d.outcome, 'ambiguous');
  assert.match(d.reasons[0]!, /160 bpm almost as well/);
});

test('judgeRate: a small margin AND a classical reading at the competing rate is a conflict', () => {
  assert.equal(judgeRate(ev({ halfMarginPerFrame: 0.01, classicalRatio: 0.5 })).outcome, 'conflict');
  assert.equal(judgeRate(ev({ doubleMarginPerFrame: 0.01, classicalRatio: 2.05 })).outcome, 'conflict');
  // the classical reading at the other competitor does not make a conflict
  assert.equal(judgeRate(ev({ halfMarginPerFrame: 0.01, classicalRatio: 2 })).outcome, 'ambiguous');
});

function trustedGate(verdict: 'good' | 'fair'): GateResult {
  return {
    verdict,
    trusted: true,
    isHeartbeat: true,
    beatTimesS: [0, 1, 2],
    rrS: [1, 1],
    rrStartIndex: [0, 1],
    heartRateBpm: 60,
    reasons: [],
    evidence: {} as GateResult['evidence'],
  };
}

test('applyRateJudgement: ambiguous lowers the quality below good (verdict fair), conflict refuses', () => {
  const amb = applyRateJudgement(trustedGate('good'), 0.95, { outcome: 'ambiguous', reasons: ['x'] }, 0.2);
  assert.equal(amb.score, AMBIGUOUS_RATE_MAX_QUALITY);
  assert.ok(amb.score < GOOD_SCORE);
  assert.equal(amb.gate.verdict, 'fair');
  assert.equal(amb.gate.trusted, true);
  assert.deepEqual(amb.gate.reasons, ['x']);
  // a fair fit stays fair with its own (lower) score
  const fair = applyRateJudgement(trustedGate('fair'), 0.5, { outcome: 'ambiguous', reasons: [] }, 0.2);
  assert.equal(fair.score, 0.5);
  assert.equal(fair.gate.verdict, 'fair');
  // minQuality above the lowered score: not trusted, no numbers
  const strict = applyRateJudgement(trustedGate('good'), 0.95, { outcome: 'ambiguous', reasons: [] }, 0.8);
  assert.equal(strict.gate.verdict, 'poor');
  assert.equal(strict.gate.trusted, false);
  assert.deepEqual(strict.gate.rrS, []);
  const conflict = applyRateJudgement(trustedGate('good'), 0.95, { outcome: 'conflict', reasons: ['y'] }, 0.2);
  assert.equal(conflict.gate.verdict, 'poor');
  assert.equal(conflict.gate.trusted, false);
  assert.equal(conflict.gate.heartRateBpm, null);
  const clear = applyRateJudgement(trustedGate('good'), 0.95, { outcome: 'clear', reasons: [] }, 0.2);
  assert.equal(clear.gate.verdict, 'good');
  assert.equal(clear.score, 0.95);
});

test('gate: a detection with intervals but quality 0 is none, and isHeartbeat follows the evidence', async () => {
  const opts = resolveEstimateOptions({ method: 'classical', signal: 'pcg' });
  const heart = readWav('fixtures/pcg/68377_PV.wav');
  const det = await classicalEstimator.analyse({ samples: heart.samples, sampleRateHz: heart.sampleRateHz, durationS: heart.samples.length / heart.sampleRateHz }, opts);
  const g = gate(heart.samples, heart.sampleRateHz, { ...det, quality: { score: 0, reasons: [] } });
  assert.equal(g.verdict, 'none');
  assert.equal(g.trusted, false);
  assert.equal(g.isHeartbeat, true, g.reasons.join('; '));
  const tone = adversarySignal('tone', 6, { frequencyHz: 150, ratePerMin: 70 });
  const dt = await classicalEstimator.analyse({ samples: tone, sampleRateHz: 4000, durationS: tone.length / 4000 }, opts);
  if (dt.rrS.length >= 2) {
    const gt = gate(tone, 4000, { ...dt, quality: { score: 0, reasons: [] } });
    assert.equal(gt.verdict, 'none');
    assert.equal(gt.isHeartbeat, false, gt.reasons.join('; '));
  }
});

// CirCor recordings read at half or double rate (fixtures/pcg-halfrate, README there): with the
// learned default each must be right or not trusted, and never wrong at verdict good.
for (const name of ['50326_TV', '84692_AV', '84736_AV']) {
  test(`learned default on ${name}: right (±5 bpm) or not trusted`, async () => {
    await prepareLearnedNode();
    const a = readWav(`fixtures/pcg-halfrate/${name}.wav`);
    const ref = referenceBeats(parseSegmentation(readFileSync(`fixtures/pcg-halfrate/${name}.tsv`, 'utf8')));
    const refHr = 60 / (ref.rrS.reduce((p, q) => p + q, 0) / ref.rrS.length);
    const r = await estimate(a.samples, a.sampleRateHz, { signal: 'pcg' });
    assert.equal(r.method, 'learned');
    const right = r.heartRateBpm !== null && Math.abs(r.heartRateBpm - refHr) <= 5;
    assert.ok(right || !r.trusted, `${name}: trusted ${r.heartRateBpm} bpm (${r.verdict}) vs annotated ${refHr.toFixed(1)}`);
    assert.ok(r.trusted === (r.verdict === 'good' || r.verdict === 'fair'));
  });
}

test('corroboration means the same rate: within 10 %, never with a missing reading', async () => {
  const { ratesAgree, CORROBORATION_TOLERANCE } = await import('../src/hrv/estimate.js');
  assert.equal(CORROBORATION_TOLERANCE, 0.1);
  assert.equal(ratesAgree(100, 109), true);
  assert.equal(ratesAgree(100, 89), false);
  assert.equal(ratesAgree(50, 100), false);
  assert.equal(ratesAgree(null, 100), false);
  assert.equal(ratesAgree(100, null), false);
});

test('a direct method (the CNN) is trusted only where a trusted classical reading gives the same rate', async () => {
  const { corroborateDirect } = await import('../src/hrv/estimate.js');
  const cnnGate = { ...trustedGate('good'), heartRateBpm: 80 };
  const classicalAt = (hrBpm: number | null, trusted: boolean): GateResult => ({ ...trustedGate('good'), verdict: trusted ? 'good' : 'poor', trusted, heartRateBpm: hrBpm });
  // same rate (within 5 bpm, DIRECT_CORROBORATION_TOLERANCE_BPM): the CNN's result is kept as it was
  assert.equal(corroborateDirect(cnnGate, classicalAt(84, true), 82, 'cnn'), cnnGate);
  assert.equal(corroborateDirect(cnnGate, classicalAt(85, true), 80, 'cnn'), cnnGate); // the edge counts
  // 6 bpm apart (within the learned method's 10 %): refused, the CNN must read the beat-based rate to within the goal
  const near = corroborateDirect(cnnGate, classicalAt(60, true), 66, 'cnn');
  assert.equal(near.trusted, false);
  assert.match(near.reasons.at(-1)!, /method cnn reads 66 bpm and the classical detector reads 60 bpm: not corroborated/);
  // another rate: refused, both readings named
  const other = corroborateDirect(cnnGate, classicalAt(145, true), 122, 'cnn');
  assert.equal(other.trusted, false);
  assert.equal(other.verdict, 'poor');
  assert.equal(other.heartRateBpm, null);
  assert.deepEqual(other.rrS, []);
  assert.match(other.reasons.at(-1)!, /method cnn reads 122 bpm and the classical detector reads 145 bpm: not corroborated/);
  // no trusted classical rhythm (rubbing, noise that the CNN reads at a typical rate): refused
  const none = corroborateDirect(cnnGate, classicalAt(80, false), 80, 'cnn');
  assert.equal(none.trusted, false);
  assert.match(none.reasons.at(-1)!, /finds no trusted rhythm/);
  // no CNN rate at all: refused too
  assert.equal(corroborateDirect(cnnGate, classicalAt(80, true), null, 'cnn').trusted, false);
});
