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
import { DEFAULT_MIN_QUALITY, GOOD_SCORE, gate, gateSignal } from './gate/index.js';
import { defaultMethodFor, estimatorFor } from './registry.js';
import { detectSignalType } from './classical/signalType.js';
import { hasSegmenterSource } from './learned/estimator.js';
import { hrvAllowed } from './gate/minimumData.js';
import { judgeRate, rateHypothesisEvidence, type RateJudgement } from './gate/rateHypotheses.js';
import { classicalEstimator } from './classical/estimator.js';
import type { GateResult } from './gate/index.js';
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
  const signal = options.signal === undefined ? 'auto' : parseChoice(SIGNAL_CHOICES, options.signal, 'signal');
  const methodIsDefault = options.method === undefined;
  const method = methodIsDefault ? defaultMethodFor(signal === 'pulse' ? 'pulse' : 'pcg') : parseChoice(METHODS, options.method, 'method');
  const convention = options.convention === undefined ? DEFAULT_HRV_CONVENTION : parseChoice(HRV_CONVENTIONS, options.convention, 'convention');
  if (windowS !== undefined && !(Number.isFinite(windowS) && windowS > 0)) throw new RangeError(`window must be > 0 s, got ${windowS}`);
  if (hopS !== undefined && !(Number.isFinite(hopS) && hopS > 0)) throw new RangeError(`hop must be > 0 s, got ${hopS}`);
  if (hopS !== undefined && windowS === undefined) throw new RangeError('a hop needs a window length');
  if (minQuality !== undefined && !(minQuality >= 0 && minQuality <= 1)) throw new RangeError(`minQuality must be 0..1, got ${minQuality}`);
  return {
    method,
    methodIsDefault,
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
  let detectedSignal: 'pcg' | 'pulse' | undefined;
  if (options.methodIsDefault) {
    // the default: learned for heart sounds when its weights are registered (the Node layer
    // registers the shipped ones), classical for pulse signals or without weights
    detectedSignal = options.signal === 'auto' ? detectSignalType(x, rateHz).signalType : undefined;
    let method = detectedSignal !== undefined ? defaultMethodFor(detectedSignal) : options.method;
    if (method === 'learned' && !hasSegmenterSource()) method = 'classical';
    if (method !== options.method) options = { ...options, method };
  }
  const estimator = estimatorFor(options.method);
  if (estimator.prepare) await estimator.prepare(options);
  const input = { samples: x, sampleRateHz: rateHz, durationS };
  const analysed = await estimator.analyse(input, options);
  // A direct method (the CNN) finds no beats: the gate judges the audio on the classical
  // detection of the same samples (x is at the classical analysis rate for every method).
  const gateBeats = analysed.direct ? await classicalEstimator.analyse(input, { ...options, method: 'classical', returnEnvelope: false }) : analysed;
  // a direct method reports the signal type its gate judged (the classical detector's)
  const out = analysed.direct ? { ...analysed, signalType: gateBeats.signalType } : analysed;
  const measured = gateSignal(x, rateHz); // shared by both gate calls below
  let g = gate(x, rateHz, { ...gateBeats, quality: out.quality }, { fairQuality: options.minQuality }, measured);
  // A direct method's quality is its own self-consistency (the CNN: agreement between windows),
  // which a network that regresses to a typical rate also shows on rubbing or noise: its reading
  // is trusted only where a trusted beat-based reading of the same samples gives the same rate.
  if (out.direct && g.trusted) {
    const c = gate(x, rateHz, gateBeats, { fairQuality: options.minQuality, heart: false }, measured); // the heart rules ran above
    g = corroborateDirect(g, c, out.direct.heartRateBpm, options.method);
  }
  measured.broadBand = undefined; // the heart rules have run (the classical gate below does not apply them): free the copy
  // The learned segmenter fits heart-sound states to anything periodic (coloured noise, rubbing):
  // its beats must also pass the gate's "is this a heartbeat" test on the classical detection.
  let result = out;
  if (g.trusted && options.method === 'learned') {
    const learnedRhythm = g.evidence.rhythm;
    // the signal type found above is what the detector's own 'auto' would find again (same
    // samples) unless non-finite samples were replaced there: passed on to skip the repeat
    const classicalSignal = detectedSignal !== undefined && allFinite(x) ? detectedSignal : options.signal;
    const classical = await classicalEstimator.analyse(input, { ...options, method: 'classical', signal: classicalSignal, returnEnvelope: false });
    const c = gate(x, rateHz, classical, { fairQuality: options.minQuality, heart: false }, measured); // the heart rules judged the learned events
    // not a heartbeat for the classical evidence, or a low-confidence learned fit that the
    // classical detector does not corroborate: refused with the classical gate's reasons
    if (!c.isHeartbeat || (!c.trusted && out.quality.score < LEARNED_UNCORROBORATED_MIN_QUALITY)) g = { ...c, trusted: false, rrS: [] };
    // corroboration means the same rate: a trusted classical reading of another rate does not vouch for a low-confidence fit
    else if (out.quality.score < LEARNED_UNCORROBORATED_MIN_QUALITY && !ratesAgree(c.heartRateBpm, g.heartRateBpm)) {
      g = {
        ...g,
        verdict: 'poor',
        trusted: false,
        rrS: [],
        heartRateBpm: null,
        reasons: [
          ...g.reasons,
          `low-confidence segmenter fit (quality ${out.quality.score.toFixed(2)}) at ${g.heartRateBpm?.toFixed(0)} bpm, and the classical detector reads ${c.heartRateBpm?.toFixed(0)} bpm: not corroborated, no heart rate reported`,
        ],
      };
    }
    // rate hypotheses (gate/rateHypotheses.ts): the segmenter's half/double competitors and the classical reading
    const classicalHrBpm = classical.periodS !== null && classical.periodS > 0 ? 60 / classical.periodS : null;
    const rate = rateHypothesisEvidence(out.details, durationS, classicalHrBpm);
    result = { ...out, details: { ...out.details, rate, rhythm: learnedRhythm } };
    if (g.trusted) {
      const judged = applyRateJudgement(g, out.quality.score, judgeRate(rate), options.minQuality);
      g = judged.gate;
      if (judged.score !== out.quality.score) result = { ...result, quality: { score: judged.score, reasons: [...out.quality.reasons] } };
    }
  }
  return assembleResult(result, g, estimator.analysisRateHz(inputRateHz), inputRateHz, durationS, options);
}

/**
 * A trusted gate result of a direct method (no beats of its own: the CNN), kept only when the
 * classical gate on the same samples (`classical`) trusts a reading within
 * {@link DIRECT_CORROBORATION_TOLERANCE_BPM} of the method's heart rate; else verdict poor, no
 * numbers, and a reason naming both readings.
 */
export function corroborateDirect(g: GateResult, classical: GateResult, directHrBpm: number | null, method: string): GateResult {
  if (classical.trusted && ratesWithinBpm(classical.heartRateBpm, directHrBpm, DIRECT_CORROBORATION_TOLERANCE_BPM)) return g;
  const own = directHrBpm !== null && Number.isFinite(directHrBpm) ? `${directHrBpm.toFixed(0)} bpm` : 'no rate';
  const other = classical.trusted ? `reads ${classical.heartRateBpm?.toFixed(0)} bpm` : 'finds no trusted rhythm';
  return {
    ...g,
    verdict: 'poor',
    trusted: false,
    rrS: [],
    heartRateBpm: null,
    reasons: [...g.reasons, `method ${method} reads ${own} and the classical detector ${other}: not corroborated, no heart rate reported`],
  };
}

/**
 * Apply a rate judgement (gate/rateHypotheses.ts `judgeRate`) to a trusted gate result: conflict →
 * poor (no numbers); ambiguous → the quality is lowered to {@link AMBIGUOUS_RATE_MAX_QUALITY}
 * (below 'good'), so the verdict is at most fair; clear → unchanged (its reasons, if any, added).
 * @returns the gate result and the (possibly lowered) quality score
 */
export function applyRateJudgement(g: GateResult, score: number, judged: RateJudgement, minQuality: number): { gate: GateResult; score: number } {
  if (judged.outcome === 'conflict') {
    return { gate: { ...g, verdict: 'poor', trusted: false, rrS: [], heartRateBpm: null, reasons: [...g.reasons, ...judged.reasons] }, score };
  }
  if (judged.outcome === 'ambiguous') {
    const lowered = Math.min(score, AMBIGUOUS_RATE_MAX_QUALITY);
    const trusted = lowered >= minQuality;
    const reasons = [...g.reasons, ...judged.reasons];
    if (!trusted) reasons.push(`verdict poor (quality ${lowered.toFixed(2)}): no heart rate or HRV reported`);
    return { gate: { ...g, verdict: trusted ? (g.verdict === 'good' ? 'fair' : g.verdict) : 'poor', trusted, ...(trusted ? {} : { rrS: [], heartRateBpm: null }), reasons }, score: lowered };
  }
  return { gate: judged.reasons.length ? { ...g, reasons: [...g.reasons, ...judged.reasons] } : g, score };
}

/** Quality of a learned fit whose rate is ambiguous (gate/rateHypotheses.ts): just below 'good' (GOOD_SCORE 0.7). */
export const AMBIGUOUS_RATE_MAX_QUALITY = GOOD_SCORE - 0.01;

/** Two readings of the same heart rate: within {@link CORROBORATION_TOLERANCE} of each other. */
export function ratesAgree(aBpm: number | null, bBpm: number | null): boolean {
  return bothRates(aBpm, bBpm) && Math.abs(aBpm! / bBpm! - 1) <= CORROBORATION_TOLERANCE;
}

/** Two readings within `toleranceBpm` of each other. */
export function ratesWithinBpm(aBpm: number | null, bBpm: number | null, toleranceBpm: number): boolean {
  return bothRates(aBpm, bBpm) && Math.abs(aBpm! - bBpm!) <= toleranceBpm;
}

function bothRates(aBpm: number | null, bBpm: number | null): boolean {
  return aBpm !== null && bBpm !== null && aBpm > 0 && bBpm > 0;
}

/** Largest relative HR difference at which the classical detector corroborates a learned fit (10 %, twice the 5 bpm goal at 100 bpm). */
export const CORROBORATION_TOLERANCE = 0.1;

/**
 * Largest HR difference, bpm, at which the classical detector corroborates a direct method (the
 * CNN): the 5 bpm accuracy goal. A direct method has no beats whose fit could be judged, so its
 * rate must be the classical one to within the goal. Chosen on the CNN's 127 held-out circor-train
 * validation patients (docs/notes/issue-15-gate.md): at 10 % the CNN was trusted on 84 of them,
 * HR MAE 2.99 bpm, 16 readings > 5 bpm off (12 at "good"); at 5 bpm on 71, MAE 2.26, 6 off.
 */
export const DIRECT_CORROBORATION_TOLERANCE_BPM = 5;

function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** Learned quality below which the classical detector must corroborate (learned's median on CirCor is 0.84). */
export const LEARNED_UNCORROBORATED_MIN_QUALITY = 0.6;

/** Gate → measures → windows: one result shape from any method's output. */
function assembleResult(
  out: MethodOutput,
  g: GateResult,
  analysisRateHz: number,
  inputRateHz: number,
  durationS: number,
  options: ResolvedEstimateOptions,
): EstimateResult {
  const { convention, minQuality } = options;
  const score = Number.isFinite(out.quality.score) ? Math.max(0, Math.min(1, out.quality.score)) : 0;
  const reasons = [...out.quality.reasons];
  for (const reason of g.reasons) if (!reasons.includes(reason)) reasons.push(reason);
  let verdict = g.verdict;
  if (out.direct && g.trusted && !(out.direct.heartRateBpm !== null && Number.isFinite(out.direct.heartRateBpm))) {
    verdict = 'none';
    reasons.push('the method gave no heart rate: none reported');
  }
  const trusted = verdict === 'good' || verdict === 'fair';
  // end time of each kept interval, so that the spectral measures see the gaps left by cleaning
  const kept = out.rrS.map((r, i) => [r, i] as const).filter(([r]) => Number.isFinite(r) && r > 0);
  const rrS = kept.map(([r]) => r);
  const rrEndTimesS = kept.map(([r, i]) => (out.beatTimesS[out.rrStartIndex[i]!] ?? NaN) + r);
  const timed = rrEndTimesS.every((t, i) => Number.isFinite(t) && (i === 0 || t - rrS[i]! >= rrEndTimesS[i - 1]! - 1e-6));
  // The HRV minimum (gate/minimumData.ts), on the intervals the gate judged (a direct method: the classical ones).
  const hrv = hrvAllowed(trusted ? g.rrS.filter((r) => Number.isFinite(r) && r > 0) : []);
  if (trusted && hrv.reason) reasons.push(hrv.reason);
  const m = hrvMeasures(trusted ? rrS : [], { convention, ...(trusted && timed ? { rrEndTimesS } : {}) });
  if (out.direct && trusted) {
    m.heartRateBpm = out.direct.heartRateBpm;
    m.sdnnMs = out.direct.sdnnMs;
    delete m.nullReasons.heartRateBpm;
    delete m.nullReasons.sdnnMs;
  }
  if (trusted && !hrv.ok) {
    for (const k of ['sdnnMs', 'rmssdMs', 'sdsdMs', 'pnn20', 'pnn50', 'sd1Ms', 'sd2Ms', 'madMs'] as const) {
      m[k] = null;
      m.nullReasons[k] = hrv.reason!;
    }
  }
  // an untrusted recording: every HRV field is null for the same reason
  const hrvNullReasons = trusted ? m.nullReasons : Object.fromEntries(Object.keys(m.nullReasons).map((k) => [k, reasons[reasons.length - 1]!]));
  const result: EstimateResult = {
    heartRateBpm: m.heartRateBpm,
    beatTimesS: out.beatTimesS,
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
    quality: { score, reasons },
    verdict,
    trusted,
    details: out.details,
  };
  if (out.s2TimesS) result.s2TimesS = out.s2TimesS;
  if (options.windowS !== undefined) {
    const hopS = options.hopS ?? options.windowS;
    result.windows = out.direct?.windows
      ? directWindowRows(out.direct.windows, { durationS, qualityScore: score, minQuality, recordingTrusted: trusted }, options.windowS, hopS)
      : windowRows(
          {
            durationS,
            beatTimesS: out.beatTimesS,
            rrS: out.rrS,
            rrStartIndex: out.rrStartIndex,
            qualityScore: score,
            convention,
            minQuality,
            recordingTrusted: trusted,
          },
          options.windowS,
          hopS,
        );
  }
  if (out.envelope) result.envelope = out.envelope;
  return result;
}
