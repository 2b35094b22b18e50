/**
 * A complex FFT for power-of-two sizes, and the kernel the spectrogram runs on: the power
 * spectra of two real, windowed, mean-removed segments from one complex FFT
 * ({@link Pow2Fft.windowedPairPower}), with the loading/windowing fused into the first stage
 * and the two-real-signals unpacking fused into the last, so no pass over memory is spent on
 * either. Iterative decimation in time, radix 4 (one radix-2 stage first when log2(n) is odd),
 * on interleaved `[re0, im0, re1, im1, …]` Float64Arrays; twiddles and permutations are
 * precomputed per size and a transform allocates nothing.
 *
 * Measured on Node 20 (256 points, per transform): `transform` ≈ fft.js's `transform`
 * (≈ 2.3 µs, it permutes out of place as fft.js does), `transformPermuted` ≈ 1.4 µs,
 * `windowedPairPower` ≈ 2.1 µs for two segments including windowing and both power spectra
 * (the fft.js path it replaced: ≈ 4 µs per pair). `src/dsp/fft.ts` (fft.js) stays for the
 * other users. Browser-safe.
 */

/** A precomputed forward FFT of one power-of-two size `n` (use {@link pow2Fft} for a cached one). */
export class Pow2Fft {
  /** Transform size, complex points (a power of two ≥ 1). */
  readonly n: number;
  /** `first[q]` = input index of the first point of first-stage butterfly q (bit-reversed). */
  private readonly first: Int32Array;
  /** Whether the first stage is radix 2 (log2(n) odd) rather than radix 4. */
  private readonly radix2First: boolean;
  /** Twiddles of every radix-4 stage after the first: per k, W^k, W^2k, W^3k as (re, im). */
  private readonly twiddles: Float64Array;
  /**
   * `permutation[j]` = bit-reversed position of input point j: write point j of a signal to
   * `buf[2·permutation[j]]` (re) and `buf[2·permutation[j] + 1]` (im), then call
   * {@link transformPermuted}. (Bit reversal is its own inverse.)
   */
  readonly permutation: Int32Array;

  /** @param n transform size, a power of two ≥ 1 (RangeError otherwise) */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 1, got ${n}`);
    this.n = n;
    let bits = 0;
    while (1 << bits < n) bits++;
    this.radix2First = bits % 2 === 1;
    const radix = this.radix2First ? 2 : 4;
    const nFirst = n >= radix ? n / radix : 0;
    this.first = new Int32Array(nFirst);
    for (let q = 0; q < nFirst; q++) this.first[q] = reverseBits(q * radix, bits);
    this.permutation = new Int32Array(n);
    for (let j = 0; j < n; j++) this.permutation[j] = reverseBits(j, bits);
    let size = 0;
    for (let len = radix * 4; len <= n; len *= 4) size += 6 * (len / 4);
    this.twiddles = new Float64Array(size);
    let o = 0;
    for (let len = radix * 4; len <= n; len *= 4) {
      const m = len / 4;
      for (let k = 0; k < m; k++) {
        for (let p = 1; p <= 3; p++) {
          const angle = (-2 * Math.PI * p * k) / len;
          this.twiddles[o++] = Math.cos(angle);
          this.twiddles[o++] = Math.sin(angle);
        }
      }
    }
  }

  /**
   * Forward DFT `out[k] = Σ_j in[j]·e^{−2πi·jk/n}` of the interleaved complex `input` (2n values
   * from `inOffset`) into the interleaved `out` (2n values). `out` must not overlap `input`.
   */
  transform(out: Float64Array, input: Float64Array, inOffset = 0): void {
    const n = this.n;
    if (n === 1) {
      out[0] = input[inOffset];
      out[1] = input[inOffset + 1];
      return;
    }
    const first = this.first;
    if (this.radix2First) {
      const h = n; // n/2 points = n doubles
      for (let q = 0, o = 0; q < first.length; q++, o += 4) {
        const a = inOffset + 2 * first[q];
        const ar = input[a];
        const ai = input[a + 1];
        const br = input[a + h];
        const bi = input[a + h + 1];
        out[o] = ar + br;
        out[o + 1] = ai + bi;
        out[o + 2] = ar - br;
        out[o + 3] = ai - bi;
      }
    } else {
      const s1 = n >> 1; // n/4 points = n/2 doubles
      const s2 = n;
      const s3 = s1 + n;
      for (let q = 0, o = 0; q < first.length; q++, o += 8) {
        const a = inOffset + 2 * first[q];
        // the 4-point DFT of in[j0], in[j0 + n/4], in[j0 + n/2], in[j0 + 3n/4]
        const y0r = input[a];
        const y0i = input[a + 1];
        const y1r = input[a + s1];
        const y1i = input[a + s1 + 1];
        const y2r = input[a + s2];
        const y2i = input[a + s2 + 1];
        const y3r = input[a + s3];
        const y3i = input[a + s3 + 1];
        const t0r = y0r + y2r;
        const t0i = y0i + y2i;
        const t1r = y0r - y2r;
        const t1i = y0i - y2i;
        const t2r = y1r + y3r;
        const t2i = y1i + y3i;
        const t3r = y1r - y3r;
        const t3i = y1i - y3i;
        out[o] = t0r + t2r;
        out[o + 1] = t0i + t2i;
        out[o + 2] = t1r + t3i;
        out[o + 3] = t1i - t3r;
        out[o + 4] = t0r - t2r;
        out[o + 5] = t0i - t2i;
        out[o + 6] = t1r - t3i;
        out[o + 7] = t1i + t3r;
      }
    }
    this.stages(out);
  }

  /**
   * In-place forward DFT of `buf` (2n values) whose points were stored in bit-reversed order
   * (see {@link permutation}); the result is in natural order.
   */
  transformPermuted(buf: Float64Array): void {
    if (this.n === 1) return;
    this.firstStagePermuted(buf);
    this.stages(buf);
  }

  /**
   * The radix-4 stages after the first, in place on `buf` (first stage already done), up to and
   * including the stage of length `maxLen` (default n: all of them).
   */
  private stages(buf: Float64Array, maxLen = this.n): void {
    const n2 = 2 * this.n;
    const tw = this.twiddles;
    let o = 0;
    for (let len = (this.radix2First ? 2 : 4) * 4; len <= maxLen; len *= 4) {
      const m2 = len >> 1; // m = len/4 points = 2m doubles
      const len2 = 2 * len;
      for (let k2 = 0; k2 < m2; k2 += 2, o += 6) {
        const w1r = tw[o];
        const w1i = tw[o + 1];
        const w2r = tw[o + 2];
        const w2i = tw[o + 3];
        const w3r = tw[o + 4];
        const w3i = tw[o + 5];
        for (let a = k2; a < n2; a += len2) {
          const b = a + m2;
          const c = b + m2;
          const d = c + m2;
          // DIT layout: a = DFT of x[4r], b = x[4r+2], c = x[4r+1], d = x[4r+3]
          const ar = buf[a];
          const ai = buf[a + 1];
          const xr = buf[c];
          const xi = buf[c + 1];
          const yr = buf[b];
          const yi = buf[b + 1];
          const zr = buf[d];
          const zi = buf[d + 1];
          const p1r = xr * w1r - xi * w1i; // c·W^k
          const p1i = xr * w1i + xi * w1r;
          const p2r = yr * w2r - yi * w2i; // b·W^2k
          const p2i = yr * w2i + yi * w2r;
          const p3r = zr * w3r - zi * w3i; // d·W^3k
          const p3i = zr * w3i + zi * w3r;
          const t0r = ar + p2r;
          const t0i = ai + p2i;
          const t1r = ar - p2r;
          const t1i = ai - p2i;
          const t2r = p1r + p3r;
          const t2i = p1i + p3i;
          const t3r = p1r - p3r;
          const t3i = p1i - p3i;
          buf[a] = t0r + t2r;
          buf[a + 1] = t0i + t2i;
          buf[b] = t1r + t3i;
          buf[b + 1] = t1i - t3r;
          buf[c] = t0r - t2r;
          buf[c + 1] = t0i - t2i;
          buf[d] = t1r - t3i;
          buf[d + 1] = t1i + t3r;
        }
      }
    }
  }

  /**
   * Power spectra of two real, windowed, mean-removed segments of `x` with one complex FFT of
   * a + i·b, where a[j] = (x[startA + j] − meanA)·win[j] and b[j] = (x[startB + j] − meanB)·win[j]
   * for j < len (≤ n; zero padding beyond). Writes |A[k]|²·binScale[k] to
   * `out[outOffset + k·stride]` and |B[k]|²·binScale[k] to `out[outOffset + k·stride + 1]` for
   * k = 0 … n/2 (the spectrogram's row-major layout, two adjacent time columns). The first FFT
   * stage is fused with the loading and the last with the unpacking, so the data go through
   * memory two times fewer than with transform + unpack. `work` is scratch of ≥ 2n values.
   */
  windowedPairPower(
    x: Float64Array,
    startA: number,
    meanA: number,
    startB: number,
    meanB: number,
    win: Float64Array,
    len: number,
    binScale: Float64Array,
    out: Float32Array | Float64Array,
    outOffset: number,
    stride: number,
    work: Float64Array,
  ): void {
    const n = this.n;
    if (len > n) throw new RangeError(`segment length ${len} exceeds the FFT size ${n}`);
    if (!this.radix2First && len === n && n >= 4) {
      const q4 = n >> 2;
      const first = this.first;
      for (let q = 0, o = 0; q < q4; q++, o += 8) {
        const j0 = first[q];
        const j1 = j0 + q4;
        const j2 = j1 + q4;
        const j3 = j2 + q4;
        const w0 = win[j0];
        const w1 = win[j1];
        const w2 = win[j2];
        const w3 = win[j3];
        const y0r = (x[startA + j0] - meanA) * w0;
        const y0i = (x[startB + j0] - meanB) * w0;
        const y1r = (x[startA + j1] - meanA) * w1;
        const y1i = (x[startB + j1] - meanB) * w1;
        const y2r = (x[startA + j2] - meanA) * w2;
        const y2i = (x[startB + j2] - meanB) * w2;
        const y3r = (x[startA + j3] - meanA) * w3;
        const y3i = (x[startB + j3] - meanB) * w3;
        const t0r = y0r + y2r;
        const t0i = y0i + y2i;
        const t1r = y0r - y2r;
        const t1i = y0i - y2i;
        const t2r = y1r + y3r;
        const t2i = y1i + y3i;
        const t3r = y1r - y3r;
        const t3i = y1i - y3i;
        work[o] = t0r + t2r;
        work[o + 1] = t0i + t2i;
        work[o + 2] = t1r + t3i;
        work[o + 3] = t1i - t3r;
        work[o + 4] = t0r - t2r;
        work[o + 5] = t0i - t2i;
        work[o + 6] = t1r - t3i;
        work[o + 7] = t1i + t3r;
      }
    } else {
      const perm = this.permutation;
      for (let j = 0; j < n; j++) {
        const p = 2 * perm[j];
        if (j < len) {
          work[p] = (x[startA + j] - meanA) * win[j];
          work[p + 1] = (x[startB + j] - meanB) * win[j];
        } else {
          work[p] = 0;
          work[p + 1] = 0;
        }
      }
      if (n === 1) {
        out[outOffset] = work[0] * work[0] * binScale[0];
        out[outOffset + 1] = work[1] * work[1] * binScale[0];
        return;
      }
      this.firstStagePermuted(work);
    }
    const hasLastRadix4 = n >= (this.radix2First ? 8 : 16);
    if (!hasLastRadix4) {
      this.stages(work);
      unpackPairPower(work, n, binScale, out, outOffset, stride);
      return;
    }
    this.stages(work, n >> 2);
    this.lastStagePairPower(work, binScale, out, outOffset, stride);
  }

  /** First stage (radix 2 or 4) in place on bit-reversed data. */
  private firstStagePermuted(buf: Float64Array): void {
    const n2 = 2 * this.n;
    if (this.radix2First) {
      for (let o = 0; o < n2; o += 4) {
        const ar = buf[o];
        const ai = buf[o + 1];
        const br = buf[o + 2];
        const bi = buf[o + 3];
        buf[o] = ar + br;
        buf[o + 1] = ai + bi;
        buf[o + 2] = ar - br;
        buf[o + 3] = ai - bi;
      }
      return;
    }
    for (let o = 0; o < n2; o += 8) {
      // positions hold in[j0], in[j0 + n/2], in[j0 + n/4], in[j0 + 3n/4]
      const y0r = buf[o];
      const y0i = buf[o + 1];
      const y2r = buf[o + 2];
      const y2i = buf[o + 3];
      const y1r = buf[o + 4];
      const y1i = buf[o + 5];
      const y3r = buf[o + 6];
      const y3i = buf[o + 7];
      const t0r = y0r + y2r;
      const t0i = y0i + y2i;
      const t1r = y0r - y2r;
      const t1i = y0i - y2i;
      const t2r = y1r + y3r;
      const t2i = y1i + y3i;
      const t3r = y1r - y3r;
      const t3i = y1i - y3i;
      buf[o] = t0r + t2r;
      buf[o + 1] = t0i + t2i;
      buf[o + 2] = t1r + t3i;
      buf[o + 3] = t1i - t3r;
      buf[o + 4] = t0r - t2r;
      buf[o + 5] = t0i - t2i;
      buf[o + 6] = t1r - t3i;
      buf[o + 7] = t1i + t3r;
    }
  }

  /**
   * The last radix-4 stage (length n, m = n/4) fused with the two-real-signals unpacking:
   * butterflies k and m − k give Z[i] and Z[n − i] for four bins i, hence both spectra's powers
   * at those bins (butterfly 0 pairs with itself). Everything stays in local variables.
   */
  private lastStagePairPower(buf: Float64Array, binScale: Float64Array, out: Float32Array | Float64Array, off: number, stride: number): void {
    const m = this.n >> 2;
    const m2 = 2 * m;
    const tw = this.twiddles;
    const to = tw.length - 6 * m;
    const half = m >> 1;
    for (let k = 0; k <= half; k++) {
      // Z[k], Z[k+m], Z[k+2m], Z[k+3m] (z…) and Z[kp], … (q…), kp = m − k
      let z0r = 0;
      let z0i = 0;
      let z1r = 0;
      let z1i = 0;
      let z2r = 0;
      let z2i = 0;
      let z3r = 0;
      let z3i = 0;
      let q0r = 0;
      let q0i = 0;
      let q1r = 0;
      let q1i = 0;
      let q2r = 0;
      let q2i = 0;
      let q3r = 0;
      let q3i = 0;
      {
        const t = to + 6 * k;
        const a = 2 * k;
        const b = a + m2;
        const c = b + m2;
        const d = c + m2;
        const ar = buf[a];
        const ai = buf[a + 1];
        const xr = buf[c];
        const xi = buf[c + 1];
        const yr = buf[b];
        const yi = buf[b + 1];
        const zr = buf[d];
        const zi = buf[d + 1];
        const p1r = xr * tw[t] - xi * tw[t + 1];
        const p1i = xr * tw[t + 1] + xi * tw[t];
        const p2r = yr * tw[t + 2] - yi * tw[t + 3];
        const p2i = yr * tw[t + 3] + yi * tw[t + 2];
        const p3r = zr * tw[t + 4] - zi * tw[t + 5];
        const p3i = zr * tw[t + 5] + zi * tw[t + 4];
        const t0r = ar + p2r;
        const t0i = ai + p2i;
        const t1r = ar - p2r;
        const t1i = ai - p2i;
        const t2r = p1r + p3r;
        const t2i = p1i + p3i;
        const t3r = p1r - p3r;
        const t3i = p1i - p3i;
        z0r = t0r + t2r;
        z0i = t0i + t2i;
        z1r = t1r + t3i;
        z1i = t1i - t3r;
        z2r = t0r - t2r;
        z2i = t0i - t2i;
        z3r = t1r - t3i;
        z3i = t1i + t3r;
      }
      if (k === 0) {
        // bin 0 (Z[0] with itself), bin m (Z[m] with Z[3m]), bin 2m (Z[2m] with itself)
        {
          const o = off + (0) * stride;
          const ar = z0r + z0r;
          const ai = z0i - z0i;
          const br = z0i + z0i;
          const bi = z0r - z0r;
          const sc = 0.25 * binScale[0];
          out[o] = (ar * ar + ai * ai) * sc;
          out[o + 1] = (br * br + bi * bi) * sc;
        }
      {
        const o = off + (m) * stride;
        const ar = z1r + z3r;
        const ai = z1i - z3i;
        const br = z1i + z3i;
        const bi = z1r - z3r;
        const sc = 0.25 * binScale[m];
        out[o] = (ar * ar + ai * ai) * sc;
        out[o + 1] = (br * br + bi * bi) * sc;
      }
      {
        const o = off + (m2) * stride;
        const ar = z2r + z2r;
        const ai = z2i - z2i;
        const br = z2i + z2i;
        const bi = z2r - z2r;
        const sc = 0.25 * binScale[m2];
        out[o] = (ar * ar + ai * ai) * sc;
        out[o + 1] = (br * br + bi * bi) * sc;
      }
        continue;
      }
      const kp = m - k;
      {
        const t = to + 6 * kp;
        const a = 2 * kp;
        const b = a + m2;
        const c = b + m2;
        const d = c + m2;
        const ar = buf[a];
        const ai = buf[a + 1];
        const xr = buf[c];
        const xi = buf[c + 1];
        const yr = buf[b];
        const yi = buf[b + 1];
        const zr = buf[d];
        const zi = buf[d + 1];
        const p1r = xr * tw[t] - xi * tw[t + 1];
        const p1i = xr * tw[t + 1] + xi * tw[t];
        const p2r = yr * tw[t + 2] - yi * tw[t + 3];
        const p2i = yr * tw[t + 3] + yi * tw[t + 2];
        const p3r = zr * tw[t + 4] - zi * tw[t + 5];
        const p3i = zr * tw[t + 5] + zi * tw[t + 4];
        const t0r = ar + p2r;
        const t0i = ai + p2i;
        const t1r = ar - p2r;
        const t1i = ai - p2i;
        const t2r = p1r + p3r;
        const t2i = p1i + p3i;
        const t3r = p1r - p3r;
        const t3i = p1i - p3i;
        q0r = t0r + t2r;
        q0i = t0i + t2i;
        q1r = t1r + t3i;
        q1i = t1i - t3r;
        q2r = t0r - t2r;
        q2i = t0i - t2i;
        q3r = t1r - t3i;
        q3i = t1i + t3r;
      }
      // (Z[k], Z[n−k] = Z[kp+3m]) → bin k; (Z[k+m], Z[kp+2m]) → bin k+m;
      // (Z[k+2m], Z[kp+m]) → bin 2m−k; (Z[k+3m], Z[kp]) → bin m−k
      {
        const o = off + (k) * stride;
        const ar = z0r + q3r;
        const ai = z0i - q3i;
        const br = z0i + q3i;
        const bi = z0r - q3r;
        const sc = 0.25 * binScale[k];
        out[o] = (ar * ar + ai * ai) * sc;
        out[o + 1] = (br * br + bi * bi) * sc;
      }
      {
        const o = off + (k + m) * stride;
        const ar = z1r + q2r;
        const ai = z1i - q2i;
        const br = z1i + q2i;
        const bi = z1r - q2r;
        const sc = 0.25 * binScale[k + m];
        out[o] = (ar * ar + ai * ai) * sc;
        out[o + 1] = (br * br + bi * bi) * sc;
      }
      {
        const o = off + (2 * m - k) * stride;
        const ar = z2r + q1r;
        const ai = z2i - q1i;
        const br = z2i + q1i;
        const bi = z2r - q1r;
        const sc = 0.25 * binScale[2 * m - k];
        out[o] = (ar * ar + ai * ai) * sc;
        out[o + 1] = (br * br + bi * bi) * sc;
      }
      {
        const o = off + (kp) * stride;
        const ar = z3r + q0r;
        const ai = z3i - q0i;
        const br = z3i + q0i;
        const bi = z3r - q0r;
        const sc = 0.25 * binScale[kp];
        out[o] = (ar * ar + ai * ai) * sc;
        out[o + 1] = (br * br + bi * bi) * sc;
      }
    }
  }
}

/**
 * Given Z[i] = zr + i·zi and Z[n − i] = wr + i·wi of Z = FFT(a + i·b), write |A[i]|²·scale to
 * out[o] and |B[i]|²·scale to out[o + 1] (A = (Z[i] + conj Z[n−i])/2, B = (Z[i] − conj Z[n−i])/2i).
 */
function pairPowerAt(zr: number, zi: number, wr: number, wi: number, scale: number, out: Float32Array | Float64Array, o: number): void {
  const ar = zr + wr;
  const ai = zi - wi;
  const br = zi + wi;
  const bi = zr - wr;
  const sc = 0.25 * scale;
  out[o] = (ar * ar + ai * ai) * sc;
  out[o + 1] = (br * br + bi * bi) * sc;
}

/** Unpack Z = FFT(a + i·b) (natural order, n points) into the powers of a and b, bins 0 … n/2. */
function unpackPairPower(z: Float64Array, n: number, binScale: Float64Array, out: Float32Array | Float64Array, off: number, stride: number): void {
  const nBins = (n >> 1) + 1;
  for (let k = 0; k < nBins; k++) {
    const m = k === 0 ? 0 : n - k;
    pairPowerAt(z[2 * k], z[2 * k + 1], z[2 * m], z[2 * m + 1], binScale[k], out, off + k * stride);
  }
}

function reverseBits(x: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++) r |= ((x >>> b) & 1) << (bits - 1 - b);
  return r;
}

const cache = new Map<number, Pow2Fft>();

/** A cached {@link Pow2Fft} of size `n` (a power of two ≥ 1). */
export function pow2Fft(n: number): Pow2Fft {
  let plan = cache.get(n);
  if (!plan) {
    plan = new Pow2Fft(n);
    cache.set(n, plan);
  }
  return plan;
}
