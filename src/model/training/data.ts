/**
 * From a dataset's spectrograms and labels to the arrays the trainer consumes, for a mode and a
 * train/test split (browser-safe).
 */
import { encodeTarget, fitPreprocess, hrLabelOf, prepareInput, type FitPreprocessOptions, type PreprocessParams, type TrainingMode } from '../preprocess.js';
import type { TrainingArrays } from './train.js';

/** Labels needed for training and evaluation (Float64Array or number[] of length N). */
export interface ModelLabels {
  hrBpm: ArrayLike<number>;
  hrCountBpm: ArrayLike<number>;
  hrvS: ArrayLike<number>;
}

/** Spectrograms of N samples, row-major N × nFreq × nTime, linear PSD. */
export interface SpectraInput {
  data: Float32Array;
  n: number;
  nFreq: number;
  nTime: number;
}

/** The HR label values of a model (by label name). */
export function hrLabelValues(labels: ModelLabels, label: string): ArrayLike<number> {
  if (label === 'hr_bpm') return labels.hrBpm;
  if (label === 'hr_count_bpm') return labels.hrCountBpm;
  throw new Error(`unknown HR label '${label}'`);
}

/** Arrays of the samples `idx` under `pre`. */
export function splitArrays(pre: PreprocessParams, spectra: SpectraInput, labels: ModelLabels, idx: readonly number[]): TrainingArrays {
  const hr = hrLabelValues(labels, pre.targets.hr.label);
  return {
    x: prepareInput(pre, spectra.data, [spectra.nFreq, spectra.nTime], idx),
    n: idx.length,
    inputShape: pre.inputShape,
    yHr: Float32Array.from(idx, (i) => encodeTarget(pre.targets.hr, hr[i])),
    yHrv: Float32Array.from(idx, (i) => encodeTarget(pre.targets.hrv, labels.hrvS[i])),
  };
}

/** Fit the mode's preprocessing on the training split and build both splits' arrays. */
export function prepareTrainingData(
  mode: TrainingMode,
  spectra: SpectraInput,
  labels: ModelLabels,
  split: { trainIdx: readonly number[]; testIdx: readonly number[] },
  options: FitPreprocessOptions = {},
): { preprocess: PreprocessParams; train: TrainingArrays; test: TrainingArrays } {
  if (spectra.data.length !== spectra.n * spectra.nFreq * spectra.nTime) {
    throw new RangeError(`spectrogram data holds ${spectra.data.length} values, expected ${spectra.n}×${spectra.nFreq}×${spectra.nTime}`);
  }
  const hr = mode === 'faithful' ? labels.hrCountBpm : labels.hrBpm;
  if (hrLabelOf(mode) === 'hr_count_bpm' && hr !== labels.hrCountBpm) throw new Error('internal: label mismatch');
  const preprocess = fitPreprocess(mode, spectra.data, [spectra.nFreq, spectra.nTime], hr, labels.hrvS, split.trainIdx, options);
  return {
    preprocess,
    train: splitArrays(preprocess, spectra, labels, split.trainIdx),
    test: splitArrays(preprocess, spectra, labels, split.testIdx),
  };
}
