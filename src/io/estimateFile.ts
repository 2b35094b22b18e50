/**
 * `estimateFile(path)`: HR/HRV from an audio file of any supported format and length, or `-` for
 * standard input (Node). Reading (`readAudioForAnalysis`) streams the input block by block, mixes
 * it down and resamples it to the analysis rate (4000 Hz above 8000 Hz) into one buffer; then
 * `estimate`'s detector and measures run on that buffer. Peak memory is the analysis-rate signal
 * (an hour at 4000 Hz: 58 MB as float32) plus the detector's working arrays, whatever the format.
 */
import { checkEstimateOptions, estimateAtAnalysisRate, type EstimateOptions, type EstimateResult } from '../hrv/estimate.js';
import { readAudioForAnalysis, type AnalysisAudio, type SourceInfo } from '../node/files/readAudio.js';

export type { SourceInfo } from '../node/files/readAudio.js';

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

/**
 * Estimate HR and HRV from an audio file or `-` for stdin (see `estimate` for the options and the result).
 * @throws Error for an unreadable/corrupt/unsupported file; RangeError for a too-low rate, a
 *   too-short recording or bad options.
 */
export async function estimateFile(path: string, options: EstimateOptions = {}): Promise<FileEstimateResult> {
  checkEstimateOptions(options);
  const { samples, analysisRateHz, source, durationS } = await readForAnalysis(path);
  const result = estimateAtAnalysisRate(samples, analysisRateHz, source.sampleRateHz, durationS, options);
  return { ...result, source };
}
