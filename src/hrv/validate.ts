/**
 * Legacy scoring API (issue 4's shapes), kept so that callers written against it keep working
 * until they move to the one scorer in ./validate/ (`scoreRecording(name, reference, detection)`,
 * `summarizeScores`). Every figure here comes from that scorer: optimal one-to-one matching,
 * detections in unannotated stretches ignored. Browser-safe.
 * @deprecated import from './validate/index.js'; remove once no caller is left.
 */
import { agreement, mean, median } from '../core/stats.js';
import type { Segment } from './validate/segmentation.js';
import { referenceFromSegments } from './validate/reference.js';
import { scoreBeats, scoreRecording as scoreAgainst, HR_WITHIN_BPM } from './validate/score.js';

/** Old shape of a recording's reference. */
export interface ReferenceBeats {
  s1OnsetsS: number[];
  rrS: number[];
  annotatedSpansS: Array<[number, number]>;
}

/** @deprecated use `referenceFromSegments`. */
export function referenceBeats(segments: readonly Segment[]): ReferenceBeats {
  const r = referenceFromSegments(segments);
  return { s1OnsetsS: r.beatTimesS, rrS: r.intervals.rrS, annotatedSpansS: r.spansS };
}

/** Old detection shape. */
export interface LegacyDetection {
  beatTimesS: readonly number[];
  rrS: readonly number[];
  rrStartIndex?: readonly number[];
  quality?: { score: number };
}

/** Old row shape (one tolerance). */
export interface ValidationRow {
  name: string;
  durationS: number;
  refBeats: number;
  detectedBeats: number;
  refHrBpm: number | null;
  hrBpm: number | null;
  hrErrorBpm: number | null;
  refSdnnMs: number | null;
  sdnnMs: number | null;
  refRmssdMs: number | null;
  rmssdMs: number | null;
  refIntervals: number;
  intervals: number;
  sensitivity: number | null;
  ppv: number | null;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  medianOffsetMs: number | null;
  qualityScore: number | null;
}

/** @deprecated use `scoreRecording(name, referenceFromSegments(segments), detection)` from ./validate. */
export function scoreRecording(name: string, segments: readonly Segment[], detection: LegacyDetection, options: { toleranceS?: number; durationS?: number } = {}): ValidationRow {
  const ref = referenceFromSegments(segments);
  const s = scoreAgainst(name, ref, { beatTimesS: detection.beatTimesS, rrS: detection.rrS, ...(detection.rrStartIndex ? { rrStartIndex: detection.rrStartIndex } : {}), qualityScore: detection.quality?.score ?? null });
  const b = scoreBeats(ref, detection.beatTimesS.slice().sort((x, y) => x - y), options.toleranceS ?? 0.1);
  return {
    name,
    durationS: options.durationS ?? (segments.length ? segments[segments.length - 1]!.endS : 0),
    refBeats: s.refBeats,
    detectedBeats: b.used.length,
    refHrBpm: s.refHrBpm,
    hrBpm: s.hrBpm,
    hrErrorBpm: s.hrErrorBpm,
    refSdnnMs: s.refSdnnMs,
    sdnnMs: s.sdnnMs,
    refRmssdMs: s.refRmssdMs,
    rmssdMs: s.rmssdMs,
    refIntervals: s.refIntervals,
    intervals: s.hrvIntervals,
    sensitivity: b.score.sensitivity,
    ppv: b.score.ppv,
    truePositives: b.score.truePositives,
    falsePositives: b.score.falsePositives,
    falseNegatives: b.score.falseNegatives,
    medianOffsetMs: b.score.medianOffsetMs,
    qualityScore: s.qualityScore,
  };
}

/** Old Bland–Altman shape. */
export interface BlandAltman {
  n: number;
  bias: number | null;
  sd: number | null;
  loaLow: number | null;
  loaHigh: number | null;
}

/** @deprecated use `agreement(truth, predicted)` from core/stats (note the argument order). */
export function blandAltman(estimates: ReadonlyArray<number | null>, references: ReadonlyArray<number | null>): BlandAltman {
  const a = agreement(references, estimates);
  return { n: a.n, bias: a.bias, sd: a.sd, loaLow: a.loaLow, loaHigh: a.loaHigh };
}

/** Old summary shape. */
export interface ValidationSummary {
  recordings: number;
  missingHr: number;
  hrMaeBpm: number | null;
  hrMedianAbsErrorBpm: number | null;
  within2BpmShare: number;
  within5BpmShare: number;
  sdnnMaeMs: number | null;
  rmssdMaeMs: number | null;
  sensitivity: number | null;
  ppv: number | null;
  meanSensitivity: number | null;
  meanPpv: number | null;
  toleranceS: number;
  blandAltman: { hrBpm: BlandAltman; sdnnMs: BlandAltman; rmssdMs: BlandAltman };
}

/** @deprecated use `summarizeScores`. */
export function summarizeValidation(rows: readonly ValidationRow[], toleranceS = 0.1): ValidationSummary {
  const hrErr = rows.filter((r) => r.hrErrorBpm !== null).map((r) => Math.abs(r.hrErrorBpm!));
  const n = rows.length;
  const tp = rows.reduce((a, r) => a + r.truePositives, 0);
  const fp = rows.reduce((a, r) => a + r.falsePositives, 0);
  const fn = rows.reduce((a, r) => a + r.falseNegatives, 0);
  return {
    recordings: n,
    missingHr: n - hrErr.length,
    hrMaeBpm: mean(hrErr),
    hrMedianAbsErrorBpm: median(hrErr),
    within2BpmShare: n ? hrErr.filter((e) => e <= 2).length / n : 0,
    within5BpmShare: n ? hrErr.filter((e) => e <= HR_WITHIN_BPM).length / n : 0,
    sdnnMaeMs: agreement(rows.map((r) => r.refSdnnMs), rows.map((r) => r.sdnnMs)).mae,
    rmssdMaeMs: agreement(rows.map((r) => r.refRmssdMs), rows.map((r) => r.rmssdMs)).mae,
    sensitivity: tp + fn ? tp / (tp + fn) : null,
    ppv: tp + fp ? tp / (tp + fp) : null,
    meanSensitivity: mean(rows.map((r) => r.sensitivity)),
    meanPpv: mean(rows.map((r) => r.ppv)),
    toleranceS,
    blandAltman: {
      hrBpm: blandAltman(rows.map((r) => r.hrBpm), rows.map((r) => r.refHrBpm)),
      sdnnMs: blandAltman(rows.map((r) => r.sdnnMs), rows.map((r) => r.refSdnnMs)),
      rmssdMs: blandAltman(rows.map((r) => r.rmssdMs), rows.map((r) => r.refRmssdMs)),
    },
  };
}
