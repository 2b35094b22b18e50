/**
 * The sample-rate policy, in one place. Browser-safe.
 *
 * - Accepted input: {@link MIN_INPUT_RATE_HZ} (heart sounds need at least 500 Hz) …
 *   {@link MAX_INPUT_RATE_HZ} (beyond any audio hardware; bounds the resampling filters).
 * - Classical analysis: recordings at 500–{@link MAX_ANALYSIS_RATE_HZ} Hz are analysed at their own
 *   rate, higher rates are resampled to {@link ANALYSIS_RATE_HZ} ({@link analysisRateFor}).
 * - The seed CNN analyses at its model's rate ({@link CNN_SAMPLE_RATE_HZ} for the seed; a model
 *   bundle records its own).
 */
import type { Method } from './choices.js';

/** Lowest accepted input rate, Hz. */
export const MIN_INPUT_RATE_HZ = 500;
/** Highest rate analysed as is, Hz. */
export const MAX_ANALYSIS_RATE_HZ = 8000;
/** Highest accepted input rate, Hz. */
export const MAX_INPUT_RATE_HZ = 768000;
/** Rate that higher-rate recordings are resampled to, Hz. */
export const ANALYSIS_RATE_HZ = 4000;
/** The seed CNN's training rate, Hz (the seed's simulated signals). */
export const CNN_SAMPLE_RATE_HZ = 1000;

/**
 * Check an input rate against the accepted range.
 * @throws RangeError below 500 Hz, above 768 kHz, or for a non-finite / non-positive rate.
 */
export function checkInputRate(sampleRateHz: number): void {
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz > 0)) throw new RangeError(`invalid sample rate: ${sampleRateHz} Hz`);
  if (sampleRateHz < MIN_INPUT_RATE_HZ) {
    throw new RangeError(`sample rate ${sampleRateHz} Hz is too low: heart sounds need at least ${MIN_INPUT_RATE_HZ} Hz`);
  }
  if (sampleRateHz > MAX_INPUT_RATE_HZ) {
    throw new RangeError(`sample rate ${sampleRateHz} Hz is above the supported maximum of ${MAX_INPUT_RATE_HZ} Hz`);
  }
}

/**
 * The rate a recording at `sampleRateHz` is analysed at by the classical detector: itself for
 * 500–8000 Hz, else 4000 Hz.
 * @throws RangeError for a rate outside the accepted range (see {@link checkInputRate}).
 */
export function analysisRateFor(sampleRateHz: number): number {
  checkInputRate(sampleRateHz);
  return sampleRateHz <= MAX_ANALYSIS_RATE_HZ ? sampleRateHz : ANALYSIS_RATE_HZ;
}

/**
 * The rate the signal is handed to a method at. Every method reads the recording at the
 * classical analysis rate (so a file is decoded and resampled once); a method with a rate of its
 * own (the CNN's model rate) resamples from there.
 */
export function methodInputRateHz(_method: Method, inputRateHz: number): number {
  return analysisRateFor(inputRateHz);
}

/** Whether a rate is one the classical detector runs at directly (500–8000 Hz). */
export function isAnalysisRate(sampleRateHz: number): boolean {
  return Number.isFinite(sampleRateHz) && sampleRateHz >= MIN_INPUT_RATE_HZ && sampleRateHz <= MAX_ANALYSIS_RATE_HZ;
}
