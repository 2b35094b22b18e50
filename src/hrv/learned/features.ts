/**
 * Front end of the learned segmenter (browser-safe): audio → per-frame features at a fixed frame
 * rate, each normalised per recording. Everything that shapes the features is in
 * {@link SegmenterFrontEnd}, which the model bundle records, so loading rebuilds exactly this
 * front end.
 *
 * Frame k covers analysis samples [k·hop, (k+1)·hop) (hop = analysis rate / frame rate), i.e.
 * times [k/frameRate, (k+1)/frameRate); the 50 Hz grid matches the CirCor annotation grid.
 */
import { resample } from '../../dsp/resample.js';
import { bandpassFiltfilt, bandpassFiltfiltPair, butterworth, sosFiltfilt } from '../../dsp/butterworth.js';
import { complexArray, fftPlan, nextPow2 } from '../../dsp/fft.js';
import type { SegmenterFrontEnd } from '../../model/segmenterBundle.js';

/** Settings of the front end (declared in the model layer's segmenterBundle.ts, recorded in bundle.json). */
export type { SegmenterFrontEnd } from '../../model/segmenterBundle.js';

/** Default front end (frozen). */
export const SEGMENTER_FRONT_END_DEFAULTS: Readonly<SegmenterFrontEnd> = Object.freeze({
  kind: 'segmenter-features' as const,
  sampleRateHz: 1000,
  frameRateHz: 50,
  bandHz: [25, 400] as [number, number],
  subBandsHz: [
    [25, 45],
    [45, 80],
    [80, 150],
    [150, 250],
    [250, 400],
  ] as Array<[number, number]>,
  homomorphicHz: 8,
  refineEnvelopeHz: 40,
  standardisation: 'per-recording-z' as const,
  features: ['homomorphic', 'log-homomorphic', 'log-hilbert', 'log-band-25-45', 'log-band-45-80', 'log-band-80-150', 'log-band-150-250', 'log-band-250-400'],
});

/** Features of one recording. */
export interface SegmenterFeatures {
  /** nFrames × nFeatures, row-major, each column z-scored over the recording. */
  values: Float32Array;
  nFrames: number;
  nFeatures: number;
  frameRateHz: number;
  /** Smoothed Hilbert envelope of the band-passed audio at the analysis rate (beat refinement). */
  envelope: Float32Array;
  /** Rate of {@link envelope}, Hz. */
  envelopeRateHz: number;
}

/** Hilbert envelope |x + i·H{x}| via the FFT (x real). */
export function hilbertEnvelope(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const size = Math.max(2, nextPow2(n));
  const plan = fftPlan(size);
  const input = new Float64Array(size);
  for (let i = 0; i < n; i++) input[i] = x[i]!;
  const spec = complexArray(plan.size);
  plan.realTransform(spec, input);
  plan.completeSpectrum(spec);
  // analytic signal: keep DC and Nyquist, double positive frequencies, zero negative ones
  for (let k = 1; k < size / 2; k++) {
    spec[2 * k] = spec[2 * k]! * 2;
    spec[2 * k + 1] = spec[2 * k + 1]! * 2;
  }
  for (let k = size / 2 + 1; k < size; k++) {
    spec[2 * k] = 0;
    spec[2 * k + 1] = 0;
  }
  const analytic = complexArray(plan.size);
  plan.inverseTransform(analytic, spec);
  // |a| as sqrt(re² + im²) (Math.hypot guards against overflow, which these magnitudes never reach, at several times the cost)
  for (let i = 0; i < n; i++) {
    const re = analytic[2 * i]!;
    const im = analytic[2 * i + 1]!;
    out[i] = Math.sqrt(re * re + im * im);
  }
  return out;
}

function lowpass(x: Float64Array, cutoffHz: number, rateHz: number): Float64Array {
  return sosFiltfilt(x, butterworth('lowpass', 2, cutoffHz, rateHz), Math.min(x.length - 1, Math.ceil((3 * rateHz) / cutoffHz)));
}

/** Mean of x over each frame of `hop` samples. */
function frameMean(x: ArrayLike<number>, hop: number, nFrames: number): Float64Array {
  const out = new Float64Array(nFrames);
  for (let k = 0, i = 0; k < nFrames; k++) {
    let acc = 0;
    for (let j = 0; j < hop; j++, i++) acc += x[i]!;
    out[k] = acc / hop;
  }
  return out;
}

function zscoreInto(col: Float64Array, dst: Float32Array, c: number, nFeatures: number): void {
  const n = col.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += col[i]!;
  mean /= n || 1;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (col[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n || 1)) || 1;
  for (let i = 0; i < n; i++) dst[i * nFeatures + c] = (col[i]! - mean) / sd;
}

/**
 * Per-frame features of a recording.
 * @param samples mono audio
 * @param sampleRateHz its rate, Hz
 * @param frontEnd front-end settings (default {@link SEGMENTER_FRONT_END_DEFAULTS})
 */
export function segmenterFeatures(
  samples: ArrayLike<number>,
  sampleRateHz: number,
  frontEnd: Readonly<SegmenterFrontEnd> = SEGMENTER_FRONT_END_DEFAULTS,
): SegmenterFeatures {
  const fs = frontEnd.sampleRateHz;
  const hop = Math.round(fs / frontEnd.frameRateHz);
  if (Math.abs(hop * frontEnd.frameRateHz - fs) > 1e-9) throw new RangeError('frontEnd.sampleRateHz must be a multiple of frontEnd.frameRateHz');
  const x = sampleRateHz === fs ? samples : resample(samples, sampleRateHz, fs);
  const nFrames = Math.floor(x.length / hop);
  const nFeatures = 3 + frontEnd.subBandsHz.length;
  const values = new Float32Array(nFrames * nFeatures);
  if (nFrames === 0) return { values, nFrames, nFeatures, frameRateHz: frontEnd.frameRateHz, envelope: new Float32Array(0), envelopeRateHz: fs };
  const band = bandpassFiltfilt(x, fs, frontEnd.bandHz[0], frontEnd.bandHz[1]);
  // robust amplitude scale so that log floors are relative to the recording
  let scale = 0;
  for (let i = 0; i < band.length; i++) scale += band[i]! * band[i]!;
  scale = Math.sqrt(scale / band.length) || 1;
  const eps = 1e-4;
  const hil = hilbertEnvelope(band);
  for (let i = 0; i < hil.length; i++) hil[i] = hil[i]! / scale;
  const logHil = new Float64Array(hil.length);
  for (let i = 0; i < hil.length; i++) logHil[i] = Math.log(hil[i]! + eps);
  const homLog = lowpass(logHil, frontEnd.homomorphicHz, fs);
  const hom = new Float64Array(homLog.length);
  for (let i = 0; i < hom.length; i++) hom[i] = Math.exp(homLog[i]!);
  zscoreInto(frameMean(hom, hop, nFrames), values, 0, nFeatures);
  zscoreInto(frameMean(homLog, hop, nFrames), values, 1, nFeatures);
  const hilFrames = frameMean(hil, hop, nFrames);
  for (let k = 0; k < nFrames; k++) hilFrames[k] = Math.log(hilFrames[k]! + eps);
  zscoreInto(hilFrames, values, 2, nFeatures);
  const subBand = (y: Float64Array, b: number) => {
    for (let i = 0; i < y.length; i++) y[i] = (y[i]! / scale) ** 2;
    const e = frameMean(y, hop, nFrames);
    for (let k = 0; k < nFrames; k++) e[k] = 0.5 * Math.log(e[k]! + eps * eps);
    zscoreInto(e, values, 3 + b, nFeatures);
  };
  // two sub-bands per pass (the two lanes of a SIMD biquad cascade; the same numbers as one at a time)
  const bands = frontEnd.subBandsHz;
  let b = 0;
  for (; b + 1 < bands.length; b += 2) {
    const [ya, yb] = bandpassFiltfiltPair(band, fs, bands[b]!, bands[b + 1]!);
    subBand(ya, b);
    subBand(yb, b + 1);
  }
  if (b < bands.length) subBand(bandpassFiltfilt(band, fs, bands[b]![0], bands[b]![1]), b);
  const env = lowpass(hil, frontEnd.refineEnvelopeHz, fs);
  return { values, nFrames, nFeatures, frameRateHz: frontEnd.frameRateHz, envelope: Float32Array.from(env), envelopeRateHz: fs };
}
