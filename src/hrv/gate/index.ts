/**
 * The gate (issue 11): runs between a method's detection and the HRV measures, for every method.
 * It answers three questions and turns the answers into a verdict people can act on.
 *
 * 1. Is there a signal at all? Digital silence / constant input → verdict `none`.
 * 2. Is this a heartbeat? Heart sounds put their energy in 20–200 Hz, come as events tens of ms
 *    long, repeat with the small irregularity of a real heart (not a metronome), and have a
 *    smooth spectrum (not tonal like hum or alarms, not flat like white noise).
 *    A failed check → verdict `none` with the reason.
 * 3. Is the rate the right one? Half rate (one cycle's S1 and the next cycle's S1 read as S1/S2)
 *    and double rate (S2 read as S1, a short/long alternation) are tested (see rate.ts). A
 *    half-rate pattern caps the verdict at `poor` with a reason naming the doubled rate: the
 *    doubled reading is not given as a number because one sound per cycle at twice the rate
 *    (amplitude-modulated noise, bursts) looks the same (measured, docs/gate.md).
 *
 * Verdict from the method's quality score: good ≥ {@link GATE_DEFAULTS}.goodQuality, fair ≥
 * fairQuality, poor otherwise (> 0 with ≥ 2 intervals); `none` when there is nothing to report.
 * `trusted` ⇔ verdict good or fair. Thresholds are documented in docs/gate.md with how they were
 * measured. Browser-safe, pure.
 */
import { doubledBeats, midCycleEventRatio } from './rate.js';
import { evidenceFrom, gateSignal, type GateEvidence, type GateSignal } from './evidence.js';
import type { GateBeats } from './events.js';
import type { Verdict } from '../../core/choices.js';
import { heartEvidence, type GateStates } from './heartEvidence.js';
import { heartReasons, HEART_DEFAULTS, isPulseTrain, type HeartThresholds } from './heartRules.js';

export type { GateBeats } from './events.js';
export type { GateEvidence } from './evidence.js';
export { gateEvidence, gateSignal } from './evidence.js';
export type { GateSignal } from './evidence.js';
export { doubledBeats } from './rate.js';

/** The verdicts: core/choices VERDICTS. */
export type GateVerdict = Verdict;

/** Thresholds of the gate; each is explained, with its measurement, in docs/gate.md. */
export const GATE_DEFAULTS = Object.freeze({
  /** Below this sample SD (full scale 1) the input is silence. */
  silenceStd: 1e-6,
  /** Verdict good at quality ≥ this. */
  goodQuality: 0.7,
  /** Verdict fair at quality ≥ this (trusted from here up). */
  fairQuality: 0.2,
  /** Fewest intervals for any heart rate. */
  minIntervals: 2,
  /** Heart-band share of the energy at the events: below → not heart sounds. */
  minEventBandFraction: 0.05,
  /** Heart-band share of the whole recording's energy: below (together with the event share) → not heart. */
  minHeartBandFraction: 0.08,
  /** Spectral-line share of the power: above → tonal (hum, music, alarm). */
  maxTonalFraction: 0.5,
  /** Spectral flatness (20–2000 Hz): above → broadband noise. */
  maxFlatness: 0.65,
  /** RMSSD / mean RR below this with ≥ 10 intervals → too regular (metronome). */
  minRmssdRel: 0.005,
  /** Pulse signals: share of power below 20 Hz needed. */
  minPulseInfrasonic: 0.05,
  /** Half-rate suspect: reported HR below this, bpm … */
  halfRateBelowBpm: 100,
  /** … S1→S2 ÷ RR at or above this … */
  halfRateSystoleRatio: 0.4,
  /** … and the S1→S2 interval longer than the Weissler systole × this. */
  halfRateSystoleExcess: 1.15,
  /** |alternation| above this: S2 read as S1 (double rate) suspected. */
  maxAlternation: 0.12,
});

/** Quality score below which no numbers are reported (default of `minQuality` = GATE_DEFAULTS.fairQuality). */
export const DEFAULT_MIN_QUALITY = GATE_DEFAULTS.fairQuality;
/** Score from which a trusted result is 'good' rather than 'fair' (GATE_DEFAULTS.goodQuality). */
export const GOOD_SCORE = GATE_DEFAULTS.goodQuality;

export type GateOptions = Partial<{ -readonly [K in keyof typeof GATE_DEFAULTS]: number }> & {
  /** Overrides of the event-level heart rules (heartRules.ts HEART_DEFAULTS). */
  heart?: Partial<HeartThresholds> | false;
};

/** The detection as the gate sees it (MethodOutput-like). */
export interface GateDetection extends GateBeats {
  quality: { score: number; reasons: readonly string[] };
  /** The learned segmenter's state posteriors, when the method has them. */
  states?: GateStates;
}

export interface GateResult {
  verdict: GateVerdict;
  trusted: boolean;
  /** False when the gate decided the sound is not a heartbeat (or silence). */
  isHeartbeat: boolean;
  /** The beats/intervals to measure (the doubled sequence after a half-rate correction). */
  beatTimesS: number[];
  s2TimesS?: number[];
  rrS: number[];
  rrStartIndex: number[];
  /** 60 / mean RR of the kept intervals when trusted; null otherwise. */
  heartRateBpm: number | null;
  reasons: string[];
  evidence: GateEvidence;
}

/** Systole (S1→S2) expected at a heart rate, s (Weissler QS2 − 40 ms Q–S1 delay). */
export function expectedSystoleS(hrBpm: number): number {
  return Math.max(0.15, 0.546 - 0.0021 * hrBpm - 0.04);
}

const pct = (v: number): string => `${(100 * v).toFixed(0)} %`;

/** Not-a-heartbeat reasons (empty when the evidence is consistent with heart sounds / pulses). */
export function notHeartReasons(ev: GateEvidence, signalType: 'pcg' | 'pulse', o: { -readonly [K in keyof typeof GATE_DEFAULTS]: number }): string[] {
  const out: string[] = [];
  const { spectrum: s, events: e, rhythm: r } = ev;
  if (signalType === 'pulse') {
    if (s.infrasonicFraction < o.minPulseInfrasonic) out.push(`not a pulse signal: only ${pct(s.infrasonicFraction)} of the power lies below 20 Hz`);
  } else {
    if (e.eventBandFraction < o.minEventBandFraction && s.heartBandFraction < o.minHeartBandFraction) {
      out.push(`not heart sounds: the beats hold ${pct(e.eventBandFraction)} of their energy in 20–200 Hz (heart sounds: most)`);
    }
    if (s.tonalFraction > o.maxTonalFraction) out.push(`not heart sounds: tonal sound (${pct(s.tonalFraction)} of the power in spectral lines: hum, music, alarm or voice)`);
    if (s.flatness > o.maxFlatness && e.eventBandFraction < 0.3) out.push(`not heart sounds: broadband noise (spectral flatness ${s.flatness.toFixed(2)})`);
  }
  if (r.nIntervals >= 10 && r.rmssdRel < o.minRmssdRel) {
    out.push(`not a heartbeat: the rhythm is machine-regular (beat-to-beat change ${(100 * r.rmssdRel).toFixed(2)} % of the interval)`);
  }
  return out;
}

/**
 * Run the gate on samples at `sampleRateHz` (the method's analysis rate) and a detection.
 * @param signal the samples' detection-independent measurements, when already computed (see {@link gateSignal})
 */
export function gate(
  samples: ArrayLike<number>,
  sampleRateHz: number,
  det: GateDetection,
  options: GateOptions = {},
  signal: GateSignal = gateSignal(samples, sampleRateHz),
): GateResult {
  const { heart: _heart, ...thresholds } = options;
  const o = { ...GATE_DEFAULTS, ...thresholds };
  const reasons: string[] = [];
  const score = Number.isFinite(det.quality.score) ? Math.max(0, Math.min(1, det.quality.score)) : 0;
  const env = signal.env;
  const evidence = evidenceFrom(signal, det);
  const beats: GateBeats = det;
  let cap: GateVerdict = 'good';
  const result = (verdict: GateVerdict, isHeartbeat: boolean): GateResult => {
    const rrS = verdict === 'none' ? [] : beats.rrS.slice();
    const out: GateResult = {
      verdict,
      trusted: verdict === 'good' || verdict === 'fair',
      isHeartbeat,
      beatTimesS: beats.beatTimesS.slice(),
      rrS,
      rrStartIndex: verdict === 'none' ? [] : beats.rrStartIndex.slice(),
      heartRateBpm: rrS.length && (verdict === 'good' || verdict === 'fair') ? 60 / (rrS.reduce((a, b) => a + b, 0) / rrS.length) : null,
      reasons,
      evidence,
    };
    if (beats.s2TimesS) out.s2TimesS = beats.s2TimesS.slice();
    return out;
  };
  if (!(evidence.level.std > o.silenceStd)) {
    reasons.push('silence: the input is (digitally) silent or constant, no heart rate reported');
    return result('none', false);
  }
  const noRhythm = `no heartbeat rhythm found (${det.rrS.length} usable interval${det.rrS.length === 1 ? '' : 's'}): no heart rate reported`;
  if (det.rrS.length < o.minIntervals) {
    reasons.push(noRhythm);
    return result('none', false);
  }
  const nh = notHeartReasons(evidence, det.signalType, o);
  // the event-level heart evidence (heartEvidence.ts, rules in heartRules.ts)
  // (measured only where its rules will judge it: a pcg detection not already refused, rules on)
  if (det.signalType === 'pcg' && !nh.length && options.heart !== false) {
    evidence.heart = heartEvidence(samples, sampleRateHz, det, det.states, signal.broadBand);
    const hr = heartReasons(evidence, { ...HEART_DEFAULTS, ...(options.heart || {}) });
    // the heart-sound rules do not apply to a pulse train of either polarity (the seed's pulses)
    if (hr.length && !isPulseTrain(samples, sampleRateHz)) nh.push(...hr);
  }
  if (nh.length) {
    reasons.push(...nh, 'no heart rate reported');
    return result('none', false);
  }
  // a detection with intervals but no confidence: nothing to report, yet nothing says it is not
  // a heartbeat either (isHeartbeat stays true: another method may corroborate, estimate.ts)
  if (score <= 0) {
    reasons.push(noRhythm);
    return result('none', true);
  }
  // Rate ambiguity.
  const r = evidence.rhythm;
  if (det.signalType === 'pcg' && Number.isFinite(r.systoleRatio)) {
    const hr = 60 / r.meanRrS;
    const suspectHalf = hr < o.halfRateBelowBpm && r.systoleRatio >= o.halfRateSystoleRatio && r.systoleS > o.halfRateSystoleExcess * expectedSystoleS(hr);
    if (suspectHalf) {
      const d = doubledBeats(det);
      const dHr = d.rrS.length ? 60 / (d.rrS.reduce((p, q) => p + q, 0) / d.rrS.length) : NaN;
      evidence.midCycleEventRatio = midCycleEventRatio(env.low, env.rateHz, d);
      cap = 'poor';
      reasons.push(
        `half or single rate? the second sound comes ${(1000 * r.systoleS).toFixed(0)} ms after the first (${pct(r.systoleRatio)} of the cycle), ` +
          `too late for a systole at ${hr.toFixed(0)} bpm (expected ≈ ${(1000 * expectedSystoleS(hr)).toFixed(0)} ms): ` +
          (Number.isFinite(dHr) ? `the heart rate may be ${dHr.toFixed(0)} bpm, or this is not a heartbeat` : 'this may be a halved rate or not a heartbeat'),
      );
    }
  }
  if (Number.isFinite(r.alternation) && Math.abs(r.alternation) > o.maxAlternation) {
    cap = 'poor';
    reasons.push(`short/long alternation of the intervals (${pct(Math.abs(r.alternation))} of the mean): S2 may be read as S1 (double rate)`);
  }
  let verdict: GateVerdict = score >= o.goodQuality ? 'good' : score >= o.fairQuality ? 'fair' : 'poor';
  const order: GateVerdict[] = ['none', 'poor', 'fair', 'good'];
  if (order.indexOf(verdict) > order.indexOf(cap)) verdict = cap;
  if (verdict === 'poor') reasons.push(`verdict poor (quality ${score.toFixed(2)}): no heart rate or HRV reported`);
  return result(verdict, true);
}
