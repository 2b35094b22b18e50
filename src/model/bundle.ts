/**
 * The model bundle: `bundle.json` beside `model.json` + `weights.bin`, recording everything a
 * model's input depends on — the architecture, the front end (rate, spectrogram settings, dB and
 * standardisation) and the targets — so that loading rebuilds exactly the front end the model was
 * trained with (no train/serve skew). Browser-safe: the Node store (src/node/files/modelStore.ts)
 * reads and writes the file.
 *
 * Old model folders (only `preprocess.json`) load with the seed's front end
 * ({@link SEED_SPECTROGRAM_FRONT_END}), which is what every such model was trained with.
 */
import { InputError } from '../errors.js';
import { CNN_SAMPLE_RATE_HZ } from '../core/ratePolicy.js';
import type { PreprocessParams } from './preprocess.js';

/** Version of the bundle format this code writes and reads. */
export const BUNDLE_FORMAT_VERSION = 1;
/** Architectures this package can rebuild a front end for. */
export const ARCHITECTURES = ['seed-cnn', 'segmenter'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** A spectrogram front end (the seed CNN's). */
export interface SpectrogramFrontEnd {
  kind: 'spectrogram';
  /** Rate the recording is resampled to, Hz. */
  sampleRateHz: number;
  nperseg: number;
  noverlap: number;
  nfft: number;
  window: 'tukey';
  tukeyAlpha: number;
  detrend: 'constant';
  scaling: 'density';
  /** Input transform and standardisation (the model's preprocess.json `input`). */
  transform: PreprocessParams['input'];
  /** Model input shape [frequency bins, time frames, 1]. */
  inputShape: [number, number, number];
  /**
   * Shift averaging: offsets, ms, at which inference also reads every window, averaging the reads
   * (`predictRecording`'s `shiftsMs`). Absent: one read per window.
   */
  shiftsMs?: number[];
}

/** Another front end (issue 10's segmenter features): settings recorded as they are. */
export interface FeatureFrontEnd {
  kind: 'segmenter-features';
  sampleRateHz: number;
  [setting: string]: unknown;
}

export type FrontEnd = SpectrogramFrontEnd | FeatureFrontEnd;

/** Contents of bundle.json. */
export interface ModelBundle {
  format: 'hrv-audio-model';
  formatVersion: number;
  architecture: Architecture;
  frontEnd: FrontEnd;
  /** What the outputs mean and how they are scaled. */
  targets: Record<string, unknown>;
  /** Provenance: data, seed, cross-validation. */
  training: { data?: string; seed?: number; cv?: unknown; [key: string]: unknown };
  packageVersion: string;
}

/** The spectrogram settings of the seed (scipy.signal.spectrogram defaults at nperseg 256). */
export const SEED_SPECTROGRAM_SETTINGS = Object.freeze({
  sampleRateHz: CNN_SAMPLE_RATE_HZ,
  nperseg: 256,
  noverlap: 128,
  nfft: 256,
  window: 'tukey' as const,
  tukeyAlpha: 0.25,
  detrend: 'constant' as const,
  scaling: 'density' as const,
});

/** The seed's front end for a model with these preprocessing parameters. */
export function seedFrontEnd(pre: PreprocessParams): SpectrogramFrontEnd {
  return { kind: 'spectrogram', ...SEED_SPECTROGRAM_SETTINGS, transform: { ...pre.input }, inputShape: [...pre.inputShape] };
}

/** The bundle of a seed-CNN model trained with `pre` (and the seed's spectrogram settings). */
export function seedCnnBundle(pre: PreprocessParams, packageVersion: string, training: ModelBundle['training'] = {}): ModelBundle {
  const split = pre.split ? { split: pre.split } : {};
  return {
    format: 'hrv-audio-model',
    formatVersion: BUNDLE_FORMAT_VERSION,
    architecture: 'seed-cnn',
    frontEnd: seedFrontEnd(pre),
    targets: { mode: pre.mode, hr: pre.targets.hr, hrv: pre.targets.hrv },
    training: { ...split, ...training },
    packageVersion,
  };
}

/**
 * Check a parsed bundle.json. @throws InputError with what to do for a newer format, an unknown
 * architecture or front end, or missing settings.
 */
export function validateBundle(json: unknown, where = 'bundle.json'): ModelBundle {
  const b = json as Partial<ModelBundle> | null;
  if (!b || typeof b !== 'object' || b.format !== 'hrv-audio-model') throw new InputError(`${where} is not an hrv-audio model bundle`);
  if (typeof b.formatVersion !== 'number' || b.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new InputError(`${where} has format version ${String(b.formatVersion)}; this hrv-audio reads up to ${BUNDLE_FORMAT_VERSION}: update hrv-audio`);
  }
  if (!(ARCHITECTURES as readonly string[]).includes(String(b.architecture))) {
    throw new InputError(`${where}: unknown architecture '${String(b.architecture)}' (known: ${ARCHITECTURES.join(', ')})`);
  }
  const fe = b.frontEnd as Partial<FrontEnd> | undefined;
  if (!fe || (fe.kind !== 'spectrogram' && fe.kind !== 'segmenter-features') || !(Number(fe.sampleRateHz) > 0)) {
    throw new InputError(`${where}: the front end is missing or unknown (kind '${String(fe?.kind)}'): retrain or re-export the model`);
  }
  if (fe.kind === 'spectrogram') {
    const s = fe as Partial<SpectrogramFrontEnd>;
    for (const k of ['nperseg', 'noverlap', 'nfft'] as const) {
      if (!Number.isInteger(s[k]) || (s[k] as number) < 0) throw new InputError(`${where}: frontEnd.${k} must be a non-negative integer`);
    }
    if (!s.transform || !Array.isArray(s.inputShape)) throw new InputError(`${where}: frontEnd needs transform and inputShape`);
    if (s.shiftsMs !== undefined && (!Array.isArray(s.shiftsMs) || s.shiftsMs.length === 0 || !s.shiftsMs.every((v) => Number.isFinite(v) && Math.abs(v) < 1000))) {
      throw new InputError(`${where}: frontEnd.shiftsMs must be a non-empty list of offsets in ms, each within ±1000`);
    }
  }
  return b as ModelBundle;
}

/** The spectrogram front end of a bundle. @throws InputError for another kind. */
export function spectrogramFrontEnd(bundle: ModelBundle): SpectrogramFrontEnd {
  if (bundle.frontEnd.kind !== 'spectrogram') throw new InputError(`this model's front end is '${bundle.frontEnd.kind}', not a spectrogram`);
  return bundle.frontEnd;
}
