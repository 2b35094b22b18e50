/**
 * The `plot` figure for a real recording: waveform with envelope and detected (and annotated)
 * beats, its spectrogram in dB, and the RR tachogram, stacked in one chart. Browser-safe
 * (returns a spec; rendering and writing are in index.ts).
 */
import { spectrogram } from '../dsp/spectrogram.js';
import { nextPow2 } from '../dsp/fft.js';
import type { ZlibDeflate } from './png.js';
import type { VlSpec } from './theme.js';
import { recordingChart, tachogramChart, type RecordingChartInput } from './charts/recording.js';
import { spectrogramChart } from './charts/spectrogram.js';
import { hrvFigurePanels } from './hrvFigure.js';

/** Input of {@link recordingFigure}. */
export interface RecordingFigureInput extends RecordingChartInput {
  /** Include the spectrogram panel (default true). */
  spectrogram?: boolean;
  /** Highest frequency shown in the spectrogram, Hz (default min(Nyquist, 1000)). */
  maxFreqHz?: number;
  /** Largest number of spectrogram time columns (default 1200). */
  maxColumns?: number;
  deflate?: ZlibDeflate;
  /** RR intervals (s) and their end times for the Poincaré plot and the RR spectrum (omitted when absent). */
  hrv?: { rrS: readonly number[]; rrEndTimesS?: readonly number[] };
}

/**
 * Spectrogram settings for a recording of `nSamples` at `sampleRateHz`: ~64 ms windows
 * (power of two, 64…8192 samples), half overlap, hop widened so there are at most
 * `maxColumns` time columns.
 */
export function recordingSpectrogramSettings(nSamples: number, sampleRateHz: number, maxColumns = 1200): { nperseg: number; noverlap: number; nfft: number } {
  let nperseg = Math.min(8192, Math.max(64, nextPow2(Math.round(0.064 * sampleRateHz))));
  nperseg = Math.min(nperseg, nSamples);
  let hop = Math.max(Math.floor(nperseg / 2), Math.ceil(nSamples / maxColumns));
  if (hop > nperseg) nperseg = Math.min(nSamples, hop);
  hop = Math.min(hop, nperseg);
  const noverlap = Math.max(0, Math.min(nperseg - 1, nperseg - hop));
  return { nperseg, noverlap, nfft: nextPow2(nperseg) };
}

/** Vega-lite spec (without config) of the recording figure. */
export function recordingFigure(input: RecordingFigureInput): VlSpec {
  const { samples, sampleRateHz } = input;
  if (!(sampleRateHz > 0)) throw new RangeError(`sampleRateHz must be > 0, got ${sampleRateHz}`);
  if (samples.length < 2) throw new RangeError('the recording needs at least 2 samples to plot');
  const durationS = samples.length / sampleRateHz;
  const width = input.widthPx ?? 900;
  const panels: VlSpec[] = [recordingChart({ ...input, widthPx: width })];
  if (input.spectrogram !== false && samples.length >= 64) {
    const settings = recordingSpectrogramSettings(samples.length, sampleRateHz, input.maxColumns);
    const sp = spectrogram(samples, { sampleRateHz, ...settings, window: 'hann' });
    panels.push(
      spectrogramChart({
        ...sp,
        maxFreqHz: input.maxFreqHz ?? Math.min(sampleRateHz / 2, 1000),
        dynamicRangeDb: 80,
        title: `Spectrogram (Hann window ${settings.nperseg} samples = ${((settings.nperseg / sampleRateHz) * 1000).toFixed(0)} ms)`,
        widthPx: width,
        heightPx: 220,
        deflate: input.deflate,
      }),
    );
  }
  panels.push(tachogramChart({ detectedBeatsS: input.detectedBeatsS ?? [], annotatedBeatsS: input.annotatedBeatsS, annotatedSpansS: input.annotatedSpansS, durationS, widthPx: width }));
  if (input.hrv && input.hrv.rrS.length >= 2) panels.push(...hrvFigurePanels(input.hrv.rrS, input.hrv.rrEndTimesS));
  return { vconcat: panels, resolve: { scale: { color: 'independent' } } };
}
