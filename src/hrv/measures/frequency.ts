/**
 * Frequency-domain HRV: the power spectrum of the RR series and its band powers. Browser-safe.
 *
 * Two estimators, both giving a one-sided power spectral density in ms²/Hz:
 *
 * - **Welch** (`method: 'welch'`, the default the flat `vlfMs2`/`lfMs2`/`hfMs2` fields use): the RR
 *   series (ms, placed at the time of the beat that ends each interval) is resampled evenly at
 *   4 Hz by a not-a-knot cubic spline ({@link splineResample}), **linearly detrended** over the
 *   whole series (least-squares line removed, `scipy.signal.detrend(type='linear')`), then
 *   `scipy.signal.welch` semantics: Hann window (periodic) of `min(256 s, whole series)`, 50 %
 *   overlap, each segment's mean removed (`detrend='constant'`), zero-padded to the next power of
 *   two, density scaling, segments averaged by the mean.
 * - **Lomb–Scargle** (`method: 'lomb'`): the classic periodogram of the uneven series (the same
 *   as `scipy.signal.lombscargle(t, y, 2πf)`), after removing the least-squares line of RR
 *   against time; on the grid f = 0.001·k Hz, k = 1..400 (0.001–0.4 Hz). Scaled to a density
 *   by PSD = 2·P·mean(RR in s), which makes the integral over frequency approximate the
 *   variance (Parseval for even sampling, where P_k = |X_k|²/N).
 *
 * Band power = Σ PSD(f)·Δf over the grid frequencies f with lo ≤ f < hi (a rectangle rule: the
 * bands add up exactly). Bands (Task Force 1996): VLF 0.0033–0.04 Hz, LF 0.04–0.15 Hz,
 * HF 0.15–0.4 Hz. Which measures are reported for a given length is decided in `rules.ts`.
 */
import { complexArray, fftPlan, nextPow2 } from '../../dsp/fft.js';
import { getWindow } from '../../dsp/windows.js';
import { splineResample } from './spline.js';

/** Frequency bands, Hz, [lo, hi) (Task Force of the ESC and NASPE, 1996). */
export const HRV_BANDS_HZ = Object.freeze({
  vlf: Object.freeze([0.0033, 0.04] as const),
  lf: Object.freeze([0.04, 0.15] as const),
  hf: Object.freeze([0.15, 0.4] as const),
});

/** Spectral settings (frozen defaults). */
export interface FrequencyOptions {
  /** Even resampling rate for Welch, Hz (default 4). */
  resampleRateHz: number;
  /** Welch segment length, s (default 256; the whole series when shorter). */
  welchSegmentS: number;
  /** Welch overlap as a fraction of the segment (default 0.4, the top of HF). */
  welchOverlap: number;
  /** Lomb–Scargle grid step, Hz (default 0.001). */
  lombStepHz: number;
  /** Highest Lomb–Scargle grid frequency, Hz (default 0.4, the top of HF). */
  lombMaxHz: number;
}

export const FREQUENCY_DEFAULTS: Readonly<FrequencyOptions> = Object.freeze({
  resampleRateHz: 4,
  welchSegmentS: 256,
  welchOverlap: 0.5,
  lombStepHz: 0.001,
  lombMaxHz: 0.4,
});

/** A one-sided power spectral density of the RR series. */
export interface RrSpectrum {
  method: 'welch' | 'lomb';
  /** Grid frequencies, Hz (shape [nFreq]). */
  frequencyHz: Float64Array;
  /** PSD, ms²/Hz (shape [nFreq]). */
  psdMs2PerHz: Float64Array;
  /** Grid step, Hz. */
  stepHz: number;
}

/** Band powers (ms²) and peak frequencies (Hz) of a spectrum. */
export interface BandPowers {
  vlfMs2: number;
  lfMs2: number;
  hfMs2: number;
  lfPeakHz: number | null;
  hfPeakHz: number | null;
}

/** Remove the least-squares line of y against t (t default 0..n−1), in a new array. */
export function detrendLinear(y: ArrayLike<number>, t?: ArrayLike<number>): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let mt = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mt += t ? t[i]! : i;
    my += y[i]!;
  }
  mt /= n;
  my /= n;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    const dt = (t ? t[i]! : i) - mt;
    stt += dt * dt;
    sty += dt * (y[i]! - my);
  }
  const slope = stt > 0 ? sty / stt : 0;
  for (let i = 0; i < n; i++) out[i] = y[i]! - my - slope * ((t ? t[i]! : i) - mt);
  return out;
}

/**
 * Welch PSD with `scipy.signal.welch` semantics (window 'hann' periodic, detrend 'constant',
 * density scaling, one-sided, mean average, no boundary padding).
 * @param x signal (shape [n])
 * @param rateHz sampling rate
 * @param nperseg segment length (≤ n)
 * @param noverlap overlap in samples (< nperseg)
 * @param nfft FFT size, a power of two ≥ nperseg
 */
export function welch(x: ArrayLike<number>, rateHz: number, nperseg: number, noverlap: number, nfft: number): { frequencyHz: Float64Array; psd: Float64Array } {
  const n = x.length;
  if (!(nperseg >= 2 && nperseg <= n)) throw new RangeError(`welch: nperseg must be 2..${n}, got ${nperseg}`);
  if (!(noverlap >= 0 && noverlap < nperseg)) throw new RangeError(`welch: noverlap must be 0..${nperseg - 1}, got ${noverlap}`);
  if (nfft < nperseg || nfft !== nextPow2(nfft)) throw new RangeError(`welch: nfft must be a power of two ≥ nperseg, got ${nfft}`);
  const win = getWindow('hann', nperseg);
  let winSq = 0;
  for (let i = 0; i < nperseg; i++) winSq += win[i]! * win[i]!;
  const step = nperseg - noverlap;
  const nSeg = Math.floor((n - noverlap) / step);
  const nFreq = (nfft >> 1) + 1;
  const psd = new Float64Array(nFreq);
  const plan = fftPlan(nfft);
  const buf = new Float64Array(nfft);
  const spec = complexArray(plan.size);
  for (let s = 0; s < nSeg; s++) {
    const off = s * step;
    let m = 0;
    for (let i = 0; i < nperseg; i++) m += x[off + i]!;
    m /= nperseg;
    for (let i = 0; i < nperseg; i++) buf[i] = (x[off + i]! - m) * win[i]!;
    plan.realTransform(spec, buf);
    for (let k = 0; k < nFreq; k++) psd[k] += spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2;
  }
  const scale = 1 / (rateHz * winSq * nSeg);
  for (let k = 0; k < nFreq; k++) {
    const oneSided = k === 0 || (nfft % 2 === 0 && k === nFreq - 1) ? 1 : 2;
    psd[k] *= scale * oneSided;
  }
  const frequencyHz = new Float64Array(nFreq);
  for (let k = 0; k < nFreq; k++) frequencyHz[k] = (k * rateHz) / nfft;
  return { frequencyHz, psd };
}

/**
 * The classic (unnormalised) Lomb–Scargle periodogram, as `scipy.signal.lombscargle(t, y, ω)`
 * with default arguments: P(ω) = ½[(Σ y cos ω(t−τ))² / Σ cos² ω(t−τ) + (Σ y sin ω(t−τ))² / Σ sin² ω(t−τ)],
 * tan 2ωτ = Σ sin 2ωt / Σ cos 2ωt. The frequencies must be an even grid ω_k = ω_0 + k·Δω (angular,
 * rad/s): cosines and sines are advanced by rotation, so the cost is O(n·nFreq) multiplications
 * with O(n) trigonometric calls.
 */
export function lombScargle(t: ArrayLike<number>, y: ArrayLike<number>, omega0: number, dOmega: number, nFreq: number): Float64Array {
  const n = t.length;
  // per-frequency sums, interleaved for locality: Σ y cos ωt, Σ y sin ωt, Σ cos 2ωt, Σ sin 2ωt
  const acc = new Float64Array(4 * nFreq);
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    const yi = y[i]!;
    let c = Math.cos(omega0 * ti);
    let s = Math.sin(omega0 * ti);
    const dc = Math.cos(dOmega * ti);
    const ds = Math.sin(dOmega * ti);
    for (let k = 0; k < nFreq; k++) {
      // re-seed the rotation every 64 steps against rounding drift
      if (k > 0 && (k & 63) === 0) {
        const w = omega0 + k * dOmega;
        c = Math.cos(w * ti);
        s = Math.sin(w * ti);
      }
      const a = 4 * k;
      acc[a] += yi * c;
      acc[a + 1] += yi * s;
      acc[a + 2] += c * c - s * s;
      acc[a + 3] += 2 * s * c;
      const cn = c * dc - s * ds;
      s = s * dc + c * ds;
      c = cn;
    }
  }
  const yc = (k: number): number => acc[4 * k]!;
  const ys = (k: number): number => acc[4 * k + 1]!;
  const c2 = (k: number): number => acc[4 * k + 2]!;
  const s2 = (k: number): number => acc[4 * k + 3]!;
  const p = new Float64Array(nFreq);
  for (let k = 0; k < nFreq; k++) {
    // rotate by τ: cos 2ωτ, sin 2ωτ from Σ sin 2ωt, Σ cos 2ωt
    const r = Math.hypot(c2(k), s2(k));
    const cos2 = r > 0 ? c2(k) / r : 1;
    const sin2 = r > 0 ? s2(k) / r : 0;
    const cosT = Math.sqrt((1 + cos2) / 2);
    const sinT = (sin2 >= 0 ? 1 : -1) * Math.sqrt(Math.max(0, (1 - cos2) / 2));
    // Σ y cos ω(t−τ) = cosωτ·Σy cos ωt + sinωτ·Σ y sin ωt; similarly for sin
    const ycT = cosT * yc(k) + sinT * ys(k);
    const ysT = cosT * ys(k) - sinT * yc(k);
    // Σ cos² ω(t−τ) = (n + Σ cos 2ω(t−τ))/2 and Σ cos 2ω(t−τ) = r (the rotation aligns it)
    const cc = (n + r) / 2;
    const ss = (n - r) / 2;
    p[k] = 0.5 * ((cc > 0 ? (ycT * ycT) / cc : 0) + (ss > 0 ? (ysT * ysT) / ss : 0));
  }
  return p;
}

/**
 * Welch spectrum of RR intervals (see the module comment).
 * @param rrMs intervals, ms (shape [n])
 * @param tS time of each interval's end beat, s, strictly increasing (shape [n])
 */
export function welchRrSpectrum(rrMs: ArrayLike<number>, tS: ArrayLike<number>, options: Partial<FrequencyOptions> = {}): RrSpectrum {
  const o = { ...FREQUENCY_DEFAULTS, ...options };
  const even = detrendLinear(splineResample(tS, rrMs, o.resampleRateHz));
  const nperseg = Math.min(even.length, Math.round(o.welchSegmentS * o.resampleRateHz));
  const noverlap = Math.floor(nperseg * o.welchOverlap);
  const { frequencyHz, psd } = welch(even, o.resampleRateHz, nperseg, noverlap, nextPow2(nperseg));
  return { method: 'welch', frequencyHz, psdMs2PerHz: psd, stepHz: frequencyHz[1]! - frequencyHz[0]! };
}

/** Lomb–Scargle spectrum of RR intervals (see the module comment); arguments as {@link welchRrSpectrum}. */
export function lombRrSpectrum(rrMs: ArrayLike<number>, tS: ArrayLike<number>, options: Partial<FrequencyOptions> = {}): RrSpectrum {
  const o = { ...FREQUENCY_DEFAULTS, ...options };
  const y = detrendLinear(rrMs, tS);
  const nFreq = Math.floor(o.lombMaxHz / o.lombStepHz + 1e-9);
  const omegaStep = 2 * Math.PI * o.lombStepHz;
  // times relative to the first beat keep the rotation seeds accurate
  const t0 = tS[0]!;
  const t = Float64Array.from({ length: tS.length }, (_, i) => tS[i]! - t0);
  const p = lombScargle(t, y, omegaStep, omegaStep, nFreq);
  let meanRrS = 0;
  for (let i = 0; i < rrMs.length; i++) meanRrS += rrMs[i]!;
  meanRrS /= rrMs.length * 1000;
  const frequencyHz = new Float64Array(nFreq);
  const psd = new Float64Array(nFreq);
  for (let k = 0; k < nFreq; k++) {
    frequencyHz[k] = (k + 1) * o.lombStepHz;
    psd[k] = 2 * p[k]! * meanRrS;
  }
  return { method: 'lomb', frequencyHz, psdMs2PerHz: psd, stepHz: o.lombStepHz };
}

/** Power in [lo, hi) Hz and the frequency of the largest PSD value there. */
function band(spec: RrSpectrum, lo: number, hi: number): { power: number; peakHz: number | null } {
  let power = 0;
  let peak = -1;
  let peakHz: number | null = null;
  const { frequencyHz: f, psdMs2PerHz: p } = spec;
  for (let k = 0; k < f.length; k++) {
    if (f[k]! >= lo && f[k]! < hi) {
      power += p[k]!;
      if (p[k]! > peak) {
        peak = p[k]!;
        peakHz = f[k]!;
      }
    }
  }
  return { power: power * spec.stepHz, peakHz };
}

/** VLF, LF, HF power (ms²) and LF/HF peak frequencies of a spectrum (bands {@link HRV_BANDS_HZ}). */
export function bandPowers(spec: RrSpectrum): BandPowers {
  const vlf = band(spec, ...HRV_BANDS_HZ.vlf);
  const lf = band(spec, ...HRV_BANDS_HZ.lf);
  const hf = band(spec, ...HRV_BANDS_HZ.hf);
  return { vlfMs2: vlf.power, lfMs2: lf.power, hfMs2: hf.power, lfPeakHz: lf.peakHz, hfPeakHz: hf.peakHz };
}
