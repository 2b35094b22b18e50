/**
 * Scoring one recording's detection against a {@link BeatReference}, the same way for every
 * method. Browser-safe.
 *
 * - Beats: optimal one-to-one matching ({@link matchBeats}) at ±50 and ±100 ms. Detections outside
 *   the reference's scored spans are ignored unless they match a reference beat (so a beat found
 *   just before an annotated stretch is not a false positive, and nothing found in an unknown
 *   stretch counts).
 * - HR: 60 / mean of the method's own RR intervals whose two beats lie inside one scored span
 *   (widened by {@link SPAN_MARGIN_S}), against the reference HR. A refused recording (not
 *   trusted) has no HR. Methods without beats (a direct HR) are scored on their direct HR.
 * - RR: a reference interval is recovered when its two beats are matched (±100 ms) by two
 *   consecutive detections; its error is |RR_detected − RR_reference|.
 * - SDNN / RMSSD: the same formulas on both sides ({@link intervalHrv}): population SD, RMSSD over
 *   adjacent intervals (sharing a beat) only.
 */
import { median } from '../../core/stats.js';
import { matchBeats } from './matching.js';
import type { BeatReference, IndexedIntervals, ReferenceKind } from './reference.js';

/** The two beat tolerances, s. */
export const SCORE_TOLERANCES_S = [0.05, 0.1] as const;
/** Tolerance for RR recovery, s. */
export const RR_TOLERANCE_S = 0.1;
/** HR agreement threshold, bpm. */
export const HR_WITHIN_BPM = 5;
/** How far an interval's beats may lie outside a scored span and still count, s. */
export const SPAN_MARGIN_S = 0.1;
/** detected/reference HR ratios flagged as half rate ([0.4, 0.6]) and double rate ([1/0.6, 1/0.4]). */
export const HALF_RATE_RATIO: readonly [number, number] = [0.4, 0.6];
export const DOUBLE_RATE_RATIO: readonly [number, number] = [1 / 0.6, 1 / 0.4];

/** What scoring needs from a method's result (an `EstimateResult` fits). */
export interface DetectionForScoring {
  /** Detected beats (S1 / pulse onsets), s. */
  beatTimesS: readonly number[];
  /** The method's cleaned RR intervals, s. */
  rrS: readonly number[];
  /** Index in beatTimesS of each interval's first beat; reconstructed from the beat times when absent. */
  rrStartIndex?: readonly number[];
  /** False when the method refused the recording (no numbers reported). Default true. */
  trusted?: boolean;
  qualityScore?: number | null;
  /** A method's direct HR (methods without beats), bpm. */
  heartRateBpm?: number | null;
}

/** Beat scores at one tolerance. */
export interface BeatScore {
  toleranceS: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  sensitivity: number | null;
  ppv: number | null;
  f1: number | null;
  /** Median detected − reference of the matched beats, ms. */
  medianOffsetMs: number | null;
}

/** HR, SDNN and RMSSD of indexed intervals. */
export interface IntervalHrv {
  hrBpm: number | null;
  /** Population SD, ms; null with < 2 intervals. */
  sdnnMs: number | null;
  /** sqrt(mean of squared differences of adjacent intervals), ms; null without an adjacent pair. */
  rmssdMs: number | null;
  nIntervals: number;
}

/** One scored recording. */
export interface RecordingScore {
  name: string;
  reference: ReferenceKind;
  /** Time covered by the scored spans, s. */
  scoredS: number;
  refBeats: number;
  /** Detections that take part in scoring (inside the spans, or matched). */
  detectedBeats: number;
  /** At ±50 ms and ±100 ms. */
  beats50: BeatScore;
  beats100: BeatScore;
  /** Not trusted by the method: no numbers reported. */
  refused: boolean;
  qualityScore: number | null;
  refHrBpm: number | null;
  hrBpm: number | null;
  /** hrBpm − refHrBpm. */
  hrErrorBpm: number | null;
  hrWithin5Bpm: boolean;
  /** HR from the method's intervals in the spans even when refused (for the rate flags), bpm. */
  rawHrBpm: number | null;
  /** rawHrBpm / refHrBpm. */
  hrRatio: number | null;
  /** hrRatio in {@link HALF_RATE_RATIO} / {@link DOUBLE_RATE_RATIO} (refused recordings included: see `refused`). */
  halfRate: boolean;
  doubleRate: boolean;
  refIntervals: number;
  /** Reference intervals recovered (both beats matched by consecutive detections). */
  rrRecovered: number;
  rrRecoveredShare: number | null;
  /** Mean and median |RR_detected − RR_reference| of the recovered intervals, ms. */
  rrMaeMs: number | null;
  rrMedianAbsErrorMs: number | null;
  /** Sum of |RR error| (ms) of the recovered intervals, to pool over recordings. */
  rrAbsErrorSumMs: number;
  refHrvIntervals: number;
  hrvIntervals: number;
  refSdnnMs: number | null;
  sdnnMs: number | null;
  sdnnErrorMs: number | null;
  refRmssdMs: number | null;
  rmssdMs: number | null;
  rmssdErrorMs: number | null;
}

/** HR, population SDNN and adjacent-pair RMSSD of indexed intervals. */
export function intervalHrv(iv: IndexedIntervals): IntervalHrv {
  const n = iv.rrS.length;
  if (n === 0) return { hrBpm: null, sdnnMs: null, rmssdMs: null, nIntervals: 0 };
  const m = iv.rrS.reduce((a, b) => a + b, 0) / n;
  const sdnnMs = n >= 2 ? Math.sqrt(iv.rrS.reduce((a, b) => a + (b - m) ** 2, 0) / n) * 1000 : null;
  let ss = 0;
  let pairs = 0;
  for (let k = 1; k < n; k++) {
    if (iv.startIndex[k] === iv.startIndex[k - 1]! + 1) {
      ss += (iv.rrS[k]! - iv.rrS[k - 1]!) ** 2;
      pairs++;
    }
  }
  return { hrBpm: 60 / m, sdnnMs, rmssdMs: pairs ? Math.sqrt(ss / pairs) * 1000 : null, nIntervals: n };
}

/**
 * The first-beat index of each interval when a result gives only beats and intervals: interval k
 * is the next consecutive beat pair whose difference equals rrS[k] (within 1 µs). Null when the
 * intervals are not consecutive beat differences.
 */
export function intervalStartIndex(beatTimesS: readonly number[], rrS: readonly number[]): number[] | null {
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i + 1 < beatTimesS.length && k < rrS.length; i++) {
    if (Math.abs(beatTimesS[i + 1]! - beatTimesS[i]! - rrS[k]!) < 1e-6) {
      out.push(i);
      k++;
    }
  }
  return k === rrS.length ? out : null;
}

function spanIndex(spans: ReadonlyArray<[number, number]>, t: number, margin: number): number {
  for (let s = 0; s < spans.length; s++) if (t >= spans[s]![0] - margin && t <= spans[s]![1] + margin) return s;
  return -1;
}

/**
 * Beat scores at one tolerance: `det` sorted; returns the scores, the matched detection (index in
 * `det`) of each reference beat or -1, and the detections that took part.
 */
export function scoreBeats(ref: BeatReference, det: readonly number[], toleranceS: number): { score: BeatScore; detectedOfTruth: Int32Array; used: number[] } {
  // candidates: detections within the spans widened by the tolerance
  const cand: number[] = [];
  for (let j = 0; j < det.length; j++) if (spanIndex(ref.spansS, det[j]!, toleranceS) >= 0) cand.push(j);
  const m = matchBeats(ref.beatTimesS, cand.map((j) => det[j]!), toleranceS);
  let fp = 0;
  const used: number[] = [];
  cand.forEach((j, c) => {
    const inside = spanIndex(ref.spansS, det[j]!, 0) >= 0;
    if (m.truthOfDetected[c]! >= 0 || inside) used.push(j);
    if (m.truthOfDetected[c]! < 0 && inside) fp++;
  });
  const tp = m.pairs.length;
  const fn = ref.beatTimesS.length - tp;
  const sensitivity = ref.beatTimesS.length ? tp / ref.beatTimesS.length : null;
  const ppv = tp + fp ? tp / (tp + fp) : null;
  const f1 = tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : null;
  const medianOffsetMs = median(m.pairs.map((p) => p.offsetS * 1000));
  const detectedOfTruth = new Int32Array(ref.beatTimesS.length).fill(-1);
  m.pairs.forEach((p) => (detectedOfTruth[p.truth] = cand[p.detected]!));
  return { score: { toleranceS, truePositives: tp, falsePositives: fp, falseNegatives: fn, sensitivity, ppv, f1, medianOffsetMs }, detectedOfTruth, used };
}

function inRange(ratio: number | null, range: readonly [number, number]): boolean {
  return ratio !== null && ratio >= range[0] && ratio <= range[1];
}

/** Score one recording's detection against its reference (see the module comment). */
export function scoreRecording(name: string, ref: BeatReference, detection: DetectionForScoring): RecordingScore {
  const order = detection.beatTimesS.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const det = order.map((o) => o[0]);
  const sortedIndexOf = new Int32Array(detection.beatTimesS.length);
  order.forEach((o, k) => (sortedIndexOf[o[1]] = k));
  const refused = detection.trusted === false;

  const b50 = scoreBeats(ref, det, SCORE_TOLERANCES_S[0]);
  const b100 = scoreBeats(ref, det, SCORE_TOLERANCES_S[1]);

  // the method's intervals inside the scored spans
  const starts = detection.rrStartIndex && detection.rrStartIndex.length === detection.rrS.length ? detection.rrStartIndex : intervalStartIndex(detection.beatTimesS, detection.rrS);
  const mine: IndexedIntervals = { rrS: [], startIndex: [] };
  {
    for (let k = 0; k < detection.rrS.length; k++) {
      const r = detection.rrS[k]!;
      if (!(Number.isFinite(r) && r > 0)) continue;
      if (starts) {
        const i = starts[k]!;
        const t0 = detection.beatTimesS[i]!;
        const s0 = spanIndex(ref.spansS, t0, SPAN_MARGIN_S);
        if (s0 < 0 || spanIndex(ref.spansS, t0 + r, SPAN_MARGIN_S) !== s0) continue;
        mine.rrS.push(r);
        mine.startIndex.push(sortedIndexOf[i]!);
      } else {
        mine.rrS.push(r);
        mine.startIndex.push(-2 * k); // unknown adjacency: no RMSSD pairs
      }
    }
  }
  const raw = intervalHrv(mine);
  const mineHrv = refused ? intervalHrv({ rrS: [], startIndex: [] }) : raw;
  const refHrv = intervalHrv(ref.hrvIntervals);
  let rawHrBpm = raw.hrBpm;
  if (rawHrBpm === null && detection.beatTimesS.length === 0 && detection.heartRateBpm != null && Number.isFinite(detection.heartRateBpm)) {
    rawHrBpm = detection.heartRateBpm;
  }
  let hrBpm = mineHrv.hrBpm;
  if (!refused && hrBpm === null && detection.beatTimesS.length === 0 && detection.heartRateBpm != null && Number.isFinite(detection.heartRateBpm)) {
    hrBpm = detection.heartRateBpm;
  }
  const refHrBpm = ref.hrBpm;
  const hrErrorBpm = hrBpm !== null && refHrBpm !== null ? hrBpm - refHrBpm : null;
  const hrRatio = rawHrBpm !== null && refHrBpm !== null ? rawHrBpm / refHrBpm : null;

  // RR recovery at ±100 ms: both beats matched by consecutive detections
  let rec = 0;
  const errs: number[] = [];
  for (let k = 0; k < ref.intervals.rrS.length; k++) {
    const a = ref.intervals.startIndex[k]!;
    const da = b100.detectedOfTruth[a]!;
    const db = b100.detectedOfTruth[a + 1]!;
    if (da < 0 || db !== da + 1) continue;
    rec++;
    errs.push(Math.abs(det[db]! - det[da]! - ref.intervals.rrS[k]!) * 1000);
  }
  const err = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? a - b : null);
  const scoredS = ref.spansS.reduce((s, [a, b]) => s + (b - a), 0);
  return {
    name,
    reference: ref.kind,
    scoredS,
    refBeats: ref.beatTimesS.length,
    detectedBeats: b100.used.length,
    beats50: b50.score,
    beats100: b100.score,
    refused,
    qualityScore: detection.qualityScore ?? null,
    refHrBpm,
    hrBpm,
    hrErrorBpm,
    hrWithin5Bpm: hrErrorBpm !== null && Math.abs(hrErrorBpm) <= HR_WITHIN_BPM,
    rawHrBpm,
    hrRatio,
    halfRate: inRange(hrRatio, HALF_RATE_RATIO),
    doubleRate: inRange(hrRatio, DOUBLE_RATE_RATIO),
    refIntervals: ref.intervals.rrS.length,
    rrRecovered: rec,
    rrRecoveredShare: ref.intervals.rrS.length ? rec / ref.intervals.rrS.length : null,
    rrMaeMs: errs.length ? errs.reduce((a, b) => a + b, 0) / errs.length : null,
    rrMedianAbsErrorMs: median(errs),
    rrAbsErrorSumMs: errs.reduce((a, b) => a + b, 0),
    refHrvIntervals: refHrv.nIntervals,
    hrvIntervals: mineHrv.nIntervals,
    refSdnnMs: refHrv.sdnnMs,
    sdnnMs: mineHrv.sdnnMs,
    sdnnErrorMs: err(mineHrv.sdnnMs, refHrv.sdnnMs),
    refRmssdMs: refHrv.rmssdMs,
    rmssdMs: mineHrv.rmssdMs,
    rmssdErrorMs: err(mineHrv.rmssdMs, refHrv.rmssdMs),
  };
}
