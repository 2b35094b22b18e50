/**
 * Input and target preprocessing of the two training modes. The parameters are fitted on the
 * training split only and travel with the model (`preprocess.json`), so inference repeats them.
 *
 * - `faithful` (the seed as written): raw PSD input, raw targets, HR label `hr_count_bpm`
 *   (12 × number of beats in the 5 s window, the seed's `true_hr`).
 * - `improved` (default): input 10·log10(PSD) standardized with the training set's mean and
 *   standard deviation; HR target standardized; HRV target divided by its training standard
 *   deviation (not centred: the seed's `hrv_output` head ends in a ReLU, so its target must stay
 *   ≥ 0); HR label `hr_bpm` (60 / mean RR interval, the physiological definition).
 */

/** Training mode. */
export type TrainingMode = 'faithful' | 'improved';
export const TRAINING_MODES: readonly TrainingMode[] = ['faithful', 'improved'];

/** HR label a model is trained on (column of labels.csv). */
export type HrLabel = 'hr_bpm' | 'hr_count_bpm';

/** Affine target scaling: model output = (label − offset) / scale. */
export interface TargetScaling {
  label: string;
  offset: number;
  scale: number;
}

/** Contents of preprocess.json. */
export interface PreprocessParams {
  format: 'hrv-audio-preprocess';
  formatVersion: 1;
  mode: TrainingMode;
  /** Model input shape [frequency bins, time frames, 1]. */
  inputShape: [number, number, number];
  input: {
    /** 'psd': PSD as is; 'db': 10·log10(max(PSD, floor)). */
    transform: 'psd' | 'db';
    /** Floor of the dB transform (PSD units). */
    dbFloor: number;
    /** Subtracted after the transform. */
    mean: number;
    /** Divided by after centring. */
    std: number;
    /**
     * Per-window normalisation (optional, default off): each window's own mean (of the
     * transformed values) is subtracted before `mean`/`std` apply, so the overall gain of a
     * recording does not reach the network.
     */
    perWindow?: boolean;
  };
  targets: { hr: TargetScaling; hrv: TargetScaling };
  /**
   * How the training data was split (optional): lets `evaluate` score the same test samples when
   * given the training dataset again (recognised by its fingerprint).
   */
  split?: { n: number; testFraction: number; seed: number; dataset?: string };
}

/** Parse a `--mode` value. */
export function parseMode(value: string): TrainingMode {
  if ((TRAINING_MODES as readonly string[]).includes(value)) return value as TrainingMode;
  throw new RangeError(`unknown mode '${value}' (choose faithful or improved)`);
}

/** The HR label of a mode. */
export function hrLabelOf(mode: TrainingMode): HrLabel {
  return mode === 'faithful' ? 'hr_count_bpm' : 'hr_bpm';
}

const DB_FLOOR = 1e-20;

/** Options of {@link fitPreprocess}. */
export interface FitPreprocessOptions {
  /** Subtract each window's mean dB before standardising (improved mode only). Default false. */
  perWindow?: boolean;
}

/** Mean of the transformed values of one window (dB or PSD). */
function windowMean(src: Float32Array, transform: 'psd' | 'db', dbFloor: number): number {
  let s = 0;
  for (let j = 0; j < src.length; j++) s += transform === 'db' ? 10 * Math.log10(Math.max(src[j], dbFloor)) : src[j];
  return s / src.length;
}

function meanStd(values: ArrayLike<number>, idx?: readonly number[]): { mean: number; std: number } {
  let n = 0;
  let s = 0;
  let s2 = 0;
  const m = idx ? idx.length : values.length;
  for (let k = 0; k < m; k++) {
    const v = values[idx ? idx[k] : k];
    n++;
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  const std = Math.sqrt(Math.max(0, s2 / n - mean * mean));
  return { mean, std: std > 0 ? std : 1 };
}

/**
 * Fit the preprocessing of `mode` on the training samples.
 * @param spectra row-major N × F × T spectrograms (linear PSD)
 * @param shape [F, T]
 * @param hrLabels the mode's HR label for every sample (bpm)
 * @param hrvLabels HRV label for every sample (s)
 * @param trainIdx indices of the training samples
 */
export function fitPreprocess(
  mode: TrainingMode,
  spectra: Float32Array,
  shape: [number, number],
  hrLabels: ArrayLike<number>,
  hrvLabels: ArrayLike<number>,
  trainIdx: readonly number[],
  options: FitPreprocessOptions = {},
): PreprocessParams {
  const [F, T] = shape;
  const base = {
    format: 'hrv-audio-preprocess' as const,
    formatVersion: 1 as const,
    mode,
    inputShape: [F, T, 1] as [number, number, number],
  };
  if (mode === 'faithful') {
    return {
      ...base,
      input: { transform: 'psd', dbFloor: DB_FLOOR, mean: 0, std: 1 },
      targets: { hr: { label: 'hr_count_bpm', offset: 0, scale: 1 }, hrv: { label: 'hrv_s', offset: 0, scale: 1 } },
    };
  }
  const size = F * T;
  const perWindow = options.perWindow === true;
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (const i of trainIdx) {
    const offset = perWindow ? windowMean(spectra.subarray(i * size, (i + 1) * size), 'db', DB_FLOOR) : 0;
    for (let j = i * size; j < (i + 1) * size; j++) {
      const v = 10 * Math.log10(Math.max(spectra[j], DB_FLOOR)) - offset;
      n++;
      s += v;
      s2 += v * v;
    }
  }
  const mean = s / n;
  const std = Math.sqrt(Math.max(0, s2 / n - mean * mean)) || 1;
  const hr = meanStd(hrLabels, trainIdx);
  const hrv = meanStd(hrvLabels, trainIdx);
  return {
    ...base,
    input: { transform: 'db', dbFloor: DB_FLOOR, mean, std, ...(perWindow ? { perWindow: true } : {}) },
    targets: { hr: { label: 'hr_bpm', offset: hr.mean, scale: hr.std }, hrv: { label: 'hrv_s', offset: 0, scale: hrv.std } },
  };
}

/**
 * Model input for samples `idx` of `spectra` (N × F × T linear PSD), as a new Float32Array
 * (len(idx) × F × T). Throws RangeError when the spectrogram size does not match the model.
 */
export function prepareInput(params: PreprocessParams, spectra: Float32Array, shape: [number, number], idx: readonly number[]): Float32Array {
  const [F, T] = params.inputShape;
  if (shape[0] !== F || shape[1] !== T) {
    throw new RangeError(`spectrograms are ${shape[0]}×${shape[1]} but the model expects ${F}×${T} (use the spectrogram settings the model was trained with)`);
  }
  const size = F * T;
  const out = new Float32Array(idx.length * size);
  const { transform, dbFloor, mean, std, perWindow } = params.input;
  const inv = 1 / std;
  idx.forEach((i, k) => {
    const src = spectra.subarray(i * size, (i + 1) * size);
    if (transform === 'psd' && mean === 0 && std === 1 && !perWindow) {
      out.set(src, k * size);
      return;
    }
    const centre = mean + (perWindow ? windowMean(src, transform, dbFloor) : 0);
    for (let j = 0; j < size; j++) {
      const v = transform === 'db' ? 10 * Math.log10(Math.max(src[j], dbFloor)) : src[j];
      out[k * size + j] = (v - centre) * inv;
    }
  });
  return out;
}

/** Label → model target. */
export function encodeTarget(s: TargetScaling, label: number): number {
  return (label - s.offset) / s.scale;
}

/** Model output → label units. */
export function decodeTarget(s: TargetScaling, output: number): number {
  return output * s.scale + s.offset;
}

/** Check that an object read from preprocess.json is usable; returns it typed. */
export function validatePreprocess(p: unknown): PreprocessParams {
  const q = p as PreprocessParams;
  if (!q || q.format !== 'hrv-audio-preprocess' || !Array.isArray(q.inputShape) || q.inputShape.length !== 3 ||
    !q.input || !q.targets?.hr || !q.targets?.hrv || !TRAINING_MODES.includes(q.mode)) {
    throw new Error('preprocess.json is missing or not an hrv-audio preprocessing description');
  }
  return q;
}
