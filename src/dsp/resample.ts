/**
 * Resampling to the analysis rate, with a proper anti-alias filter. Browser-safe, synchronous,
 * pure TypeScript (no WebAssembly), streaming.
 *
 * Policy ({@link analysisRateFor}): recordings at 500–8000 Hz are analysed at their own rate;
 * higher rates (up to 768 kHz) are resampled to 4000 Hz; rates below 500 Hz are rejected
 * (heart sounds reach ~400 Hz).
 *
 * Resampling (`createResampler`, `resample`) to an output rate `out` runs in two stages:
 * 1. integer decimation by D = floor(in / (2·out)) with a linear-phase FIR ({@link FirDecimator});
 * 2. rational resampling by L/M = out·D / in (reduced) with a polyphase FIR
 *    ({@link RationalResampler}).
 * Both filters are Kaiser-windowed sincs designed for the band 0 … 0.3·out (1200 Hz at 4000 Hz)
 * to pass with < 0.01 % ripple and to be alias-free at ≥ {@link RESAMPLE_ATTENUATION_DB} dB
 * (stage 2 stop band from 0.7·out, so that anything folding back lands above 0.3·out; stage 1
 * stop band from in/D − 0.3·out). 0.3·out … 0.5·out is the transition band. Both stages are
 * centred (zero delay): output sample k is at time k / out exactly.
 *
 * Why not libsamplerate: libsamplerate-js (SRC_SINC_FASTEST) alone costs ~18 s per hour of
 * 44.1 kHz audio on the development machine and is asynchronous (WebAssembly); this design costs
 * a few seconds and is synchronous, so `estimate()` resamples arrays exactly like `estimateFile`.
 * The tests check it against libsamplerate's SRC_SINC_BEST_QUALITY on band-limited signals.
 */
import { concatTyped } from '../core/concat.js';

// The rate policy lives in core/ratePolicy; re-exported here for existing importers.
export { MIN_INPUT_RATE_HZ, MAX_ANALYSIS_RATE_HZ, MAX_INPUT_RATE_HZ, ANALYSIS_RATE_HZ, analysisRateFor } from '../core/ratePolicy.js';

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 60; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * Linear-phase low-pass FIR (Kaiser-windowed sinc), unit DC gain.
 * @param passHz pass-band edge, Hz; @param stopHz stop-band edge, Hz (> passHz);
 * @param sampleRateHz rate the filter runs at; @param attenuationDb stop-band attenuation (default 90).
 * @returns taps (odd count, symmetric).
 */
export function designLowpass(passHz: number, stopHz: number, sampleRateHz: number, attenuationDb = 90): Float64Array {
  if (!(stopHz > passHz && passHz > 0 && stopHz <= sampleRateHz / 2 + 1e-9)) {
    throw new RangeError(`designLowpass: need 0 < pass (${passHz}) < stop (${stopHz}) <= Nyquist (${sampleRateHz / 2})`);
  }
  const a = attenuationDb;
  const beta = a > 50 ? 0.1102 * (a - 8.7) : a >= 21 ? 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21) : 0;
  const dw = (2 * Math.PI * (stopHz - passHz)) / sampleRateHz;
  let n = Math.ceil((a - 7.95) / (2.285 * dw)) + 1;
  if (n % 2 === 0) n++;
  const fc = (passHz + stopHz) / 2 / sampleRateHz; // cycles per sample
  const m = (n - 1) / 2;
  const h = new Float64Array(n);
  const i0b = besselI0(beta);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = i - m;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const r = t / m;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    h[i] = sinc * w;
    sum += h[i]!;
  }
  for (let i = 0; i < n; i++) h[i]! /= sum;
  return h;
}

/**
 * The input window of a streaming FIR stage: the samples from absolute index `bufStart` on that
 * future outputs still need, and the count of samples seen so far.
 */
abstract class StreamingStage {
  protected buf = new Float64Array(0);
  protected bufLen = 0;
  protected bufStart = 0;
  protected nIn = 0;

  /** Forget the samples before absolute index `keepFrom`, then append `block`. */
  protected append(block: ArrayLike<number>, keepFrom: number): void {
    const drop = keepFrom - this.bufStart;
    if (drop > 0) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart = keepFrom;
    }
    if (this.bufLen + block.length > this.buf.length) {
      const grown = new Float64Array(Math.max(2 * this.buf.length, this.bufLen + block.length));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    const buf = this.buf;
    if (block instanceof Float32Array || block instanceof Float64Array) buf.set(block, this.bufLen);
    else for (let i = 0, j = this.bufLen; i < block.length; i++, j++) buf[j] = block[i]!;
    this.bufLen += block.length;
    this.nIn += block.length;
  }
}

/**
 * Streaming integer-factor decimator: y[k] = Σ_j h[j]·x[k·D + M − j] (M = (taps−1)/2, zero
 * outside the input), i.e. a centred (zero-delay) linear-phase filter; output k is at the time of
 * input k·D. Feed blocks with `push`, then `flush` once: the outputs are exactly ceil(nIn / D).
 */
export class FirDecimator extends StreamingStage {
  readonly factor: number;
  readonly taps: Float64Array;
  private readonly half: number;
  /** Input samples kept: buf[0 .. bufLen) hold absolute indices bufStart .. bufStart + bufLen. */
  private nextOut = 0;

  constructor(factor: number, taps: Float64Array) {
    super();
    if (!(Number.isInteger(factor) && factor >= 1)) throw new RangeError(`FirDecimator: bad factor ${factor}`);
    if (taps.length % 2 !== 1) throw new RangeError('FirDecimator: need an odd number of taps');
    this.factor = factor;
    this.taps = taps;
    this.half = (taps.length - 1) / 2;
  }

  /** Append input; returns the outputs that are now complete. */
  push(block: ArrayLike<number>): Float32Array {
    // drop samples no future output needs, then append
    const keepFrom = Math.max(this.bufStart, this.nextOut * this.factor - this.half);
    this.append(block, keepFrom);
    return this.emit(false);
  }

  /** Outputs that depend on the (zero) samples past the end; call once at the end. */
  flush(): Float32Array {
    return this.emit(true);
  }

  private emit(final: boolean): Float32Array {
    const d = this.factor;
    const m = this.half;
    const h = this.taps;
    const last = final ? Math.ceil(this.nIn / d) : Math.floor((this.nIn - 1 - m) / d) + 1; // exclusive
    const count = Math.max(0, last - this.nextOut);
    const out = new Float32Array(count);
    const buf = this.buf;
    const b0 = this.bufStart;
    const bufEnd = b0 + this.bufLen;
    for (let o = 0; o < count; ) {
      // two interior outputs per pass (two accumulators, each summed in the one-output order)
      const c0 = (this.nextOut + o) * d;
      const c1 = c0 + d;
      if (o + 1 < count && c0 - m >= b0 && c1 + m < bufEnd) {
        o += 2;
        twoFirOutputs(h, m, buf, c0 - b0, c1 - b0, out, o - 2);
        continue;
      }
      out[o] = this.oneOutput(c0, b0, bufEnd);
      o++;
    }
    this.nextOut += count;
    return out;
  }

  /** Output at input index `centre` (taps span centre − m … centre + m; zero outside the buffer). */
  private oneOutput(centre: number, b0: number, bufEnd: number): number {
    const m = this.half;
    const h = this.taps;
    const nt = h.length;
    const buf = this.buf;
    let acc = 0;
    if (centre - m >= b0 && centre + m < bufEnd) {
      // symmetric taps: h[j] = h[nt − 1 − j]
      const c = centre - b0;
      acc = h[m]! * buf[c]!;
      for (let j = 0, lo = c + m, hi = c - m; j < m; j++, lo--, hi++) acc += h[j]! * (buf[lo]! + buf[hi]!);
    } else {
      for (let j = 0; j < nt; j++) {
        const idx = centre + m - j;
        if (idx >= b0 && idx < bufEnd) acc += h[j]! * buf[idx - b0]!;
      }
    }
    return acc;
  }
}

/** Two interior outputs of {@link FirDecimator} at buffer positions p and q, into out[o], out[o + 1]. */
function twoFirOutputs(h: Float64Array, m: number, buf: Float64Array, p: number, q: number, out: Float32Array, o: number): void {
  let acc0 = h[m]! * buf[p]!;
  let acc1 = h[m]! * buf[q]!;
  for (let j = 0, lo0 = p + m, hi0 = p - m, lo1 = q + m, hi1 = q - m; j < m; j++, lo0--, hi0++, lo1--, hi1++) {
    const hj = h[j]!;
    acc0 += hj * (buf[lo0]! + buf[hi0]!);
    acc1 += hj * (buf[lo1]! + buf[hi1]!);
  }
  out[o] = acc0;
  out[o + 1] = acc1;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Streaming rational resampler by L/M (polyphase FIR, zero delay): conceptually upsample by L
 * (zero insertion), low-pass with `taps` (designed at inRate·L, DC gain 1), keep every M-th
 * sample. Output m sits at input time m·M/L. `flush` treats the input past the end as zeros; the
 * output count is then ceil(nIn·L/M).
 */
export class RationalResampler extends StreamingStage {
  readonly up: number;
  readonly down: number;
  /** phases[p][i] = L·h[p + L·i] */
  private readonly phases: Float64Array[];
  private readonly centre: number;
  private nextOut = 0;
  private readonly maxPhaseLen: number;

  constructor(up: number, down: number, taps: Float64Array) {
    super();
    if (!(Number.isInteger(up) && Number.isInteger(down) && up >= 1 && down >= 1)) {
      throw new RangeError(`RationalResampler: bad ratio ${up}/${down}`);
    }
    const g = gcd(up, down);
    this.up = up / g;
    this.down = down / g;
    const L = this.up;
    this.centre = (taps.length - 1) / 2;
    this.phases = [];
    for (let p = 0; p < L; p++) {
      const n = p < taps.length ? Math.ceil((taps.length - p) / L) : 0;
      const ph = new Float64Array(n);
      for (let i = 0; i < n; i++) ph[i] = L * taps[p + L * i]!;
      this.phases.push(ph);
    }
    this.maxPhaseLen = Math.ceil(taps.length / L);
  }

  /** Append input; returns the outputs that are now complete. */
  push(block: ArrayLike<number>): Float32Array {
    const L = this.up;
    const keepFrom = Math.max(this.bufStart, Math.floor((this.nextOut * this.down + this.centre) / L) - this.maxPhaseLen);
    this.append(block, keepFrom);
    return this.emit(false);
  }

  /** The outputs that need samples past the end (taken as zeros); call once at the end. */
  flush(): Float32Array {
    return this.emit(true);
  }

  private emit(final: boolean): Float32Array {
    const L = this.up;
    const M = this.down;
    const C = this.centre;
    // output m needs inputs up to n0 = floor((m·M + C) / L)
    const last = final ? Math.ceil((this.nIn * L) / M) : Math.floor(((this.nIn - 1) * L - C) / M) + 1;
    const count = Math.max(0, last - this.nextOut);
    const out = new Float32Array(count);
    const buf = this.buf;
    const b0 = this.bufStart;
    const bufEnd = b0 + this.bufLen;
    for (let o = 0; o < count; ) {
      const u0 = (this.nextOut + o) * M + C;
      const n0 = Math.floor(u0 / L);
      const ph0 = this.phases[u0 - n0 * L]!;
      if (o + 1 < count) {
        // two interior outputs per pass (two accumulators, each summed in the one-output order)
        const u1 = u0 + M;
        const n1 = Math.floor(u1 / L);
        const ph1 = this.phases[u1 - n1 * L]!;
        if (n0 - ph0.length + 1 >= b0 && n0 < bufEnd && n1 - ph1.length + 1 >= b0 && n1 < bufEnd) {
          twoPolyphaseOutputs(ph0, ph1, buf, n0 - b0, n1 - b0, out, o);
          o += 2;
          continue;
        }
      }
      const np = ph0.length;
      let acc = 0;
      if (n0 - np + 1 >= b0 && n0 < bufEnd) {
        for (let i = 0, idx = n0 - b0; i < np; i++, idx--) acc += ph0[i]! * buf[idx]!;
      } else {
        for (let i = 0; i < np; i++) {
          const idx = n0 - i;
          if (idx >= b0 && idx < bufEnd) acc += ph0[i]! * buf[idx - b0]!;
        }
      }
      out[o] = acc;
      o++;
    }
    this.nextOut += count;
    return out;
  }
}

/** Two interior polyphase outputs (phases ph0, ph1 ending at buffer positions i0, i1) into out[o], out[o + 1]. */
function twoPolyphaseOutputs(ph0: Float64Array, ph1: Float64Array, buf: Float64Array, i0: number, i1: number, out: Float32Array, o: number): void {
  let acc0 = 0;
  let acc1 = 0;
  const np = Math.min(ph0.length, ph1.length);
  let i = 0;
  for (let a = i0, b = i1; i < np; i++, a--, b--) {
    acc0 += ph0[i]! * buf[a]!;
    acc1 += ph1[i]! * buf[b]!;
  }
  for (let j = i, a = i0 - i; j < ph0.length; j++, a--) acc0 += ph0[j]! * buf[a]!;
  for (let j = i, b = i1 - i; j < ph1.length; j++, b--) acc1 += ph1[j]! * buf[b]!;
  out[o] = acc0;
  out[o + 1] = acc1;
}

/** Stop-band attenuation of the resampling filters, dB. */
export const RESAMPLE_ATTENUATION_DB = 80;
/** Pass band (alias-free band) as a fraction of the output rate. */
export const RESAMPLE_PASS_FRACTION = 0.3;
/** Largest polyphase interpolation factor L accepted (bounds the filter-bank memory). */
const MAX_UP = 50000;

/** A streaming resampler: feed blocks, then flush once. Output length = round(nIn · out / in). */
export interface StreamResampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  /** Stage-1 decimation factor D (1 = none). */
  readonly decimation: number;
  /** Stage-2 ratio L/M. */
  readonly up: number;
  readonly down: number;
  push(block: ArrayLike<number>): Float32Array;
  /** The remaining output; call once at the end. */
  flush(): Float32Array;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  return concatTyped(parts, (n) => new Float32Array(n));
}

/**
 * Create a streaming resampler from `inputRateHz` to `outputRateHz` (integer rates; built for
 * downsampling, also correct for upsampling).
 * @throws RangeError for non-integer or non-positive rates, or a ratio needing L > 50 000.
 */
export function createResampler(inputRateHz: number, outputRateHz: number): StreamResampler {
  if (!(Number.isInteger(inputRateHz) && Number.isInteger(outputRateHz) && inputRateHz > 0 && outputRateHz > 0)) {
    throw new RangeError(`resampling needs positive integer sample rates, got ${inputRateHz} → ${outputRateHz} Hz`);
  }
  const pass = RESAMPLE_PASS_FRACTION * Math.min(outputRateHz, inputRateHz);
  const a = RESAMPLE_ATTENUATION_DB;
  const d = Math.max(1, Math.floor(inputRateHz / (2 * outputRateHz)));
  const midHz = inputRateHz / d;
  const stage1 = d > 1 ? new FirDecimator(d, designLowpass(pass, midHz - pass, inputRateHz, a)) : undefined;
  const g = gcd(outputRateHz * d, inputRateHz);
  const up = (outputRateHz * d) / g;
  const down = inputRateHz / g;
  if (up > MAX_UP) throw new RangeError(`cannot resample ${inputRateHz} Hz to ${outputRateHz} Hz: the rate ratio is too irregular`);
  let stage2: RationalResampler | FirDecimator | undefined;
  if (up !== down) {
    // design at midHz·L: pass to `pass`, stop from min(out, mid) − pass
    const stop = Math.min(outputRateHz, midHz) - pass;
    const taps = designLowpass(pass, stop, midHz * up, a);
    // L = 1 (an integer ratio, e.g. 4000 → 1000 Hz): the same filter as a decimator, which folds the
    // symmetric taps (half the multiplications; the same outputs up to float rounding)
    stage2 = up === 1 ? new FirDecimator(down, taps) : new RationalResampler(up, down, taps);
  }
  let nIn = 0;
  let nOut = 0;
  let done = false;
  const target = (): number => Math.round((nIn * outputRateHz) / inputRateHz);
  return {
    inputRateHz,
    outputRateHz,
    decimation: d,
    up,
    down,
    push(block: ArrayLike<number>): Float32Array {
      if (done) throw new Error('resampler: push after flush');
      nIn += block.length;
      const y1 = stage1 ? stage1.push(block) : Float32Array.from(block);
      const y = stage2 ? stage2.push(y1) : y1;
      nOut += y.length;
      return y;
    },
    flush(): Float32Array {
      if (done) return new Float32Array(0);
      done = true;
      const parts: Float32Array[] = [];
      if (stage1) {
        const t1 = stage1.flush();
        parts.push(stage2 ? stage2.push(t1) : t1);
      }
      if (stage2) parts.push(stage2.flush());
      const tail = concat(parts.length ? parts : [new Float32Array(0)]);
      const want = Math.max(0, target() - nOut);
      const out = new Float32Array(want); // zero-padded if the stages produced fewer
      out.set(tail.subarray(0, Math.min(want, tail.length)));
      nOut += want;
      return out;
    },
  };
}

/** Resample a whole array (see {@link createResampler}); output length round(n · out / in). */
export function resample(samples: ArrayLike<number>, inputRateHz: number, outputRateHz: number): Float32Array {
  const r = createResampler(inputRateHz, outputRateHz);
  const parts: Float32Array[] = [];
  const block = 1 << 18;
  const x = samples as ArrayLike<number> & { subarray?: (a: number, b: number) => ArrayLike<number> };
  for (let i = 0; i < samples.length; i += block) {
    const end = Math.min(samples.length, i + block);
    parts.push(r.push(x.subarray ? x.subarray(i, end) : Array.prototype.slice.call(samples, i, end)));
  }
  parts.push(r.flush());
  return concat(parts);
}
