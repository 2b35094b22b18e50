import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanRr } from '../src/hrv/rrClean.js';

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
  const { completeCycleSegments } = await import('../src/hrv/detectBeats.js');
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
