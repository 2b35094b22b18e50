/**
 * Scoring a beat detector against expert heart-sound segmentations. Browser-safe: works on
 * parsed segments ({@link Segment}) and detector outputs; file reading is in src/io.
 */
import type { Segment } from '../io/annotations.js';

/** Reference beats derived from a segmentation. */
export interface ReferenceBeats {
  /** All S1 onsets (start of each state-1 row), seconds. */
  s1OnsetsS: number[];
  /** RR intervals in seconds between S1 onsets of consecutive complete cycles (1→2→3→4→1, no 0 between). */
  rrS: number[];
  /** Annotated time spans [startS, endS] (states 1–4 contiguous runs), used to score only annotated stretches. */
  annotatedSpansS: Array<[number, number]>;
}

/**
 * Reference beats from a segmentation: S1 onsets and the RR intervals of consecutive complete
 * cycles (a cycle is a run of rows 1→2→3→4 followed directly by the next 1).
 */
export function referenceBeats(segments: readonly Segment[]): ReferenceBeats {
  const s1OnsetsS: number[] = [];
  const rrS: number[] = [];
  for (const s of segments) if (s.state === 1) s1OnsetsS.push(s.startS);
  for (let i = 0; i + 4 < segments.length; i++) {
    if (
      segments[i]!.state === 1 &&
      segments[i + 1]!.state === 2 &&
      segments[i + 2]!.state === 3 &&
      segments[i + 3]!.state === 4 &&
      segments[i + 4]!.state === 1
    ) {
      rrS.push(segments[i + 4]!.startS - segments[i]!.startS);
    }
  }
  const annotatedSpansS: Array<[number, number]> = [];
  let cur: [number, number] | null = null;
  for (const s of segments) {
    if (s.state === 0) {
      if (cur) annotatedSpansS.push(cur);
      cur = null;
    } else if (cur && Math.abs(s.startS - cur[1]) < 1e-6) cur[1] = s.endS;
    else {
      if (cur) annotatedSpansS.push(cur);
      cur = [s.startS, s.endS];
    }
  }
  if (cur) annotatedSpansS.push(cur);
  return { s1OnsetsS, rrS, annotatedSpansS };
}

/** HRV summary used for scoring (same formulas for the reference and the detector). */
export interface ScoringHrv {
  /** 60 / mean(RR), bpm; null with no interval. */
  hrBpm: number | null;
  /** Standard deviation of RR, ms (ddof {@link VALIDATE_DDOF} = 0 by default); null with < 2 intervals. */
  sdnnMs: number | null;
  /** sqrt(mean(diff(RR)²)), ms; null with < 2 intervals. */
  rmssdMs: number | null;
  nIntervals: number;
}

/**
 * Delta degrees of freedom used for SDNN when scoring: 0 (population standard deviation), the
 * default convention of `hrvMeasures` (HeartPy-style) and of the seed's HRV label.
 */
export const VALIDATE_DDOF = 0;

/** HR, SDNN and RMSSD of a list of RR intervals (seconds). */
export function scoringHrv(rrS: readonly number[], ddof = VALIDATE_DDOF): ScoringHrv {
  const n = rrS.length;
  if (n === 0) return { hrBpm: null, sdnnMs: null, rmssdMs: null, nIntervals: 0 };
  const mean = rrS.reduce((a, b) => a + b, 0) / n;
  let ss = 0;
  for (const r of rrS) ss += (r - mean) ** 2;
  let sd = 0;
  for (let i = 1; i < n; i++) sd += (rrS[i]! - rrS[i - 1]!) ** 2;
  return {
    hrBpm: 60 / mean,
    sdnnMs: n > ddof && n >= 2 ? Math.sqrt(ss / (n - ddof)) * 1000 : null,
    rmssdMs: n >= 2 ? Math.sqrt(sd / (n - 1)) * 1000 : null,
    nIntervals: n,
  };
}

/** Beat matching result. */
export interface BeatMatch {
  truePositives: number;
  /** Reference beats (inside annotated spans) with no detection within tolerance. */
  falseNegatives: number;
  /** Detections inside annotated spans matching no reference beat. */
  falsePositives: number;
  sensitivity: number | null;
  ppv: number | null;
  /** Median signed timing error (detected − reference) of matched beats, ms. */
  medianOffsetMs: number | null;
}

/**
 * One-to-one greedy matching of detected beats to reference S1 onsets within ±toleranceS
 * (nearest pairs first). Detections outside the annotated spans (extended by the tolerance)
 * are ignored.
 */
export function matchBeats(
  referenceS: readonly number[],
  detectedS: readonly number[],
  annotatedSpansS: ReadonlyArray<[number, number]>,
  toleranceS = 0.1,
): BeatMatch {
  const inSpan = (t: number): boolean => annotatedSpansS.some(([a, b]) => t >= a - toleranceS && t <= b + toleranceS);
  const det = detectedS.filter(inSpan);
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < referenceS.length; i++) {
    for (let j = 0; j < det.length; j++) {
      const d = Math.abs(det[j]! - referenceS[i]!);
      if (d <= toleranceS) pairs.push([d, i, j]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const usedR = new Uint8Array(referenceS.length);
  const usedD = new Uint8Array(det.length);
  const offsets: number[] = [];
  let tp = 0;
  for (const [, i, j] of pairs) {
    if (usedR[i] || usedD[j]) continue;
    usedR[i] = 1;
    usedD[j] = 1;
    tp++;
    offsets.push((det[j]! - referenceS[i]!) * 1000);
  }
  const fn = referenceS.length - tp;
  const fp = det.length - tp;
  offsets.sort((a, b) => a - b);
  return {
    truePositives: tp,
    falseNegatives: fn,
    falsePositives: fp,
    sensitivity: referenceS.length ? tp / referenceS.length : null,
    ppv: det.length ? tp / det.length : null,
    medianOffsetMs: offsets.length ? offsets[offsets.length >> 1]! : null,
  };
}

/** One scored recording. */
export interface ValidationRow {
  name: string;
  durationS: number;
  /** Reference S1 count and detected beats inside the annotated spans. */
  refBeats: number;
  detectedBeats: number;
  refHrBpm: number | null;
  hrBpm: number | null;
  /** hrBpm − refHrBpm; null when either is missing. */
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

/** Detector output needed for scoring. */
export interface DetectionForScoring {
  beatTimesS: readonly number[];
  rrS: readonly number[];
  /** Index of the first beat of each rrS interval (to restrict intervals to annotated spans). */
  rrStartIndex?: readonly number[];
  quality?: { score: number };
}

/**
 * Score one recording. Detected intervals count only when both their beats lie inside an
 * annotated span (so reference and detector cover the same stretches); HR = 60 / mean RR,
 * SDNN and RMSSD by {@link scoringHrv} on both sides.
 */
export function scoreRecording(
  name: string,
  segments: readonly Segment[],
  detection: DetectionForScoring,
  options: { toleranceS?: number; durationS?: number } = {},
): ValidationRow {
  const tol = options.toleranceS ?? 0.1;
  const ref = referenceBeats(segments);
  const inSpan = (t: number): boolean => ref.annotatedSpansS.some(([a, b]) => t >= a - tol && t <= b + tol);
  let rr: number[] = detection.rrS.slice();
  if (detection.rrStartIndex && detection.rrStartIndex.length === detection.rrS.length) {
    rr = [];
    for (let k = 0; k < detection.rrS.length; k++) {
      const i = detection.rrStartIndex[k]!;
      const t0 = detection.beatTimesS[i]!;
      const t1 = t0 + detection.rrS[k]!;
      if (inSpan(t0) && inSpan(t1)) rr.push(detection.rrS[k]!);
    }
  }
  const hT = scoringHrv(ref.rrS);
  const h = scoringHrv(rr);
  const m = matchBeats(ref.s1OnsetsS, detection.beatTimesS, ref.annotatedSpansS, tol);
  return {
    name,
    durationS: options.durationS ?? (segments.length ? segments[segments.length - 1]!.endS : 0),
    refBeats: ref.s1OnsetsS.length,
    detectedBeats: m.truePositives + m.falsePositives,
    refHrBpm: hT.hrBpm,
    hrBpm: h.hrBpm,
    hrErrorBpm: hT.hrBpm !== null && h.hrBpm !== null ? h.hrBpm - hT.hrBpm : null,
    refSdnnMs: hT.sdnnMs,
    sdnnMs: h.sdnnMs,
    refRmssdMs: hT.rmssdMs,
    rmssdMs: h.rmssdMs,
    refIntervals: hT.nIntervals,
    intervals: h.nIntervals,
    sensitivity: m.sensitivity,
    ppv: m.ppv,
    truePositives: m.truePositives,
    falsePositives: m.falsePositives,
    falseNegatives: m.falseNegatives,
    medianOffsetMs: m.medianOffsetMs,
    qualityScore: detection.quality ? detection.quality.score : null,
  };
}

/** Bland–Altman agreement (estimate − reference). */
export interface BlandAltman {
  n: number;
  /** Mean difference. */
  bias: number | null;
  /** Standard deviation of the differences (ddof 1). */
  sd: number | null;
  /** 95 % limits of agreement bias ± 1.96·sd. */
  loaLow: number | null;
  loaHigh: number | null;
}

/** Bland–Altman statistics of paired values (pairs with a null are skipped). */
export function blandAltman(estimates: ReadonlyArray<number | null>, references: ReadonlyArray<number | null>): BlandAltman {
  const d: number[] = [];
  for (let i = 0; i < estimates.length; i++) {
    const e = estimates[i];
    const r = references[i];
    if (e !== null && e !== undefined && r !== null && r !== undefined) d.push(e - r);
  }
  if (d.length === 0) return { n: 0, bias: null, sd: null, loaLow: null, loaHigh: null };
  const bias = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = d.length > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - bias) ** 2, 0) / (d.length - 1)) : 0;
  return { n: d.length, bias, sd, loaLow: bias - 1.96 * sd, loaHigh: bias + 1.96 * sd };
}

/** Summary over recordings. */
export interface ValidationSummary {
  recordings: number;
  /** Recordings where the detector gave no HR. */
  missingHr: number;
  hrMaeBpm: number | null;
  hrMedianAbsErrorBpm: number | null;
  /** Share of all recordings with |HR error| ≤ 2 / ≤ 5 bpm (a missing HR counts as outside). */
  within2BpmShare: number;
  within5BpmShare: number;
  sdnnMaeMs: number | null;
  rmssdMaeMs: number | null;
  /** Pooled over all beats: TP / (TP + FN) and TP / (TP + FP). */
  sensitivity: number | null;
  ppv: number | null;
  /** Mean of the per-recording values. */
  meanSensitivity: number | null;
  meanPpv: number | null;
  toleranceS: number;
  blandAltman: { hrBpm: BlandAltman; sdnnMs: BlandAltman; rmssdMs: BlandAltman };
}

function meanOf(v: number[]): number | null {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** Summarise scored recordings. */
export function summarizeValidation(rows: readonly ValidationRow[], toleranceS = 0.1): ValidationSummary {
  const hrErr = rows.filter((r) => r.hrErrorBpm !== null).map((r) => Math.abs(r.hrErrorBpm!));
  const sorted = hrErr.slice().sort((a, b) => a - b);
  const medianAbs = sorted.length ? (sorted.length % 2 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2) : null;
  const absDiff = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? Math.abs(a - b) : null);
  const sd = rows.map((r) => absDiff(r.sdnnMs, r.refSdnnMs)).filter((v): v is number => v !== null);
  const rm = rows.map((r) => absDiff(r.rmssdMs, r.refRmssdMs)).filter((v): v is number => v !== null);
  const tp = rows.reduce((a, r) => a + r.truePositives, 0);
  const fp = rows.reduce((a, r) => a + r.falsePositives, 0);
  const fn = rows.reduce((a, r) => a + r.falseNegatives, 0);
  const n = rows.length;
  return {
    recordings: n,
    missingHr: n - hrErr.length,
    hrMaeBpm: meanOf(hrErr),
    hrMedianAbsErrorBpm: medianAbs,
    within2BpmShare: n ? hrErr.filter((e) => e <= 2).length / n : 0,
    within5BpmShare: n ? hrErr.filter((e) => e <= 5).length / n : 0,
    sdnnMaeMs: meanOf(sd),
    rmssdMaeMs: meanOf(rm),
    sensitivity: tp + fn ? tp / (tp + fn) : null,
    ppv: tp + fp ? tp / (tp + fp) : null,
    meanSensitivity: meanOf(rows.filter((r) => r.sensitivity !== null).map((r) => r.sensitivity!)),
    meanPpv: meanOf(rows.filter((r) => r.ppv !== null).map((r) => r.ppv!)),
    toleranceS,
    blandAltman: {
      hrBpm: blandAltman(rows.map((r) => r.hrBpm), rows.map((r) => r.refHrBpm)),
      sdnnMs: blandAltman(rows.map((r) => r.sdnnMs), rows.map((r) => r.refSdnnMs)),
      rmssdMs: blandAltman(rows.map((r) => r.rmssdMs), rows.map((r) => r.refRmssdMs)),
    },
  };
}
