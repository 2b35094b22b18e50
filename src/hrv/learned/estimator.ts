/**
 * The `learned` Estimator (browser-safe): the shipped (or a given) segmenter, its HSMM decoder
 * and audio-rate beat refinement. Weights come from a {@link SegmenterSource} that the
 * environment registers once: `src/node/files/segmenterStore.ts` reads `models/segmenter/` in
 * Node; a browser page passes a fetch-based source.
 */
import { loadSegmenter, type LoadedSegmenter, type SegmenterSource } from '../../model/segmenterBundle.js';
import { InputError } from '../../errors.js';
import { segmentRecording } from './segment.js';
import type { DecoderOptions } from './decode.js';
import type { Estimator, EstimatorInput, MethodOutput } from './estimatorShape.js';

let defaultSource: SegmenterSource | null = null;
let loaded: Promise<LoadedSegmenter> | null = null;

/** Register where the default segmenter's files come from (Node: the shipped models/segmenter). */
export function setSegmenterSource(source: SegmenterSource): void {
  defaultSource = source;
  loaded = null;
}

/** Load (once) the registered segmenter. */
export function getSegmenter(): Promise<LoadedSegmenter> {
  if (!loaded) {
    if (!defaultSource) return Promise.reject(new InputError('no segmenter weights registered (call setSegmenterSource, or use the Node entry point, which loads models/segmenter)'));
    loaded = loadSegmenter(defaultSource);
    loaded.catch(() => (loaded = null));
  }
  return loaded;
}

/** Analysis rate of the learned method: its front end's rate (1000 Hz) is reached by the front end itself, so any rate ≥ 500 Hz is accepted as is. */
export const LEARNED_ANALYSIS_RATE_HZ = 1000;

/** Run a loaded segmenter on one input and shape its result as a MethodOutput. */
export function learnedAnalyse(segmenter: LoadedSegmenter, input: EstimatorInput, decoder: Partial<DecoderOptions> = {}): MethodOutput {
  const seg = segmentRecording(segmenter, input.samples, input.sampleRateHz, decoder);
  return {
    signalType: 'pcg',
    beatTimesS: seg.beatTimesS,
    s2TimesS: seg.s2TimesS,
    rrS: seg.rrS,
    rrStartIndex: seg.rrStartIndex,
    periodS: seg.periodS,
    quality: seg.quality,
    states: { frameRateHz: seg.frameRateHz, posteriors: seg.posteriors },
    envelope: { values: seg.envelope, sampleRateHz: seg.envelopeRateHz },
    details: { ...seg.details, model: 'segmenter', frameRateHz: seg.frameRateHz },
  };
}

/** The `learned` Estimator. */
export const learnedEstimator: Estimator = {
  name: 'learned',
  analysisRateHz(inputRateHz: number): number {
    return Math.min(inputRateHz, 4000);
  },
  async prepare(): Promise<void> {
    await getSegmenter();
  },
  async analyse(input: EstimatorInput): Promise<MethodOutput> {
    return learnedAnalyse(await getSegmenter(), input);
  },
};
