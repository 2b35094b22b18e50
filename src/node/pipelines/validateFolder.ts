/**
 * `scoreFolder`: run a method on every recording of a folder that has a reference and score it
 * with the one scorer of src/hrv/validate (S1/beat F1 at ±50/±100 ms, HR, RR, SDNN/RMSSD).
 * References: `NAME.tsv` segmentations (CirCor style) or `NAME.rpeaks.csv` ECG R peaks
 * (pcg-ecg). Node-only.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { readWav } from '../files/wav.js';
import { estimate } from '../../hrv/estimate.js';
import { METHODS, type Method } from '../../core/choices.js';
import { prepareLearnedNode } from '../learnedSetup.js';
import { cnnModelFor } from './estimateFile.js';
import { referenceFromRPeaks, referenceFromSegments, type BeatReference, type ReferenceKind } from '../../hrv/validate/reference.js';
import { scoreRecording, type DetectionForScoring, type RecordingScore } from '../../hrv/validate/score.js';
import { summarizeScores, type ScoreSummary } from '../../hrv/validate/summary.js';
import type { Metadata } from '../../hrv/validate/table.js';
import { readFolderMetadata, readRPeaks, readSegmentation } from '../files/annotations.js';

/** Methods `validate` accepts: core/choices' METHODS. */
export const VALIDATE_METHODS = METHODS;
export type ValidateMethod = Method;
/** Reference choices: auto = the segmentation when `NAME.tsv` exists, else the ECG R peaks. */
export const REFERENCE_CHOICES = ['auto', 'segmentation', 'ecg'] as const;
export type ReferenceChoice = (typeof REFERENCE_CHOICES)[number];

/** What scoring reads from an estimate (today's `EstimateResult` and the seam's both fit). */
export interface EstimateForScoring {
  beatTimesS: number[];
  rrS: number[];
  rrStartIndex?: number[];
  heartRateBpm: number | null;
  trusted: boolean;
  quality: { score: number };
}

/** An estimator as scoreFolder calls it: the library's `estimate` with a method (and, for cnn, a model folder). */
export type EstimateFn = (samples: Float32Array, sampleRateHz: number, options: { method: ValidateMethod; modelDir?: string }) => Promise<EstimateForScoring>;

/**
 * The library's estimate for a method, gate included: the one place scoring calls it. Method cnn
 * runs the model of `modelDir`, default the shipped real-audio CNN (`models/cnn`), as `estimate` does;
 * other methods ignore `modelDir` ({@link scoreFolder} refuses it for them).
 */
export async function defaultEstimate(samples: Float32Array, sampleRateHz: number, options: { method: ValidateMethod; modelDir?: string }): Promise<EstimateForScoring> {
  if (options.method === 'learned') await prepareLearnedNode();
  const model = options.method === 'cnn' ? await cnnModelFor(options.modelDir) : undefined;
  return estimate(samples, sampleRateHz, { method: options.method, signal: 'pcg', ...(model ? { model } : {}) });
}

/** Parse a method name; throws InputError "method must be one of …". */
export function parseValidateMethod(value: unknown): ValidateMethod {
  if (typeof value === 'string' && (VALIDATE_METHODS as readonly string[]).includes(value)) return value as ValidateMethod;
  throw new InputError(`method must be one of ${VALIDATE_METHODS.join(', ')}; got '${String(value)}'`);
}

/** Parse a reference choice; throws InputError. */
export function parseReferenceChoice(value: unknown): ReferenceChoice {
  if (typeof value === 'string' && (REFERENCE_CHOICES as readonly string[]).includes(value)) return value as ReferenceChoice;
  throw new InputError(`reference must be one of ${REFERENCE_CHOICES.join(', ')}; got '${String(value)}'`);
}

/** Options of {@link scoreFolder}. */
export interface ScoreFolderOptions {
  dir: string;
  /** Recording names (with or without `.wav`) to score; default: every WAV with a reference. */
  files?: readonly string[];
  /** Default 'auto'. */
  reference?: ReferenceChoice;
  /** Default 'classical'. */
  method?: ValidateMethod;
  /** Model folder for method cnn; default the shipped real-audio CNN. */
  modelDir?: string;
  /** Default {@link defaultEstimate}. */
  estimate?: EstimateFn;
  /** Called after each recording. */
  onProgress?: (done: number, total: number, name: string) => void;
}

/** Scores of a folder. */
export interface FolderScores {
  dir: string;
  method: ValidateMethod;
  reference: ReferenceChoice;
  rows: RecordingScore[];
  summary: ScoreSummary;
  /** The folder's recordings.csv / manifest.csv, when there is one. */
  metadata: Metadata | null;
  /** Estimator compute time, s, and audio duration, s. */
  computeS: number;
  audioS: number;
}

interface Job {
  name: string;
  wav: string;
  kind: ReferenceKind;
  refPath: string;
}

function referencePaths(dir: string, name: string): Record<ReferenceKind, string> {
  return { segmentation: join(dir, `${name}.tsv`), ecg: join(dir, `${name}.rpeaks.csv`) };
}

function pickReference(dir: string, name: string, choice: ReferenceChoice): Job | null {
  const p = referencePaths(dir, name);
  const wav = join(dir, `${name}.wav`);
  for (const kind of choice === 'auto' ? (['segmentation', 'ecg'] as const) : [choice]) {
    if (existsSync(p[kind])) return { name, wav, kind, refPath: p[kind] };
  }
  return null;
}

function listJobs(dir: string, files: readonly string[] | undefined, choice: ReferenceChoice): Job[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`not a folder: ${dir}`);
  const want = choice === 'auto' ? 'NAME.tsv or NAME.rpeaks.csv' : choice === 'segmentation' ? 'NAME.tsv' : 'NAME.rpeaks.csv';
  if (files) {
    if (files.length === 0) throw new InputError('the file list is empty');
    return files.map((f) => {
      const name = f.replace(/\.wav$/i, '');
      if (!existsSync(join(dir, `${name}.wav`))) throw new InputError(`no ${name}.wav in ${dir}`);
      const job = pickReference(dir, name, choice);
      if (!job) throw new InputError(`${name}.wav has no reference (${want.replace(/NAME/g, name)}) in ${dir}`);
      return job;
    });
  }
  const jobs = readdirSync(dir)
    .filter((f) => /\.wav$/i.test(f))
    .sort()
    .map((f) => pickReference(dir, f.replace(/\.wav$/i, ''), choice))
    .filter((j): j is Job => j !== null);
  if (jobs.length === 0) throw new InputError(`no NAME.wav with a reference (${want}) in ${dir}`);
  return jobs;
}

async function loadReference(job: Job): Promise<BeatReference> {
  return job.kind === 'segmentation' ? referenceFromSegments(await readSegmentation(job.refPath)) : referenceFromRPeaks(await readRPeaks(job.refPath));
}

/** What the scorer needs from an estimate. */
export function detectionOf(e: EstimateForScoring): DetectionForScoring {
  const d: DetectionForScoring = { beatTimesS: e.beatTimesS, rrS: e.rrS, trusted: e.trusted, qualityScore: e.quality.score, heartRateBpm: e.heartRateBpm };
  if (e.rrStartIndex) d.rrStartIndex = e.rrStartIndex;
  return d;
}

/** Score a method on every recording of a folder that has a reference. */
export async function scoreFolder(options: ScoreFolderOptions): Promise<FolderScores> {
  const method = parseValidateMethod(options.method ?? 'classical');
  const reference = parseReferenceChoice(options.reference ?? 'auto');
  const run = options.estimate ?? defaultEstimate;
  if (options.modelDir !== undefined && method !== 'cnn') throw new InputError('a model folder is only used with method cnn');
  const jobs = listJobs(options.dir, options.files, reference);
  const metadata = await readFolderMetadata(options.dir);
  const rows: RecordingScore[] = [];
  let computeS = 0;
  let audioS = 0;
  for (const job of jobs) {
    const ref = await loadReference(job);
    let audio;
    try {
      audio = readWav(job.wav);
    } catch (err) {
      throw new InputError(`${job.wav}: ${(err as Error).message}`);
    }
    const t0 = performance.now();
    const est = await run(audio.samples, audio.sampleRateHz, { method, ...(options.modelDir !== undefined ? { modelDir: options.modelDir } : {}) });
    computeS += (performance.now() - t0) / 1000;
    audioS += audio.samples.length / audio.sampleRateHz;
    rows.push(scoreRecording(job.name, ref, detectionOf(est)));
    options.onProgress?.(rows.length, jobs.length, job.name);
  }
  return { dir: options.dir, method, reference, rows, summary: summarizeScores(rows), metadata, computeS, audioS };
}
