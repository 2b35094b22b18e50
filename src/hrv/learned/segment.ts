/**
 * The learned segmenter end to end on one recording (browser-safe): front end → network
 * posteriors → HSMM decoding → beats.
 */
import { predictPosteriorsDense } from '../../model/segmenterInference.js';
import type { LoadedSegmenter } from '../../model/segmenterBundle.js';
import { segmenterFeatures } from './features.js';
import { decodeSegmentation, type DecoderOptions, type SegmentationResult } from './decode.js';

/** Segmentation plus the posteriors and the refinement envelope. */
export interface LearnedSegmentation extends SegmentationResult {
  frameRateHz: number;
  /** nFrames × 4, row-major. */
  posteriors: Float32Array;
  nFrames: number;
  envelope: Float32Array;
  envelopeRateHz: number;
}

/** Run the segmenter on mono audio. */
export function segmentRecording(
  segmenter: LoadedSegmenter,
  samples: ArrayLike<number>,
  sampleRateHz: number,
  decoder: Partial<DecoderOptions> = {},
): LearnedSegmentation {
  const { bundle, network } = segmenter;
  const f = segmenterFeatures(samples, sampleRateHz, bundle.frontEnd);
  const posteriors = predictPosteriorsDense(network, bundle.architecture.offsets, bundle.architecture.nFeatures, f.values, f.nFrames);
  const seg = decodeSegmentation(posteriors, f.nFrames, f.frameRateHz, f.envelope, f.envelopeRateHz, { ...(bundle.decoder as Partial<DecoderOptions>), ...decoder });
  return { ...seg, frameRateHz: f.frameRateHz, posteriors, nFrames: f.nFrames, envelope: f.envelope, envelopeRateHz: f.envelopeRateHz };
}
