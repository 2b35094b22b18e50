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
import { loadModel } from '../files/modelStore.js';
import { initNodeBackend } from '../backend.js';
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
  const { samples, analysisRateHz, source, durationS } = await readForAnalysis(path);
  if (resolved.method === 'cnn' && resolved.model === undefined) {
    if (modelDir === undefined) throw new InputError('method cnn needs a model folder (modelDir)');
    await initNodeBackend('auto');
    resolved.model = await loadModel(modelDir);
  }
  const result = await estimateResolved(samples, analysisRateHz, source.sampleRateHz, durationS, resolved);
  if (modelDir !== undefined) result.details = { model: modelDir, ...result.details };
  return { ...result, source };
}
