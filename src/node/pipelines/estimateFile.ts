/**
 * `estimateFile(path)`: HR/HRV from a WAV file of any common kind and length (Node).
 *
 * The data chunk is read in blocks from the file descriptor, mixed down to mono and — for rates
 * above 8000 Hz — resampled block by block to 4000 Hz (`createResampler`: FIR decimation +
 * polyphase rational resampling, streaming) straight into one analysis-rate buffer; then `estimate`'s detector
 * and measures run on that buffer. Peak memory is the analysis-rate signal (an hour at 4000 Hz:
 * 58 MB as float32) plus the detector's working arrays, independent of the file's own rate.
 */
import { checkDuration, estimateResolved, resolveEstimateOptions, type EstimateOptions, type EstimateResult } from '../../hrv/estimate.js';
import { createResampler } from '../../dsp/resample.js';
import { analysisRateFor } from '../../core/ratePolicy.js';
import { openWav, WAV_STREAM_BLOCK_FRAMES } from '../files/wavStream.js';
import { readWavChannel } from '../files/wav.js';
import { resample } from '../../dsp/resample.js';
import { loadModel } from '../files/modelStore.js';
import { initNodeBackend } from '../backend.js';
import { prepareLearnedNode } from '../learnedSetup.js';
import { InputError } from '../../errors.js';

/** Description of the file an estimate came from. */
export interface SourceInfo {
  path: string;
  /** e.g. "PCM 16-bit" */
  format: string;
  channels: number;
  bitDepth: number;
  sampleRateHz: number;
  frames: number;
}

/** `EstimateResult` plus the source file description. */
export interface FileEstimateResult extends EstimateResult {
  source: SourceInfo;
}

/** Read a WAV file to mono samples at its analysis rate (block-wise, bounded memory). */
export async function readForAnalysis(path: string): Promise<{ samples: Float32Array; analysisRateHz: number; source: SourceInfo; durationS: number }> {
  const wav = openWav(path);
  try {
    const { layout } = wav;
    const source: SourceInfo = {
      path,
      format: wav.format,
      channels: layout.channels,
      bitDepth: layout.bitDepth,
      sampleRateHz: layout.sampleRateHz,
      frames: layout.frames,
    };
    const analysisRateHz = analysisRateFor(layout.sampleRateHz);
    checkDuration(layout.durationS);
    if (analysisRateHz === layout.sampleRateHz) {
      const samples = new Float32Array(layout.frames);
      for (let at = 0; at < layout.frames; ) {
        const block = wav.read(WAV_STREAM_BLOCK_FRAMES, true);
        if (block.length === 0) break;
        samples.set(block, at);
        at += block.length;
      }
      return { samples, analysisRateHz, source, durationS: layout.durationS };
    }
    const expected = Math.round((layout.frames * analysisRateHz) / layout.sampleRateHz);
    const samples = new Float32Array(expected);
    const rs = createResampler(layout.sampleRateHz, analysisRateHz);
    let at = 0;
    const put = (y: Float32Array): void => {
      const n = Math.min(y.length, expected - at);
      samples.set(n === y.length ? y : y.subarray(0, n), at);
      at += n;
    };
    for (;;) {
      const block = wav.read(WAV_STREAM_BLOCK_FRAMES, true);
      if (block.length === 0) break;
      put(rs.push(block));
    }
    put(rs.flush());
    return { samples: at === expected ? samples : samples.subarray(0, at), analysisRateHz, source, durationS: layout.durationS };
  } finally {
    wav.close();
  }
}

/** Options of {@link estimateFile}: `estimate`'s, plus a model folder for methods that need a model. */
export interface FileEstimateOptions extends EstimateOptions {
  /** Model folder (model.json, weights.bin, preprocess.json) for `method: 'cnn'`, loaded when `model` is not given. */
  modelDir?: string;
}

/**
 * Estimate HR and HRV from a WAV file (see `estimate` for the options and the result).
 * @throws Error for an unreadable/corrupt/unsupported file; RangeError for a too-low rate, a
 *   too-short recording or bad options.
 */
export async function estimateFile(path: string, options: FileEstimateOptions = {}): Promise<FileEstimateResult> {
  const { modelDir, ...rest } = options;
  const resolved = resolveEstimateOptions(rest);
  if (modelDir !== undefined && resolved.method !== 'cnn') throw new InputError('a model folder is only used with method cnn');
  const read = await readForAnalysis(path);
  const { analysisRateHz, source, durationS } = read;
  const stereo = source.channels > 1 ? strongestChannelIfCancelled(path, read.samples, source.sampleRateHz, analysisRateHz) : null;
  const samples = stereo ? stereo.samples : read.samples;
  if (resolved.method === 'cnn' && resolved.model === undefined) {
    if (modelDir === undefined) throw new InputError('method cnn needs a model folder (modelDir)');
    await initNodeBackend('auto');
    resolved.model = await loadModel(modelDir);
  }
  if (resolved.method === 'learned') await prepareLearnedNode();
  const result = await estimateResolved(samples, analysisRateHz, source.sampleRateHz, durationS, resolved);
  if (modelDir !== undefined) result.details = { model: modelDir, ...result.details };
  if (stereo) {
    result.quality.reasons.unshift(stereo.note);
    result.details = { ...result.details, analysedChannel: stereo.channel, channelNote: stereo.note };
  }
  return { ...result, source };
}

/** Mix-down RMS below this (full scale 1) is checked for channels that cancel. */
export const MIXDOWN_CANCEL_RMS = 1e-3;
/** A channel this many times stronger (RMS) than the mix-down means the channels cancelled. */
export const MIXDOWN_CANCEL_RATIO = 100;

function rms(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? Math.sqrt(s / x.length) : 0;
}

/**
 * Issue 11 §6: when the channels of a multi-channel file cancel on mix-down (e.g. L = −R), the
 * average is (near) silence although the file holds a signal. When the mix-down RMS is below
 * {@link MIXDOWN_CANCEL_RMS} and the strongest channel's RMS is ≥ {@link MIXDOWN_CANCEL_RATIO}
 * times it, that channel is analysed alone (resampled like the mix-down) and a note says so.
 */
function strongestChannelIfCancelled(path: string, mono: Float32Array, fileRateHz: number, analysisRateHz: number): { samples: Float32Array; channel: number; note: string } | null {
  const mixRms = rms(mono);
  if (mixRms >= MIXDOWN_CANCEL_RMS) return null;
  const first = readWavChannel(path, 0);
  let best = { channel: 0, rms: rms(first.samples), samples: first.samples };
  for (let c = 1; c < first.channels; c++) {
    const ch = readWavChannel(path, c).samples;
    const r = rms(ch);
    if (r > best.rms) best = { channel: c, rms: r, samples: ch };
  }
  if (!(best.rms > 0 && best.rms >= MIXDOWN_CANCEL_RATIO * mixRms)) return null;
  const samples = analysisRateHz === fileRateHz ? best.samples : Float32Array.from(resample(best.samples, fileRateHz, analysisRateHz));
  const db = mixRms > 0 ? ` (${(20 * Math.log10(best.rms / mixRms)).toFixed(0)} dB)` : '';
  return { samples, channel: best.channel, note: `the channels cancel on mix-down${db}: channel ${best.channel + 1} of ${first.channels} analysed alone` };
}
