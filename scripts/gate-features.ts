/**
 * Dump the gate's evidence for every recording in a folder (issue 11; not part of the package).
 *
 *   nice -n 10 node --import tsx scripts/gate-features.ts DIR [--every=N] > out.jsonl
 *
 * One JSON line per .wav: the classical estimate (HR, quality, trusted), the gate's evidence
 * (spectrum, events, rhythm), and the reference HR when DIR has annotations (.tsv segmentations:
 * HR over complete annotated cycles; .rpeaks.csv: 60 / mean R-R) and the annotated share.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation } from '../src/hrv/validate/segmentation.js';
import { analysisRateFor, resample } from '../src/dsp/resample.js';
import { DEFAULT_MIN_QUALITY, detectSegmented } from '../src/hrv/estimate.js';
import { referenceBeats, scoreRecording } from '../src/hrv/validate.js';
import { gateEvidence } from '../src/hrv/gate/evidence.js';
import { gate } from '../src/hrv/gate/index.js';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('-'))!;
const every = Number(args.find((a) => a.startsWith('--every='))?.slice(8) ?? 1);
const names = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort();
for (let i = 0; i < names.length; i += every) {
  const f = names[i]!;
  const base = f.slice(0, -4);
  const a = readWav(join(dir, f));
  const rate = analysisRateFor(a.sampleRateHz);
  const x = rate !== a.sampleRateHz ? resample(a.samples, a.sampleRateHz, rate) : a.samples;
  const durationS = a.samples.length / a.sampleRateHz;
  const det = detectSegmented(x, rate, 'auto', false);
  const trusted = det.quality.score >= DEFAULT_MIN_QUALITY && det.rrS.length > 0;
  const r = { ...det, trusted, heartRateBpm: det.rrS.length ? (60 * det.rrS.length) / det.rrS.reduce((p, q) => p + q, 0) : null };
  const t0 = performance.now();
  const ev = gateEvidence(x, rate, r);
  const g = gate(x, rate, det);
  const gateMs = performance.now() - t0;
  const row: Record<string, unknown> = {
    name: base,
    hr: r.heartRateBpm,
    q: r.quality.score,
    trusted: r.trusted,
    nRr: r.rrS.length,
    gate: { verdict: g.verdict, hr: g.heartRateBpm, reasons: g.reasons, mid: g.evidence.midCycleEventRatio },
    ...ev,
    gateMs,
    signalType: det.signalType,
  };
  const tsv = join(dir, base + '.tsv');
  const rp = join(dir, base + '.rpeaks.csv');
  if (existsSync(tsv)) {
    const segs = parseSegmentation(readFileSync(tsv, 'utf8'));
    const ref = referenceBeats(segs);
    const ann = ref.annotatedSpansS.reduce((s, [p, q]) => s + q - p, 0) / durationS;
    const sc = scoreRecording(base, segs, r, { durationS });
    const scG = scoreRecording(base, segs, g, { durationS });
    row.refHr = sc.refHrBpm;
    row.scoredHr = sc.hrBpm;
    row.gateScoredHr = scG.hrBpm;
    row.annotated = ann;
  } else if (existsSync(rp)) {
    const t = readFileSync(rp, 'utf8').split(/\s+/).filter((s) => s !== '').map(Number).filter((v) => Number.isFinite(v));
    row.refHr = t.length > 1 ? (60 * (t.length - 1)) / (t[t.length - 1]! - t[0]!) : null;
    row.scoredHr = r.heartRateBpm;
    row.gateScoredHr = g.heartRateBpm;
    row.annotated = 1;
  }
  console.log(JSON.stringify(row));
}
