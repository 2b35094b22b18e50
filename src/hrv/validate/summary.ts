/**
 * Summaries of scored recordings: pooled beat scores, per-recording medians and means, HR
 * agreement (Bland–Altman), RR recovery, SDNN/RMSSD errors, counts of refused recordings and of
 * half/double-rate errors; and the same per group of a metadata column. Browser-safe.
 */
import { agreement, mean, median, type Agreement } from '../../core/stats.js';
import { HR_WITHIN_BPM, type RecordingScore } from './score.js';

/** Beat scores over recordings at one tolerance. */
export interface BeatSummary {
  toleranceS: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Pooled over all beats of all recordings. */
  sensitivity: number | null;
  ppv: number | null;
  f1: number | null;
  /** Median and mean of the per-recording F1. */
  medianF1: number | null;
  meanF1: number | null;
}

/** Summary of a set of scored recordings. */
export interface ScoreSummary {
  recordings: number;
  /** Not trusted by the method: no HR or HRV. */
  refused: number;
  accepted: number;
  /** Beat scores over all recordings (refused ones included, with the beats they gave) … */
  beats50: BeatSummary;
  beats100: BeatSummary;
  /** … and over the accepted recordings only. */
  beats50Accepted: BeatSummary;
  beats100Accepted: BeatSummary;
  hr: {
    withinBpm: number;
    /** Recordings with |HR error| ≤ withinBpm, among all recordings with a reference HR (refused = outside) … */
    withinShareOfAll: number | null;
    /** … and among the accepted ones. */
    withinShareOfAccepted: number | null;
    /** Bland–Altman and errors of HR (truth = reference, predicted = detected), accepted recordings. */
    agreement: Agreement;
    /** Accepted recordings whose reported HR is half / double the reference … */
    halfRate: number;
    doubleRate: number;
    /** … and refused recordings whose (unreported) HR is. */
    halfRateRefused: number;
    doubleRateRefused: number;
  };
  rr: {
    reference: number;
    recovered: number;
    recoveredShare: number | null;
    /** Mean |RR error| over all recovered intervals, ms. */
    maeMs: number | null;
    /** Median of the per-recording RR MAE, ms. */
    medianRecordingMaeMs: number | null;
  };
  sdnn: Agreement;
  rmssd: Agreement;
}

function beatSummary(rows: readonly RecordingScore[], key: 'beats50' | 'beats100'): BeatSummary {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    tp += r[key].truePositives;
    fp += r[key].falsePositives;
    fn += r[key].falseNegatives;
  }
  const f1s = rows.map((r) => r[key].f1);
  return {
    toleranceS: rows[0]?.[key].toleranceS ?? (key === 'beats50' ? 0.05 : 0.1),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    sensitivity: tp + fn ? tp / (tp + fn) : null,
    ppv: tp + fp ? tp / (tp + fp) : null,
    f1: tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : null,
    medianF1: median(f1s),
    meanF1: mean(f1s),
  };
}

/** Summarise scored recordings. */
export function summarizeScores(rows: readonly RecordingScore[]): ScoreSummary {
  const refused = rows.filter((r) => r.refused).length;
  const withRef = rows.filter((r) => r.refHrBpm !== null);
  const accepted = withRef.filter((r) => !r.refused);
  const within = withRef.filter((r) => r.hrWithin5Bpm).length;
  const refRr = rows.reduce((s, r) => s + r.refIntervals, 0);
  const rec = rows.reduce((s, r) => s + r.rrRecovered, 0);
  const errSum = rows.reduce((s, r) => s + r.rrAbsErrorSumMs, 0);
  return {
    recordings: rows.length,
    refused,
    accepted: rows.length - refused,
    beats50: beatSummary(rows, 'beats50'),
    beats100: beatSummary(rows, 'beats100'),
    beats50Accepted: beatSummary(rows.filter((r) => !r.refused), 'beats50'),
    beats100Accepted: beatSummary(rows.filter((r) => !r.refused), 'beats100'),
    hr: {
      withinBpm: HR_WITHIN_BPM,
      withinShareOfAll: withRef.length ? within / withRef.length : null,
      withinShareOfAccepted: accepted.length ? within / accepted.length : null,
      agreement: agreement(
        rows.map((r) => r.refHrBpm),
        rows.map((r) => r.hrBpm),
      ),
      halfRate: rows.filter((r) => r.halfRate && !r.refused).length,
      doubleRate: rows.filter((r) => r.doubleRate && !r.refused).length,
      halfRateRefused: rows.filter((r) => r.halfRate && r.refused).length,
      doubleRateRefused: rows.filter((r) => r.doubleRate && r.refused).length,
    },
    rr: {
      reference: refRr,
      recovered: rec,
      recoveredShare: refRr ? rec / refRr : null,
      maeMs: rec ? errSum / rec : null,
      medianRecordingMaeMs: median(rows.map((r) => r.rrMaeMs)),
    },
    sdnn: agreement(
      rows.map((r) => r.refSdnnMs),
      rows.map((r) => r.sdnnMs),
    ),
    rmssd: agreement(
      rows.map((r) => r.refRmssdMs),
      rows.map((r) => r.rmssdMs),
    ),
  };
}

/** One group of {@link summarizeByGroup}. */
export interface GroupSummary {
  group: string;
  summary: ScoreSummary;
}

/**
 * Summaries per group, groups in first-seen order; a row whose group is unknown (`undefined`)
 * goes to the group `'(none)'`.
 */
export function summarizeByGroup(rows: readonly RecordingScore[], groupOf: (row: RecordingScore) => string | undefined): GroupSummary[] {
  const groups = new Map<string, RecordingScore[]>();
  for (const r of rows) {
    const g = groupOf(r) ?? '(none)';
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(r);
  }
  return [...groups].map(([group, list]) => ({ group, summary: summarizeScores(list) }));
}
