/**
 * Short-time power spectrum with `scipy.signal.spectrogram` semantics (mode 'psd',
 * `return_onesided=True`, no boundary padding). Defaults are the seed notebook's:
 * nperseg 256, noverlap 128, nfft 256, periodic Tukey(0.25) window, constant (mean) detrend per
 * segment, density scaling `1 / (fs · Σw²)`, one-sided doubling of every bin but DC (and
 * Nyquist for even nfft) → 129 × 38 for 5000 samples at 1000 Hz. Browser-safe.
 */
import { pow2Fft } from './complexFft.js';
import { getWindow, type WindowName } from './windows.js';

/** Options of {@link spectrogram}; every field is optional. */
export interface SpectrogramOptions {
  /** Sampling rate, Hz (> 0). Default 1000. */
  sampleRateHz?: number;
  /** Segment length, samples (integer ≥ 1). Default 256; shortened to the signal length if longer (as scipy). */
  nperseg?: number;
  /** Overlap between segments, samples (0 ≤ noverlap < nperseg). Default floor(nperseg / 2) = 128. */
  noverlap?: number;
  /** FFT length (≥ nperseg; segments are zero-padded). Default nperseg = 256. */
  nfft?: number;
  /** Window name or explicit window of nperseg points. Default 'tukey'. */
  window?: WindowName | Float64Array;
  /** Tukey taper fraction in [0, 1]. Default 0.25. */
  tukeyAlpha?: number;
  /** Per-segment detrend. Default 'constant' (subtract the mean). */
  detrend?: 'constant' | 'linear' | false;
  /** 'density' (V²/Hz, default) or 'spectrum' (V²). */
  scaling?: 'density' | 'spectrum';
}

/** Resolved options (what was actually used). */
export interface ResolvedSpectrogramOptions {
  sampleRateHz: number;
  nperseg: number;
  noverlap: number;
  nfft: number;
  window: WindowName | 'custom';
  tukeyAlpha: number;
  detrend: 'constant' | 'linear' | false;
  scaling: 'density' | 'spectrum';
}

/** A spectrogram: `sxx[f * nTime + t]` is the power at frequency `freqsHz[f]`, time `timesS[t]`. */
export interface SpectrogramResult {
  /** Row-major [nFreq][nTime] power values. */
  sxx: Float64Array;
  nFreq: number;
  nTime: number;
  /** Bin frequencies, Hz: k · fs / nfft. */
  freqsHz: Float64Array;
  /** Segment centres, s. */
  timesS: Float64Array;
}

/** A precomputed spectrogram for signals of one length; reuse it for many signals. */
export interface SpectrogramPlan {
  nSamples: number;
  nFreq: number;
  nTime: number;
  freqsHz: Float64Array;
  timesS: Float64Array;
  options: ResolvedSpectrogramOptions;
  /**
   * Compute the spectrogram of `x` (length nSamples) into `out` (default a new Float64Array of
   * nFreq·nTime) starting at `offset`, row-major [nFreq][nTime]. Returns `out`.
   */
  compute<T extends Float32Array | Float64Array = Float64Array>(x: ArrayLike<number>, out?: T, offset?: number): T;
}

/**
 * Plan a spectrogram for signals of `nSamples` samples. Throws RangeError on invalid options
 * (non-integer or out-of-range sizes, nfft < nperseg, noverlap ≥ nperseg, window length ≠ nperseg).
 */
export function createSpectrogramPlan(nSamples: number, opts: SpectrogramOptions = {}): SpectrogramPlan {
  if (!Number.isInteger(nSamples) || nSamples < 1) throw new RangeError(`signal length must be an integer ≥ 1, got ${nSamples}`);
  const fs = opts.sampleRateHz ?? 1000;
  if (!(Number.isFinite(fs) && fs > 0)) throw new RangeError(`sampleRateHz must be a finite number > 0, got ${fs}`);
  let nperseg = opts.nperseg ?? 256;
  if (!Number.isInteger(nperseg) || nperseg < 1) throw new RangeError(`nperseg must be an integer ≥ 1, got ${nperseg}`);
  if (nperseg > nSamples) nperseg = nSamples; // scipy warns and shortens
  const noverlap = opts.noverlap ?? Math.floor(nperseg / 2);
  if (!Number.isInteger(noverlap) || noverlap < 0 || noverlap >= nperseg) {
    throw new RangeError(`noverlap must be an integer in [0, nperseg = ${nperseg}), got ${noverlap}`);
  }
  const nfft = opts.nfft ?? nperseg;
  if (!Number.isInteger(nfft) || nfft < nperseg) throw new RangeError(`nfft must be an integer ≥ nperseg (${nperseg}), got ${nfft}`);
  const tukeyAlpha = opts.tukeyAlpha ?? 0.25;
  const windowOpt = opts.window ?? 'tukey';
  let win: Float64Array;
  if (windowOpt instanceof Float64Array) {
    if (windowOpt.length !== nperseg) throw new RangeError(`window has ${windowOpt.length} points, expected nperseg = ${nperseg}`);
    win = windowOpt;
  } else {
    win = getWindow(windowOpt, nperseg, { tukeyAlpha });
  }
  const detrend = opts.detrend ?? 'constant';
  if (detrend !== 'constant' && detrend !== 'linear' && detrend !== false) {
    throw new RangeError(`detrend must be 'constant', 'linear' or false, got ${String(detrend)}`);
  }
  const scaling = opts.scaling ?? 'density';
  let scale: number;
  if (scaling === 'density') {
    let s2 = 0;
    for (let i = 0; i < nperseg; i++) s2 += win[i] * win[i];
    scale = 1 / (fs * s2);
  } else if (scaling === 'spectrum') {
    let s = 0;
    for (let i = 0; i < nperseg; i++) s += win[i];
    scale = 1 / (s * s);
  } else {
    throw new RangeError(`scaling must be 'density' or 'spectrum', got ${String(scaling)}`);
  }

  const step = nperseg - noverlap;
  const nTime = Math.floor((nSamples - noverlap) / step);
  const nFreq = Math.floor(nfft / 2) + 1;
  const freqsHz = new Float64Array(nFreq);
  const df = 1 / (nfft * (1 / fs));
  for (let k = 0; k < nFreq; k++) freqsHz[k] = k * df;
  const timesS = new Float64Array(nTime);
  for (let t = 0; t < nTime; t++) timesS[t] = (nperseg / 2 + t * step) / fs;

  // Per-bin factor: scale, doubled for all bins but DC and (even nfft) Nyquist.
  const binScale = new Float64Array(nFreq);
  for (let k = 0; k < nFreq; k++) {
    const doubled = k > 0 && !(nfft % 2 === 0 && k === nFreq - 1);
    binScale[k] = doubled ? 2 * scale : scale;
  }

  const usePow2 = nfft >= 4 && (nfft & (nfft - 1)) === 0;
  const input = new Float64Array(nfft);
  const power = new Float64Array(nFreq);
  const dft = usePow2 ? null : dftTables(nfft, nFreq);
  const fft = usePow2 ? pow2Fft(nfft) : null;
  const perm = fft ? fft.permutation : new Int32Array(0);
  // linear-detrend helpers: centred time index
  const tMean = (nperseg - 1) / 2;
  let tVar = 0;
  for (let j = 0; j < nperseg; j++) tVar += (j - tMean) * (j - tMean);

  const options: ResolvedSpectrogramOptions = {
    sampleRateHz: fs,
    nperseg,
    noverlap,
    nfft,
    window: windowOpt instanceof Float64Array ? 'custom' : windowOpt,
    tukeyAlpha,
    detrend,
    scaling,
  };

  // interleaved complex FFT buffer (bit-reversed order), FFT scratch, linear-detrend scratch
  const packed = new Float64Array(2 * nfft);
  const work = new Float64Array(2 * nfft);
  const pairBuf = detrend === 'linear' ? new Float64Array(2 * nperseg) : new Float64Array(0);
  const ones = detrend === 'linear' ? new Float64Array(nperseg).fill(1) : new Float64Array(0);
  // constant detrend: segments of whole `step`-sample blocks share the blocks' sums
  const blocksPerSegment = nperseg % step === 0 ? nperseg / step : 0;
  const blockSums = new Float64Array(blocksPerSegment > 0 ? nTime - 1 + blocksPerSegment : 0);
  let xBuf = new Float64Array(0);

  /**
   * Detrend and window segment `t` of `x` into `dst[offset + stride·j]`, j < nperseg (stride 2
   * writes the real or imaginary lane of an interleaved complex buffer).
   */
  function prepareSegment(x: Float64Array, t: number, dst: Float64Array, offset: number, stride: number): void {
    const start = t * step;
    let mean = 0;
    let slope = 0;
    if (detrend !== false) {
      for (let j = 0; j < nperseg; j++) mean += x[start + j];
      mean /= nperseg;
      if (detrend === 'linear' && tVar > 0) {
        for (let j = 0; j < nperseg; j++) slope += (j - tMean) * (x[start + j] - mean);
        slope /= tVar;
      }
    }
    if (detrend === 'linear') {
      for (let j = 0; j < nperseg; j++) dst[offset + stride * j] = (x[start + j] - mean - slope * (j - tMean)) * win[j];
    } else {
      for (let j = 0, d = offset; j < nperseg; j++, d += stride) dst[d] = (x[start + j] - mean) * win[j];
    }
  }

  function compute<T extends Float32Array | Float64Array = Float64Array>(xIn: ArrayLike<number>, out?: T, offset = 0): T {
    if (xIn.length !== nSamples) throw new RangeError(`signal has ${xIn.length} samples, the plan expects ${nSamples}`);
    const dest = (out ?? new Float64Array(nFreq * nTime)) as T;
    if (offset + nFreq * nTime > dest.length) throw new RangeError('output buffer too small for the spectrogram');
    // one monomorphic Float64Array view of the input keeps the inner loops fast
    let x: Float64Array;
    if (xIn instanceof Float64Array) {
      x = xIn;
    } else {
      if (xBuf.length !== nSamples) xBuf = new Float64Array(nSamples);
      for (let i = 0; i < nSamples; i++) xBuf[i] = xIn[i];
      x = xBuf;
    }
    // powers are computed in float64 and stored straight into the destination (float32 or float64)
    const res: Float32Array | Float64Array = dest;
    const base = offset;
    let t = 0;
    if (fft && detrend === 'constant' && blocksPerSegment > 0) {
      // segment sums from sums of `step`-sample blocks (each block is shared by several segments)
      const nBlocks = nTime - 1 + blocksPerSegment;
      for (let b = 0; b < nBlocks; b++) blockSums[b] = blockSum(x, b * step, step);
    }
    if (fft) {
      // Two real segments per complex FFT: Z = FFT(a + i·b), A[k] = (Z[k] + conj Z[−k]) / 2,
      // B[k] = (Z[k] − conj Z[−k]) / 2i.
      for (; t + 1 < nTime; t += 2) {
        if (detrend === 'linear') {
          // detrended, windowed segments side by side in pairBuf, then a unit window
          prepareSegment(x, t, pairBuf, 0, 1);
          prepareSegment(x, t + 1, pairBuf, nperseg, 1);
          fft.windowedPairPower(pairBuf, 0, 0, nperseg, 0, ones, nperseg, binScale, res, base + t, nTime, work);
        } else {
          const startA = t * step;
          const startB = startA + step;
          let meanA = 0;
          let meanB = 0;
          if (detrend === 'constant') {
            if (blocksPerSegment > 0) {
              let sumA = 0;
              let sumB = 0;
              for (let b = t; b < t + blocksPerSegment; b++) {
                sumA += blockSums[b];
                sumB += blockSums[b + 1];
              }
              meanA = sumA / nperseg;
              meanB = sumB / nperseg;
            } else {
              meanA = blockSum(x, startA, nperseg) / nperseg;
              meanB = blockSum(x, startB, nperseg) / nperseg;
            }
          }
          fft.windowedPairPower(x, startA, meanA, startB, meanB, win, nperseg, binScale, res, base + t, nTime, work);
        }
      }
    }
    for (; t < nTime; t++) {
      prepareSegment(x, t, input, 0, 1);
      if (fft) {
        for (let j = 0; j < nfft; j++) {
          const p = 2 * perm[j];
          packed[p] = input[j];
          packed[p + 1] = 0;
        }
        fft.transformPermuted(packed);
        for (let k = 0; k < nFreq; k++) {
          const re = packed[2 * k];
          const im = packed[2 * k + 1];
          power[k] = re * re + im * im;
        }
      } else {
        naiveRealDft(input, nperseg, dft!, nFreq, nfft, power);
      }
      for (let k = 0; k < nFreq; k++) res[base + k * nTime + t] = power[k] * binScale[k];
    }
    return dest;
  }

  return { nSamples, nFreq, nTime, freqsHz, timesS, options, compute };
}

/**
 * Sum of x[start … start+n), with four partial sums (the loop is otherwise bound by the
 * latency of one chain of additions).
 */
function blockSum(x: Float64Array, start: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = start + n;
  let i = start;
  for (; i + 3 < end; i += 4) {
    s0 += x[i];
    s1 += x[i + 1];
    s2 += x[i + 2];
    s3 += x[i + 3];
  }
  for (; i < end; i++) s0 += x[i];
  return s0 + s1 + (s2 + s3);
}

function dftTables(nfft: number, nFreq: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(nfft);
  const sin = new Float64Array(nfft);
  for (let i = 0; i < nfft; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / nfft);
    sin[i] = Math.sin((2 * Math.PI * i) / nfft);
  }
  void nFreq;
  return { cos, sin };
}

/** O(nperseg·nFreq) real DFT power for non-power-of-two nfft (input is zero beyond `len`). */
function naiveRealDft(
  input: Float64Array,
  len: number,
  t: { cos: Float64Array; sin: Float64Array },
  nFreq: number,
  nfft: number,
  power: Float64Array,
): void {
  for (let k = 0; k < nFreq; k++) {
    let re = 0;
    let im = 0;
    let idx = 0;
    for (let j = 0; j < len; j++) {
      re += input[j] * t.cos[idx];
      im -= input[j] * t.sin[idx];
      idx += k;
      if (idx >= nfft) idx -= nfft;
    }
    power[k] = re * re + im * im;
  }
}

/** Spectrogram of one signal (see {@link createSpectrogramPlan} for options and errors). */
export function spectrogram(x: ArrayLike<number>, opts: SpectrogramOptions = {}): SpectrogramResult {
  const plan = createSpectrogramPlan(x.length, opts);
  const sxx = plan.compute(x);
  return { sxx, nFreq: plan.nFreq, nTime: plan.nTime, freqsHz: plan.freqsHz, timesS: plan.timesS };
}

/**
 * Power to decibels: `10·log10(max(p, floor))`, element-wise, into a new array of the same type.
 * @param floor smallest power kept, > 0 (default 1e−20, i.e. −200 dB) so that zeros stay finite
 */
export function toDecibels<T extends Float32Array | Float64Array>(sxx: T, floor = 1e-20): T {
  if (!(floor > 0)) throw new RangeError(`floor must be > 0, got ${floor}`);
  const out = new (sxx.constructor as { new (n: number): T })(sxx.length);
  for (let i = 0; i < sxx.length; i++) out[i] = 10 * Math.log10(Math.max(sxx[i], floor));
  return out;
}

/** Result of {@link spectrogramBatch}. */
export interface SpectrogramBatch {
  /** Row-major [n][nFreq][nTime] float32 values. */
  data: Float32Array;
  n: number;
  nFreq: number;
  nTime: number;
  freqsHz: Float64Array;
  timesS: Float64Array;
  options: ResolvedSpectrogramOptions;
  /** 'linear' power, or 'db' = 10·log10(max(power, dbFloor)). */
  scale: 'linear' | 'db';
  /** Floor used for the dB view (only when scale is 'db'). */
  dbFloor?: number;
}

/**
 * Spectrograms of `n` signals of `nSamples` samples each, stored back to back in `signals`
 * (row-major N × S, as in signals.npy). Computed in float64, stored as float32.
 * @param extra.scale 'linear' (default, what the seed's CNN sees) or 'db'
 * @param extra.dbFloor floor of the dB view (> 0, default 1e−20)
 * @param extra.onProgress called after each signal with (done, total)
 */
export function spectrogramBatch(
  signals: Float32Array | Float64Array,
  n: number,
  nSamples: number,
  opts: SpectrogramOptions = {},
  extra: { scale?: 'linear' | 'db'; dbFloor?: number; onProgress?: (done: number, total: number) => void } = {},
): SpectrogramBatch {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${n}`);
  if (signals.length !== n * nSamples) throw new RangeError(`signals hold ${signals.length} values, expected ${n} × ${nSamples}`);
  const scale = extra.scale ?? 'linear';
  if (scale !== 'linear' && scale !== 'db') throw new RangeError(`scale must be 'linear' or 'db', got ${String(scale)}`);
  const dbFloor = extra.dbFloor ?? 1e-20;
  if (!(dbFloor > 0)) throw new RangeError(`dbFloor must be > 0, got ${dbFloor}`);
  const plan = createSpectrogramPlan(nSamples, opts);
  const size = plan.nFreq * plan.nTime;
  const data = new Float32Array(n * size);
  const tmp = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const signal = signals.subarray(i * nSamples, (i + 1) * nSamples);
    if (scale === 'db') {
      plan.compute(signal, tmp);
      for (let j = 0; j < size; j++) data[i * size + j] = 10 * Math.log10(Math.max(tmp[j], dbFloor));
    } else {
      plan.compute(signal, data, i * size); // a plain loop to float32 (TypedArray.set converts slowly)
    }
    extra.onProgress?.(i + 1, n);
  }
  return {
    data,
    n,
    nFreq: plan.nFreq,
    nTime: plan.nTime,
    freqsHz: plan.freqsHz,
    timesS: plan.timesS,
    options: plan.options,
    scale,
    ...(scale === 'db' ? { dbFloor } : {}),
  };
}
