/**
 * `estimateFile(path)`: HR/HRV from an audio file of any supported format and length, or `-` for
 * standard input (Node). Reading (`readAudioForAnalysis`) streams the input block by block, mixes
 * it down and resamples it to the analysis rate (4000 Hz above 8000 Hz) into one buffer; then
 * `estimate`'s detector and measures run on that buffer. Peak memory is the analysis-rate signal
 * (an hour at 4000 Hz: 58 MB as float32) plus the detector's working arrays, whatever the format.
 */
import { estimateResolved, resolveEstimateOptions, type EstimateOptions, type EstimateResult } from '../../hrv/estimate.js';
import { readAudioForAnalysis, type AnalysisAudio, type SourceInfo } from '../files/readAudio.js';
import { readWavChannel } from '../files/wav.js';
import { resample } from '../../dsp/resample.js';
import { InputError } from '../../errors.js';
import { sumSquares } from '../../core/stats.js';
import { existsSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

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
  /**
   * Model folder (model.json, weights.bin, preprocess.json, bundle.json) for `method: 'cnn'`,
   * loaded when `model` is not given; default the shipped real-audio CNN (`models/cnn`).
   */
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
  const read = await readForAnalysis(path);
  const { analysisRateHz, source, durationS } = read;
  const stereo =
    source.channels > 1 && path !== '-' && source.container === 'wav'
      ? strongestChannelIfCancelled(path, read.samples, source.sampleRateHz, analysisRateHz)
      : read.channelLevels
        ? await strongestDecodedChannelIfCancelled(path, read)
        : null;
  const samples = stereo ? stereo.samples : read.samples;
  if (resolved.method === 'cnn' && resolved.model === undefined) resolved.model = await cnnModelFor(modelDir);
  if (resolved.method === 'learned') await (await import('../learnedSetup.js')).prepareLearnedNode();
  const result = await estimateResolved(samples, analysisRateHz, source.sampleRateHz, durationS, resolved);
  if (modelDir !== undefined) result.details = { model: modelDir, ...result.details };
  if (stereo) {
    result.quality.reasons.unshift(stereo.note);
    result.details = { ...result.details, ...(stereo.channel >= 0 ? { analysedChannel: stereo.channel } : {}), channelNote: stereo.note };
  }
  return { ...result, source };
}

type CnnModel = Awaited<ReturnType<(typeof import('../files/modelStore.js'))['loadModel']>>;

/**
 * The CNN of `modelDir`, or the shipped real-audio CNN (`models/cnn`) when it is undefined; loaded
 * once per process while its files are unchanged.
 * @throws InputError when no model folder is given and the shipped CNN is missing.
 */
export async function cnnModelFor(modelDir?: string): Promise<CnnModel> {
  let dir = modelDir;
  if (dir === undefined) {
    const { shippedModelDir, SHIPPED_CNN } = await import('../files/shippedModels.js');
    dir = shippedModelDir(SHIPPED_CNN);
    if (!existsSync(join(dir, 'model.json'))) throw new InputError(`no shipped CNN in '${dir}': pass a model folder (--model DIR)`);
  }
  return cachedCnnModel(dir);
}

/** Loaded cnn models by folder and file times: a batch (or a worker) loads each model once. */
const cnnModels = new Map<string, Promise<CnnModel>>();

/** The cnn model of `modelDir`, loaded once per process while its files are unchanged. */
async function cachedCnnModel(modelDir: string): Promise<CnnModel> {
  const dir = resolvePath(modelDir);
  const stamp = ['model.json', 'weights.bin', 'preprocess.json', 'bundle.json'].map((f) => {
    try {
      return statSync(join(dir, f)).mtimeMs;
    } catch {
      return -1;
    }
  });
  const key = `${dir}\0${stamp.join(',')}`;
  let model = cnnModels.get(key);
  if (!model) {
    model = (async () => {
      const [{ initNodeBackend }, { loadModel }] = await Promise.all([import('../backend.js'), import('../files/modelStore.js')]); // TF.js only for cnn (fast start)
      await initNodeBackend('auto');
      return loadModel(modelDir);
    })();
    for (const k of cnnModels.keys()) if (k.startsWith(`${dir}\0`)) cnnModels.delete(k); // a retrained model replaces the old one
    cnnModels.set(key, model);
    model.catch(() => cnnModels.delete(key));
  }
  return model;
}

/**
 * The same check for the wasm-decoded formats (FLAC, MP3, Ogg), from the channel levels the reader
 * measured while decoding: a file is decoded again with the strongest channel alone; standard input
 * cannot be read twice, so it keeps the (near-silent) mix-down and a note that tells the truth.
 */
async function strongestDecodedChannelIfCancelled(path: string, read: AnalysisAudio): Promise<{ samples: Float32Array; channel: number; note: string } | null> {
  const { channelRms, mixRms } = read.channelLevels!;
  if (channelRms.length < 2 || mixRms >= MIXDOWN_CANCEL_RMS) return null;
  let best = 0;
  for (let c = 1; c < channelRms.length; c++) if (channelRms[c]! > channelRms[best]!) best = c;
  if (!(channelRms[best]! > 0 && channelRms[best]! >= MIXDOWN_CANCEL_RATIO * mixRms)) return null;
  const db = mixRms > 0 ? ` (${(20 * Math.log10(channelRms[best]! / mixRms)).toFixed(0)} dB)` : '';
  if (path === '-') {
    return {
      samples: read.samples,
      channel: -1,
      note: `the channels cancel on mix-down${db}: the mono mix is near silence although channel ${best + 1} holds a signal; standard input cannot be read twice, so pass the file by name or one channel (e.g. ffmpeg -i in -af "pan=mono|c0=c${best}" out.wav)`,
    };
  }
  const one = await readAudioForAnalysis(path, { channel: best });
  return { samples: one.samples, channel: best, note: `the channels cancel on mix-down${db}: channel ${best + 1} of ${channelRms.length} analysed alone` };
}

/** Mix-down RMS below this (full scale 1) is checked for channels that cancel. */
export const MIXDOWN_CANCEL_RMS = 1e-3;
/** A channel this many times stronger (RMS) than the mix-down means the channels cancelled. */
export const MIXDOWN_CANCEL_RATIO = 100;

function rms(x: ArrayLike<number>): number {
  return x.length ? Math.sqrt(sumSquares(x) / x.length) : 0;
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
