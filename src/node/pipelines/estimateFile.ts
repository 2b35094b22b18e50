/**
 * `estimateFile(path)`: HR/HRV from an audio file of any supported format and length, or `-` for
 * standard input (Node). Reading (`readAudioForAnalysis`) streams the input block by block, mixes
 * it down and resamples it to the analysis rate (4000 Hz above 8000 Hz) into one buffer; then
 * `estimate`'s detector and measures run on that buffer. Peak memory is the analysis-rate signal
 * (an hour at 4000 Hz: 58 MB as float32) plus the detector's working arrays, whatever the format.
 */
import { estimateResolved, resolveEstimateOptions, type EstimateOptions, type EstimateResult } from '../../hrv/estimate.js';
import { readAudioForAnalysis, type AnalysisAudio, type SourceInfo } from '../files/readAudio.js';
import { InputError } from '../../errors.js';

export type { SourceInfo } from '../files/readAudio.js';

/** `EstimateResult` plus the source file description. */
export interface FileEstimateResult extends EstimateResult {
  source: SourceInfo;
}

/**
 * Read an audio file (WAV, FLAC, MP3, Ogg Vorbis/Opus; M4A/AAC through ffmpeg) or `-` (stdin) to
 * mono samples at its analysis rate (bounded memory, see `readAudioForAnalysis`).
 */
export function readForAnalysis(path: string): Promise<AnalysisAudio> {
  return readAudioForAnalysis(path);
}

/** Options of {@link estimateFile}: `estimate`'s, plus a model folder for methods that need a model. */
export interface FileEstimateOptions extends EstimateOptions {
  /** Model folder (model.json, weights.bin, preprocess.json) for `method: 'cnn'`, loaded when `model` is not given. */
  modelDir?: string;
}

/**
 * Estimate HR and HRV from an audio file or `-` for stdin (see `estimate` for the options and the result).
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
    const [{ initNodeBackend }, { loadModel }] = await Promise.all([import('../backend.js'), import('../files/modelStore.js')]); // TF.js only for cnn (fast start)
    await initNodeBackend('auto');
    resolved.model = await loadModel(modelDir);
  }
  const result = await estimateResolved(samples, analysisRateHz, source.sampleRateHz, durationS, resolved);
  if (modelDir !== undefined) result.details = { model: modelDir, ...result.details };
  return { ...result, source };
}
