import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pow2Fft, pow2Fft } from '../src/dsp/complexFft.js';
import { fftPlan } from '../src/dsp/fft.js';
import { FastRng } from '../src/signal/rng.js';

const SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** Direct O(n²) DFT of interleaved complex `x` (n points). */
function directDft(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      re += x[2 * j] * c - x[2 * j + 1] * s;
      im += x[2 * j] * s + x[2 * j + 1] * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

function randomArray(rng: FastRng, len: number): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** Largest |a − b| relative to the largest |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let peak = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return err / peak;
}

test('Pow2Fft.transform matches a direct DFT on random inputs of every size 1 … 1024', () => {
  const rng = new FastRng(11);
  for (const n of SIZES) {
    for (let rep = 0; rep < 3; rep++) {
      const x = randomArray(rng, 2 * n);
      const out = new Float64Array(2 * n);
      new Pow2Fft(n).transform(out, x);
      const err = relErr(out, directDft(x, n));
      assert.ok(err < 1e-13, `n = ${n}: relative error ${err}`);
    }
  }
});

test('Pow2Fft.transform reads from an offset and agrees with fft.js', () => {
  const rng = new FastRng(12);
  for (const n of [4, 32, 256]) {
    const x = randomArray(rng, 2 * n + 6);
    const ours = new Float64Array(2 * n);
    pow2Fft(n).transform(ours, x, 6);
    const theirs = new Float64Array(2 * n);
    fftPlan(n).transform(theirs, x.slice(6));
    assert.ok(relErr(ours, theirs) < 1e-13);
  }
});

test('transformPermuted on bit-reversed input equals transform', () => {
  const rng = new FastRng(13);
  for (const n of SIZES) {
    const fft = pow2Fft(n);
    const x = randomArray(rng, 2 * n);
    const buf = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      buf[2 * fft.permutation[j]] = x[2 * j];
      buf[2 * fft.permutation[j] + 1] = x[2 * j + 1];
    }
    fft.transformPermuted(buf);
    const err = relErr(buf, directDft(x, n));
    assert.ok(err < 1e-13, `n = ${n}: relative error ${err}`);
  }
});

test('windowedPairPower gives both segments\' windowed, mean-removed power spectra (direct DFT)', () => {
  const rng = new FastRng(14);
  for (const n of SIZES) {
    const fft = pow2Fft(n);
    // full-length segments (fused first stage) and zero-padded ones (generic path)
    for (const len of [n, Math.max(1, n - 3), Math.max(1, n >> 1)]) {
      const x = randomArray(rng, 3 * n + 5);
      const win = randomArray(rng, len);
      const binScale = randomArray(rng, (n >> 1) + 1).map((v) => 1 + Math.abs(v));
      const startA = 2;
      const startB = startA + Math.max(1, len >> 1);
      const meanA = rng.uniform(-1, 1);
      const meanB = rng.uniform(-1, 1);
      const stride = 3;
      const out = new Float64Array(stride * ((n >> 1) + 1) + 1).fill(Number.NaN);
      fft.windowedPairPower(x, startA, meanA, startB, meanB, win, len, binScale, out, 0, stride, new Float64Array(2 * n));
      for (const [start, mean, lane] of [
        [startA, meanA, 0],
        [startB, meanB, 1],
      ] as const) {
        const seg = new Float64Array(2 * n);
        for (let j = 0; j < len; j++) seg[2 * j] = (x[start + j] - mean) * win[j];
        const spec = directDft(seg, n);
        const expected: number[] = [];
        const got: number[] = [];
        for (let k = 0; k <= n >> 1; k++) {
          expected.push((spec[2 * k] ** 2 + spec[2 * k + 1] ** 2) * binScale[k]);
          got.push(out[k * stride + lane]);
        }
        const err = relErr(got, expected);
        assert.ok(err < 1e-12, `n = ${n}, len = ${len}, lane ${lane}: relative error ${err}`);
      }
    }
  }
});

test('windowedPairPower writes float32 destinations too', () => {
  const rng = new FastRng(15);
  const n = 64;
  const x = randomArray(rng, 2 * n);
  const win = new Float64Array(n).fill(1);
  const binScale = new Float64Array(n / 2 + 1).fill(1);
  const out64 = new Float64Array(n + 2);
  const out32 = new Float32Array(n + 2);
  pow2Fft(n).windowedPairPower(x, 0, 0, n, 0, win, n, binScale, out64, 0, 2, new Float64Array(2 * n));
  pow2Fft(n).windowedPairPower(x, 0, 0, n, 0, win, n, binScale, out32, 0, 2, new Float64Array(2 * n));
  assert.deepEqual(out32, Float32Array.from(out64));
});

test('Pow2Fft rejects sizes that are not powers of two and segments longer than the FFT', () => {
  for (const bad of [0, 3, 6, 100, 2.5, -4, Number.NaN]) assert.throws(() => new Pow2Fft(bad), RangeError);
  const f = pow2Fft(8);
  assert.throws(
    () => f.windowedPairPower(new Float64Array(32), 0, 0, 0, 0, new Float64Array(9), 9, new Float64Array(5), new Float64Array(10), 0, 2, new Float64Array(16)),
    RangeError,
  );
  assert.equal(pow2Fft(8), f); // cached
});
