/**
 * The trained CNN on a recording of any length and rate: the recording is resampled to the
 * model's rate, cut into consecutive windows of the model's input length (5 s at 1000 Hz for the
 * seed model), each window becomes a spectrogram with the seed's settings, and the predictions
 * are averaged over the windows. Browser-safe.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { resample } from '../dsp/resample.js';
import { spectrogramBatch } from '../dsp/spectrogram.js';
import { predict } from './evaluate.js';
import type { PreprocessParams } from './preprocess.js';

/** Options of {@link predictRecording}. */
export interface PredictRecordingOptions {
  /** Sample rate the model was trained at, Hz. Default 1000 (the seed's). */
  modelSampleRateHz?: number;
  /** Spectrogram segment length and overlap the model was trained with. Defaults 256 / 128. */
  nperseg?: number;
  noverlap?: number;
}

/** One window's prediction. */
export interface CnnWindowPrediction {
  startS: number;
  endS: number;
  heartRateBpm: number;
  /** The seed's HRV: SD of the beat intervals, s. */
  hrvS: number;
}

/** The CNN's estimate for a whole recording. */
export interface CnnRecordingPrediction {
  /** Mean of the windows' HR predictions, bpm. */
  heartRateBpm: number;
  /** Mean of the windows' HRV predictions, s. */
  hrvS: number;
  windowS: number;
  modelSampleRateHz: number;
  windows: CnnWindowPrediction[];
}

/**
 * Predict HR and HRV of a recording with a trained model.
 *
 * @param samples mono samples
 * @param sampleRateHz their rate, Hz
 * @throws RangeError when the recording is shorter than one model window
 */
export function predictRecording(
  model: tfl.LayersModel,
  pre: PreprocessParams,
  samples: Float32Array | Float64Array,
  sampleRateHz: number,
  options: PredictRecordingOptions = {},
): CnnRecordingPrediction {
  const modelRateHz = options.modelSampleRateHz ?? 1000;
  const nperseg = options.nperseg ?? 256;
  const noverlap = options.noverlap ?? nperseg / 2;
  const hop = nperseg - noverlap;
  const nTime = pre.inputShape[1];
  // the samples that nTime segments cover (4992 for the seed's 5000-sample signals: scipy ignores the last 8)
  const windowSamples = nperseg + (nTime - 1) * hop;
  const x = sampleRateHz === modelRateHz ? Float32Array.from(samples) : resample(samples, sampleRateHz, modelRateHz);
  const nWindows = Math.floor(x.length / windowSamples);
  if (nWindows < 1) {
    throw new RangeError(`recording too short for the CNN: it needs ${(windowSamples / modelRateHz).toFixed(1)} s, got ${(x.length / modelRateHz).toFixed(1)} s`);
  }
  const spectra = spectrogramBatch(x.subarray(0, nWindows * windowSamples), nWindows, windowSamples, {
    sampleRateHz: modelRateHz,
    nperseg,
    noverlap,
  });
  if (spectra.nFreq !== pre.inputShape[0] || spectra.nTime !== nTime) {
    throw new RangeError(`spectrograms of ${spectra.nFreq} × ${spectra.nTime} do not fit the model's input ${pre.inputShape[0]} × ${nTime}`);
  }
  const idx = Array.from({ length: nWindows }, (_, i) => i);
  const out = predict(model, pre, spectra, idx);
  const windowS = windowSamples / modelRateHz;
  const windows = idx.map((i) => ({ startS: i * windowS, endS: (i + 1) * windowS, heartRateBpm: out.hrPredBpm[i], hrvS: out.hrvPredS[i] }));
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  return { heartRateBpm: mean(out.hrPredBpm), hrvS: mean(out.hrvPredS), windowS, modelSampleRateHz: modelRateHz, windows };
}
