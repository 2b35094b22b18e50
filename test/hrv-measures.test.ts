import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hrvMeasures, DEFAULT_HRV_CONVENTION } from '../src/hrv/measures/index.js';

const close = (a: number | null, b: number, tol = 1e-9): void => {
  assert.ok(a !== null && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
};

/*
 * Hand computation for RR = 800, 850, 830, 900, 780 ms (N = 5):
 *   mean = 4160 / 5 = 832 ms; HR = 60000 / 832 = 72.1153846… bpm
 *   deviations −32, 18, −2, 68, −52; squares 1024 + 324 + 4 + 4624 + 2704 = 8680
 *   SDNN ddof 0 = sqrt(8680 / 5) = sqrt(1736); ddof 1 = sqrt(8680 / 4) = sqrt(2170)
 *   D = 50, −20, 70, −120; D² sum = 2500 + 400 + 4900 + 14400 = 22200; RMSSD = sqrt(22200 / 4) = sqrt(5550)
 *   heartpy SDSD: |D| = 50, 20, 70, 120, mean 65, deviations −15, −45, 5, 55,
 *     squares 225 + 2025 + 25 + 3025 = 5300 → sqrt(5300 / 4) = sqrt(1325)
 *   neurokit SDSD: mean D = −20 / 4 = −5, deviations 55, −15, 75, −115,
 *     squares 3025 + 225 + 5625 + 13225 = 22100 → sqrt(22100 / 3)
 *   |D| > 20: 50, 70, 120 (20 itself is not > 20) → 3; |D| > 50: 70, 120 (50 is not > 50) → 2
 *     heartpy pNN20 = 3 / 4 = 0.75, pNN50 = 2 / 4 = 0.5; neurokit pNN20 = 3 / 5 · 100 = 60, pNN50 = 40
 *   median 830; |RR − 830| = 30, 20, 0, 70, 50 → median 30; neurokit 30 · 1.4826 = 44.478
 *   SD1: (RR_i − RR_{i+1})/√2 = −D/√2; var ddof 0 of D = 22100 / 4 = 5525 → SD1 = sqrt(5525 / 2) = sqrt(2762.5)
 *   SD2: RR_i + RR_{i+1} = 1650, 1680, 1730, 1680, mean 1685, deviations −35, −5, 45, −5,
 *     squares 1225 + 25 + 2025 + 25 = 3300 → var 825 → SD2 = sqrt(825 / 2) = sqrt(412.5)
 */
const RR = [0.8, 0.85, 0.83, 0.9, 0.78];

test('heartpy convention: hand-computed values', () => {
  const m = hrvMeasures(RR, { convention: 'heartpy' });
  assert.equal(m.convention, 'heartpy');
  assert.equal(m.nIntervals, 5);
  close(m.meanRrMs, 832);
  close(m.heartRateBpm, 60000 / 832);
  close(m.sdnnMs, Math.sqrt(1736));
  close(m.rmssdMs, Math.sqrt(5550));
  close(m.sdsdMs, Math.sqrt(1325));
  close(m.pnn20, 0.75);
  close(m.pnn50, 0.5);
  close(m.madMs, 30);
  close(m.sd1Ms, Math.sqrt(2762.5));
  close(m.sd2Ms, Math.sqrt(412.5));
});

test('neurokit convention: hand-computed values', () => {
  const m = hrvMeasures(RR, 'neurokit');
  close(m.meanRrMs, 832);
  close(m.sdnnMs, Math.sqrt(2170));
  close(m.rmssdMs, Math.sqrt(5550));
  close(m.sdsdMs, Math.sqrt(22100 / 3));
  close(m.pnn20, 60);
  close(m.pnn50, 40);
  close(m.madMs, 30 * 1.4826);
  close(m.sd1Ms, Math.sqrt(2762.5));
  close(m.sd2Ms, Math.sqrt(412.5));
});

test('default convention is heartpy', () => {
  assert.equal(DEFAULT_HRV_CONVENTION, 'heartpy');
  assert.deepEqual(hrvMeasures(RR), hrvMeasures(RR, { convention: 'heartpy' }));
});

/*
 * Even count, constant rhythm: RR = 1000, 1000, 1000, 1000 → SDNN = RMSSD = SDSD = 0, pNN = 0,
 * MAD = 0, SD1 = SD2 = 0, HR = 60. Alternating 900, 1100, 900, 1100:
 *   mean 1000, SDNN ddof 0 = 100, D = 200, −200, 200 → RMSSD = 200, |D| = 200 ×3 → heartpy SDSD = 0,
 *   median of RR = (900 + 1100) / 2 = 1000, |RR − 1000| = 100 ×4 → MAD 100;
 *   SD1: D var ddof 0: mean D = 200/3, deviations 400/3, −800/3, 400/3 → var = (160000+640000+160000)/9/3
 *   = 960000/27 → SD1 = sqrt(960000/54); SD2: sums all 2000 → SD2 = 0.
 */
test('constant and alternating rhythms', () => {
  const c = hrvMeasures([1, 1, 1, 1]);
  for (const k of ['sdnnMs', 'rmssdMs', 'sdsdMs', 'pnn20', 'pnn50', 'madMs', 'sd1Ms', 'sd2Ms'] as const) close(c[k], 0);
  close(c.heartRateBpm, 60);
  const a = hrvMeasures([0.9, 1.1, 0.9, 1.1]);
  close(a.sdnnMs, 100);
  close(a.rmssdMs, 200);
  close(a.sdsdMs, 0, 1e-6);
  close(a.madMs, 100);
  close(a.sd1Ms, Math.sqrt(960000 / 54), 1e-6);
  close(a.sd2Ms, 0, 1e-6);
  close(a.pnn50, 1);
});

test('too few intervals give null, never NaN', () => {
  const none = hrvMeasures([]);
  const meta = ['convention', 'nIntervals', 'spanS', 'missingFraction', 'nullReasons', 'notes'];
  for (const [k, v] of Object.entries(none)) if (!meta.includes(k)) assert.equal(v, null, k);
  for (const [k, v] of Object.entries(none)) if (v === null) assert.ok(none.nullReasons[k as keyof typeof none.nullReasons], `reason for ${k}`);
  const one = hrvMeasures([0.75]);
  close(one.heartRateBpm, 80);
  close(one.sdnnMs, 0);
  assert.equal(one.rmssdMs, null);
  assert.equal(one.sd1Ms, null);
  const oneNk = hrvMeasures([0.75], 'neurokit');
  assert.equal(oneNk.sdnnMs, null);
  const twoNk = hrvMeasures([0.75, 0.8], 'neurokit');
  assert.equal(twoNk.sdsdMs, null); // one difference, ddof 1
  close(twoNk.rmssdMs, 50);
});

test('rejects bad intervals and unknown conventions', () => {
  assert.throws(() => hrvMeasures([0.8, NaN]), RangeError);
  assert.throws(() => hrvMeasures([0.8, -1]), RangeError);
  assert.throws(() => hrvMeasures([0.8], { convention: 'kubios' as never }), RangeError);
});
