/**
 * The seed's CNN as an Estimator: the recording is cut into the model's input windows (≈5 s at
 * 1000 Hz for the seed), each becomes a spectrogram with the model's front end, and the network
 * predicts HR and HRV (the seed's HRV: SD of beat intervals = SDNN, ddof 0) per window; the
 * recording's values are the means over windows (`predictRecording` in the model layer).
 *
 * Quality evidence (the gate decides from it): the agreement between windows. A heart rate that
 * changes little from window to window is consistent with one rhythm; the score is
 * 1 − CV / {@link CNN_QUALITY_DEFAULTS.cvBad} (CV = coefficient of variation of the window HRs),
 * clamped to 0..1; one window gives {@link CNN_QUALITY_DEFAULTS.singleWindowScore}. Windows whose
 * prediction lies outside 25–250 bpm or is not finite count against it. The CNN finds no beats,
 * so `beatTimesS`/`rrS` are empty and the result's beat-based measures are null. Browser-safe.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PreprocessParams } from '../../model/preprocess.js';
import type { ModelBundle } from '../../model/bundle.js';
import { CNN_SAMPLE_RATE_HZ, checkInputRate } from '../../core/ratePolicy.js';
import { mean, std } from '../../core/stats.js';
import { InputError } from '../../errors.js';
import type { Estimator, MethodOutput } from '../estimator.js';

/** A trained CNN with its preprocessing (what `loadModel` returns in Node). */
export interface CnnModel {
  model: tfl.LayersModel;
  preprocess: PreprocessParams;
  /** The model bundle: its spectrogram front end is rebuilt exactly (default: the seed's). */
  bundle?: ModelBundle;
}

/** Settings of the CNN's quality evidence. */
export const CNN_QUALITY_DEFAULTS = Object.freeze({
  /** CV of the window HRs at which the score reaches 0. */
  cvBad: 0.2,
  /** Score of a recording with a single window (no agreement to measure). */
  singleWindowScore: 0.5,
  /** Plausible heart rates, bpm. */
  minHrBpm: 25,
  maxHrBpm: 250,
});

function isCnnModel(m: unknown): m is CnnModel {
  return typeof m === 'object' && m !== null && 'model' in m && 'preprocess' in m;
}

/** Window-agreement quality of per-window HR predictions. */
export function cnnWindowQuality(windowHrBpm: readonly number[]): { score: number; reasons: string[] } {
  const q = CNN_QUALITY_DEFAULTS;
  const reasons: string[] = [];
  const plausible = windowHrBpm.filter((v) => Number.isFinite(v) && v >= q.minHrBpm && v <= q.maxHrBpm);
  const implausible = windowHrBpm.length - plausible.length;
  if (implausible > 0) reasons.push(`${implausible} of ${windowHrBpm.length} window predictions outside ${q.minHrBpm}–${q.maxHrBpm} bpm`);
  let score: number;
  if (plausible.length === 0) score = 0;
  else if (plausible.length === 1) {
    score = q.singleWindowScore;
    reasons.push('one window only: no agreement between windows to check');
  } else {
    const cv = std(plausible, 0)! / mean(plausible)!;
    score = Math.max(0, Math.min(1, 1 - cv / q.cvBad));
    if (cv > q.cvBad / 2) reasons.push(`window heart rates disagree (CV ${(100 * cv).toFixed(0)} %)`);
  }
  score *= plausible.length / Math.max(1, windowHrBpm.length);
  return { score, reasons };
}

/** The seed CNN over windows. Needs `options.model` (a {@link CnnModel}). */
export const cnnEstimator: Estimator = {
  name: 'cnn',
  analysisRateHz(inputRateHz: number): number {
    checkInputRate(inputRateHz);
    return CNN_SAMPLE_RATE_HZ; // the seed's; a bundle's own rate is reported in details.modelSampleRateHz
  },
  async analyse(input, options): Promise<MethodOutput> {
    const m = options.model;
    if (!isCnnModel(m)) throw new InputError('method cnn needs a trained model: pass options.model ({ model, preprocess }), or a model folder in the CLI (--model DIR)');
    const { predictRecording, cnnReadOptions } = await import('../../model/inference.js'); // TF.js only when a CNN runs (fast start)
    const pred = predictRecording(m.model, m.preprocess, input.samples, input.sampleRateHz, cnnReadOptions(m));
    const hr = pred.windows.map((w) => w.heartRateBpm);
    const quality = cnnWindowQuality(hr);
    const sdnnMs = Number.isFinite(pred.hrvS) ? pred.hrvS * 1000 : null;
    return {
      signalType: options.signal === 'pulse' ? 'pulse' : 'pcg', // estimate() reports the type its gate judged
      beatTimesS: [],
      rrS: [],
      rrStartIndex: [],
      periodS: Number.isFinite(pred.heartRateBpm) && pred.heartRateBpm > 0 ? 60 / pred.heartRateBpm : null,
      quality,
      direct: {
        heartRateBpm: Number.isFinite(pred.heartRateBpm) ? pred.heartRateBpm : null,
        sdnnMs,
        windows: pred.windows.map((w) => ({ startS: w.startS, endS: w.endS, heartRateBpm: w.heartRateBpm, sdnnMs: w.hrvS * 1000 })),
      },
      details: {
        nWindows: pred.windows.length,
        windowS: pred.windowS,
        modelSampleRateHz: pred.modelSampleRateHz,
        shiftsMs: pred.shiftsMs,
        hrvMs: sdnnMs,
        windows: pred.windows.map((w) => ({ startS: w.startS, endS: w.endS, heartRateBpm: w.heartRateBpm, hrvMs: w.hrvS * 1000 })),
      },
    };
  },
};
