import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseSegmentation } from '../src/io/annotations.js';
import { referenceBeats, scoringHrv, matchBeats, scoreRecording, summarizeValidation, blandAltman } from '../src/hrv/validate.js';
import { validateFolder, formatValidation } from '../src/cli/commands/validate.js';
import { UsageError } from '../src/cli/errors.js';

// two complete cycles, an unannotated gap, then one cycle
const TSV = [
  '0\t0.5\t0',
  '0.5\t0.62\t1',
  '0.62\t0.8\t2',
  '0.8\t0.9\t3',
  '0.9\t1.3\t4',
  '1.3\t1.42\t1',
  '1.42\t1.6\t2',
  '1.6\t1.7\t3',
  '1.7\t2.12\t4',
  '2.12\t2.24\t1',
  '2.24\t2.4\t2',
  '2.4\t3.0\t0',
  '3.0\t3.1\t1',
  '3.1\t3.3\t2',
  '3.3\t3.4\t3',
  '3.4\t3.8\t4',
  '3.8\t3.92\t1',
  '',
].join('\n');

test('parseSegmentation: rows, blank lines, CRLF', () => {
  const s = parseSegmentation(TSV.replace(/\n/g, '\r\n'));
  assert.equal(s.length, 17);
  assert.deepEqual(s[1], { startS: 0.5, endS: 0.62, state: 1 });
});

test('parseSegmentation: clear errors on malformed input', () => {
  assert.throws(() => parseSegmentation('0\t1\n', 'x.tsv'), /x\.tsv:1: expected 3 columns/);
  assert.throws(() => parseSegmentation('0\tabc\t1\n'), /must be numbers/);
  assert.throws(() => parseSegmentation('0\t1\t7\n'), /state must be an integer 0–4/);
  assert.throws(() => parseSegmentation('0\t1\t1.5\n'), /state must be an integer/);
  assert.throws(() => parseSegmentation('1\t0.5\t1\n'), /start ≤ end/);
  assert.throws(() => parseSegmentation('1\t2\t1\n0.5\t1\t2\n'), /time order/);
  assert.throws(() => parseSegmentation('\n\n'), /no segments/);
});

test('referenceBeats: S1 onsets, RR only between consecutive complete cycles, annotated spans', () => {
  const ref = referenceBeats(parseSegmentation(TSV));
  assert.deepEqual(ref.s1OnsetsS, [0.5, 1.3, 2.12, 3.0, 3.8]);
  // 0.5→1.3 and 1.3→2.12 are complete; 2.12 has no 3/4 before the gap; 3.0→3.8 complete
  assert.equal(ref.rrS.length, 3);
  assert.ok(Math.abs(ref.rrS[0]! - 0.8) < 1e-12 && Math.abs(ref.rrS[1]! - 0.82) < 1e-12 && Math.abs(ref.rrS[2]! - 0.8) < 1e-12);
  assert.deepEqual(ref.annotatedSpansS, [[0.5, 2.4], [3.0, 3.92]]);
});

test('scoringHrv: hand-computed HR, SDNN (ddof 0 by default, 1 on request), RMSSD', () => {
  const h = scoringHrv([0.8, 1.0, 0.9]);
  assert.ok(Math.abs(h.hrBpm! - 60 / 0.9) < 1e-9);
  assert.ok(Math.abs(h.sdnnMs! - Math.sqrt(0.02 / 3) * 1000) < 1e-9); // population SD
  assert.ok(Math.abs(scoringHrv([0.8, 1.0, 0.9], 1).sdnnMs! - 100) < 1e-9); // sqrt((0.01+0.01+0)/2) = 0.1 s
  assert.ok(Math.abs(h.rmssdMs! - Math.sqrt((0.04 + 0.01) / 2) * 1000) < 1e-9);
  assert.deepEqual(scoringHrv([]), { hrBpm: null, sdnnMs: null, rmssdMs: null, nIntervals: 0 });
  assert.equal(scoringHrv([0.8]).sdnnMs, null);
});

test('matchBeats: one-to-one within tolerance, detections outside annotated spans ignored', () => {
  const m = matchBeats([1, 2, 3], [1.05, 1.08, 2.2, 2.95, 10], [[0, 3.5]], 0.1);
  assert.equal(m.truePositives, 2); // 1.05↔1, 2.95↔3
  assert.equal(m.falsePositives, 2); // 1.08, 2.2 (10 is outside the spans)
  assert.equal(m.falseNegatives, 1); // 2
  assert.ok(Math.abs(m.sensitivity! - 2 / 3) < 1e-12 && Math.abs(m.ppv! - 0.5) < 1e-12);
});

test('scoreRecording and summary on a perfect detection of the hand-made annotation', () => {
  const seg = parseSegmentation(TSV);
  const beats = [0.51, 1.31, 2.13, 3.01, 3.81];
  const row = scoreRecording('hand', seg, { beatTimesS: beats, rrS: [0.8, 0.82, 0.8], rrStartIndex: [0, 1, 3] });
  assert.equal(row.sensitivity, 1);
  assert.equal(row.ppv, 1);
  assert.ok(Math.abs(row.hrErrorBpm!) < 1e-9);
  const s = summarizeValidation([row, { ...row, name: 'b', hrBpm: row.refHrBpm! + 3, hrErrorBpm: 3 }]);
  assert.equal(s.within2BpmShare, 0.5);
  assert.equal(s.within5BpmShare, 1);
  assert.ok(Math.abs(s.hrMaeBpm! - 1.5) < 1e-9);
  const ba = blandAltman([1, 2, 3], [1, 1, 1]);
  assert.equal(ba.bias, 1);
  assert.equal(ba.sd, 1);
  assert.ok(Math.abs(ba.loaHigh! - 2.96) < 1e-12);
});

test('validateFolder on the fixtures: table and JSON-ready summary', async () => {
  const dir = fileURLToPath(new URL('../fixtures/pcg/', import.meta.url));
  const v = await validateFolder(dir, 'pcg');
  assert.equal(v.rows.length, 4);
  assert.equal(v.summary.within5BpmShare, 1);
  assert.ok(v.summary.sensitivity! > 0.95);
  const text = formatValidation(v);
  assert.match(text, /85116_TV/);
  assert.match(text, /S1 sensitivity/);
  await assert.rejects(() => validateFolder('/nonexistent-dir'), UsageError);
  await assert.rejects(() => validateFolder(fileURLToPath(new URL('.', import.meta.url))), /no NAME\.wav/);
});
