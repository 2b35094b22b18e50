/**
 * Rate hypotheses of a segmenter fit (issue 11 §2): half, single and double rate tested against
 * each other. Browser-safe, pure.
 *
 * The learned decoder (learned/decode.ts) runs one HSMM Viterbi pass per heart-period candidate —
 * each autocorrelation peak of the S1/S2 posteriors, its half and its double — and keeps the
 * candidate with the highest log score. The log score is the evidence for that rate given the
 * network's per-frame posteriors and the duration model (systole shorter than diastole, S1/S2
 * alternation): S1+S2 read as one beat (half rate) or S2 read as S1 (double rate) are the
 * competing candidates at 0.5× and 2× the chosen rate. The per-frame margin between the winner
 * and the best competitor says how clearly the posteriors prefer the chosen rate; a small margin
 * means the two readings fit about equally well and the rate is ambiguous.
 *
 * A second, independent reading: the classical detector (envelope peaks, autocorrelation) on the
 * same audio. When it reports about half or double the learned rate, the two methods disagree on
 * exactly the ambiguity this file is about.
 */

/** Settings of the rate-ambiguity test (frozen; measured out of fold on circor-train, docs/notes/issue-11-verdict.md). */
export const RATE_AMBIGUITY_DEFAULTS = Object.freeze({
  /** Competitors: candidates within this relative distance of 2× or 0.5× the chosen rate. */
  ratioTolerance: 0.12,
  /**
   * Below this per-frame log-score margin over the half/double competitor the rate is ambiguous.
   * Out of fold on circor-train the right fits have margins ≥ 0.055 (1st percentile 0.17, 5th
   * 0.28); 0.2 is the largest value at which no trusted out-of-fold recording is refused (7 right
   * fits, all < 50 % annotated, go from good/fair to fair; at 0.25 a right fit is refused).
   */
  minMarginPerFrame: 0.2,
  /** A classical HR within this relative distance of 0.5× or 2× the learned HR is a half/double disagreement. */
  classicalRatioTolerance: 0.12,
});

export type RateAmbiguityOptions = Partial<{ -readonly [K in keyof typeof RATE_AMBIGUITY_DEFAULTS]: number }>;

/** The decoder's candidate rates and scores (learned/decode.ts `details`). */
export interface RateCandidates {
  candidatesBpm: readonly number[];
  /** HSMM log score per candidate, same order (whole recording). */
  scores: readonly number[];
  chosenBpm: number | null;
}

/** What the rate test found. */
export interface RateHypothesisEvidence {
  chosenBpm: number | null;
  /** (score of the chosen rate − best score of a half-rate competitor) ÷ frames; null without one. */
  halfMarginPerFrame: number | null;
  /** The same against a double-rate competitor. */
  doubleMarginPerFrame: number | null;
  /** Classical HR ÷ learned HR; null when not known. */
  classicalRatio: number | null;
}

const near = (a: number, b: number, tol: number): boolean => Math.abs(a / b - 1) <= tol;

/**
 * HSMM margins of the chosen rate over its half (×0.5) and double (×2) rate competitors.
 * @param nFrames frames the scores were computed over (recording duration × frame rate)
 */
export function hsmmRateMargins(c: RateCandidates, nFrames: number, options: RateAmbiguityOptions = {}): { halfMarginPerFrame: number | null; doubleMarginPerFrame: number | null } {
  const o = { ...RATE_AMBIGUITY_DEFAULTS, ...options };
  const chosen = c.chosenBpm;
  if (chosen === null || !(chosen > 0) || !(nFrames > 0) || c.scores.length !== c.candidatesBpm.length) return { halfMarginPerFrame: null, doubleMarginPerFrame: null };
  let best = -Infinity;
  let half = -Infinity;
  let dbl = -Infinity;
  for (let i = 0; i < c.scores.length; i++) {
    const bpm = c.candidatesBpm[i]!;
    const s = c.scores[i]!;
    if (!Number.isFinite(s)) continue;
    if (near(bpm, chosen, 0.01)) best = Math.max(best, s);
    if (near(bpm, chosen / 2, o.ratioTolerance)) half = Math.max(half, s);
    if (near(bpm, chosen * 2, o.ratioTolerance)) dbl = Math.max(dbl, s);
  }
  if (!Number.isFinite(best)) return { halfMarginPerFrame: null, doubleMarginPerFrame: null };
  return {
    halfMarginPerFrame: Number.isFinite(half) ? (best - half) / nFrames : null,
    doubleMarginPerFrame: Number.isFinite(dbl) ? (best - dbl) / nFrames : null,
  };
}

/** Collect the rate evidence of a learned fit (details from learned/decode.ts) and, optionally, the classical HR. */
export function rateHypothesisEvidence(details: Record<string, unknown>, durationS: number, classicalHrBpm: number | null, options: RateAmbiguityOptions = {}): RateHypothesisEvidence {
  const cands = Array.isArray(details.candidatesBpm) ? (details.candidatesBpm as number[]) : [];
  const scores = Array.isArray(details.scores) ? (details.scores as number[]) : [];
  const chosenBpm = typeof details.chosenBpm === 'number' && Number.isFinite(details.chosenBpm) ? details.chosenBpm : null;
  const frameRateHz = typeof details.frameRateHz === 'number' ? details.frameRateHz : NaN;
  const m = hsmmRateMargins({ candidatesBpm: cands, scores, chosenBpm }, Math.round(durationS * frameRateHz), options);
  return { chosenBpm, ...m, classicalRatio: classicalHrBpm !== null && chosenBpm !== null && classicalHrBpm > 0 ? classicalHrBpm / chosenBpm : null };
}

/** How the rate hypotheses came out. */
export interface RateJudgement {
  /**
   * clear: the chosen rate beats its half/double competitors by a margin; ambiguous: a competitor
   * fits almost as well (the verdict is capped at fair); conflict: a competitor fits almost as
   * well AND the classical detector reads that competitor's rate (refused: poor).
   */
  outcome: 'clear' | 'ambiguous' | 'conflict';
  /** Why; also, for a clear outcome against a disagreeing classical reading, which rate was kept and why. */
  reasons: string[];
}

/**
 * Judge the rate hypotheses. The segmenter's HSMM margin decides; the classical reading alone
 * never overrides it (out of fold on circor-train the classical detector reads half the rate of
 * 27 recordings that the segmenter reads right, and the segmenter's margin is large in all of
 * them), but it is named in the reasons so that the choice is never silent.
 */
export function judgeRate(ev: RateHypothesisEvidence, options: RateAmbiguityOptions = {}): RateJudgement {
  const o = { ...RATE_AMBIGUITY_DEFAULTS, ...options };
  const reasons: string[] = [];
  const hr = ev.chosenBpm;
  if (hr === null) return { outcome: 'clear', reasons };
  const f = (v: number): string => v.toFixed(0);
  const r = ev.classicalRatio;
  const classicalHalf = r !== null && near(r, 0.5, o.classicalRatioTolerance);
  const classicalDouble = r !== null && near(r, 2, o.classicalRatioTolerance);
  const halfClose = ev.halfMarginPerFrame !== null && ev.halfMarginPerFrame < o.minMarginPerFrame;
  const doubleClose = ev.doubleMarginPerFrame !== null && ev.doubleMarginPerFrame < o.minMarginPerFrame;
  if (halfClose) reasons.push(`half or single rate? the segmenter fits ${f(hr / 2)} bpm almost as well as ${f(hr)} bpm (margin ${ev.halfMarginPerFrame!.toFixed(3)} per frame): S1 and S2 may be one beat`);
  if (doubleClose) reasons.push(`single or double rate? the segmenter fits ${f(hr * 2)} bpm almost as well as ${f(hr)} bpm (margin ${ev.doubleMarginPerFrame!.toFixed(3)} per frame): S2 may be read as S1`);
  if ((halfClose && classicalHalf) || (doubleClose && classicalDouble)) {
    reasons.push(`the classical detector reads ${f(hr * r!)} bpm: the rate cannot be decided, no heart rate reported`);
    return { outcome: 'conflict', reasons };
  }
  if (halfClose || doubleClose) return { outcome: 'ambiguous', reasons };
  if (classicalHalf || classicalDouble) {
    const m = classicalHalf ? ev.halfMarginPerFrame : ev.doubleMarginPerFrame;
    reasons.push(
      `the classical detector reads ${f(hr * r!)} bpm; kept ${f(hr)} bpm: the segmenter's S1/S2 fit prefers it` + (m !== null ? ` (margin ${m.toFixed(2)} per frame)` : ''),
    );
  }
  return { outcome: 'clear', reasons };
}
