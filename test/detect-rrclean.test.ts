import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanRr } from '../src/hrv/classical/rrClean.js';

test('regular beats: every interval kept', () => {
  const t = [0, 0.8, 1.6, 2.45, 3.2, 4.0];
  const r = cleanRr(t);
  assert.equal(r.rrS.length, 5);
  assert.deepEqual(r.startIndex, [0, 1, 2, 3, 4]);
  assert.equal(r.nRejected, 0);
  assert.ok(Math.abs(r.rrS[2]! - 0.85) < 1e-12);
});

test('an extra beat splits an interval: both halves rejected, the rest kept', () => {
  const t = [0, 0.8, 1.6, 2.0, 2.4, 3.2, 4.0, 4.8];
  const r = cleanRr(t);
  // 1.6→2.0 and 2.0→2.4 are 0.4 s against a local median of 0.8 s
  assert.deepEqual(r.startIndex, [0, 1, 4, 5, 6]);
  assert.equal(r.nRejected, 2);
});

test('a missed beat (doubled interval) is rejected; never an interval across a segment break', () => {
  const t = [0, 0.8, 1.6, 3.2, 4.0, 4.8, 5.6];
  assert.deepEqual(cleanRr(t).startIndex, [0, 1, 3, 4, 5]);
  const seg = [0, 0, 0, 1, 1, 1, 1];
  const r = cleanRr([0, 0.8, 1.6, 2.4, 3.2, 4.0, 4.8], seg);
  assert.deepEqual(r.startIndex, [0, 1, 3, 4, 5]);
  assert.equal(r.nCandidates, 5);
});

test('physiological range and empty input', () => {
  assert.deepEqual(cleanRr([0, 3, 6, 9]).rrS, []); // 20 bpm
  assert.deepEqual(cleanRr([]).rrS, []);
  assert.deepEqual(cleanRr([1]).rrS, []);
  assert.deepEqual(cleanRr([0, 0.1, 0.2, 0.3]).rrS, []); // 600 bpm
});

test('weak beats give no interval on either side but stay beats', () => {
  const t = [0, 0.8, 1.6, 2.4, 3.2, 4.0];
  const amps = [1, 1.1, 0.2, 0.9, 1, 1];
  const r = cleanRr(t, undefined, { amplitudes: amps });
  assert.deepEqual(r.startIndex, [0, 3, 4]); // 0.8→1.6 and 1.6→2.4 touch the weak beat (0.2 < 0.3 × median 1)
  assert.deepEqual(cleanRr(t, undefined, { amplitudes: amps, minRelativeAmplitude: 0.1 }).startIndex, [0, 1, 2, 3, 4]);
});

test('complete cycles: an S1 pair without an S2 between them, or in different chains, gives no interval', async () => {
  const { completeCycleSegments } = await import('../src/hrv/classical/detectBeats.js');
  const sounds = [
    { label: 1, chain: 0 },
    { label: 2, chain: 0 },
    { label: 1, chain: 0 }, // complete cycle with the first
    { label: 1, chain: 0 }, // missed S2 → new segment
    { label: 2, chain: 0 },
    { label: 1, chain: 1 }, // new chain → new segment
    { label: 2, chain: 1 },
    { label: 1, chain: 1 },
  ] as const;
  assert.deepEqual(completeCycleSegments(sounds), [1, 1, 2, 3, 3]);
});

test('strict complete cycles: two S2s between S1s (a skipped S1) also start a new segment', async () => {
  const { completeCycleSegments } = await import('../src/hrv/classical/detectBeats.js');
  const sounds = [
    { label: 1, chain: 0 },
    { label: 2, chain: 0 },
    { label: 1, chain: 0 }, // complete cycle with the first
    { label: 2, chain: 0 },
    { label: 2, chain: 0 }, // the S1 between these S2s was skipped
    { label: 1, chain: 0 }, // 2 S2s since the last S1 → new segment (strict only)
    { label: 2, chain: 0 },
    { label: 1, chain: 0 },
  ] as const;
  assert.deepEqual(completeCycleSegments(sounds), [1, 1, 1, 1]);
  assert.deepEqual(completeCycleSegments(sounds, true), [1, 1, 2, 2]);
});

test('misplaced-beat pair rule: a short–long pair adding up to two cycles is rejected, bigeminy-free rhythm kept', () => {
  // regular 0.8 s beats; the beat at 4.0 s is placed 0.3 s early (3.7 s): intervals 0.5 and 1.1
  const t = [0, 0.8, 1.6, 2.4, 3.2, 3.7, 4.8, 5.6, 6.4, 7.2, 8.0];
  const off = cleanRr(t, undefined, { minRatio: 0, maxRatio: 100 });
  assert.equal(off.rrS.length, 10); // rule 4 is off by default
  const on = cleanRr(t, undefined, { minRatio: 0, maxRatio: 100, pairDifference: 0.3, pairSum: 0.15 });
  assert.deepEqual(on.startIndex, [0, 1, 2, 3, 6, 7, 8, 9]); // 3.2→3.7 and 3.7→4.8 rejected
  // a 0.1 s timing error (pair 0.7 / 0.9, difference 0.25 × m) stays: not a misplaced beat by rule 4
  const small = cleanRr([0, 0.8, 1.6, 2.3, 3.2, 4.0, 4.8], undefined, { pairDifference: 0.3, pairSum: 0.15 });
  assert.equal(small.rrS.length, 6);
  // a slow drift in rate (sum far from two local cycles) is never a pair
  const drift = [0];
  for (let i = 1; i < 12; i++) drift.push(drift[i - 1]! + 0.6 + 0.04 * i);
  assert.equal(cleanRr(drift, undefined, { pairDifference: 0.3, pairSum: 0.15 }).rrS.length, 11);
});
