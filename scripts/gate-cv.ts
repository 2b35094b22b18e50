/**
 * Out-of-fold (OOF) check of the verdict (issue 11): patient-level K folds on circor-train with
 * the training API and settings of `train-segmenter` (same folds, same seed), and for each fold
 * the FULL public estimate path (`estimate(…, { method: 'learned', signal: 'pcg' })`: learned
 * segmenter + gate + classical corroboration) on the held-out patients with that fold's weights.
 * Scoring is the validate scorer's (reference HR from the .tsv annotations).
 *
 *   node --import tsx scripts/gate-cv.ts [DATA] [--cache DIR] [--folds K] [--seed N] [--train-only] [--only-fold k] [--retrain]
 *
 * - Fold weights are cached in `<cache>/fold-<k>/` (model.json, weights.bin, bundle.json) and
 *   reused: change the gate, rerun, no retraining. `--retrain` forces training.
 * - Per recording, one JSON line in `<cache>/oof.jsonl`: file, fold, hrBpm, refHrBpm, rawHrBpm,
 *   annotatedFraction, verdict, trusted, quality, reasons, halfRate/doubleRate flags, the
 *   decoder's candidate rates and HSMM scores.
 * - Summary (the table rows 2–4 and "good within 5 bpm", counts) printed at the end;
 *   with patient-bootstrap intervals and the good-threshold sweep: `python3 scripts/gate_cv_summary.py <cache>/oof.jsonl --sweep`.
 *
 * Defaults: DATA /work/shared/data/circor-train, cache .cache/gate-cv, 5 folds, seed 42 (SEGMENTER_TRAIN_DEFAULTS).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initNodeBackend } from '../src/node/backend.js';
import { folderIOHandler } from '../src/node/files/modelStore.js';
import { writeFileAtomic } from '../src/node/files/atomicWrite.js';
import { readWav } from '../src/node/files/wav.js';
import { readSegmentation } from '../src/node/files/annotations.js';
import { listSegmentedFolder } from '../src/node/files/segmentedFolder.js';
import { folderSegmenterSource } from '../src/node/files/segmenterStore.js';
import { loadSegmentedRecordings, patientFolds } from '../src/node/pipelines/trainSegmenter.js';
import { SEGMENTER_FRONT_END_DEFAULTS } from '../src/hrv/learned/features.js';
import { SEGMENTER_ARCHITECTURE_DEFAULTS, type SegmenterArchitecture } from '../src/model/architectures/segmenter.js';
import { trainSegmenter, SEGMENTER_TRAIN_DEFAULTS, type SegmenterTrainOptions } from '../src/model/training/segmenterTrain.js';
import { setSegmenterSource } from '../src/hrv/learned/estimator.js';
import { estimate } from '../src/hrv/estimate.js';
import { referenceFromSegments } from '../src/hrv/validate/reference.js';
import { scoreRecording } from '../src/hrv/validate/score.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--cache', '--folds', '--seed', '--only-fold'].includes(args[i - 1]!)));
const dataDir = positional[0] ?? '/work/shared/data/circor-train';
const cacheDir = opt('--cache', '.cache/gate-cv');
const K = Number(opt('--folds', '5'));
const seed = Number(opt('--seed', String(SEGMENTER_TRAIN_DEFAULTS.seed)));
const onlyFold = opt('--only-fold', '');
const log = (s: string): void => void process.stderr.write(s + '\n');

await initNodeBackend('wasm');
mkdirSync(cacheDir, { recursive: true });
// every recording: the folds must be the same as when the cached fold models were trained
const recs = listSegmentedFolder(dataDir);
const folds = patientFolds(
  recs.map((r) => r.patientId),
  K,
  seed,
);
const foldDir = (k: number): string => join(cacheDir, `fold-${k}`);

// 1. training (cached)
const cachedFits = (k: number): boolean => {
  const path = join(foldDir(k), 'bundle.json');
  if (!existsSync(path)) return false;
  const b = JSON.parse(readFileSync(path, 'utf8')) as { training?: { seed?: number; data?: string } };
  // a model cached for other folds or another seed would have seen held-out patients
  return b.training?.seed === seed && (b.training.data ?? '').startsWith(`fold ${k} of ${K} `);
};
const missing = [...Array(K).keys()].filter((k) => flag('--retrain') || !cachedFits(k));
if (missing.length) {
  const t0 = Date.now();
  const frontEnd = SEGMENTER_FRONT_END_DEFAULTS;
  const data = await loadSegmentedRecordings(dataDir, frontEnd);
  log(`loaded ${data.length} recordings in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const arch: SegmenterArchitecture = { ...SEGMENTER_ARCHITECTURE_DEFAULTS, nFeatures: frontEnd.features.length };
  const trainOptions: SegmenterTrainOptions = { ...SEGMENTER_TRAIN_DEFAULTS, seed };
  for (const k of missing) {
    const train = data.filter((_, i) => folds[i] !== k);
    const { model } = trainSegmenter(
      train.map((d) => ({ features: d.features.values, nFrames: d.features.nFrames, labels: d.labels })),
      arch,
      trainOptions,
      (e, l, s) => log(`fold ${k + 1}/${K} epoch ${e}/${trainOptions.epochs} loss ${l.toFixed(4)} (${s.toFixed(1)} s)`),
    );
    mkdirSync(foldDir(k), { recursive: true });
    await model.save(folderIOHandler(foldDir(k)));
    const bundle = {
      formatVersion: 1,
      architecture: arch,
      frontEnd: { ...frontEnd },
      targets: ['S1', 'systole', 'S2', 'diastole'],
      decoder: {},
      training: { data: `fold ${k} of ${K} (seed ${seed}), ${train.length} recordings`, seed, cv: null, options: { ...trainOptions } },
      packageVersion: 'gate-cv',
    };
    writeFileAtomic(join(foldDir(k), 'bundle.json'), JSON.stringify(bundle, null, 2) + '\n');
    model.dispose();
    log(`fold ${k + 1}/${K}: trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}
if (flag('--train-only')) process.exit(0);

// 2. the full estimate path on each fold's held-out recordings
const lines: string[] = [];
const t1 = Date.now();
for (let k = 0; k < K; k++) {
  if (onlyFold !== '' && Number(onlyFold) !== k) continue;
  setSegmenterSource(folderSegmenterSource(foldDir(k)));
  const held = recs.filter((_, i) => folds[i] === k);
  for (const rec of held) {
    const audio = readWav(rec.wavPath);
    const durationS = audio.samples.length / audio.sampleRateHz;
    const ref = referenceFromSegments(await readSegmentation(rec.tsvPath));
    const est = await estimate(audio.samples, audio.sampleRateHz, { method: 'learned', signal: 'pcg' });
    const det = { beatTimesS: est.beatTimesS, rrS: est.rrS, trusted: est.trusted, qualityScore: est.quality.score, heartRateBpm: est.heartRateBpm };
    const s = scoreRecording(rec.name, ref, det);
    const d = (est.details ?? {}) as Record<string, unknown>;
    lines.push(
      JSON.stringify({
        file: rec.name,
        patient: rec.patientId,
        fold: k,
        hrBpm: s.hrBpm,
        estimateHrBpm: est.heartRateBpm,
        refHrBpm: s.refHrBpm,
        rawHrBpm: s.rawHrBpm,
        hrRatio: s.hrRatio,
        annotatedFraction: s.scoredS / durationS,
        durationS,
        verdict: est.verdict,
        trusted: est.trusted,
        quality: est.quality.score,
        reasons: est.quality.reasons,
        within5: s.hrWithin5Bpm,
        halfRate: s.halfRate,
        doubleRate: s.doubleRate,
        candidatesBpm: d.candidatesBpm ?? null,
        scores: d.scores ?? null,
        chosenBpm: d.chosenBpm ?? null,
        rate: d.rate ?? null,
        rhythm: d.rhythm ?? null,
        nIntervals: est.nIntervals,
        f1At100: s.beats100.f1,
      }),
    );
    if (lines.length % 50 === 0) log(`${lines.length} recordings (${((Date.now() - t1) / 1000).toFixed(0)} s)`);
  }
}
const outPath = join(cacheDir, onlyFold !== '' ? `oof-fold${onlyFold}.jsonl` : 'oof.jsonl');
writeFileSync(outPath, lines.join('\n') + '\n');
log(`wrote ${lines.length} rows to ${outPath} in ${((Date.now() - t1) / 1000).toFixed(0)} s`);

// the table rows 2–4 and "good within 5 bpm", over recordings ≥ 50 % annotated
const rows = lines.map((l) => JSON.parse(l) as { refHrBpm: number | null; annotatedFraction: number; trusted: boolean; within5: boolean; verdict: string; halfRate: boolean; doubleRate: boolean });
const sel = rows.filter((r) => r.refHrBpm !== null && r.annotatedFraction >= 0.5);
const trusted = sel.filter((r) => r.trusted);
const good = trusted.filter((r) => r.verdict === 'good');
const pc = (a: number, b: number): string => `${a}/${b} = ${b ? ((100 * a) / b).toFixed(1) : '-'} %`;
log(`≥ 50 % annotated: ${sel.length}`);
log(`trusted: ${pc(trusted.length, sel.length)}`);
log(`of those > 5 bpm off: ${pc(trusted.filter((r) => !r.within5).length, trusted.length)}`);
log(`half/double-rate at verdict good: ${good.filter((r) => r.halfRate || r.doubleRate).length}`);
log(`verdict good within 5 bpm: ${pc(good.filter((r) => r.within5).length, good.length)}`);
