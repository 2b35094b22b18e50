/**
 * `hrvMeasures(rrS, options)`: every HRV measure of an RR series — time domain (timeDomain.ts),
 * frequency domain (frequency.ts) and non-linear (nonlinear.ts) — with the rules on length and
 * gaps (rules.ts) enforced: a measure that is undefined or not meaningful is `null` and
 * `nullReasons[field]` says why. Field names: fields.ts. Browser-safe.
 *
 * Timing of the intervals: by default the intervals are taken as consecutive (interval i ends at
 * Σ_{j≤i} RR_j). When some beats were cleaned away, pass `rrEndTimesS` (the time of each
 * interval's end beat): the spectral measures then see the gaps — bridged by the spline (Welch)
 * or handled natively (Lomb) while at most {@link HRV_RULES}.maxMissingFraction of the span is
 * missing, null beyond. Time-domain and non-linear measures treat the kept intervals as one
 * series (as NeuroKit2 does after cleaning); successive differences across a gap are included.
 */
import {
  hrvMeasures as timeDomainMeasures,
  DEFAULT_HRV_CONVENTION,
  type HrvConvention,
  type HrvMeasures as TimeDomainMeasures,
} from './timeDomain.js';
import { bandPowers, lombRrSpectrum, welchRrSpectrum, FREQUENCY_DEFAULTS, type FrequencyOptions, type RrSpectrum } from './frequency.js';
import { dfaAlpha, dfaProfile, entropies, sampleSd, DFA_RANGES, ENTROPY_DEFAULTS, type EntropyOptions } from './nonlinear.js';
import { countReason, lengthReason, HRV_RULES, type HrvRules } from './rules.js';
import type { HrvFieldKey, HrvGroup } from './fields.js';

/** The frequency-domain and non-linear fields added by issue 17 (what `estimate` results carry too). */
export interface HrvToolboxFields {
  vlfMs2: number | null;
  lfMs2: number | null;
  hfMs2: number | null;
  totalPowerMs2: number | null;
  lfHf: number | null;
  lfNu: number | null;
  hfNu: number | null;
  lfPeakHz: number | null;
  hfPeakHz: number | null;
  lombVlfMs2: number | null;
  lombLfMs2: number | null;
  lombHfMs2: number | null;
  lombTotalPowerMs2: number | null;
  lombLfHf: number | null;
  sd1Sd2: number | null;
  sampEn: number | null;
  apEn: number | null;
  dfaAlpha1: number | null;
  dfaAlpha2: number | null;
}

/** Every HRV measure; `null` (with `nullReasons[key]`) where undefined or too short. */
export interface HrvMeasures extends TimeDomainMeasures, HrvToolboxFields {
  /** Time from the first interval's start to the last interval's end, s. */
  spanS: number;
  /** Share of the span not covered by the given intervals (0 for consecutive intervals). */
  missingFraction: number;
  /** Why each null field is null (only for the groups computed). */
  nullReasons: Partial<Record<HrvFieldKey, string>>;
  /** Remarks that do not null a measure (e.g. entropy computed on a prefix). */
  notes: string[];
  /** The spectra behind the frequency fields (only with `returnSpectrum`). */
  spectrum?: { welch: RrSpectrum | null; lomb: RrSpectrum | null };
}

/** Options of {@link hrvMeasures}. */
export interface HrvMeasuresOptions {
  /** Default 'heartpy' (time domain; see timeDomain.ts). */
  convention?: HrvConvention;
  /** Time of each interval's end beat, s, increasing (shape = rrS); default: consecutive. */
  rrEndTimesS?: readonly number[];
  /** Groups to compute (default all three; 'time' is always computed). */
  groups?: readonly HrvGroup[];
  /** Include the Welch and Lomb spectra in the result. */
  returnSpectrum?: boolean;
  frequency?: Partial<FrequencyOptions>;
  entropy?: Partial<EntropyOptions>;
  rules?: Partial<HrvRules>;
  /**
   * Entropies cost O(N·neighbours); longer series use their first this many intervals and say so
   * in `notes` (default 20 000, ≈ 4.5 h at 75 bpm).
   */
  entropyMaxIntervals?: number;
}

export const ENTROPY_MAX_INTERVALS = 20000;

const FREQ_KEYS = ['vlfMs2', 'lfMs2', 'hfMs2', 'totalPowerMs2', 'lfHf', 'lfNu', 'hfNu', 'lfPeakHz', 'hfPeakHz'] as const;
const LOMB_KEYS = ['lombVlfMs2', 'lombLfMs2', 'lombHfMs2', 'lombTotalPowerMs2', 'lombLfHf'] as const;
const NONLINEAR_KEYS = ['sd1Sd2', 'sampEn', 'apEn', 'dfaAlpha1', 'dfaAlpha2'] as const;
const TIME_KEYS = ['meanRrMs', 'heartRateBpm', 'sdnnMs', 'rmssdMs', 'sdsdMs', 'pnn20', 'pnn50', 'madMs', 'sd1Ms', 'sd2Ms'] as const;

/** Denominators at or below this (ms or ms²) count as 0: floating-point noise of a constant series. */
const TINY = 1e-9;

/** Ratio a/b, null unless both are numbers and b > {@link TINY}. */
function ratio(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b > TINY ? a / b : null;
}

/**
 * All HRV measures of `rrS` (RR intervals, s, finite and > 0).
 * @throws RangeError for bad intervals, times or options
 */
export function hrvMeasures(rrS: readonly number[], options: HrvMeasuresOptions | HrvConvention = {}): HrvMeasures {
  const o: HrvMeasuresOptions = typeof options === 'string' ? { convention: options } : options;
  const td = timeDomainMeasures(rrS, { convention: o.convention ?? DEFAULT_HRV_CONVENTION });
  const rules: HrvRules = { ...HRV_RULES, ...o.rules };
  const groups = new Set<HrvGroup>(o.groups ?? ['time', 'frequency', 'nonlinear']);
  const n = rrS.length;
  const rrMs = Float64Array.from(rrS, (r) => r * 1000);
  let tEnd: Float64Array;
  if (o.rrEndTimesS) {
    if (o.rrEndTimesS.length !== n) throw new RangeError(`rrEndTimesS must have one time per interval (${n}), got ${o.rrEndTimesS.length}`);
    tEnd = Float64Array.from(o.rrEndTimesS);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(tEnd[i]!)) throw new RangeError(`rrEndTimesS must be finite, got ${tEnd[i]}`);
      if (i > 0 && !(tEnd[i]! - rrS[i]! >= tEnd[i - 1]! - 1e-6)) throw new RangeError('rrEndTimesS: intervals must follow each other in time without overlapping');
    }
  } else {
    tEnd = new Float64Array(n);
    let c = 0;
    for (let i = 0; i < n; i++) tEnd[i] = c += rrS[i]!;
  }
  const covered = rrS.reduce((a, b) => a + b, 0);
  const spanS = n ? tEnd[n - 1]! - (tEnd[0]! - rrS[0]!) : 0;
  const missingFraction = spanS > 0 ? Math.max(0, 1 - covered / spanS) : 0;
  const out: HrvMeasures = {
    ...td,
    vlfMs2: null,
    lfMs2: null,
    hfMs2: null,
    totalPowerMs2: null,
    lfHf: null,
    lfNu: null,
    hfNu: null,
    lfPeakHz: null,
    hfPeakHz: null,
    lombVlfMs2: null,
    lombLfMs2: null,
    lombHfMs2: null,
    lombTotalPowerMs2: null,
    lombLfHf: null,
    sd1Sd2: null,
    sampEn: null,
    apEn: null,
    dfaAlpha1: null,
    dfaAlpha2: null,
    spanS,
    missingFraction,
    nullReasons: {},
    notes: [],
  };
  const why = out.nullReasons;
  for (const k of TIME_KEYS) if (out[k] === null) why[k] = n === 0 ? 'no RR intervals' : `too few RR intervals (${n})`;
  if (groups.has('frequency')) frequencyGroup(out, rrMs, tEnd, spanS, missingFraction, rules, o);
  if (groups.has('nonlinear')) nonlinearGroup(out, rrMs, rules, o);
  return out;
}

function frequencyGroup(
  out: HrvMeasures,
  rrMs: Float64Array,
  tEnd: Float64Array,
  spanS: number,
  missing: number,
  rules: HrvRules,
  o: HrvMeasuresOptions,
): void {
  const why = out.nullReasons;
  const n = rrMs.length;
  const gapReason =
    missing > rules.maxMissingFraction
      ? `${(missing * 100).toFixed(1)} % of the span has no clean intervals (limit ${(rules.maxMissingFraction * 100).toFixed(0)} %): too much to interpolate`
      : null;
  const hfWhy = gapReason ?? lengthReason('HF', spanS, rules.hfMinS, rules) ?? (n < 4 ? `too few RR intervals (${n})` : null);
  const lfWhy = gapReason ?? lengthReason('LF', spanS, rules.lfMinS, rules) ?? hfWhy;
  const vlfWhy = gapReason ?? lengthReason('VLF', spanS, rules.vlfMinS, rules) ?? hfWhy;
  if (o.returnSpectrum) out.spectrum = { welch: null, lomb: null };
  if (hfWhy === null) {
    const fo = { ...FREQUENCY_DEFAULTS, ...o.frequency };
    const welch = welchRrSpectrum(rrMs, tEnd, fo);
    const lomb = lombRrSpectrum(rrMs, tEnd, fo);
    if (o.returnSpectrum) out.spectrum = { welch, lomb };
    for (const [spec, keys] of [
      [welch, { vlf: 'vlfMs2', lf: 'lfMs2', hf: 'hfMs2', tp: 'totalPowerMs2', lfhf: 'lfHf' }],
      [lomb, { vlf: 'lombVlfMs2', lf: 'lombLfMs2', hf: 'lombHfMs2', tp: 'lombTotalPowerMs2', lfhf: 'lombLfHf' }],
    ] as const) {
      const b = bandPowers(spec);
      out[keys.hf] = b.hfMs2;
      if (lfWhy === null) {
        out[keys.lf] = b.lfMs2;
        out[keys.lfhf] = ratio(b.lfMs2, b.hfMs2);
        if (out[keys.lfhf] === null) why[keys.lfhf] = 'HF power is 0';
      }
      if (vlfWhy === null) {
        out[keys.vlf] = b.vlfMs2;
        out[keys.tp] = b.vlfMs2 + b.lfMs2 + b.hfMs2;
      }
      if (spec === welch) {
        out.hfPeakHz = b.hfPeakHz;
        if (lfWhy === null) {
          out.lfPeakHz = b.lfPeakHz;
          const lh = b.lfMs2 + b.hfMs2;
          out.lfNu = lh > TINY ? (100 * b.lfMs2) / lh : null;
          out.hfNu = lh > TINY ? (100 * b.hfMs2) / lh : null;
          if (!(lh > TINY)) why.lfNu = why.hfNu = 'LF + HF power is 0';
        }
      }
    }
  }
  const set = (keys: readonly (typeof FREQ_KEYS[number] | typeof LOMB_KEYS[number])[], reason: string | null): void => {
    if (reason) for (const k of keys) if (out[k] === null) why[k] ??= reason;
  };
  set(['hfMs2', 'hfPeakHz', 'lombHfMs2'], hfWhy);
  set(['lfMs2', 'lfPeakHz', 'lfHf', 'lfNu', 'hfNu', 'lombLfMs2', 'lombLfHf'], lfWhy);
  set(['vlfMs2', 'totalPowerMs2', 'lombVlfMs2', 'lombTotalPowerMs2'], vlfWhy);
}

function nonlinearGroup(out: HrvMeasures, rrMs: Float64Array, rules: HrvRules, o: HrvMeasuresOptions): void {
  const why = out.nullReasons;
  const n = rrMs.length;
  out.sd1Sd2 = ratio(out.sd1Ms, out.sd2Ms);
  if (out.sd1Sd2 === null) why.sd1Sd2 = out.sd2Ms === null ? `too few RR intervals (${n})` : 'SD2 is 0';
  const entWhy = countReason('entropy', n, rules.entropyMinIntervals);
  if (entWhy) {
    why.sampEn = why.apEn = entWhy;
  } else {
    const eo = { ...ENTROPY_DEFAULTS, ...o.entropy };
    const cap = o.entropyMaxIntervals ?? ENTROPY_MAX_INTERVALS;
    const x = n > cap ? rrMs.subarray(0, cap) : rrMs;
    if (n > cap) out.notes.push(`SampEn and ApEn use the first ${cap} of ${n} intervals (cost grows with N²)`);
    const sd = sampleSd(x);
    if (sd > TINY) {
      const r = eo.toleranceSd * sd;
      ({ sampEn: out.sampEn, apEn: out.apEn } = entropies(x, eo.dimension, r));
      if (out.sampEn === null) why.sampEn = 'no template matches of length m + 1: undefined';
      if (out.apEn === null) why.apEn = 'undefined for this series';
    } else {
      why.sampEn = why.apEn = 'RR is constant: tolerance r is 0';
    }
  }
  const a1Why = countReason('DFA α1', n, rules.dfaAlpha1MinIntervals);
  const a2Why = countReason('DFA α2', n, rules.dfaAlpha2MinIntervals);
  const profile = a1Why ? null : dfaProfile(rrMs);
  if (profile) {
    out.dfaAlpha1 = dfaAlpha(rrMs, ...DFA_RANGES.alpha1, profile);
    if (out.dfaAlpha1 === null) why.dfaAlpha1 = 'RR is constant: no fluctuation';
    if (!a2Why) {
      out.dfaAlpha2 = dfaAlpha(rrMs, ...DFA_RANGES.alpha2, profile);
      if (out.dfaAlpha2 === null) why.dfaAlpha2 = 'RR is constant: no fluctuation';
    }
  }
  if (a1Why) why.dfaAlpha1 = a1Why;
  if (a2Why) why.dfaAlpha2 = a2Why;
}

export { NONLINEAR_KEYS, FREQ_KEYS, LOMB_KEYS };

/** The {@link HrvToolboxFields} of a result, in a new object. */
export function toolboxFields(m: HrvMeasures): HrvToolboxFields {
  const out = {} as HrvToolboxFields;
  for (const k of [...FREQ_KEYS, ...LOMB_KEYS, ...NONLINEAR_KEYS]) out[k] = m[k];
  return out;
}
