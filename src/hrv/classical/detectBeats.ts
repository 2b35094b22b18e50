/**
 * The classical beat detector: heart sounds (PCG) or the seed's pulse signals → beat times,
 * cleaned RR intervals and a quality score. Browser-safe.
 *
 * - PCG (`detectPcg`): band-pass 25–400 Hz, RMS envelope at ≈250 Hz, cardiac period by
 *   autocorrelation, S1/S2 labelling by dynamic programming over envelope peaks, S1 onsets.
 * - Pulse (`detectPulses`): matched filter with the seed's half-Gaussian pulse, onset refined to
 *   the sample by a least-squares fit over onset and width.
 * - Type (`detectSignalType`) when `signal` is 'auto' (default).
 * - RR cleaning (`cleanRr`), quality (`assessQuality`).
 */
import { detectPcg, type PcgOptions } from './detectPcg.js';
import { detectPulses } from './detectPulse.js';
import { detectSignalType } from './signalType.js';
import { cleanRr, type RrCleanOptions } from './rrClean.js';
import { assessQuality, signalLevelStats } from './quality.js';
import { MAX_ANALYSIS_RATE_HZ, MIN_INPUT_RATE_HZ } from '../../core/ratePolicy.js';
import { parseChoice, SIGNAL_CHOICES, type SignalChoice } from '../../core/choices.js';
import { median } from '../../core/stats.js';

/** Options for {@link detectBeats}. */
export interface DetectBeatsOptions {
  /** 'auto' (default) decides between heart sounds and a pulse train. */
  signal?: SignalChoice;
  /** Also return the detection envelope (PCG: RMS envelope; pulse: matched-filter output). */
  returnEnvelope?: boolean;
  /** Advanced: overrides of the PCG detector's settings (defaults in `PCG_DEFAULTS`). */
  pcg?: Partial<PcgOptions>;
  /** Advanced: overrides of the RR-cleaning settings (defaults: {@link PCG_RR_CLEAN} for heart
   * sounds, {@link PULSE_RR_CLEAN} for pulses, then `RR_CLEAN_DEFAULTS`). */
  rrClean?: Omit<RrCleanOptions, 'amplitudes'>;
}

/**
 * RR cleaning for heart sounds: intervals are complete S1→S2→S1 cycles of one labelling chain (a
 * missed S1 is inferred from its S2), so a long interval cannot be a doubled cycle; the local
 * ratio rule only needs to guard against gross errors above (1.6) and keeps its 0.7 lower bound
 * (a short interval is the mark of an extra or misplaced beat); the misplaced-beat pair rule
 * (0.3 / 0.15) removes a short–long pair that adds up to two cycles.
 */
export const PCG_RR_CLEAN: Readonly<Omit<RrCleanOptions, 'amplitudes'>> = Object.freeze({ minRatio: 0.7, maxRatio: 1.6, pairDifference: 0.3, pairSum: 0.15 });
/** RR cleaning for pulse trains (one pulse per beat; no pair rule). */
export const PULSE_RR_CLEAN: Readonly<Omit<RrCleanOptions, 'amplitudes'>> = Object.freeze({ minRatio: 0.55, maxRatio: 1.6 });

/** Result of {@link detectBeats}. */
export interface DetectBeatsResult {
  /** Beat times, s from the first sample: S1 onsets (PCG) or pulse onsets (pulse). */
  beatTimesS: number[];
  /** S2 onsets, s (PCG only). */
  s2TimesS?: number[];
  /** Cleaned intervals between consecutive kept beats, s; never across a rejected gap. */
  rrS: number[];
  /** For each `rrS[i]`, the index in `beatTimesS` of its first beat. */
  rrStartIndex: number[];
  signalType: 'pcg' | 'pulse';
  /** Cardiac period, s (PCG: autocorrelation; pulse: median RR); null when none. */
  periodS: number | null;
  quality: { score: number; reasons: string[] };
  envelope?: { values: Float32Array; sampleRateHz: number };
}

/** Sample-rate range the detector runs at, Hz (the rate policy's, core/ratePolicy). */
export const MIN_SAMPLE_RATE_HZ = MIN_INPUT_RATE_HZ;
export const MAX_SAMPLE_RATE_HZ = MAX_ANALYSIS_RATE_HZ;

/**
 * Segment ids for the S1 sounds such that consecutive S1s share an id only when they lie in the
 * same DP chain with an S2 between them — a complete S1→S2→S1 cycle, as in the reference
 * annotations' definition of an RR interval. Two S1s in a row (a missed S2) start a new segment;
 * with `strict` (what `detectBeats` uses) so do two S2s between them (a skipped S1: the interval
 * would span two cycles).
 */
export function completeCycleSegments(sounds: ReadonlyArray<{ label: 1 | 2; chain: number }>, strict = false): number[] {
  const ids: number[] = [];
  let id = 0;
  let lastChain = -1;
  let s2Since = 0; // S2s since the last S1
  for (const s of sounds) {
    if (s.chain !== lastChain) {
      id++;
      lastChain = s.chain;
      s2Since = -1;
    }
    if (s.label === 1) {
      if (s2Since === 0 || (strict && s2Since > 1)) id++;
      ids.push(id);
      s2Since = 0;
    } else if (s2Since >= 0) s2Since++;
  }
  return ids;
}

/**
 * Detect heartbeats.
 * @param samples mono audio samples (any scale; WAV input is −1..1)
 * @param sampleRateHz 500–8000 Hz (resample higher rates first, e.g. to 4000 Hz)
 * @throws RangeError for a sample rate outside 500–8000 Hz
 */
export function detectBeats(
  samples: Float32Array | Float64Array,
  sampleRateHz: number,
  options: DetectBeatsOptions = {},
): DetectBeatsResult {
  if (!Number.isFinite(sampleRateHz) || sampleRateHz < MIN_SAMPLE_RATE_HZ || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
    throw new RangeError(`sample rate must be ${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ} Hz, got ${sampleRateHz}`);
  }
  const wanted = options.signal ?? 'auto';
  parseChoice(SIGNAL_CHOICES, wanted, 'signal');
  const extraReasons: string[] = [];
  let x: Float32Array | Float64Array = samples;
  let bad = 0;
  for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i]!)) bad++;
  if (bad > 0) {
    x = Float64Array.from(samples, (v) => (Number.isFinite(v) ? v : 0));
    extraReasons.push(`${bad} non-finite sample${bad === 1 ? '' : 's'} replaced by 0`);
  }
  const durationS = x.length / sampleRateHz;
  const level = signalLevelStats(x);
  const signalType: 'pcg' | 'pulse' =
    wanted === 'auto' ? (level.rms > 0 && x.length >= sampleRateHz ? detectSignalType(x, sampleRateHz).signalType : 'pcg') : wanted;

  let beatTimesS: number[] = [];
  let segmentIds: number[] | undefined;
  let amplitudes: number[] | undefined;
  let s2TimesS: number[] | undefined;
  let periodS: number | null = null;
  let contrast = NaN;
  let periodicity = NaN;
  let systoleSpread = NaN;
  let envelope: { values: Float32Array; sampleRateHz: number } | undefined;
  let clean: Omit<RrCleanOptions, 'amplitudes'> = PCG_RR_CLEAN;

  if (level.rms > 0) {
    if (signalType === 'pulse') {
      const r = detectPulses(x, sampleRateHz);
      beatTimesS = r.onsetSamples.map((k) => k / sampleRateHz);
      amplitudes = r.amplitudes;
      clean = PULSE_RR_CLEAN;
      if (options.returnEnvelope) envelope = { values: Float32Array.from(r.score), sampleRateHz };
      contrast = r.detectionSnr > 0 ? Math.min(r.detectionSnr, 1e6) : 0;
    } else {
      const r = detectPcg(x, sampleRateHz, options.pcg ?? {});
      const s1 = r.sounds.filter((s) => s.label === 1);
      beatTimesS = s1.map((s) => s.onsetS);
      segmentIds = completeCycleSegments(r.sounds, true);
      // an inferred S1 (not heard) is exempt from the weak-beat rule
      const heardMedian = median(s1.filter((s) => !s.inferred).map((s) => s.amplitude)) ?? NaN;
      amplitudes = s1.map((s) => (s.inferred ? heardMedian : s.amplitude));
      s2TimesS = r.sounds.filter((s) => s.label === 2).map((s) => s.onsetS);
      periodS = r.periodS;
      periodicity = r.periodicity;
      systoleSpread = r.diagnostics.abSpread ?? NaN;
      const envMed = r.diagnostics.envMedian ?? NaN;
      const peakMed = median(r.sounds.map((s) => s.amplitude)) ?? NaN;
      contrast = envMed > 0 && r.sounds.length ? peakMed / envMed : 0;
      if (options.returnEnvelope) envelope = { values: r.envelope.values, sampleRateHz: r.envelope.sampleRateHz };
    }
  }
  const cleaned = cleanRr(beatTimesS, segmentIds, { ...clean, ...options.rrClean, ...(amplitudes ? { amplitudes } : {}) });
  if (signalType === 'pulse') periodS = cleaned.rrS.length ? median(cleaned.rrS) : null;
  const quality = assessQuality({
    durationS,
    rms: level.rms,
    clippedFraction: level.clippedFraction,
    nBeats: beatTimesS.length,
    rrS: cleaned.rrS,
    nCandidateIntervals: cleaned.nCandidates,
    contrast,
    periodicity,
    systoleSpread,
  });
  quality.reasons.unshift(...extraReasons);
  const result: DetectBeatsResult = {
    beatTimesS,
    rrS: cleaned.rrS,
    rrStartIndex: cleaned.startIndex,
    signalType,
    periodS: periodS !== null && Number.isFinite(periodS) ? periodS : null,
    quality,
  };
  if (s2TimesS) result.s2TimesS = s2TimesS;
  if (envelope) result.envelope = envelope;
  return result;
}
