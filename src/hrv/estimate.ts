/**
 * `estimate()`: heart rate, beat times and HRV from a mono recording (an array), with a quality
 * statement and a verdict. Browser-safe and asynchronous; for files (any WAV, streaming,
 * block-wise resampling) use `estimateFile` from `hrv-audio/node`.
 *
 * Steps, the same for every method: options (validated once, defaults filled) → rate policy
 * (core/ratePolicy: ≥ 500 Hz; arrays above 8000 Hz are resampled to 4000 Hz) → the method's
 * Estimator (registry.ts, `options.method`, default classical) → the gate (gate/: trusted or not,
 * verdict) → the HRV measures (`hrvMeasures`, or the method's direct numbers) → optional windows.
 * Numbers are `null`, never NaN, when the gate does not trust the output — a reason says so.
 */
import { hrvMeasures, toolboxFields, DEFAULT_HRV_CONVENTION } from './measures/index.js';
import { directWindowRows, windowRows } from './windows.js';
import { resample } from '../dsp/resample.js';
import { methodInputRateHz } from '../core/ratePolicy.js';
import { HRV_CONVENTIONS, METHODS, SIGNAL_CHOICES, parseChoice } from '../core/choices.js';
import { DEFAULT_MIN_QUALITY, gate } from './gate/index.js';
import { DEFAULT_METHOD, estimatorFor } from './registry.js';
import type { EstimateOptions, EstimateResult, MethodOutput, ResolvedEstimateOptions } from './estimator.js';

export type { EstimateWindow } from './windows.js';
export type { EstimateOptions, EstimateResult, ResolvedEstimateOptions, MethodOutput, Estimator, EstimatorInput, DirectWindow } from './estimator.js';
export { DEFAULT_MIN_QUALITY } from './gate/index.js';
export { SEGMENT_S, SEGMENT_OVERLAP_S, detectSegmented } from './classical/estimator.js';

/** Shortest recording `estimate` accepts, s (three beats at 60 bpm). */
export const MIN_DURATION_S = 3;

/**
 * Validate the options and fill in the defaults (the one place options are checked).
 * @throws RangeError for a bad option
 */
export function resolveEstimateOptions(options: EstimateOptions = {}): ResolvedEstimateOptions {
  const { windowS, hopS, minQuality } = options;
  const method = options.method === undefined ? DEFAULT_METHOD : parseChoice(METHODS, options.method, 'method');
  const signal = options.signal === undefined ? 'auto' : parseChoice(SIGNAL_CHOICES, options.signal, 'signal');
  const convention = options.convention === undefined ? DEFAULT_HRV_CONVENTION : parseChoice(HRV_CONVENTIONS, options.convention, 'convention');
  if (windowS !== undefined && !(Number.isFinite(windowS) && windowS > 0)) throw new RangeError(`window must be > 0 s, got ${windowS}`);
  if (hopS !== undefined && !(Number.isFinite(hopS) && hopS > 0)) throw new RangeError(`hop must be > 0 s, got ${hopS}`);
  if (hopS !== undefined && windowS === undefined) throw new RangeError('a hop needs a window length');
  if (minQuality !== undefined && !(minQuality >= 0 && minQuality <= 1)) throw new RangeError(`minQuality must be 0..1, got ${minQuality}`);
  return {
    method,
    signal,
    windowS,
    hopS,
    convention,
    returnEnvelope: options.returnEnvelope === true,
    minQuality: minQuality ?? DEFAULT_MIN_QUALITY,
    model: options.model,
  };
}

/** Validate the options common to `estimate` and `estimateFile`; throws RangeError. */
export function checkEstimateOptions(options: EstimateOptions): void {
  resolveEstimateOptions(options);
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
 * @returns a promise of the result; it rejects with a RangeError for a bad rate, a too-short recording or bad options
 */
export async function estimate(samples: ArrayLike<number>, sampleRateHz: number, options: EstimateOptions = {}): Promise<EstimateResult> {
  const resolved = resolveEstimateOptions(options);
  const inputRateHz = methodInputRateHz(resolved.method, sampleRateHz); // rate checks
  const durationS = samples.length / sampleRateHz;
  checkDuration(durationS);
  const x =
    inputRateHz !== sampleRateHz
      ? resample(samples, sampleRateHz, inputRateHz)
      : samples instanceof Float32Array || samples instanceof Float64Array
        ? samples
        : Float64Array.from(samples);
  return estimateResolved(x, inputRateHz, sampleRateHz, durationS, resolved);
}

/**
 * The part of `estimate` after the rate policy: `x` is already at `rateHz` (the rate policy's
 * method input rate, 500–8000 Hz). `inputRateHz` and `durationS` describe the original
 * recording. Used by `estimateFile`, which decodes and resamples files block by block.
 */
export async function estimateResolved(
  x: Float32Array | Float64Array,
  rateHz: number,
  inputRateHz: number,
  durationS: number,
  options: ResolvedEstimateOptions,
): Promise<EstimateResult> {
  const estimator = estimatorFor(options.method);
  if (estimator.prepare) await estimator.prepare(options);
  const out = await estimator.analyse({ samples: x, sampleRateHz: rateHz, durationS }, options);
  return assembleResult(out, estimator.analysisRateHz(inputRateHz), inputRateHz, durationS, options);
}

/** Gate → measures → windows: one result shape from any method's output. */
function assembleResult(
  out: MethodOutput,
  analysisRateHz: number,
  inputRateHz: number,
  durationS: number,
  options: ResolvedEstimateOptions,
): EstimateResult {
  const { convention, minQuality } = options;
  const g = gate(out, { minQuality });
  // end time of each kept interval, so that the spectral measures see the gaps left by cleaning
  const kept = out.rrS.map((r, i) => [r, i] as const).filter(([r]) => Number.isFinite(r) && r > 0);
  const rrEndTimesS = kept.map(([r, i]) => (out.beatTimesS[out.rrStartIndex[i]!] ?? NaN) + r);
  const timed = rrEndTimesS.every((t, i) => Number.isFinite(t) && (i === 0 || t - g.rrS[i]! >= rrEndTimesS[i - 1]! - 1e-6));
  const m = hrvMeasures(g.trusted ? g.rrS : [], { convention, ...(g.trusted && timed ? { rrEndTimesS } : {}) });
  if (out.direct && g.trusted) {
    m.heartRateBpm = out.direct.heartRateBpm;
    m.sdnnMs = out.direct.sdnnMs;
    delete m.nullReasons.heartRateBpm;
    delete m.nullReasons.sdnnMs;
  }
  // an untrusted recording: every HRV field is null for the same reason
  const hrvNullReasons = g.trusted ? m.nullReasons : Object.fromEntries(Object.keys(m.nullReasons).map((k) => [k, g.reasons[g.reasons.length - 1]!]));
  const result: EstimateResult = {
    heartRateBpm: m.heartRateBpm,
    beatTimesS: out.beatTimesS,
    rrS: g.rrS,
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
    hrvNullReasons,
    hrvNotes: m.notes,
    nIntervals: m.nIntervals,
    durationS,
    sampleRateHz: inputRateHz,
    analysisRateHz,
    method: options.method,
    signalType: out.signalType,
    convention,
    periodS: out.periodS,
    quality: { score: g.score, reasons: g.reasons },
    verdict: g.verdict,
    trusted: g.trusted,
    details: out.details,
  };
  if (out.s2TimesS) result.s2TimesS = out.s2TimesS;
  if (options.windowS !== undefined) {
    const hopS = options.hopS ?? options.windowS;
    result.windows = out.direct?.windows
      ? directWindowRows(out.direct.windows, { durationS, qualityScore: g.score, minQuality }, options.windowS, hopS)
      : windowRows(
          {
            durationS,
            beatTimesS: out.beatTimesS,
            rrS: out.rrS,
            rrStartIndex: out.rrStartIndex,
            qualityScore: g.score,
            convention,
            minQuality,
          },
          options.windowS,
          hopS,
        );
  }
  if (out.envelope) result.envelope = out.envelope;
  return result;
}
