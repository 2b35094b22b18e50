/**
 * `train-segmenter` (Node): load a segmented folder (circor-train), patient-level K-fold
 * cross-validation (train on K−1 folds, decode and score the held-out patients), then the final
 * model on every patient, written with its bundle.json.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readWav } from '../files/wav.js';
import { readSegmentation, type Segment } from '../../io/annotations.js';
import { writeFileAtomic } from '../files/atomicWrite.js';
import { folderIOHandler } from '../files/modelStore.js';
import { packageVersion } from '../files/packageVersion.js';
import { FastRng, shuffleInPlace } from '../../signal/rng.js';
import { segmenterFeatures, SEGMENTER_FRONT_END_DEFAULTS, type SegmenterFrontEnd, type SegmenterFeatures } from '../../hrv/learned/features.js';
import { frameLabels } from '../../hrv/learned/labels.js';
import { decodeSegmentation, type DecoderOptions } from '../../hrv/learned/decode.js';
import { predictPosteriors, SEGMENTER_ARCHITECTURE_DEFAULTS, type SegmenterArchitecture } from '../../model/architectures/segmenter.js';
import { trainSegmenter, SEGMENTER_TRAIN_DEFAULTS, type SegmenterTrainOptions } from '../../model/training/segmenterTrain.js';
import type { SegmenterBundle } from '../../model/segmenterBundle.js';
import { scoreRecording, summarizeValidation, type ValidationRow } from '../../hrv/validate.js';
import { listSegmentedFolder, type SegmentedRecording } from '../files/segmentedFolder.js';

/** A loaded training recording. */
export interface LoadedRecording {
  rec: SegmentedRecording;
  segments: Segment[];
  features: SegmenterFeatures;
  labels: Uint8Array;
  durationS: number;
}

/** Read every recording of `dir` and compute its features and frame labels. */
export async function loadSegmentedRecordings(dir: string, frontEnd: Readonly<SegmenterFrontEnd> = SEGMENTER_FRONT_END_DEFAULTS, limit = Infinity): Promise<LoadedRecording[]> {
  const recs = listSegmentedFolder(dir).slice(0, limit);
  const out: LoadedRecording[] = [];
  for (const rec of recs) {
    const audio = readWav(rec.wavPath);
    const segments = await readSegmentation(rec.tsvPath);
    const features = segmenterFeatures(audio.samples, audio.sampleRateHz, frontEnd);
    out.push({ rec, segments, features, labels: frameLabels(segments, features.nFrames, features.frameRateHz), durationS: audio.samples.length / audio.sampleRateHz });
  }
  return out;
}

/** Patient-level folds: fold index per recording (patients shuffled with `seed`, dealt round-robin). */
export function patientFolds(patientIds: readonly string[], k: number, seed: number): number[] {
  const unique = [...new Set(patientIds)].sort();
  shuffleInPlace(unique, new FastRng(seed));
  const foldOf = new Map(unique.map((p, i) => [p, i % k]));
  return patientIds.map((p) => foldOf.get(p)!);
}

/** A scored held-out recording with the decoder's details. */
export interface CvRow extends ValidationRow {
  fold: number;
  ageGroup: string;
  murmur: string;
  sensitivity50: number | null;
  ppv50: number | null;
  chosenBpm: number | null;
  frameAccuracy: number | null;
}

/** Options of {@link runSegmenterTraining}. */
export interface SegmenterTrainingRun {
  dir: string;
  out: string | null;
  folds: number;
  seed: number;
  train: Partial<SegmenterTrainOptions>;
  architecture?: Partial<SegmenterArchitecture>;
  decoder?: Partial<DecoderOptions>;
  /** Only the first N recordings (quick runs). */
  limit?: number;
  /** Skip the final model (CV only). */
  cvOnly?: boolean;
  log?: (line: string) => void;
}

/** CV summary figures. */
export interface CvSummary {
  recordings: number;
  f1At100: number | null;
  f1At50: number | null;
  sensitivity: number | null;
  ppv: number | null;
  within5BpmShare: number;
  halfOrDoubleRate: number;
  frameAccuracy: number | null;
  rrMaeNote?: string;
  sdnnMaeMs: number | null;
  rmssdMaeMs: number | null;
  byGroup: Record<string, { n: number; f1At100: number | null; f1At50: number | null; within5BpmShare: number }>;
}

const f1Of = (tp: number, fp: number, fn: number): number | null => (tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : null);

/** Summarise CV rows (pooled F1 at ±100 and ±50 ms, HR within 5 bpm, half/double-rate count, groups). */
export function summariseCv(rows: readonly CvRow[], rows50: readonly ValidationRow[]): CvSummary {
  const s = summarizeValidation(rows, 0.1);
  const tp = rows.reduce((a, r) => a + r.truePositives, 0);
  const fp = rows.reduce((a, r) => a + r.falsePositives, 0);
  const fn = rows.reduce((a, r) => a + r.falseNegatives, 0);
  const tp5 = rows50.reduce((a, r) => a + r.truePositives, 0);
  const fp5 = rows50.reduce((a, r) => a + r.falsePositives, 0);
  const fn5 = rows50.reduce((a, r) => a + r.falseNegatives, 0);
  const halfDouble = rows.filter((r) => r.hrBpm !== null && r.refHrBpm !== null && (Math.abs(r.hrBpm / r.refHrBpm - 2) < 0.15 || Math.abs(r.hrBpm / r.refHrBpm - 0.5) < 0.075)).length;
  const acc = rows.filter((r) => r.frameAccuracy !== null).map((r) => r.frameAccuracy!);
  const byGroup: CvSummary['byGroup'] = {};
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    for (const key of [`age:${r.ageGroup || 'unknown'}`, `murmur:${r.murmur || 'unknown'}`]) {
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(i);
    }
  });
  for (const [key, idx] of [...groups.entries()].sort()) {
    const g = idx.map((i) => rows[i]!);
    const g5 = idx.map((i) => rows50[i]!);
    byGroup[key] = {
      n: g.length,
      f1At100: f1Of(g.reduce((a, r) => a + r.truePositives, 0), g.reduce((a, r) => a + r.falsePositives, 0), g.reduce((a, r) => a + r.falseNegatives, 0)),
      f1At50: f1Of(g5.reduce((a, r) => a + r.truePositives, 0), g5.reduce((a, r) => a + r.falsePositives, 0), g5.reduce((a, r) => a + r.falseNegatives, 0)),
      within5BpmShare: summarizeValidation(g, 0.1).within5BpmShare,
    };
  }
  return {
    recordings: rows.length,
    f1At100: f1Of(tp, fp, fn),
    f1At50: f1Of(tp5, fp5, fn5),
    sensitivity: s.sensitivity,
    ppv: s.ppv,
    within5BpmShare: s.within5BpmShare,
    halfOrDoubleRate: halfDouble,
    frameAccuracy: acc.length ? acc.reduce((a, b) => a + b, 0) / acc.length : null,
    sdnnMaeMs: s.sdnnMaeMs,
    rmssdMaeMs: s.rmssdMaeMs,
    byGroup,
  };
}

/** Decode and score held-out recordings with a trained model. */
export function scoreHeldOut(model: tfl.LayersModel, arch: Readonly<SegmenterArchitecture>, data: readonly LoadedRecording[], fold: number, decoder: Partial<DecoderOptions> = {}): { rows: CvRow[]; rows50: ValidationRow[] } {
  const rows: CvRow[] = [];
  const rows50: ValidationRow[] = [];
  for (const d of data) {
    const f = d.features;
    const post = predictPosteriors(model, arch, f.values, f.nFrames);
    const seg = decodeSegmentation(post, f.nFrames, f.frameRateHz, f.envelope, f.envelopeRateHz, decoder);
    let ok = 0;
    let known = 0;
    for (let t = 0; t < f.nFrames; t++) {
      if (d.labels[t]) {
        known++;
        if (seg.states[t]! + 1 === d.labels[t]) ok++;
      }
    }
    const base = scoreRecording(d.rec.name, d.segments, seg, { toleranceS: 0.1, durationS: d.durationS });
    rows50.push(scoreRecording(d.rec.name, d.segments, seg, { toleranceS: 0.05, durationS: d.durationS }));
    const r50 = rows50[rows50.length - 1]!;
    rows.push({
      ...base,
      fold,
      ageGroup: d.rec.meta.age_group ?? '',
      murmur: d.rec.meta.murmur ?? '',
      sensitivity50: r50.sensitivity,
      ppv50: r50.ppv,
      chosenBpm: seg.details.chosenBpm,
      frameAccuracy: known ? ok / known : null,
    });
  }
  return { rows, rows50 };
}

/** Run CV (and the final training unless cvOnly); returns the CV summary and rows. */
export async function runSegmenterTraining(run: SegmenterTrainingRun): Promise<{ summary: CvSummary | null; rows: CvRow[]; bundle: SegmenterBundle | null }> {
  const log = run.log ?? (() => {});
  const frontEnd = SEGMENTER_FRONT_END_DEFAULTS;
  const arch: SegmenterArchitecture = { ...SEGMENTER_ARCHITECTURE_DEFAULTS, ...run.architecture, nFeatures: frontEnd.features.length };
  const trainOptions: SegmenterTrainOptions = { ...SEGMENTER_TRAIN_DEFAULTS, ...run.train, seed: run.seed };
  const t0 = Date.now();
  const data = await loadSegmentedRecordings(run.dir, frontEnd, run.limit ?? Infinity);
  log(`loaded ${data.length} recordings in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const folds = patientFolds(data.map((d) => d.rec.patientId), Math.max(1, run.folds), run.seed);
  const rows: CvRow[] = [];
  const rows50: ValidationRow[] = [];
  if (run.folds >= 2) {
    for (let k = 0; k < run.folds; k++) {
      const train = data.filter((_, i) => folds[i] !== k);
      const test = data.filter((_, i) => folds[i] === k);
      const { model } = trainSegmenter(
        train.map((d) => ({ features: d.features.values, nFrames: d.features.nFrames, labels: d.labels })),
        arch,
        trainOptions,
        (e, l, s) => log(`fold ${k + 1}/${run.folds} epoch ${e}/${trainOptions.epochs} loss ${l.toFixed(4)} (${s.toFixed(1)} s)`),
      );
      const scored = scoreHeldOut(model, arch, test, k, run.decoder);
      rows.push(...scored.rows);
      rows50.push(...scored.rows50);
      model.dispose();
      const s = summariseCv(scored.rows, scored.rows50);
      log(`fold ${k + 1}: F1 ±100 ${s.f1At100?.toFixed(3)} ±50 ${s.f1At50?.toFixed(3)} HR≤5 ${(100 * s.within5BpmShare).toFixed(1)} % half/double ${s.halfOrDoubleRate}`);
    }
  }
  const summary = rows.length ? summariseCv(rows, rows50) : null;
  if (summary) log(`CV: ${JSON.stringify({ ...summary, byGroup: undefined })}`);
  let bundle: SegmenterBundle | null = null;
  if (!run.cvOnly && run.out) {
    const { model } = trainSegmenter(
      data.map((d) => ({ features: d.features.values, nFrames: d.features.nFrames, labels: d.labels })),
      arch,
      trainOptions,
      (e, l, s) => log(`final epoch ${e}/${trainOptions.epochs} loss ${l.toFixed(4)} (${s.toFixed(1)} s)`),
    );
    bundle = {
      formatVersion: 1,
      architecture: arch,
      frontEnd: { ...frontEnd },
      targets: ['S1', 'systole', 'S2', 'diastole'],
      decoder: { ...(run.decoder ?? {}) },
      training: {
        data: `${data.length} recordings of ${new Set(data.map((d) => d.rec.patientId)).size} patients (${run.dir.split('/').filter(Boolean).pop()})`,
        seed: run.seed,
        cv: summary ? { folds: run.folds, ...summary } : null,
        options: { ...trainOptions },
      },
      packageVersion: packageVersion(),
    };
    mkdirSync(run.out, { recursive: true });
    await model.save(folderIOHandler(run.out));
    writeFileAtomic(join(run.out, 'bundle.json'), JSON.stringify(bundle, null, 2) + '\n');
    if (rows.length) writeFileAtomic(join(run.out, 'cv-rows.json'), JSON.stringify(rows) + '\n');
    model.dispose();
  }
  void tf;
  return { summary, rows, bundle };
}
