/**
 * Reference beats for scoring: from a heart-sound segmentation (S1 onsets of CirCor-style `.tsv`
 * files) or from the R peaks of a simultaneous ECG (pcg-ecg). Browser-safe.
 */
import { InputError } from '../../errors.js';
import { median } from '../../core/stats.js';
import type { Segment } from './segmentation.js';

/** Where a reference comes from. */
export const REFERENCE_KINDS = ['segmentation', 'ecg'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** RR intervals tied to the beats they join: `rrS[k]` runs from beat `startIndex[k]` to `startIndex[k] + 1`. */
export interface IndexedIntervals {
  rrS: number[];
  startIndex: number[];
}

/** The truth one recording is scored against. */
export interface BeatReference {
  kind: ReferenceKind;
  /** Reference beats in time order, s: S1 onsets or R peaks. */
  beatTimesS: number[];
  /** True RR intervals (beat timing and RR recovery are scored on these). */
  intervals: IndexedIntervals;
  /** Intervals the reference HRV is computed from: the same as `intervals` for a segmentation, the NN intervals for an ECG. */
  hrvIntervals: IndexedIntervals;
  /** Reference heart rate, 60 / mean(`intervals`), bpm; null with no interval. */
  hrBpm: number | null;
  /**
   * Scored stretches [startS, endS]: annotated runs (states 1–4) of a segmentation, the span of
   * the R peaks of an ECG. Detections outside them are ignored (unless they match a reference beat).
   */
  spansS: Array<[number, number]>;
}

/** Largest time gap between two annotated rows that still joins them into one stretch, s (rows of some files leave sub-millisecond gaps). */
export const SPAN_JOIN_GAP_S = 0.02;

/** Annotated stretches of a segmentation: runs of rows with state 1–4 (no state-0 row, no gap over {@link SPAN_JOIN_GAP_S} between them). */
export function annotatedSpans(segments: readonly Segment[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let cur: [number, number] | null = null;
  for (const s of segments) {
    if (s.state === 0) {
      if (cur) spans.push(cur);
      cur = null;
    } else if (cur && s.startS - cur[1] <= SPAN_JOIN_GAP_S) cur[1] = Math.max(cur[1], s.endS);
    else {
      if (cur) spans.push(cur);
      cur = [s.startS, s.endS];
    }
  }
  if (cur) spans.push(cur);
  return spans;
}

function hr(rrS: readonly number[]): number | null {
  if (rrS.length === 0) return null;
  return 60 / (rrS.reduce((a, b) => a + b, 0) / rrS.length);
}

/**
 * Reference from a segmentation: the beats are the S1 onsets (start of each state-1 row); a true
 * RR interval joins the S1 onsets of two consecutive complete cycles (rows 1 → 2 → 3 → 4 → 1, no
 * state-0 row between). State-0 stretches are unknown: they are not scored.
 */
export function referenceFromSegments(segments: readonly Segment[]): BeatReference {
  const beatTimesS: number[] = [];
  const rowOfBeat = new Map<number, number>();
  segments.forEach((s, i) => {
    if (s.state === 1) {
      rowOfBeat.set(i, beatTimesS.length);
      beatTimesS.push(s.startS);
    }
  });
  const intervals: IndexedIntervals = { rrS: [], startIndex: [] };
  for (let i = 0; i + 4 < segments.length; i++) {
    if (
      segments[i]!.state === 1 &&
      segments[i + 1]!.state === 2 &&
      segments[i + 2]!.state === 3 &&
      segments[i + 3]!.state === 4 &&
      segments[i + 4]!.state === 1
    ) {
      intervals.rrS.push(segments[i + 4]!.startS - segments[i]!.startS);
      intervals.startIndex.push(rowOfBeat.get(i)!);
    }
  }
  return {
    kind: 'segmentation',
    beatTimesS,
    intervals,
    hrvIntervals: intervals,
    hrBpm: hr(intervals.rrS),
    spansS: annotatedSpans(segments),
  };
}

/** Window of the NN rule: an R-R interval is normal when within 20 % of the median of the 11 intervals centred on it. */
export const NN_WINDOW = 11;
export const NN_MAX_DEVIATION = 0.2;

/**
 * Normal-to-normal intervals of an R-R series (pcg-ecg README): an interval is NN when it lies
 * within {@link NN_MAX_DEVIATION} of the median of the {@link NN_WINDOW} intervals centred on it
 * (the window is cut at the ends). Returns the flags, one per interval.
 */
export function normalIntervalFlags(rrS: readonly number[]): boolean[] {
  const half = (NN_WINDOW - 1) >> 1;
  return rrS.map((r, i) => {
    const m = median(rrS.slice(Math.max(0, i - half), Math.min(rrS.length, i + half + 1)))!;
    return Math.abs(r - m) <= NN_MAX_DEVIATION * m;
  });
}

/**
 * Reference from the R peaks of a simultaneous ECG: the beats are the R peaks, every R-R interval
 * is a true interval (HR = 60 / mean R-R), the HRV reference uses the NN intervals only
 * ({@link normalIntervalFlags}). The scored span runs from the first to the last R peak.
 * @throws InputError when the peaks are not increasing or fewer than 2
 */
export function referenceFromRPeaks(rPeaksS: readonly number[]): BeatReference {
  if (rPeaksS.length < 2) throw new InputError(`an ECG reference needs at least 2 R peaks, got ${rPeaksS.length}`);
  for (let i = 1; i < rPeaksS.length; i++) {
    if (!(rPeaksS[i]! > rPeaksS[i - 1]!)) throw new InputError(`R peaks must be strictly increasing (peak ${i + 1}: ${rPeaksS[i]} after ${rPeaksS[i - 1]})`);
  }
  const beatTimesS = rPeaksS.slice();
  const intervals: IndexedIntervals = { rrS: [], startIndex: [] };
  for (let i = 0; i + 1 < beatTimesS.length; i++) {
    intervals.rrS.push(beatTimesS[i + 1]! - beatTimesS[i]!);
    intervals.startIndex.push(i);
  }
  const nn = normalIntervalFlags(intervals.rrS);
  const hrvIntervals: IndexedIntervals = { rrS: [], startIndex: [] };
  nn.forEach((ok, k) => {
    if (ok) {
      hrvIntervals.rrS.push(intervals.rrS[k]!);
      hrvIntervals.startIndex.push(intervals.startIndex[k]!);
    }
  });
  return {
    kind: 'ecg',
    beatTimesS,
    intervals,
    hrvIntervals,
    hrBpm: hr(intervals.rrS),
    spansS: [[beatTimesS[0]!, beatTimesS[beatTimesS.length - 1]!]],
  };
}

/**
 * Parse an R-peak list: one time in seconds per line, an optional header line (any non-numeric
 * first line, e.g. `r_peak_s`), blank lines skipped.
 * @throws InputError naming the line of a malformed value
 */
export function parseRPeaks(text: string, source = 'R peaks'): number[] {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const cell = lines[i]!.split(',')[0]!.trim();
    if (cell === '') continue;
    const v = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell) ? Number(cell) : NaN;
    if (!Number.isFinite(v)) {
      if (out.length === 0 && i === lines.findIndex((l) => l.trim() !== '')) continue; // header
      throw new InputError(`${source}:${i + 1}: expected a time in seconds, got '${cell}'`);
    }
    if (v < 0) throw new InputError(`${source}:${i + 1}: negative time ${v}`);
    out.push(v);
  }
  return out;
}
