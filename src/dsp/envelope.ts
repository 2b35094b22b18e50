/**
 * Amplitude envelopes for beat detection. Browser-safe.
 */
import { butterworth, sosFiltfilt } from './butterworth.js';

/** Options for {@link energyEnvelope}. */
export interface EnvelopeOptions {
  /** Target envelope sample rate in Hz (default 250); the actual rate is fs / round(fs / rateHz). */
  rateHz?: number;
  /** Zero-phase low-pass smoothing cutoff in Hz applied at the envelope rate (default 20). */
  smoothHz?: number;
}

/** An envelope and its sample rate. */
export interface Envelope {
  values: Float32Array;
  /** Envelope sample rate in Hz. */
  sampleRateHz: number;
  /** Decimation factor from the input rate (input samples per envelope sample). */
  factor: number;
}

/**
 * RMS amplitude envelope: the mean of x² over blocks of `factor` input samples (a boxcar
 * anti-alias filter and decimator in one step), smoothed by a zero-phase 2nd-order Butterworth
 * low-pass, then the square root. Units: those of x. Envelope sample k covers input samples
 * [k·factor, (k+1)·factor) and is placed at their centre, time (k + 0.5)·factor / fs seconds.
 * @param x input samples (typically band-passed)
 * @param sampleRateHz input sample rate in Hz
 */
export function energyEnvelope(x: ArrayLike<number>, sampleRateHz: number, options: EnvelopeOptions = {}): Envelope {
  const rateHz = options.rateHz ?? 250;
  const smoothHz = options.smoothHz ?? 20;
  if (!(sampleRateHz > 0)) throw new RangeError(`sampleRateHz must be positive, got ${sampleRateHz}`);
  const factor = Math.max(1, Math.round(sampleRateHz / rateHz));
  const outRate = sampleRateHz / factor;
  const m = Math.floor(x.length / factor);
  const energy = new Float64Array(m);
  for (let k = 0, i = 0; k < m; k++) {
    let acc = 0;
    for (let j = 0; j < factor; j++, i++) {
      const v = x[i]!;
      acc += v * v;
    }
    energy[k] = acc / factor;
  }
  let smooth: Float64Array = energy;
  if (m > 3 && smoothHz > 0 && smoothHz < outRate * 0.45) {
    smooth = sosFiltfilt(energy, butterworth('lowpass', 2, smoothHz, outRate), Math.min(m - 1, Math.ceil((2 * outRate) / smoothHz)));
  }
  const values = new Float32Array(m);
  for (let k = 0; k < m; k++) values[k] = Math.sqrt(Math.max(0, smooth[k]!));
  return { values, sampleRateHz: outRate, factor };
}
