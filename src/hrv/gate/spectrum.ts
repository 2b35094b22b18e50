/**
 * Whole-recording spectral evidence for the gate. Browser-safe.
 *
 * Welch power spectral density (Hann window, 50 % overlap, segments of the power of two nearest
 * to 0.25 s, i.e. ≈ 4 Hz resolution), then three numbers:
 * - `heartBandFraction`: power in 20–200 Hz ÷ power in 20 Hz … min(Nyquist, 2000 Hz). Heart sounds
 *   put most of their energy below 200 Hz (S1/S2 fundamental 20–150 Hz); speech, clicks, alarms,
 *   white noise and music sit mostly above.
 * - `flatness`: geometric ÷ arithmetic mean of the PSD over 20 Hz … min(Nyquist, 2000 Hz)
 *   (Wiener entropy; 1 = white noise, → 0 for tones and for steep low-pass spectra).
 * - `tonalFraction`: share of that power in bins standing more than {@link TONAL_PEAK_RATIO}× above
 *   the median of their ±{@link TONAL_NEIGHBOURHOOD_HZ} Hz neighbourhood (narrow spectral lines:
 *   hum, music, alarms, whistles, voiced speech harmonics). A heart-sound spectrum is smooth.
 */
import { complexArray, fftPlan } from '../../dsp/fft.js';
import { kthSmallest } from '../../core/select.js';

/** A bin is a spectral line when it exceeds its neighbourhood median by this factor. */
export const TONAL_PEAK_RATIO = 10;
/** Half-width of the neighbourhood for the spectral-line test, Hz. */
export const TONAL_NEIGHBOURHOOD_HZ = 40;
/** Upper edge of the band the spectral numbers look at, Hz. */
export const SPECTRUM_TOP_HZ = 2000;

export interface SpectralEvidence {
  heartBandFraction: number;
  flatness: number;
  tonalFraction: number;
  /** Power below 20 Hz ÷ total power (the seed's pulse trains live there). */
  infrasonicFraction: number;
}

/** Welch PSD: `psd[k]` at frequency k·sampleRateHz/nperseg, k = 0..nperseg/2. */
export function welchPsd(x: ArrayLike<number>, sampleRateHz: number): { psd: Float64Array; binHz: number } {
  let nperseg = 1;
  while (nperseg * 2 <= Math.max(16, Math.round(sampleRateHz / 4))) nperseg *= 2;
  if (nperseg > x.length) {
    nperseg = 1;
    while (nperseg * 2 <= x.length) nperseg *= 2;
  }
  nperseg = Math.max(nperseg, 2);
  const hop = nperseg >> 1;
  const plan = fftPlan(nperseg);
  const win = new Float64Array(nperseg);
  for (let i = 0; i < nperseg; i++) win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nperseg);
  const psd = new Float64Array((nperseg >> 1) + 1);
  const frame = new Float64Array(nperseg);
  const spec = complexArray(plan.size);
  let count = 0;
  for (let s = 0; s + nperseg <= x.length; s += hop) {
    let m = 0;
    for (let i = 0; i < nperseg; i++) m += x[s + i]!;
    m /= nperseg;
    for (let i = 0; i < nperseg; i++) frame[i] = (x[s + i]! - m) * win[i]!;
    plan.realTransform(spec, frame);
    for (let k = 0; k < psd.length; k++) psd[k] += spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2;
    count++;
  }
  if (count > 0) for (let k = 0; k < psd.length; k++) psd[k] /= count;
  return { psd, binHz: sampleRateHz / nperseg };
}

/** The spectral evidence of a recording (see the module comment). */
export function spectralEvidence(x: ArrayLike<number>, sampleRateHz: number): SpectralEvidence {
  const { psd, binHz } = welchPsd(x, sampleRateHz);
  const k20 = Math.max(1, Math.ceil(20 / binHz));
  const k200 = Math.floor(200 / binHz);
  const kTop = Math.min(psd.length - 1, Math.floor(SPECTRUM_TOP_HZ / binHz));
  let total = 0;
  let below = 0;
  let band = 0;
  let all = 0;
  let logSum = 0;
  for (let k = 1; k < psd.length; k++) all += psd[k]!;
  for (let k = 1; k < k20; k++) below += psd[k]!;
  for (let k = k20; k <= kTop; k++) {
    total += psd[k]!;
    if (k <= k200) band += psd[k]!;
    logSum += Math.log(psd[k]! + 1e-300);
  }
  const n = kTop - k20 + 1;
  const flatness = total > 0 && n > 0 ? Math.exp(logSum / n) / (total / n) : 0;
  const half = Math.max(2, Math.round(TONAL_NEIGHBOURHOOD_HZ / binHz));
  let tonal = 0;
  // the neighbourhood median: the element a sort puts at index ⌊len/2⌋ (selection on a reused buffer)
  const buf = new Float64Array(2 * half + 1);
  for (let k = k20; k <= kTop; k++) {
    const lo = Math.max(k20, k - half);
    const len = Math.min(kTop, k + half) - lo + 1;
    const nb = buf.subarray(0, len);
    nb.set(psd.subarray(lo, lo + len));
    if (psd[k]! > TONAL_PEAK_RATIO * kthSmallest(nb, len >> 1)) tonal += psd[k]!;
  }
  return {
    heartBandFraction: total > 0 ? band / total : 0,
    flatness,
    tonalFraction: total > 0 ? tonal / total : 0,
    infrasonicFraction: all > 0 ? below / all : 0,
  };
}
