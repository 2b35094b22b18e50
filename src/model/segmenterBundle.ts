/**
 * The segmenter's model bundle (browser-safe): `bundle.json` beside `model.json` + `weights.bin`,
 * recording the whole front end, the architecture, the decoder settings and how it was trained.
 * Loading goes through a {@link SegmenterSource} that the environment supplies (files in Node,
 * fetch or inlined bytes in a browser).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import { denseNetworkFromArtifacts, type DenseNetwork } from './denseNetwork.js';
import type { SegmenterArchitecture } from './architectures/segmenter.js';


/** Settings of the segmenter's front end (recorded in bundle.json as `frontEnd`; computed by hrv/learned/features). */
export interface SegmenterFrontEnd {
  kind: 'segmenter-features';
  /** Analysis rate the audio is resampled to, Hz. */
  sampleRateHz: number;
  /** Feature frame rate, Hz (the posterior rate). */
  frameRateHz: number;
  /** Broadband pre-filter, Hz: [high-pass, low-pass]. */
  bandHz: [number, number];
  /** Sub-band envelopes (log frame RMS of each band-passed signal), Hz. */
  subBandsHz: Array<[number, number]>;
  /** Low-pass cutoff of the homomorphic envelope, Hz. */
  homomorphicHz: number;
  /** Low-pass cutoff of the audio-rate envelope used to refine beat times, Hz. */
  refineEnvelopeHz: number;
  /** Normalisation of every feature per recording. */
  standardisation: 'per-recording-z';
  /** Feature names, in column order. */
  features: string[];
}

/** bundle.json of a segmenter. */
export interface SegmenterBundle {
  formatVersion: 1;
  architecture: SegmenterArchitecture;
  frontEnd: SegmenterFrontEnd;
  /** Output states, in column order. */
  targets: ['S1', 'systole', 'S2', 'diastole'];
  /** Decoder settings that differ from the defaults (partial DecoderOptions). */
  decoder: Record<string, unknown>;
  training: { data: string; seed: number; cv: Record<string, unknown> | null; options: Record<string, unknown> };
  packageVersion: string;
}

/** Where a segmenter's files come from: the model artifacts and the parsed bundle.json. */
export type SegmenterSource = () => Promise<{ artifacts: tf.io.ModelArtifacts; bundle: unknown }>;

/** A loaded segmenter: its network as plain-JS dense layers (inference needs no TF.js). */
export interface LoadedSegmenter {
  network: DenseNetwork;
  bundle: SegmenterBundle;
}

/** Check a parsed bundle.json; throws InputError naming what is wrong. */
export function validateSegmenterBundle(value: unknown): SegmenterBundle {
  const b = value as Partial<SegmenterBundle> | null;
  if (!b || typeof b !== 'object') throw new InputError('bundle.json is not an object');
  if (b.formatVersion !== 1) throw new InputError(`bundle.json formatVersion ${String(b.formatVersion)} is not supported (expected 1); retrain with \`hrv-audio train-segmenter\``);
  if (!b.frontEnd || b.frontEnd.kind !== 'segmenter-features') throw new InputError("bundle.json frontEnd.kind must be 'segmenter-features'");
  if (!b.architecture || b.architecture.kind !== 'context-mlp') throw new InputError("bundle.json architecture.kind must be 'context-mlp'");
  return b as SegmenterBundle;
}

/** Load a segmenter from a source and check that the network matches the bundle. */
export async function loadSegmenter(source: SegmenterSource): Promise<LoadedSegmenter> {
  const { artifacts, bundle: raw } = await source();
  const bundle = validateSegmenterBundle(raw);
  const network = denseNetworkFromArtifacts(artifacts);
  const want = bundle.architecture.offsets.length * bundle.architecture.nFeatures;
  if (network.inputWidth !== want) throw new InputError(`segmenter input width ${network.inputWidth} does not match bundle.json (${want})`);
  if (network.outputWidth !== 4) throw new InputError(`segmenter output width ${network.outputWidth} is not 4 (S1, systole, S2, diastole)`);
  return { network, bundle };
}
