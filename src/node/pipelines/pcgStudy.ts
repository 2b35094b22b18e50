/**
 * The real-audio half of `run --signal pcg` (issue 15): the trained CNN, and the classical
 * detector, on the fully annotated 5 s windows of a folder of real recordings (`.wav` + `.tsv`,
 * validation only), and the simulator's realism figures against those recordings. Writes
 * `real.json`, `real-predictions.csv` and `realism.json` into the run folder. Node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '../files/atomicWrite.js';
import { readWav } from '../files/wav.js';
import { listSegmentedFolder } from '../files/segmentedFolder.js';
import { parseSegmentation } from '../../hrv/validate/segmentation.js';
import { bandSummary, classify, timing, type RealismRecording } from '../../hrv/validate/pcgRealism.js';
import { resample } from '../../dsp/resample.js';
import type { PreprocessParams } from '../../model/preprocess.js';
import type { SimulatedPcgWindow } from '../../signal/pcg/index.js';
import { evaluateAnnotatedWindows, readAnnotatedWindows, type AnnotatedWindowEvaluation } from './annotatedWindowEval.js';

/** What {@link realStudy} wrote (the summaries). */
export interface RealStudyResult {
  real: Omit<AnnotatedWindowEvaluation, 'rows'>;
  realism: Record<string, unknown>;
}

/** Options of {@link realStudy}. */
export interface RealStudyOptions {
  /** Folder of real recordings with annotations. */
  realDir: string;
  /** The run folder to write into. */
  runDir: string;
  /** The simulated windows the CNN was trained on (for the realism figures). */
  sims: readonly SimulatedPcgWindow[];
  sampleRateHz: number;
  model: tfl.LayersModel;
  preprocess: PreprocessParams;
  /** Also score the classical detector (default true). */
  classical?: boolean;
}

const cell = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toFixed(4))));

/** Evaluate on the real windows and measure realism; writes the three files. */
export async function realStudy(o: RealStudyOptions): Promise<RealStudyResult> {
  const wins = readAnnotatedWindows(o.realDir);
  const ev = await evaluateAnnotatedWindows(wins, { cnns: [{ name: 'cnn', model: o.model, preprocess: o.preprocess }], classical: o.classical ?? true, baseline: true });
  const { rows, ...real } = ev;
  writeFileAtomic(join(o.runDir, 'real.json'), JSON.stringify({ data: o.realDir, ...real }, null, 2) + '\n');
  const names = Object.keys(real.methods);
  const header = ['recording', 'start_s', 'hr_bpm', 'sdnn_ms', ...names.flatMap((n) => [`${n}_hr_bpm`, `${n}_sdnn_ms`])];
  const lines = rows.map((r) => [r.recording, cell(r.startS), cell(r.hrBpm), cell(r.sdnnMs), ...names.flatMap((n) => [cell(r.predictions[n]?.hrBpm), cell(r.predictions[n]?.sdnnMs)])].join(','));
  writeFileAtomic(join(o.runDir, 'real-predictions.csv'), [header.join(','), ...lines].join('\n') + '\n');

  // realism: the real recordings at the simulation's rate against the simulated windows
  const fs = o.sampleRateHz;
  const realRecs: RealismRecording[] = listSegmentedFolder(o.realDir).map((r) => {
    const wav = readWav(r.wavPath);
    return {
      id: r.name,
      samples: wav.sampleRateHz === fs ? wav.samples : resample(wav.samples, wav.sampleRateHz, fs),
      segments: parseSegmentation(readFileSync(r.tsvPath, 'utf8'), r.tsvPath),
    };
  });
  const simRecs: RealismRecording[] = o.sims.map((s, i) => ({ id: `sim-${i}`, samples: Float32Array.from(s.samples), segments: s.segments }));
  let classifier: Record<string, unknown>;
  try {
    const c = classify(realRecs, simRecs, undefined, { sampleRateHz: fs, windowS: 5, startS: 0, windowsPerRecording: 2 });
    classifier = { method: 'logistic regression, 18 spectral/envelope features of 5 s windows, 5-fold CV grouped by recording; 0.5 = indistinguishable', ...c };
  } catch (err) {
    classifier = { skipped: (err as Error).message };
  }
  const realism = {
    realData: o.realDir,
    sampleRateHz: fs,
    recordings: { real: realRecs.length, simulated: simRecs.length },
    timing: { real: timing(realRecs), simulated: timing(simRecs) },
    bandFractionMedians: { real: bandSummary(realRecs, fs), simulated: bandSummary(simRecs, fs) },
    hrBpm: {
      realWindows: wins.map((w) => Number(w.hrBpm.toFixed(2))),
      simulated: o.sims.map((s) => Number(s.hrBpm.toFixed(2))),
    },
    classifier,
  };
  writeFileAtomic(join(o.runDir, 'realism.json'), JSON.stringify(realism, null, 2) + '\n');
  return { real, realism };
}
