/**
 * Evaluation helper for the issue-4 follow-up (docs/notes/issue-4-detector.md): scores
 * `detectBeats` on an annotated folder like `hrv-audio validate`, on one half of the files, on a
 * perturbed copy, and with option overrides. Not part of the package (not under src/).
 *
 *   node --import tsx scripts/eval-detector-generality.ts [DIR] [--half=odd|even] \
 *     [--pert=none|snr10|snr5|scale0.01|scale100|rs2000] [--opts='{"rrClean":{"pairDifference":0}}'] [-v]
 *
 * Prints one JSON line: HR within 5/2 bpm (%), median |HR error|, SDNN/RMSSD MAE (ms), pooled S1
 * sensitivity/PPV, and the number of reference and detected intervals. --half picks files by their
 * 0-based index in name order. Noise: white Gaussian at the given SNR relative to the recording's
 * total (mean-removed) power, FastRng seed 1000 + file index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation } from '../src/hrv/validate/segmentation.js';
import { referenceFromSegments } from '../src/hrv/validate/reference.js';
import { resample } from '../src/dsp/resample.js';
import { detectBeats } from '../src/hrv/classical/detectBeats.js';
import { scoreRecording } from '../src/hrv/validate/score.js';
import { summarizeScores } from '../src/hrv/validate/summary.js';
import { FastRng } from '../src/signal/rng.js';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('-')) ?? '../shared/data/pcg-real';
const pert = args.find((a) => a.startsWith('--pert='))?.slice(7) ?? 'none';
const opts = JSON.parse(args.find((a) => a.startsWith('--opts='))?.slice(7) ?? '{}');
const half = args.find((a) => a.startsWith('--half='))?.slice(7);
const verbose = args.includes('-v');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.wav'))
  .sort()
  .map((f) => f.slice(0, -4));
const rows = [];
for (let i = 0; i < names.length; i++) {
  if ((half === 'even' && i % 2 !== 0) || (half === 'odd' && i % 2 !== 1)) continue;
  const n = names[i]!;
  const segs = parseSegmentation(readFileSync(join(dir, n + '.tsv'), 'utf8'));
  const a = readWav(join(dir, n + '.wav'));
  let x: Float32Array = a.samples;
  let fs = a.sampleRateHz;
  if (pert.startsWith('snr')) {
    const db = Number(pert.slice(3));
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let p = 0;
    for (const v of x) p += (v - m) ** 2;
    const sd = Math.sqrt(p / x.length / 10 ** (db / 10));
    const rng = new FastRng(1000 + i);
    x = Float32Array.from(x, (v) => v + rng.normal(0, sd));
  } else if (pert.startsWith('scale')) {
    const g = Number(pert.slice(5));
    x = Float32Array.from(x, (v) => v * g);
  } else if (pert === 'rs2000') {
    x = resample(x, fs, 2000);
    fs = 2000;
  }
  const row = scoreRecording(n, referenceFromSegments(segs), detectBeats(x, fs, { signal: 'pcg', ...opts }));
  rows.push(row);
  if (verbose) console.log(JSON.stringify(row));
}
const s = summarizeScores(rows);
console.log(
  JSON.stringify({
    pert,
    half: half ?? 'all',
    within5: +(100 * s.hr.withinShareOfAll!).toFixed(1),
    within2: +((100 * rows.filter((r) => r.hrErrorBpm !== null && Math.abs(r.hrErrorBpm) <= 2).length) / rows.length).toFixed(1),
    medianAbsHrErr: +s.hr.agreement.medianAbsError!.toFixed(3),
    sdnnMae: +s.sdnn.mae!.toFixed(2),
    rmssdMae: +s.rmssd.mae!.toFixed(2),
    sens: +s.beats100.sensitivity!.toFixed(4),
    ppv: +s.beats100.ppv!.toFixed(4),
    refIntervals: rows.reduce((t, r) => t + r.refIntervals, 0),
    intervals: rows.reduce((t, r) => t + r.hrvIntervals, 0),
  }),
);
