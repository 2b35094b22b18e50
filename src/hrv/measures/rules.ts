/**
 * When an HRV measure means something: the rules on length and gaps, enforced by
 * `hrvMeasures` (a measure that breaks a rule is `null` and `nullReasons[key]` says why).
 * Browser-safe. Sources (full references in docs/hrv.md):
 *
 * | rule | value | source |
 * |------|-------|--------|
 * | HF needs | ≥ 60 s | Task Force 1996: "approximately 1 min is needed to assess the HF components" |
 * | LF needs | ≥ 120 s | Task Force 1996: "approximately 2 min are needed to address the LF component" |
 * | VLF, total power need | ≥ 300 s | Task Force 1996: VLF from short-term recordings (≤ 5 min) "should be avoided"; Shaffer & Ginsberg 2017 (VLF needs ≥ 5 min) |
 * | slack on those lengths | 5 % | ours: a 2-min recording spans slightly less than 120 s from its first to its last beat |
 * | spectral measures with gaps | ≤ 10 % of the span missing, else null | ours, conservative: Salo et al. 2001 and Peltola 2012 show spectral measures distorted by edited/missing beats; gaps up to that are bridged by the spline (Welch) or handled natively (Lomb) |
 * | SampEn, ApEn need | ≥ 200 intervals | Pincus 1991 (10^m–20^m points for m = 2), Yentes et al. 2013 (unreliable in short series) |
 * | DFA α1 needs | ≥ 64 intervals | ours: ≥ 4 boxes at the largest box size (16) of Peng et al. 1995's short-term range |
 * | DFA α2 needs | ≥ 256 intervals | ours: ≥ 4 boxes at the largest box size (64) |
 *
 * Time-domain measures have no length rule here (recordings of heart sounds are often < 1 min),
 * but the Task Force warns that SDNN grows with length: compare only recordings of equal length.
 */
export interface HrvRules {
  hfMinS: number;
  lfMinS: number;
  vlfMinS: number;
  /** Fraction by which a span may fall short of the nominal lengths above. */
  lengthSlack: number;
  /** Largest share of the span without clean intervals for the spectral measures. */
  maxMissingFraction: number;
  entropyMinIntervals: number;
  dfaAlpha1MinIntervals: number;
  dfaAlpha2MinIntervals: number;
}

export const HRV_RULES: Readonly<HrvRules> = Object.freeze({
  hfMinS: 60,
  lfMinS: 120,
  vlfMinS: 300,
  lengthSlack: 0.05,
  maxMissingFraction: 0.1,
  entropyMinIntervals: 200,
  dfaAlpha1MinIntervals: 64,
  dfaAlpha2MinIntervals: 256,
});

/** Why a band needing `minS` seconds is not reported for a span of `spanS`, or null if it is. */
export function lengthReason(what: string, spanS: number, minS: number, rules: HrvRules = HRV_RULES): string | null {
  if (spanS >= minS * (1 - rules.lengthSlack)) return null;
  return `${what} needs about ${minS >= 120 ? `${minS / 60} min` : `${minS} s`} of beats, the series spans ${spanS.toFixed(0)} s (Task Force 1996)`;
}

/** Why a measure needing `min` intervals is not reported for `n`, or null if it is. */
export function countReason(what: string, n: number, min: number): string | null {
  return n >= min ? null : `${what} needs at least ${min} RR intervals, got ${n}`;
}
