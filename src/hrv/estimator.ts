/**
 * The estimator seam: every method (classical beat detector, the seed's CNN, the learned
 * segmenter) is an {@link Estimator} that turns a mono signal at its analysis rate into one
 * {@link MethodOutput}; `estimate()` (estimate.ts) runs the chosen one, then the gate, the HRV
 * measures and the windows, and returns one {@link EstimateResult} shape for every method.
 * Adding a method = one estimator file + one line in registry.ts + one name in core/choices.
 * Browser-safe.
 */
import type { HrvConvention, Method, SignalChoice, Verdict } from '../core/choices.js';
import type { EstimateWindow } from './windows.js';
import type { HrvFieldKey, HrvToolboxFields } from './measures/index.js';

/** The input a method analyses. */
export interface EstimatorInput {
  /** Mono samples at `sampleRateHz`. */
  samples: Float32Array | Float64Array;
  /** The rate the samples are at, Hz (the rate policy's analysis rate; a method with a rate of its own resamples). */
  sampleRateHz: number;
  /** Duration of the original recording, s. */
  durationS: number;
}

/** A method's window prediction (methods that predict numbers per window, e.g. the seed CNN). */
export interface DirectWindow {
  startS: number;
  endS: number;
  heartRateBpm: number | null;
  sdnnMs: number | null;
}

/** What a method returns: beats and intervals, or direct numbers, plus its own quality evidence. */
export interface MethodOutput {
  signalType: 'pcg' | 'pulse';
  /** S1 onsets / pulse onsets, s. */
  beatTimesS: number[];
  /** S2 onsets, s (heart sounds). */
  s2TimesS?: number[];
  /** Cleaned intervals, s; never across a gap. */
  rrS: number[];
  /** Index in beatTimesS of each interval's first beat. */
  rrStartIndex: number[];
  /** Cardiac period, s. */
  periodS: number | null;
  /** The method's own evidence, score 0..1. */
  quality: { score: number; reasons: string[] };
  /** Methods that predict numbers rather than beats (the seed CNN): whole-recording values and, optionally, per-window ones. */
  direct?: { heartRateBpm: number | null; sdnnMs: number | null; windows?: DirectWindow[] };
  /** Per-frame state posteriors (learned): nFrames × 4 (S1, systole, S2, diastole), row-major. */
  states?: { frameRateHz: number; posteriors: Float32Array };
  envelope?: { values: Float32Array; sampleRateHz: number };
  /** Method-specific, JSON-serialisable. */
  details: Record<string, unknown>;
}

/**
 * A trained model handed to a method that needs one (the CNN): any object the method knows how
 * to use. In Node, `estimateFile(path, { method: 'cnn', modelDir })` loads it; in a browser, load
 * it with tfjs and pass it here.
 */
export type EstimatorModel = unknown;

/** Options of `estimate()`. */
export interface EstimateOptions {
  /** Which method estimates (default 'classical'; see core/choices METHODS). */
  method?: Method;
  /** 'pcg' (heart sounds), 'pulse' (the seed's pulse trains) or 'auto' (default). */
  signal?: SignalChoice;
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
  /** The trained model for methods that need one (cnn). */
  model?: EstimatorModel;
}

/** {@link EstimateOptions} with every default filled in (what estimators receive). */
export interface ResolvedEstimateOptions {
  method: Method;
  signal: SignalChoice;
  windowS: number | undefined;
  hopS: number | undefined;
  convention: HrvConvention;
  returnEnvelope: boolean;
  minQuality: number;
  model: EstimatorModel | undefined;
}

/** One estimation method. */
export interface Estimator {
  readonly name: Method;
  /** Analysis rate for an input rate (the rate policy of this method). */
  analysisRateHz(inputRateHz: number): number;
  /** Load weights / start a backend; idempotent. */
  prepare?(options: ResolvedEstimateOptions): Promise<void>;
  analyse(input: EstimatorInput, options: ResolvedEstimateOptions): MethodOutput | Promise<MethodOutput>;
}

/**
 * Result of `estimate()`, the same shape for every method. `null` = not trustworthy / not defined.
 * The frequency-domain and non-linear fields ({@link HrvToolboxFields}, issue 17) follow the rules
 * on length in measures/rules.ts; `hrvNullReasons` says why each HRV field is null.
 */
export interface EstimateResult extends HrvToolboxFields {
  /** 60 000 / mean RR, bpm (direct methods: the method's own value). */
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
  /** Rate the method ran at, Hz. */
  analysisRateHz: number;
  method: Method;
  signalType: 'pcg' | 'pulse';
  convention: HrvConvention;
  /** Cardiac period from the method, s. */
  periodS: number | null;
  quality: { score: number; reasons: string[] };
  /** The gate's verdict. */
  verdict: Verdict;
  /** True when the numbers are reported (verdict good or fair). */
  trusted: boolean;
  windows?: EstimateWindow[];
  envelope?: { values: Float32Array; sampleRateHz: number };
  /** Method-specific, JSON-serialisable. */
  details: Record<string, unknown>;
}
