/**
 * The trained CNN on a recording of any length and rate: the recording is resampled to the
 * model's rate, cut into consecutive windows of the model's input length (5 s at 1000 Hz for the
 * seed model), each window becomes a spectrogram with the seed's settings, and the predictions
 * are averaged over the windows. Browser-safe.
 *
 * Shift averaging (test-time augmentation): with `shiftsMs`, each window is read at those offsets
 * from its start as well (samples beyond the recording's ends are mirrored), and the window's
 * prediction is the mean of the shifted reads. The seed's 128 ms frame grid makes one read depend
 * on where the beats fall between frames; the mean over sub-frame offsets removes most of that
 * (issue 15: 4.04 → 3.47 bpm on the held-out circor windows, docs/notes/issue-15-tta.md).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { resample } from '../dsp/resample.js';
import { spectrogramBatch } from '../dsp/spectrogram.js';
import { predict } from './evaluate.js';
import type { PreprocessParams } from './preprocess.js';
import { seedFrontEnd, spectrogramFrontEnd, type ModelBundle } from './bundle.js';

/** Options of {@link predictRecording}. */
export interface PredictRecordingOptions {
  /** Sample rate the model was trained at, Hz. Default 1000 (the seed's). */
  modelSampleRateHz?: number;
  /** Spectrogram segment length and overlap the model was trained with. Defaults 256 / 128. */
  nperseg?: number;
  noverlap?: number;
  /**
   * Offsets, ms, at which every window is also read; the window's prediction is the mean of the
   * reads. Default [0] (one read). A model bundle records the offsets it was chosen with
   * (`frontEnd.shiftsMs`).
   */
  shiftsMs?: readonly number[];
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
  /** The offsets, ms, at which each window was read (the window's prediction is their mean); [0]: one read. */
  shiftsMs: number[];
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
  const shifts = [...new Set((options.shiftsMs ?? [0]).map((ms) => Math.round((ms * modelRateHz) / 1000)))];
  if (shifts.length === 0 || shifts.some((d) => !Number.isFinite(d) || Math.abs(d) >= windowSamples)) {
    throw new RangeError(`shiftsMs must be a non-empty list of offsets shorter than one window (${((1000 * windowSamples) / modelRateHz).toFixed(0)} ms)`);
  }
  // the model's predictions for n windows stored back to back
  const predictWindows = (signals: Float32Array, n: number): { hrPredBpm: Float64Array; hrvPredS: Float64Array } => {
    const spectra = spectrogramBatch(signals, n, windowSamples, { sampleRateHz: modelRateHz, nperseg, noverlap });
    if (spectra.nFreq !== pre.inputShape[0] || spectra.nTime !== nTime) {
      throw new RangeError(`spectrograms of ${spectra.nFreq} × ${spectra.nTime} do not fit the model's input ${pre.inputShape[0]} × ${nTime}`);
    }
    return predict(model, pre, spectra, Array.from({ length: n }, (_, i) => i));
  };
  const nReads = shifts.length;
  const hrBpm = new Float64Array(nWindows);
  const hrvS = new Float64Array(nWindows);
  // windows in chunks, so that a long recording's reads stay small ([chunk · reads, windowSamples])
  const chunk = Math.max(1, Math.floor(256 / nReads));
  for (let w0 = 0; w0 < nWindows; w0 += chunk) {
    const nw = Math.min(chunk, nWindows - w0);
    const reads = new Float32Array(nw * nReads * windowSamples);
    for (let w = 0; w < nw; w++) {
      shifts.forEach((d, k) => reads.set(mirroredSlice(x, (w0 + w) * windowSamples + d, windowSamples), (w * nReads + k) * windowSamples));
    }
    const out = predictWindows(reads, nw * nReads);
    for (let w = 0; w < nw; w++) {
      let h = 0;
      let v = 0;
      for (let k = 0; k < nReads; k++) {
        h += out.hrPredBpm[w * nReads + k]!;
        v += out.hrvPredS[w * nReads + k]!;
      }
      hrBpm[w0 + w] = h / nReads;
      hrvS[w0 + w] = v / nReads;
    }
  }
  const windowS = windowSamples / modelRateHz;
  const windows = Array.from({ length: nWindows }, (_, i) => ({ startS: i * windowS, endS: (i + 1) * windowS, heartRateBpm: hrBpm[i]!, hrvS: hrvS[i]! }));
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  const shiftsMs = shifts.map((d) => (1000 * d) / modelRateHz);
  return { heartRateBpm: mean(hrBpm), hrvS: mean(hrvS), windowS, modelSampleRateHz: modelRateHz, shiftsMs, windows };
}

/**
 * {@link predictRecording}'s options for a CNN: its bundle's spectrogram front end (rate, segments,
 * read offsets), or the seed's settings for a model saved without a bundle.
 */
export function cnnReadOptions(m: { bundle?: ModelBundle; preprocess: PreprocessParams }): PredictRecordingOptions {
  const fe = m.bundle ? spectrogramFrontEnd(m.bundle) : seedFrontEnd(m.preprocess);
  return { modelSampleRateHz: fe.sampleRateHz, nperseg: fe.nperseg, noverlap: fe.noverlap, shiftsMs: fe.shiftsMs };
}

/** `length` samples of `x` from `start` on; indices outside [0, x.length) are mirrored back in (no edge repeat). */
export function mirroredSlice(x: Float32Array, start: number, length: number): Float32Array {
  if (start >= 0 && start + length <= x.length) return x.subarray(start, start + length);
  const n = x.length;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    let j = start + i;
    while (j < 0 || j >= n) j = j < 0 ? -j : 2 * n - 2 - j;
    out[i] = x[j]!;
  }
  return out;
}
