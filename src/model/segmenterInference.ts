/**
 * The learned segmenter's forward pass without TensorFlow.js (browser-safe): context windows of
 * the front-end features ({@link gatherContext}) through the plain-JS dense stack
 * (denseNetwork.ts), softmax per frame. Training builds and fits the same network with TF.js
 * (architectures/segmenter.ts); inference reads its weights and runs here.
 */
import { denseForward, denseForwardFrom, softmaxRows, type DenseLayer, type DenseNetwork } from './denseNetwork.js';
import { pow2Fft } from '../dsp/complexFft.js';

/** Number of segmentation states (S1, systole, S2, diastole). */
export const N_STATES = 4;

/**
 * Gather the context windows of frames `frames` into `out` ([frames.length × inputWidth]).
 * @param features nFrames × nFeatures, row-major
 */
export function gatherContext(
  features: Float32Array,
  nFrames: number,
  nFeatures: number,
  frames: ArrayLike<number>,
  offsets: readonly number[],
  out: Float32Array,
  outRow = 0,
): void {
  const width = offsets.length * nFeatures;
  for (let r = 0; r < frames.length; r++) {
    const t = frames[r]!;
    let o = (outRow + r) * width;
    for (const d of offsets) {
      const u = t + d;
      if (u < 0 || u >= nFrames) out.fill(0, o, o + nFeatures);
      else out.set(features.subarray(u * nFeatures, u * nFeatures + nFeatures), o);
      o += nFeatures;
    }
  }
}

/**
 * Per-frame posteriors (softmax) of a whole recording with a plain-JS network: nFrames × 4, row-major.
 * The first layer (a context window over the frames: a multi-channel correlation) runs as FFT
 * convolution ({@link contextLayerFft}); the rest frame by frame. `chunkFrames` > 0 instead gathers
 * the context windows and runs every layer frame by frame (the direct reference).
 * @param offsets the architecture's context offsets
 * @param chunkFrames frames per direct pass (memory bound); 0 = FFT first layer
 */
export function predictPosteriorsDense(
  network: DenseNetwork,
  offsets: readonly number[],
  nFeatures: number,
  features: Float32Array,
  nFrames: number,
  chunkFrames = 0,
): Float32Array {
  const width = offsets.length * nFeatures;
  if (chunkFrames <= 0 && network.layers.length > 0 && network.layers[0]!.nIn === width) {
    const h1 = contextLayerFft(network.layers[0]!, offsets, nFeatures, features, nFrames);
    return softmaxRows(denseForwardFrom(network, 1, h1, nFrames), nFrames, N_STATES);
  }
  return posteriorsByChunk(features, nFrames, nFeatures, offsets, chunkFrames > 0 ? chunkFrames : 4096, (x, n) => softmaxRows(denseForward(network, x, n), n, N_STATES));
}

/**
 * Posteriors of a whole recording, `chunkFrames` frames at a time: each chunk's context windows
 * (x: n × offsets.length·nFeatures) are gathered and passed to `posteriors`, which returns the
 * chunk's n × {@link N_STATES} softmax rows (the plain-JS network here, TF.js in architectures/segmenter.ts).
 */
export function posteriorsByChunk(
  features: Float32Array,
  nFrames: number,
  nFeatures: number,
  offsets: readonly number[],
  chunkFrames: number,
  posteriors: (x: Float32Array, n: number) => Float32Array,
): Float32Array {
  const width = offsets.length * nFeatures;
  const out = new Float32Array(nFrames * N_STATES);
  for (let start = 0; start < nFrames; start += chunkFrames) {
    const n = Math.min(chunkFrames, nFrames - start);
    const frames = new Int32Array(n);
    for (let i = 0; i < n; i++) frames[i] = start + i;
    const x = new Float32Array(n * width);
    gatherContext(features, nFrames, nFeatures, frames, offsets, x);
    out.set(posteriors(x, n), start * N_STATES);
  }
  return out;
}

/** FFT size of the first layer's overlap-save convolution (complex points). */
const CONV_FFT_SIZE = 1024;

/**
 * Spectra of the first layer's kernels for {@link contextLayerFft}: for input channel c and output
 * pair q, Q[c][q][k] = K(c, 2q)[k] + i·K(c, 2q+1)[k], where K(c, j) is the DFT of the time-reversed
 * kernel taps (circular: tap at offset d sits at index (−d) mod M). Interleaved complex,
 * [nFeatures][nPairs][M].
 */
const kernelSpectra = new WeakMap<DenseLayer, Map<string, Float64Array>>();

function kernelSpectrum(layer: DenseLayer, offsets: readonly number[], nFeatures: number, m: number): Float64Array {
  let byKey = kernelSpectra.get(layer);
  if (!byKey) kernelSpectra.set(layer, (byKey = new Map()));
  const key = `${m}:${offsets.join(',')}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  const { nOut, kernel } = layer;
  const nPairs = Math.ceil(nOut / 2);
  const fft = pow2Fft(m);
  const spectra = new Float64Array(nFeatures * nPairs * 2 * m);
  const taps = new Float64Array(2 * m);
  for (let c = 0; c < nFeatures; c++) {
    for (let q = 0; q < nPairs; q++) {
      taps.fill(0);
      offsets.forEach((d, i) => {
        const at = (((-d % m) + m) % m) * 2;
        const row = (i * nFeatures + c) * nOut;
        taps[at] = kernel[row + 2 * q]!;
        if (2 * q + 1 < nOut) taps[at + 1] = kernel[row + 2 * q + 1]!;
      });
      fft.transform(spectra.subarray((c * nPairs + q) * 2 * m, (c * nPairs + q + 1) * 2 * m), taps);
    }
  }
  byKey.set(key, spectra);
  return spectra;
}

/**
 * The first dense layer over every frame's context window, as a sum of per-channel correlations
 * computed by FFT (overlap-save, {@link CONV_FFT_SIZE}-point complex transforms; two real channels
 * per transform): out[t][j] = act(bias[j] + Σ_i Σ_c f[t + offsets[i]][c] · W[i·nFeatures + c][j]),
 * frames outside the recording being zero. The same numbers as the direct sum up to float64
 * rounding (outputs are float32). Returns nFrames × nOut.
 */
export function contextLayerFft(layer: DenseLayer, offsets: readonly number[], nFeatures: number, features: Float32Array, nFrames: number): Float32Array {
  const { nOut, bias } = layer;
  const relu = layer.activation === 'relu';
  const before = Math.max(0, -Math.min(...offsets));
  const after = Math.max(0, Math.max(...offsets));
  let m = CONV_FFT_SIZE;
  while (m - before - after < 64) m *= 2;
  const valid = m - before - after;
  const fft = pow2Fft(m);
  const spectra = kernelSpectrum(layer, offsets, nFeatures, m);
  const nPairs = Math.ceil(nOut / 2);
  const nInPairs = Math.ceil(nFeatures / 2);
  const out = new Float32Array(nFrames * nOut);
  const buf = new Float64Array(2 * m);
  const z = new Float64Array(2 * m);
  const chan = new Float64Array(nFeatures * 2 * m); // per input channel: its DFT (full spectrum)
  const acc = new Float64Array(2 * m);
  const res = new Float64Array(2 * m);
  for (let t0 = 0; t0 < nFrames; t0 += valid) {
    const u0 = t0 - before; // frame at local index 0
    // input spectra, two real channels per complex transform
    for (let p = 0; p < nInPairs; p++) {
      const c0 = 2 * p;
      const c1 = c0 + 1 < nFeatures ? c0 + 1 : -1;
      buf.fill(0);
      for (let l = 0; l < m; l++) {
        const u = u0 + l;
        if (u < 0 || u >= nFrames) continue;
        buf[2 * l] = features[u * nFeatures + c0]!;
        if (c1 >= 0) buf[2 * l + 1] = features[u * nFeatures + c1]!;
      }
      fft.transform(z, buf);
      const a = chan.subarray(c0 * 2 * m, (c0 + 1) * 2 * m);
      const b = c1 >= 0 ? chan.subarray(c1 * 2 * m, (c1 + 1) * 2 * m) : null;
      for (let k = 0; k < m; k++) {
        const k2 = (m - k) % m;
        const zr = z[2 * k]!;
        const zi = z[2 * k + 1]!;
        const wr = z[2 * k2]!;
        const wi = z[2 * k2 + 1]!;
        // A = (Z[k] + conj Z[−k]) / 2, B = (Z[k] − conj Z[−k]) / 2i
        a[2 * k] = 0.5 * (zr + wr);
        a[2 * k + 1] = 0.5 * (zi - wi);
        if (b) {
          b[2 * k] = 0.5 * (zi + wi);
          b[2 * k + 1] = -0.5 * (zr - wr);
        }
      }
    }
    const nValid = Math.min(valid, nFrames - t0);
    for (let q = 0; q < nPairs; q++) {
      acc.fill(0);
      for (let c = 0; c < nFeatures; c++) {
        const f = chan.subarray(c * 2 * m, (c + 1) * 2 * m);
        const g = spectra.subarray((c * nPairs + q) * 2 * m, (c * nPairs + q + 1) * 2 * m);
        for (let k = 0; k < 2 * m; k += 2) {
          const fr = f[k]!;
          const fi = f[k + 1]!;
          const gr = g[k]!;
          const gi = g[k + 1]!;
          acc[k] += fr * gr - fi * gi;
          acc[k + 1] += fr * gi + fi * gr;
        }
      }
      // inverse DFT by the forward one: x = conj(DFT(conj X)) / m
      for (let k = 1; k < 2 * m; k += 2) acc[k] = -acc[k]!;
      fft.transform(res, acc);
      const j0 = 2 * q;
      const j1 = j0 + 1;
      for (let r = 0; r < nValid; r++) {
        const l = before + r;
        const o = (t0 + r) * nOut;
        const v0 = bias[j0]! + res[2 * l]! / m;
        out[o + j0] = relu && v0 < 0 ? 0 : v0;
        if (j1 < nOut) {
          const v1 = bias[j1]! - res[2 * l + 1]! / m;
          out[o + j1] = relu && v1 < 0 ? 0 : v1;
        }
      }
    }
  }
  return out;
}
