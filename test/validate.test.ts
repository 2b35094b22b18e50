import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSegmentation } from '../src/hrv/validate/segmentation.js';
import { normalIntervalFlags, parseRPeaks, referenceFromRPeaks, referenceFromSegments } from '../src/hrv/validate/reference.js';
import { matchBeats } from '../src/hrv/validate/matching.js';
import { intervalHrv, intervalStartIndex, scoreRecording } from '../src/hrv/validate/score.js';
import { summarizeByGroup, summarizeScores } from '../src/hrv/validate/summary.js';
import { parseMetadataCsv, scoresToCsv } from '../src/hrv/validate/table.js';
import { agreement, median, quantile, std, mad } from '../src/core/stats.js';
import { scoreFolder, type EstimateFn } from '../src/node/pipelines/validateFolder.js';
import { runCli } from '../src/cli/program.js';
import { spawnSync } from 'node:child_process';

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

const close = (a: number | null, b: number, eps = 1e-9): boolean => a !== null && Math.abs(a - b) < eps;

test('parseSegmentation: rows, blank lines, CRLF, one-line errors', () => {
  const s = parseSegmentation(TSV.replace(/\n/g, '\r\n'));
  assert.equal(s.length, 17);
  assert.deepEqual(s[1], { startS: 0.5, endS: 0.62, state: 1 });
  assert.throws(() => parseSegmentation('0\t1\n', 'x.tsv'), /x\.tsv:1: expected 3 columns/);
  assert.throws(() => parseSegmentation('0\tabc\t1\n'), /must be numbers/);
  assert.throws(() => parseSegmentation('0\t1\t7\n'), /state must be an integer 0–4/);
  assert.throws(() => parseSegmentation('1\t0.5\t1\n'), /start ≤ end/);
  assert.throws(() => parseSegmentation('1\t2\t1\n0.5\t1\t2\n'), /time order/);
  assert.throws(() => parseSegmentation('\n\n'), /no segments/);
});

test('referenceFromSegments: S1 onsets, RR only between complete cycles, spans split by state 0 only', () => {
  const ref = referenceFromSegments(parseSegmentation(TSV));
  assert.deepEqual(ref.beatTimesS, [0.5, 1.3, 2.12, 3.0, 3.8]);
  assert.deepEqual(ref.intervals.startIndex, [0, 1, 3]);
  assert.ok(close(ref.intervals.rrS[0]!, 0.8) && close(ref.intervals.rrS[1]!, 0.82) && close(ref.intervals.rrS[2]!, 0.8));
  assert.deepEqual(ref.spansS, [[0.5, 2.4], [3.0, 3.92]]);
  // sub-millisecond gaps between rows (as in some CirCor files) do not split a span
  const gappy = referenceFromSegments(parseSegmentation('0.5\t0.62\t1\n0.6202\t0.8\t2\n0.8\t0.9\t3\n'));
  assert.deepEqual(gappy.spansS, [[0.5, 0.9]]);
});

test('matchBeats: optimal one-to-one where greedy nearest-pair matching loses a pair', () => {
  // greedy takes the nearest pair 1.08↔1.05 (30 ms) first and leaves 1.00 and 1.12 unmatched
  const m = matchBeats([1.0, 1.08], [1.05, 1.12], 0.05);
  assert.equal(m.pairs.length, 2);
  assert.deepEqual(Array.from(m.detectedOfTruth), [0, 1]);
  // one detection between two truths goes to the nearer one; never matched twice
  const one = matchBeats([1.0, 1.1], [1.06], 0.1);
  assert.equal(one.pairs.length, 1);
  assert.deepEqual(Array.from(one.detectedOfTruth), [-1, 0]);
  // among equally many pairs, the smallest total offset wins
  const shift = matchBeats([1.0, 2.0], [1.01, 1.99, 2.05], 0.1);
  assert.deepEqual(Array.from(shift.detectedOfTruth), [0, 1]);
  assert.throws(() => matchBeats([2, 1], [], 0.1), /sorted/);
  assert.throws(() => matchBeats([1], [1], 0), /tolerance/);
});

test('matchBeats: tolerance edges are inclusive (exactly ±50 ms counts, 50.1 ms does not)', () => {
  assert.equal(matchBeats([1.0], [1.05], 0.05).pairs.length, 1);
  assert.equal(matchBeats([1.0], [0.95], 0.05).pairs.length, 1);
  assert.equal(matchBeats([1.0], [1.0501], 0.05).pairs.length, 0);
  assert.equal(matchBeats([0.15], [0.1], 0.05).pairs.length, 1); // 0.15 − 0.1 = 0.04999999999999999 in floats
  assert.equal(matchBeats([0.3], [0.2], 0.1).pairs.length, 1); // 0.3 − 0.2 = 0.09999999999999998
});

test('scoreRecording: detections in unknown stretches are ignored, sensitivity/PPV/F1 at both tolerances', () => {
  const ref = referenceFromSegments(parseSegmentation(TSV));
  // perfect beats + junk inside the unannotated gap (2.5–2.95) and before the first span
  const beats = [0.1, 0.2, 0.53, 1.37, 2.12, 2.6, 2.7, 2.8, 3.0, 3.8];
  const row = scoreRecording('r', ref, { beatTimesS: beats, rrS: [], trusted: true });
  assert.equal(row.beats100.truePositives, 5);
  assert.equal(row.beats100.falsePositives, 0);
  assert.equal(row.beats100.f1, 1);
  // at ±50 ms, 1.37 (70 ms late) misses: one FN and one FP inside the span
  assert.equal(row.beats50.truePositives, 4);
  assert.equal(row.beats50.falsePositives, 1);
  assert.equal(row.beats50.falseNegatives, 1);
  assert.ok(close(row.beats50.f1, 0.8));
  assert.equal(row.detectedBeats, 5);
  // an extra detection inside an annotated span is a false positive
  const extra = scoreRecording('r', ref, { beatTimesS: [0.5, 0.9, 1.3, 2.12, 3.0, 3.8], rrS: [] });
  assert.equal(extra.beats100.falsePositives, 1);
  assert.ok(close(extra.beats100.ppv, 5 / 6));
});

test('scoreRecording: HR from intervals inside the spans, RR recovery, SDNN/RMSSD, half rate, refusal', () => {
  const ref = referenceFromSegments(parseSegmentation(TSV));
  const beats = [0.51, 1.31, 2.13, 3.01, 3.81];
  const rrS = [0.8, 0.82, 0.88, 0.8];
  const row = scoreRecording('hand', ref, { beatTimesS: beats, rrS, trusted: true, qualityScore: 0.9 });
  // 2.13 → 3.01 crosses the unknown stretch: left out of HR
  assert.ok(close(row.hrBpm, 60 / ((0.8 + 0.82 + 0.8) / 3)));
  assert.ok(close(row.hrErrorBpm, 0));
  assert.equal(row.hrWithin5Bpm, true);
  assert.equal(row.rrRecovered, 3);
  assert.ok(close(row.rrMaeMs, 0, 1e-6));
  assert.equal(row.halfRate, false);
  // only adjacent intervals form RMSSD pairs: (0.8, 0.82) on both sides
  assert.ok(close(row.refRmssdMs, 20, 1e-6) && close(row.rmssdMs, 20, 1e-6));
  // every other beat: half rate, half of the beats
  const half = scoreRecording('half', ref, { beatTimesS: [0.51, 2.13], rrS: [1.62], trusted: true });
  assert.equal(half.halfRate, true);
  assert.equal(half.beats100.truePositives, 2);
  assert.equal(half.rrRecovered, 0);
  // refused: beats still scored, no HR; the rate flag comes from the unreported intervals
  const refused = scoreRecording('x', ref, { beatTimesS: [0.51, 2.13], rrS: [1.62], trusted: false });
  assert.equal(refused.refused, true);
  assert.equal(refused.hrBpm, null);
  assert.equal(refused.hrWithin5Bpm, false);
  assert.equal(refused.halfRate, true);
  const s = summarizeScores([row, half, refused]);
  assert.equal(s.refused, 1);
  assert.ok(close(s.hr.withinShareOfAll, 1 / 3) && close(s.hr.withinShareOfAccepted, 1 / 2));
  assert.equal(s.hr.halfRate, 1);
  assert.equal(s.hr.halfRateRefused, 1);
  assert.equal(s.beats100.truePositives, 9);
  assert.equal(s.beats100Accepted.truePositives, 7);
  assert.equal(s.rr.reference, 9);
  assert.equal(s.rr.recovered, 3);
});

test('intervalStartIndex and intervalHrv', () => {
  assert.deepEqual(intervalStartIndex([0, 1, 2.5, 3.3], [1, 0.8]), [0, 2]);
  assert.equal(intervalStartIndex([0, 1], [0.7]), null);
  const h = intervalHrv({ rrS: [0.8, 1.0, 0.9], startIndex: [0, 1, 2] });
  assert.ok(close(h.hrBpm, 60 / 0.9));
  assert.ok(close(h.sdnnMs, Math.sqrt(0.02 / 3) * 1000, 1e-6));
  assert.ok(close(h.rmssdMs, Math.sqrt((0.04 + 0.01) / 2) * 1000, 1e-6));
});

test('ECG reference: R peaks, NN intervals (20 % of the 11-interval median), parse errors', () => {
  assert.deepEqual(parseRPeaks('r_peak_s\n0.5\n1.5\n\n2.4\n'), [0.5, 1.5, 2.4]);
  assert.throws(() => parseRPeaks('r\n0.5\nx\n', 'p.csv'), /p\.csv:3: expected a time/);
  assert.throws(() => referenceFromRPeaks([1]), /at least 2/);
  assert.throws(() => referenceFromRPeaks([1, 0.5]), /increasing/);
  // an ectopic beat: short then long interval, both not NN
  const rr = [1, 1, 1, 1, 0.6, 1.4, 1, 1, 1, 1];
  assert.deepEqual(normalIntervalFlags(rr), [true, true, true, true, false, false, true, true, true, true]);
  const peaks = [0];
  for (const r of rr) peaks.push(peaks[peaks.length - 1]! + r);
  const ref = referenceFromRPeaks(peaks);
  assert.equal(ref.intervals.rrS.length, 10);
  assert.ok(close(ref.hrBpm, 60));
  assert.equal(ref.hrvIntervals.rrS.length, 8);
  assert.ok(close(intervalHrv(ref.hrvIntervals).rmssdMs, 0, 1e-6)); // no adjacent pair spans the ectopic beat
});

test('core/stats: quantiles like numpy, std with ddof, MAD, agreement(truth, predicted)', () => {
  assert.equal(median([3, 1, 2, 10]), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75); // numpy.quantile([1,2,3,4], 0.25)
  assert.ok(close(std([1, 2, 3, 4]), Math.sqrt(1.25)) && close(std([1, 2, 3, 4], 1), Math.sqrt(5 / 3)));
  assert.equal(mad([1, 2, 3, 4, 100]), 1);
  const a = agreement([1, 1, 1, null], [2, 3, 4, 5]);
  assert.equal(a.n, 3);
  assert.equal(a.bias, 2); // predicted − truth
  assert.equal(a.sd, 1);
  assert.ok(close(a.loaHigh, 3.96));
  assert.throws(() => agreement([1], [1, 2]), /length mismatch/);
});

const fixturesPcg = fileURLToPath(new URL('../fixtures/pcg/', import.meta.url));
const fixturesEcg = fileURLToPath(new URL('../fixtures/pcg-ecg/', import.meta.url));

test('scoreFolder on the CirCor fixtures (classical), grouping and CSV', async () => {
  const v = await scoreFolder({ dir: fixturesPcg });
  assert.equal(v.rows.length, 4);
  assert.equal(v.summary.refused, 0);
  assert.equal(v.summary.hr.withinShareOfAll, 1);
  assert.ok(v.summary.beats100.f1! > 0.95, JSON.stringify(v.summary.beats100));
  assert.ok(v.summary.beats50.f1! <= v.summary.beats100.f1!);
  const groups = summarizeByGroup(v.rows, (r) => v.metadata!.byName.get(r.name)?.['age_group']);
  assert.equal(groups.reduce((s, g) => s + g.summary.recordings, 0), 4);
  const csv = scoresToCsv(v.rows).trim().split('\n');
  assert.equal(csv.length, 5);
  assert.match(csv[0]!, /^name,reference,.*f1_50ms.*f1_100ms.*rr_mae_ms/);
  assert.deepEqual(parseMetadataCsv('file,age_group\na.wav,Child\n').byName.get('a'), { file: 'a.wav', age_group: 'Child' });
});

test('scoreFolder with the ECG reference on the pcg-ecg fixtures', async () => {
  const v = await scoreFolder({ dir: fixturesEcg, reference: 'ecg' });
  assert.equal(v.rows.length, 2);
  for (const r of v.rows) {
    assert.equal(r.reference, 'ecg');
    const peaks = parseRPeaks(readFileSync(join(fixturesEcg, `${r.name}.rpeaks.csv`), 'utf8'));
    assert.equal(r.refBeats, peaks.length);
    assert.ok(close(r.refHrBpm, 60 / ((peaks[peaks.length - 1]! - peaks[0]!) / (peaks.length - 1)), 1e-9));
    assert.ok(r.beats100.f1! > 0.9, `${r.name}: ${JSON.stringify(r.beats100)}`);
    assert.ok(Math.abs(r.hrErrorBpm!) < 3, `${r.name}: HR error ${r.hrErrorBpm}`);
  }
  // manifest HR agrees with the reference
  const manifest = parseMetadataCsv(readFileSync(join(fixturesEcg, 'manifest.csv'), 'utf8'));
  for (const r of v.rows) assert.ok(Math.abs(Number(manifest.byName.get(r.name)!['hr_bpm']) - r.refHrBpm!) < 0.01);
  // a perfect estimator that returns the R peaks scores 1
  const perfect: EstimateFn = async () => {
    const peaks = parseRPeaks(readFileSync(join(fixturesEcg, 'a0087.rpeaks.csv'), 'utf8'));
    const rrS = peaks.slice(1).map((t, i) => t - peaks[i]!);
    return { beatTimesS: peaks, rrS, heartRateBpm: null, trusted: true, quality: { score: 1 } };
  };
  const p = await scoreFolder({ dir: fixturesEcg, files: ['a0087'], estimate: perfect });
  assert.equal(p.rows[0]!.beats50.f1, 1);
  assert.ok(close(p.rows[0]!.sdnnErrorMs, 0, 1e-6) && close(p.rows[0]!.rmssdErrorMs, 0, 1e-6));
  assert.equal(p.rows[0]!.rrRecoveredShare, 1);
});

/** In-process CLI run for the exit status and stderr (stdout carries the test runner's reports). */
async function cli(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const ew = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(['node', 'hrv-audio', 'validate', ...args]);
    return { code, err: err.join('') };
  } finally {
    process.stderr.write = ew;
  }
}

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
/** The CLI as a process, for stdout. */
function cliProcess(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'validate', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('validate CLI: text, --json, --csv, --by, --files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'validate-'));
  try {
    const csvPath = join(tmp, 'scores.csv');
    const r = cliProcess([fixturesPcg, '--by', 'age_group', '--csv', csvPath, '--files', '85116_TV,68377_PV']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /85116_TV/);
    assert.doesNotMatch(r.out, /74420_MV/);
    assert.match(r.out, /by age_group:/);
    assert.match(r.out, /beats ±50 ms/);
    assert.equal(readFileSync(csvPath, 'utf8').trim().split('\n').length, 3);
    assert.match(readFileSync(csvPath, 'utf8'), /^name,group,/);
    const svgPath = join(tmp, 'ba.svg');
    const j = cliProcess([fixturesEcg, '--json', '--plot', svgPath]);
    assert.match(readFileSync(svgPath, 'utf8'), /^<svg[\s\S]*Bland–Altman/);
    assert.equal(j.code, 0, j.err);
    const parsed = JSON.parse(j.out);
    assert.equal(parsed.rows.length, 2);
    assert.equal(parsed.rows[0].reference, 'ecg');
    assert.equal(parsed.summary.recordings, 2);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('validate --method cnn: the shipped CNN through the gate, its HR scored and no beat scores', () => {
  const r = cliProcess([fixturesPcg, '--method', 'cnn', '--files', '85116_TV']);
  assert.equal(r.code, 0, r.err);
  const row = r.out.split('\n').find((l) => l.startsWith('85116_TV'))!;
  const cells = row.trim().split(/ +/);
  assert.deepEqual(cells.slice(3, 5), ['—', '—']); // no beat F1 for a direct method
  assert.ok(Math.abs(Number(cells[6]) - Number(cells[5])) < 5, row); // HR within 5 bpm of the annotated rate
  assert.match(r.out, /beats: — \(the method predicts HR directly/);
  assert.match(r.out, /HR error \(accepted, n = 1\)/);
  assert.match(r.out, /SDNN\/RMSSD: — \(not scored/);
});

test('validate CLI errors: one line, exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[fixturesPcg, '--method', 'magic'], /method must be one of learned, classical, cnn; got 'magic'/],
    [[fixturesPcg, '--reference', 'x'], /reference must be one of auto, segmentation, ecg/],
    [[fixturesPcg, '--reference', 'ecg'], /no NAME\.wav with a reference \(NAME\.rpeaks\.csv\)/],
    [['/nonexistent-dir'], /not a folder/],
    [[fixturesPcg, '--files', 'nope'], /no nope\.wav/],
    [[fixturesPcg, '--by', 'colour'], /no column 'colour'.*age_group/],
    [[fixturesPcg, '--model', 'models/cnn'], /a model folder is only used with method cnn/],
    [[fixturesPcg, '--method', 'cnn', '--model', '/nonexistent-model'], /nonexistent-model/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'validate-'));
  try {
    writeFileSync(join(tmp, 'a.wav'), 'not a wav');
    writeFileSync(join(tmp, 'a.tsv'), '0\t1\t1\n');
    const r = await cli([tmp]);
    assert.equal(r.code, 2);
    assert.match(r.err, /a\.wav/);
    assert.ok(!existsSync(join(tmp, 'out.csv')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('legacy API (src/hrv/validate.ts, src/io/annotations.ts) gives the new scorer figures', async () => {
  const legacy = await import('../src/hrv/validate.js');
  const io = await import('../src/io/annotations.js');
  const seg = io.parseSegmentation(TSV);
  const det = { beatTimesS: [0.51, 1.31, 1.4, 2.13, 3.01, 3.81], rrS: [0.8, 0.82, 0.88, 0.8], rrStartIndex: [0, 1, 3, 4] };
  const old100 = legacy.scoreRecording('x', seg, det);
  const old50 = legacy.scoreRecording('x', seg, det, { toleranceS: 0.05 });
  const now = scoreRecording('x', referenceFromSegments(seg), det);
  assert.equal(old100.truePositives, now.beats100.truePositives);
  assert.equal(old100.falsePositives, 1);
  assert.equal(old50.falsePositives, now.beats50.falsePositives);
  assert.equal(old100.hrBpm, now.hrBpm);
  assert.deepEqual(legacy.referenceBeats(seg).s1OnsetsS, [0.5, 1.3, 2.12, 3.0, 3.8]);
  const s = legacy.summarizeValidation([old100]);
  assert.equal(s.within5BpmShare, 1);
  assert.equal(s.ppv, 5 / 6);
});
