/**
 * The seed CNN, the classical detector and the learned segmenter on the fully annotated 5 s
 * windows of a folder of segmented recordings (issue 15, part 2: pcg-real is the validation set;
 * nothing here trains or tunes). Node: reads NAME.wav + NAME.tsv.
 *
 * Per window: HR (bpm) and HRV (SDNN, ms; the seed's SD of the RR, ddof 0) of each method against
 * the annotation's (`annotatedWindows`). The CNN's numbers are the network's, before any gate;
 * the classical and learned numbers are `estimate()`'s (the gate may leave HR null: counted as
 * `noEstimate`, not in the MAE), their SDNN the SD (ddof 0) of the intervals they detected.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { readWav } from '../files/wav.js';
import { readFileSync } from 'node:fs';
import { parseSegmentation } from '../../hrv/validate/segmentation.js';
import { listSegmentedFolder } from '../files/segmentedFolder.js';
import { annotatedWindows, windowSamples, ANNOTATED_WINDOW_DEFAULTS, type AnnotatedWindow } from '../../hrv/validate/annotatedWindows.js';
import { estimate } from '../../hrv/estimate.js';
import type { PreprocessParams } from '../../model/preprocess.js';
import type { ModelBundle } from '../../model/bundle.js';

/** One window of a recording, at the recording's rate. */
export interface RecordingWindow extends AnnotatedWindow {
  recording: string;
  patientId: string;
  samples: Float32Array;
  sampleRateHz: number;
}

/** Every fully annotated, non-overlapping window of the folder's recordings. */
export function readAnnotatedWindows(dir: string, options: { durationS?: number; maxPerRecording?: number } = {}): RecordingWindow[] {
  const durationS = options.durationS ?? ANNOTATED_WINDOW_DEFAULTS.durationS;
  const out: RecordingWindow[] = [];
  for (const rec of listSegmentedFolder(dir)) {
    const wav = readWav(rec.wavPath);
    const segs = parseSegmentation(readFileSync(rec.tsvPath, 'utf8'), rec.tsvPath);
    for (const w of annotatedWindows(segs, { durationS, maxWindows: options.maxPerRecording })) {
      out.push({ ...w, recording: rec.name, patientId: rec.patientId, samples: windowSamples(wav.samples, wav.sampleRateHz, w, durationS), sampleRateHz: wav.sampleRateHz });
    }
  }
  return out;
}

/** A CNN to score: the model, its preprocessing and (optionally) its bundle. */
export interface NamedCnn {
  name: string;
  model: tfl.LayersModel;
  preprocess: PreprocessParams;
  bundle?: ModelBundle;
}

/** Per-window predictions of every method (null = no number). */
export interface WindowPredictions {
  recording: string;
  startS: number;
  hrBpm: number;
  sdnnMs: number;
  predictions: Record<string, { hrBpm: number | null; sdnnMs: number | null }>;
}

/** Summary of one method on the windows. */
export interface WindowMethodSummary {
  /** Mean |HR error| over the windows with a number, bpm. */
  hrMaeBpm: number | null;
  /** Share of all windows within 5 bpm. */
  hrWithin5Bpm: number;
  /** Mean |SDNN error| over the windows with both numbers, ms. */
  sdnnMaeMs: number | null;
  /** Windows without an HR. */
  noEstimate: number;
}

/** Result of {@link evaluateAnnotatedWindows}. */
export interface AnnotatedWindowEvaluation {
  windows: number;
  recordings: number;
  truth: { meanHrBpm: number; meanSdnnMs: number };
  methods: Record<string, WindowMethodSummary>;
  rows: WindowPredictions[];
}

/** Options of {@link evaluateAnnotatedWindows}. */
export interface AnnotatedWindowEvalOptions {
  cnns?: NamedCnn[];
  /** Score the classical detector (default true). */
  classical?: boolean;
  /** Score the learned segmenter (default false: it needs the shipped weights). */
  learned?: boolean;
  /** Add the oracle mean baseline (the windows' own mean HR and SDNN; default true). */
  baseline?: boolean;
}

function sdMs(rrS: readonly number[]): number {
  const m = rrS.reduce((a, b) => a + b, 0) / rrS.length;
  return Math.sqrt(rrS.reduce((a, b) => a + (b - m) ** 2, 0) / rrS.length) * 1000;
}

const round = (v: number | null, digits: number): number | null => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

/** Score the methods on the windows. */
export async function evaluateAnnotatedWindows(wins: readonly RecordingWindow[], options: AnnotatedWindowEvalOptions = {}): Promise<AnnotatedWindowEvaluation> {
  if (wins.length === 0) throw new RangeError('no fully annotated windows to evaluate');
  const rows: WindowPredictions[] = wins.map((w) => ({ recording: w.recording, startS: w.startS, hrBpm: w.hrBpm, sdnnMs: w.sdnnS * 1000, predictions: {} }));
  const meanHr = wins.reduce((a, w) => a + w.hrBpm, 0) / wins.length;
  const meanSdnnMs = (wins.reduce((a, w) => a + w.sdnnS, 0) / wins.length) * 1000;
  const names: string[] = [];
  const gated = async (name: string, method: 'classical' | 'learned'): Promise<void> => {
    names.push(name);
    for (let i = 0; i < wins.length; i++) {
      const w = wins[i]!;
      const e = await estimate(w.samples, w.sampleRateHz, { signal: 'pcg', method });
      // SDNN as the window label defines it: SD (ddof 0) of the detected intervals; estimate()
      // reports none for so short a recording (its HRV duration minimum)
      rows[i]!.predictions[name] = { hrBpm: e.heartRateBpm, sdnnMs: e.heartRateBpm !== null && e.rrS.length >= 2 ? sdMs(e.rrS) : null };
    }
  };
  if (options.classical ?? true) await gated('classical', 'classical');
  if (options.learned) {
    const { prepareLearnedNode } = await import('../learnedSetup.js');
    await prepareLearnedNode();
    await gated('learned', 'learned');
  }
  if (options.cnns?.length) {
    const { predictRecording, cnnReadOptions } = await import('../../model/inference.js');
    for (const c of options.cnns) {
      names.push(c.name);
      const read = cnnReadOptions(c);
      for (let i = 0; i < wins.length; i++) {
        const w = wins[i]!;
        const p = predictRecording(c.model, c.preprocess, w.samples, w.sampleRateHz, read);
        rows[i]!.predictions[c.name] = { hrBpm: p.heartRateBpm, sdnnMs: p.hrvS * 1000 };
      }
    }
  }
  if (options.baseline ?? true) {
    names.push('oracle mean');
    for (const r of rows) r.predictions['oracle mean'] = { hrBpm: meanHr, sdnnMs: meanSdnnMs };
  }
  const methods: Record<string, WindowMethodSummary> = {};
  for (const name of names) {
    const hrErr: number[] = [];
    const sdErr: number[] = [];
    let none = 0;
    for (const r of rows) {
      const p = r.predictions[name]!;
      if (p.hrBpm === null || !Number.isFinite(p.hrBpm)) none++;
      else hrErr.push(Math.abs(p.hrBpm - r.hrBpm));
      if (p.sdnnMs !== null && Number.isFinite(p.sdnnMs)) sdErr.push(Math.abs(p.sdnnMs - r.sdnnMs));
    }
    const mean = (x: number[]): number | null => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : null);
    methods[name] = {
      hrMaeBpm: round(mean(hrErr), 2),
      hrWithin5Bpm: Number((hrErr.filter((e) => e <= 5).length / rows.length).toFixed(3)),
      sdnnMaeMs: round(mean(sdErr), 1),
      noEstimate: none,
    };
  }
  return {
    windows: wins.length,
    recordings: new Set(wins.map((w) => w.recording)).size,
    truth: { meanHrBpm: Number(meanHr.toFixed(1)), meanSdnnMs: Number(meanSdnnMs.toFixed(1)) },
    methods,
    rows,
  };
}
