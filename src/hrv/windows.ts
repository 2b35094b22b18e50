/**
 * HR/HRV over time: per-window statistics from one whole-recording beat detection. Browser-safe.
 *
 * Windows start at 0 s and advance by `hopS`; only whole windows are reported (a recording shorter
 * than one window gets a single window spanning it). A window uses the cleaned RR intervals that
 * lie entirely inside it (both beats in [startS, endS)). Detecting once over the whole recording
 * rather than per window keeps the cardiac-period estimate stable and costs nothing extra.
 *
 * Window quality = whole-recording quality score × window coverage, where coverage is the share
 * of the window spanned by its kept intervals, ramped linearly from 0 at 25 % to 1 at 70 % (the
 * same thresholds as the whole-recording coverage factor).
 */
import { hrvMeasures } from './measures/index.js';
import type { HrvConvention } from '../core/choices.js';
import type { DirectWindow } from './estimator.js';

/** One row of the per-window table. */
export interface EstimateWindow {
  startS: number;
  endS: number;
  /** 60 / mean RR of the window's intervals, bpm; null without intervals or below the trust threshold. */
  heartRateBpm: number | null;
  sdnnMs: number | null;
  rmssdMs: number | null;
  /** Beats (detected onsets) in [startS, endS). */
  nBeats: number;
  /** 0..1 */
  quality: number;
}

/** Inputs of {@link windowRows}. */
export interface WindowInputs {
  durationS: number;
  beatTimesS: readonly number[];
  rrS: readonly number[];
  /** For each rrS[i], the index in beatTimesS of its first beat. */
  rrStartIndex: readonly number[];
  /** Whole-recording quality score, 0..1. */
  qualityScore: number;
  convention: HrvConvention;
  /** Window quality below this gets null numbers. */
  minQuality: number;
}

const COVERAGE_BAD = 0.25;
const COVERAGE_GOOD = 0.7;

/**
 * Per-window rows. @throws RangeError unless windowS > 0 and hopS > 0.
 */
export function windowRows(inputs: WindowInputs, windowS: number, hopS: number = windowS): EstimateWindow[] {
  if (!(Number.isFinite(windowS) && windowS > 0)) throw new RangeError(`window length must be > 0 s, got ${windowS}`);
  if (!(Number.isFinite(hopS) && hopS > 0)) throw new RangeError(`hop must be > 0 s, got ${hopS}`);
  const { durationS, beatTimesS, rrS, rrStartIndex } = inputs;
  return windowSpans(durationS, windowS, hopS).map(([startS, endS]) => {
    const nBeats = beatTimesS.filter((t) => t >= startS && t < endS).length;
    const rr: number[] = [];
    for (let i = 0; i < rrS.length; i++) {
      const t0 = beatTimesS[rrStartIndex[i]!];
      if (t0 === undefined) continue;
      const t1 = t0 + rrS[i]!;
      if (t0 >= startS && t1 < endS) rr.push(rrS[i]!);
    }
    const covered = rr.reduce((a, b) => a + b, 0) / Math.max(endS - startS, 1e-9);
    const coverage = Math.max(0, Math.min(1, (covered - COVERAGE_BAD) / (COVERAGE_GOOD - COVERAGE_BAD)));
    const quality = Math.max(0, Math.min(1, inputs.qualityScore * coverage));
    const trusted = quality >= inputs.minQuality && rr.length > 0;
    const m = hrvMeasures(trusted ? rr : [], { convention: inputs.convention, groups: ['time'] });
    return { startS, endS, heartRateBpm: m.heartRateBpm, sdnnMs: m.sdnnMs, rmssdMs: m.rmssdMs, nBeats, quality };
  });
}

/** The [startS, endS) spans of the windows: whole windows only, or one spanning a shorter recording. */
function windowSpans(durationS: number, windowS: number, hopS: number): Array<readonly [number, number]> {
  const starts: number[] = [];
  for (let k = 0; k * hopS + windowS <= durationS + 1e-9; k++) starts.push(k * hopS);
  return starts.length ? starts.map((s) => [s, s + windowS] as const) : [[0, durationS] as const];
}

/**
 * Per-window rows for a method that predicts numbers per window of its own (the CNN): a row's HR
 * and SDNN are the means over the method's windows lying inside it (RMSSD is not predicted:
 * null); its quality is the whole-recording score (0 without any method window inside).
 * @throws RangeError unless windowS > 0 and hopS > 0.
 */
export function directWindowRows(
  methodWindows: readonly DirectWindow[],
  inputs: { durationS: number; qualityScore: number; minQuality: number },
  windowS: number,
  hopS: number = windowS,
): EstimateWindow[] {
  if (!(Number.isFinite(windowS) && windowS > 0)) throw new RangeError(`window length must be > 0 s, got ${windowS}`);
  if (!(Number.isFinite(hopS) && hopS > 0)) throw new RangeError(`hop must be > 0 s, got ${hopS}`);
  const meanOf = (v: Array<number | null>): number | null => {
    const f = v.filter((x): x is number => x !== null && Number.isFinite(x));
    return f.length ? f.reduce((a, b) => a + b, 0) / f.length : null;
  };
  return windowSpans(inputs.durationS, windowS, hopS).map(([startS, endS]) => {
    const inside = methodWindows.filter((w) => w.startS >= startS - 1e-9 && w.endS <= endS + 1e-9);
    const quality = inside.length ? Math.max(0, Math.min(1, inputs.qualityScore)) : 0;
    const trusted = quality >= inputs.minQuality && inside.length > 0;
    return {
      startS,
      endS,
      heartRateBpm: trusted ? meanOf(inside.map((w) => w.heartRateBpm)) : null,
      sdnnMs: trusted ? meanOf(inside.map((w) => w.sdnnMs)) : null,
      rmssdMs: null,
      nBeats: 0,
      quality,
    };
  });
}
