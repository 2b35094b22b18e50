/**
 * `estimate()`: heart rate, beat times and HRV from a mono recording (an array), with a quality
 * statement. Browser-safe and synchronous; for files (any WAV, streaming, libsamplerate
 * resampling) use `estimateFile` from `hrv-audio/node`.
 *
 * Steps: check the rate (≥ 500 Hz) and length (≥ {@link MIN_DURATION_S}); arrays above 8000 Hz
 * are resampled to 4000 Hz (`resample`, anti-aliased, the same as `estimateFile`); beats by
 * `detectBeats` (PCG or pulse, cleaned RR); measures by `hrvMeasures`; optional windows.
 * Numbers are `null`, never NaN, when the quality score is below `minQuality` (default
 * {@link DEFAULT_MIN_QUALITY}) or there are too few intervals — a reason says so.
 */
import { detectBeats, type DetectBeatsResult } from './detectBeats.js';
import { DEFAULT_HRV_CONVENTION, hrvMeasures, toolboxFields, type HrvConvention, type HrvFieldKey, type HrvToolboxFields } from './measures/index.js';
import { windowRows, type EstimateWindow } from './windows.js';
import { analysisRateFor, resample } from '../dsp/resample.js';

export type { EstimateWindow } from './windows.js';

/** Shortest recording `estimate` accepts, s (three beats at 60 bpm). */
export const MIN_DURATION_S = 3;
/**
 * Recordings longer than SEGMENT_S + 2·SEGMENT_OVERLAP_S are detected in segments of SEGMENT_S
 * (each padded by SEGMENT_OVERLAP_S on both sides, beats kept from the unpadded core): memory
 * stays bounded for any length, and the cardiac period is estimated per segment, so slow heart-rate
 * changes over an hour are followed.
 */
export const SEGMENT_S = 300;
export const SEGMENT_OVERLAP_S = 10;
/** Quality score below which no numbers are reported. */
export const DEFAULT_MIN_QUALITY = 0.2;

/** Options of {@link estimate}. */
export interface EstimateOptions {
  /** 'pcg' (heart sounds), 'pulse' (the seed's pulse trains) or 'auto' (default). */
  signal?: 'auto' | 'pcg' | 'pulse';
  /** Per-window rows: window length, s (no windows when absent). */
  windowS?: number;
  /** Window hop, s (default = windowS). */
  hopS?: number;
  /** HRV convention (default 'heartpy', see `hrvMeasures`). */
  convention?: HrvConvention;
  /** Include the detection envelope in the result. */
  returnEnvelope?: boolean;
  /** Quality score below which numbers are null (default 0.2). */
  minQuality?: number;
}

/**
 * Result of {@link estimate}. All durations in the named unit; `null` = not trustworthy / not defined.
 * The frequency-domain and non-linear fields ({@link HrvToolboxFields}, issue 17) follow the rules on
 * length in measures/rules.ts; `hrvNullReasons` says why each HRV field is null.
 */
export interface EstimateResult extends HrvToolboxFields {
  /** 60 000 / mean RR, bpm. */
  heartRateBpm: number | null;
  /** Beat times (S1 onsets or pulse onsets), s from the start. */
  beatTimesS: number[];
  /** S2 onsets, s (heart sounds only). */
  s2TimesS?: number[];
  /** Cleaned RR intervals, s (never across a rejected gap). */
  rrS: number[];
  meanRrMs: number | null;
  sdnnMs: number | null;
  rmssdMs: number | null;
  sdsdMs: number | null;
  /** heartpy: fraction 0..1; neurokit: percent. */
  pnn20: number | null;
  pnn50: number | null;
  sd1Ms: number | null;
  sd2Ms: number | null;
  madMs: number | null;
  /** Why each null HRV field is null (field names: measures/fields.ts). */
  hrvNullReasons: Partial<Record<HrvFieldKey, string>>;
  /** Remarks on the HRV measures that do not null them. */
  hrvNotes: string[];
  /** Number of RR intervals behind the measures. */
  nIntervals: number;
  durationS: number;
  /** Sample rate of the input, Hz. */
  sampleRateHz: number;
  /** Rate the detector ran at, Hz. */
  analysisRateHz: number;
  method: 'classical';
  signalType: 'pcg' | 'pulse';
  convention: HrvConvention;
  /** Cardiac period from the detector, s. */
  periodS: number | null;
  quality: { score: number; reasons: string[] };
  /** True when the numbers are reported (quality ≥ minQuality and ≥ 1 interval). */
  trusted: boolean;
  windows?: EstimateWindow[];
  envelope?: { values: Float32Array; sampleRateHz: number };
}

/** Validate the options common to `estimate` and `estimateFile`; throws RangeError. */
export function checkEstimateOptions(options: EstimateOptions): void {
  const { signal, convention, windowS, hopS, minQuality } = options;
  if (signal !== undefined && !['auto', 'pcg', 'pulse'].includes(signal)) {
    throw new RangeError(`signal must be auto, pcg or pulse, got '${String(signal)}'`);
  }
  if (convention !== undefined && convention !== 'heartpy' && convention !== 'neurokit') {
    throw new RangeError(`convention must be heartpy or neurokit, got '${String(convention)}'`);
  }
  if (windowS !== undefined && !(Number.isFinite(windowS) && windowS > 0)) throw new RangeError(`window must be > 0 s, got ${windowS}`);
  if (hopS !== undefined && !(Number.isFinite(hopS) && hopS > 0)) throw new RangeError(`hop must be > 0 s, got ${hopS}`);
  if (hopS !== undefined && windowS === undefined) throw new RangeError('a hop needs a window length');
  if (minQuality !== undefined && !(minQuality >= 0 && minQuality <= 1)) throw new RangeError(`minQuality must be 0..1, got ${minQuality}`);
}

/** Throws RangeError when a recording of `durationS` is too short to estimate from. */
export function checkDuration(durationS: number): void {
  if (!(durationS >= MIN_DURATION_S)) {
    throw new RangeError(`recording too short: ${durationS.toFixed(2)} s (need at least ${MIN_DURATION_S} s)`);
  }
}

/**
 * Estimate HR and HRV from mono samples.
 * @param samples mono audio, any scale (WAV input is ±1)
 * @param sampleRateHz 500 Hz … 768 kHz (above 8000 Hz the array is resampled to 4000 Hz; must then be an integer)
 * @throws RangeError for a bad rate, a too-short recording or bad options
 */
export function estimate(samples: ArrayLike<number>, sampleRateHz: number, options: EstimateOptions = {}): EstimateResult {
  checkEstimateOptions(options);
  const analysisRateHz = analysisRateFor(sampleRateHz); // rate checks
  const durationS = samples.length / sampleRateHz;
  checkDuration(durationS);
  const x =
    analysisRateHz !== sampleRateHz
      ? resample(samples, sampleRateHz, analysisRateHz)
      : samples instanceof Float32Array || samples instanceof Float64Array
        ? samples
        : Float64Array.from(samples);
  return estimateAtAnalysisRate(x, analysisRateHz, sampleRateHz, durationS, options);
}

/**
 * The part of `estimate` after resampling: `x` is already at `analysisRateHz` (500–8000 Hz).
 * `inputRateHz` and `durationS` describe the original recording. Used by `estimateFile`.
 */
export function estimateAtAnalysisRate(
  x: Float32Array | Float64Array,
  analysisRateHz: number,
  inputRateHz: number,
  durationS: number,
  options: EstimateOptions = {},
): EstimateResult {
  checkEstimateOptions(options);
  const convention = options.convention ?? DEFAULT_HRV_CONVENTION;
  const minQuality = options.minQuality ?? DEFAULT_MIN_QUALITY;
  const det = detectSegmented(x, analysisRateHz, options.signal ?? 'auto', options.returnEnvelope === true);
  const score = Number.isFinite(det.quality.score) ? Math.max(0, Math.min(1, det.quality.score)) : 0;
  const reasons = [...det.quality.reasons];
  const kept = det.rrS.map((r, i) => [r, i] as const).filter(([r]) => Number.isFinite(r) && r > 0);
  const rrS = kept.map(([r]) => r);
  // end time of each interval, so that the spectral measures see the gaps left by cleaning
  const rrEndTimesS = kept.map(([r, i]) => (det.beatTimesS[det.rrStartIndex[i]!] ?? NaN) + r);
  const timed = rrEndTimesS.every((t, i) => Number.isFinite(t) && (i === 0 || t - rrS[i]! >= rrEndTimesS[i - 1]! - 1e-6));
  const trusted = score >= minQuality && rrS.length > 0;
  if (!trusted) {
    reasons.push(
      rrS.length === 0
        ? 'no usable beat intervals: no heart rate reported'
        : `quality ${score.toFixed(2)} is below ${minQuality}: no heart rate or HRV reported`,
    );
  }
  const m = hrvMeasures(trusted ? rrS : [], { convention, ...(trusted && timed ? { rrEndTimesS } : {}) });
  const result: EstimateResult = {
    heartRateBpm: m.heartRateBpm,
    beatTimesS: det.beatTimesS,
    rrS,
    meanRrMs: m.meanRrMs,
    sdnnMs: m.sdnnMs,
    rmssdMs: m.rmssdMs,
    sdsdMs: m.sdsdMs,
    pnn20: m.pnn20,
    pnn50: m.pnn50,
    sd1Ms: m.sd1Ms,
    sd2Ms: m.sd2Ms,
    madMs: m.madMs,
    ...toolboxFields(m),
    // an untrusted recording: every HRV field is null for the same reason
    hrvNullReasons: trusted ? m.nullReasons : Object.fromEntries(Object.keys(m.nullReasons).map((k) => [k, reasons[reasons.length - 1]!])),
    hrvNotes: m.notes,
    nIntervals: m.nIntervals,
    durationS,
    sampleRateHz: inputRateHz,
    analysisRateHz,
    method: 'classical',
    signalType: det.signalType,
    convention,
    periodS: det.periodS,
    quality: { score, reasons },
    trusted,
  };
  if (det.s2TimesS) result.s2TimesS = det.s2TimesS;
  if (options.windowS !== undefined) {
    result.windows = windowRows(
      {
        durationS,
        beatTimesS: det.beatTimesS,
        rrS: det.rrS,
        rrStartIndex: det.rrStartIndex,
        qualityScore: score,
        convention,
        minQuality,
      },
      options.windowS,
      options.hopS ?? options.windowS,
    );
  }
  if (det.envelope) result.envelope = det.envelope;
  return result;
}

/** Most quality reasons listed for a segmented recording. */
const MAX_SEGMENT_REASONS = 12;

/**
 * `detectBeats` over the whole signal, or segment by segment for long recordings (see
 * {@link SEGMENT_S}). Segments: cores [k·L, (k+1)·L) (a remainder shorter than L/4 joins the last
 * core), each detected with SEGMENT_OVERLAP_S of context on both sides; a segment contributes the
 * beats, S2 sounds and RR intervals that start inside its core. The signal type is decided on the
 * first segment ('auto') and imposed on the others. Quality: core-duration-weighted mean score,
 * reasons tagged with their segment.
 */
export function detectSegmented(
  x: Float32Array | Float64Array,
  rateHz: number,
  signal: 'auto' | 'pcg' | 'pulse',
  returnEnvelope: boolean,
): DetectBeatsResult {
  const durationS = x.length / rateHz;
  if (durationS <= SEGMENT_S + 2 * SEGMENT_OVERLAP_S) return detectBeats(x, rateHz, { signal, returnEnvelope });
  const cores: Array<[number, number]> = [];
  for (let c0 = 0; c0 < durationS; c0 += SEGMENT_S) cores.push([c0, Math.min(durationS, c0 + SEGMENT_S)]);
  if (cores.length > 1 && cores[cores.length - 1]![1] - cores[cores.length - 1]![0] < SEGMENT_S / 4) {
    const last = cores.pop()!;
    cores[cores.length - 1]![1] = last[1];
  }
  const beatTimesS: number[] = [];
  const s2TimesS: number[] = [];
  const rrS: number[] = [];
  const rrStartIndex: number[] = [];
  const periods: number[] = [];
  const reasons: string[] = [];
  let weighted = 0;
  let type: 'auto' | 'pcg' | 'pulse' = signal;
  let signalType: 'pcg' | 'pulse' = 'pcg';
  const envParts: Float32Array[] = [];
  let envRate = 0;
  for (const [c0, c1] of cores) {
    const s0 = Math.max(0, Math.floor((c0 - SEGMENT_OVERLAP_S) * rateHz));
    const s1 = Math.min(x.length, Math.ceil((c1 + SEGMENT_OVERLAP_S) * rateHz));
    const offsetS = s0 / rateHz;
    const det = detectBeats(x.subarray(s0, s1), rateHz, { signal: type, returnEnvelope });
    if (type === 'auto') type = det.signalType;
    signalType = det.signalType;
    const globalIndex = new Map<number, number>();
    det.beatTimesS.forEach((t, i) => {
      const g = t + offsetS;
      if (g >= c0 && g < c1) {
        globalIndex.set(i, beatTimesS.length);
        beatTimesS.push(g);
      }
    });
    for (const t of det.s2TimesS ?? []) if (t + offsetS >= c0 && t + offsetS < c1) s2TimesS.push(t + offsetS);
    det.rrS.forEach((r, j) => {
      const g = globalIndex.get(det.rrStartIndex[j]!);
      if (g !== undefined) {
        rrS.push(r);
        rrStartIndex.push(g);
      }
    });
    if (det.periodS !== null) periods.push(det.periodS);
    const score = Number.isFinite(det.quality.score) ? det.quality.score : 0;
    weighted += score * (c1 - c0);
    for (const reason of det.quality.reasons) reasons.push(`${c0.toFixed(0)}–${c1.toFixed(0)} s: ${reason}`);
    if (det.envelope) {
      envRate = det.envelope.sampleRateHz;
      const e0 = Math.round((c0 - offsetS) * envRate);
      const e1 = Math.round((c1 - offsetS) * envRate);
      envParts.push(det.envelope.values.subarray(Math.max(0, e0), Math.min(det.envelope.values.length, e1)));
    }
  }
  const shown = reasons.slice(0, MAX_SEGMENT_REASONS);
  if (reasons.length > shown.length) shown.push(`… and ${reasons.length - shown.length} more segment notes`);
  periods.sort((a, b) => a - b);
  const result: DetectBeatsResult = {
    beatTimesS,
    rrS,
    rrStartIndex,
    signalType,
    periodS: periods.length ? periods[periods.length >> 1]! : null,
    quality: { score: weighted / durationS, reasons: shown },
  };
  if (signalType === 'pcg') result.s2TimesS = s2TimesS;
  if (returnEnvelope && envParts.length) {
    const values = new Float32Array(envParts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of envParts) {
      values.set(p, at);
      at += p.length;
    }
    result.envelope = { values, sampleRateHz: envRate };
  }
  return result;
}
