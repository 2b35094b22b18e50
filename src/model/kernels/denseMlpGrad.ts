/**
 * The loss and all weight gradients of a dense ReLU network under the masked softmax
 * cross-entropy, in ONE kernel call (kernel `HrvDenseMlpGrad`): the learned segmenter's training
 * step without tf.js's tape.
 *
 * Through the tape, a step of the segmenter (3 Dense layers, batch 256) runs about 60 kernels on
 * tensors of 256 × 48, and tf.js's per-op overhead (engine, tape, bookkeeping) costs several times
 * what the arithmetic does. This kernel runs the forward pass, the loss and the backward pass on
 * the wasm heap: the products through the backend's XNNPACK GEMM (the same C entry point as
 * BatchMatMul), the bias, ReLU, softmax and masks in JS loops over heap views.
 *
 * Network: h₀ = x; h_{l+1} = relu(h_l·W_l + b_l) for the hidden layers, logits = h_L·W_L + b_L
 * (no activation on the last layer; tfjs-layers Dense kernels [in, out], bias [out]).
 * Loss: −Σ y·logSoftmax(logits) / max(1, known); y is one-hot per row (rows of unknown frames are
 * all zero) — the formula of maskedStateCrossEntropy (training/maskedLoss.ts).
 *
 * Numerics: the products are the same XNNPACK GEMMs tf would run; the element-wise parts are
 * float32 (bias, ReLU, masks) or float64 rounded once (softmax, loss, bias sums), in fixed orders,
 * so the result does not depend on the thread count. It is not bit-identical to the tape's path
 * (other summation orders in the softmax and the bias sums): tests compare it with `cpu`.
 * Inputs x, y, w0, b0, w1, b1, … (float32); attrs { nLayers, known }.
 * Outputs: [loss (scalar), dW0, db0, dW1, db1, …].
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeTemp, f32Offset, gemm, gemmBiasAct, tensorF32, type WasmBackendLike } from './heap.js';
import { reluGradSimdFor } from './reluGrad.js';
import { transposeSimdFor } from './transposeSimd.js';
import { backendMemory } from './maxPoolGrad.js';

/** d ← d·step(a) in place (Relu's gradient as tf computes it; wasm SIMD with a JS tail). */
function reluMask(backend: WasmBackendLike, d: TensorInfo, a: TensorInfo): void {
  const n = d.shape.reduce((p, q) => p * q, 1);
  const simd = n >= 4 ? reluGradSimdFor(backendMemory(backend)) : null;
  const n4 = simd ? n - (n % 4) : 0;
  if (simd) simd(f32Offset(backend, d) * 4, f32Offset(backend, a) * 4, f32Offset(backend, d) * 4, n4 * 4);
  const dv = tensorF32(backend, d);
  const av = tensorF32(backend, a);
  for (let i = n4; i < n; i++) dv[i] = dv[i]! * (av[i]! > 0 ? 1 : Number.isNaN(av[i]!) ? NaN : 0);
}

/**
 * dst = srcᵀ for a row-major [rows, cols] float32 tensor: wasm SIMD in 4 × 4 blocks where both
 * sides are multiples of 4 (transposeSimd.ts), else a JS loop in 8 × 8 blocks (both faster than
 * the backend's generic C Transpose on these small matrices).
 */
function transposeF32(backend: WasmBackendLike, src: TensorInfo, rows: number, cols: number, dst: TensorInfo): void {
  const simd = rows % 4 === 0 && cols % 4 === 0 ? transposeSimdFor(backendMemory(backend)) : null;
  if (simd) {
    simd(f32Offset(backend, src) * 4, f32Offset(backend, dst) * 4, rows, cols);
    return;
  }
  const a = tensorF32(backend, src);
  const t = tensorF32(backend, dst);
  for (let i0 = 0; i0 < rows; i0 += 8) {
    const i1 = Math.min(rows, i0 + 8);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = Math.min(cols, j0 + 8);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) t[j * rows + i] = a[i * cols + j]!;
    }
  }
}

export const DENSE_MLP_GRAD_KERNEL = 'HrvDenseMlpGrad';

interface Attrs { nLayers: number; known: number }

/** The wasm kernel (see the module comment). */
export const denseMlpGradWasm = ((args: { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: Attrs }): TensorInfo[] => {
  const { inputs, backend, attrs: { nLayers, known } } = args;
  const x = inputs.x!;
  const y = inputs.y!;
  const B = x.shape[0]!;
  const W = Array.from({ length: nLayers }, (_, l) => inputs[`w${l}`]!);
  const bias = Array.from({ length: nLayers }, (_, l) => inputs[`b${l}`]!);
  const dims = [x.shape[1]!, ...W.map((w) => w.shape[1]!)];
  const temps: TensorInfo[] = [];
  const temp = (shape: number[]): TensorInfo => {
    const t = backend.makeOutput(shape, 'float32');
    temps.push(t);
    return t;
  };
  try {
    // forward: acts[l] is the input of layer l ([B, dims[l]]); acts[nLayers] the logits
    const acts: TensorInfo[] = [x];
    for (let l = 0; l < nLayers; l++) {
      const nOut = dims[l + 1]!;
      const out = temp([B, nOut]);
      gemmBiasAct(backend, acts[l]!, [1, B, dims[l]!], W[l]!, [1, dims[l]!, nOut], bias[l]!, l < nLayers - 1 ? 1 : 0, out);
      acts.push(out);
    }
    // the masked softmax cross-entropy and its gradient with respect to the logits
    const C = dims[nLayers]!;
    const g = temp([B, C]);
    const logits = tensorF32(backend, acts[nLayers]!);
    const yv = tensorF32(backend, y);
    const gv = tensorF32(backend, g);
    const scale = 1 / Math.max(1, known);
    const p = new Float64Array(C);
    let total = 0;
    for (let i = 0; i < B; i++) {
      const r = i * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, logits[r + c]!);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += (p[c] = Math.exp(logits[r + c]! - max));
      const logSum = Math.log(sum);
      let ySum = 0;
      for (let c = 0; c < C; c++) {
        const yc = yv[r + c]!;
        ySum += yc;
        if (yc !== 0) total -= yc * (logits[r + c]! - max - logSum);
      }
      for (let c = 0; c < C; c++) gv[r + c] = (ySum * (p[c]! / sum) - yv[r + c]!) * scale;
    }
    const loss = backend.makeOutput([], 'float32');
    tensorF32(backend, loss)[0] = total * scale;
    // backward, last layer first
    const grads: TensorInfo[] = [];
    let dy = g; // [B, dims[l + 1]], the gradient at layer l's output (after its ReLU mask)
    for (let l = nLayers - 1; l >= 0; l--) {
      const nIn = dims[l]!;
      const nOut = dims[l + 1]!;
      // dW = actsᵀ · dy
      const aT = temp([nIn, B]);
      transposeF32(backend, acts[l]!, B, nIn, aT);
      const dW = backend.makeOutput([nIn, nOut], 'float32');
      grads.push(dW);
      gemm(backend, aT, [1, nIn, B], dy, [1, B, nOut], dW);
      // db = Σ_rows dy (float64, rounded once)
      const db = backend.makeOutput([nOut], 'float32');
      grads.push(db);
      {
        const d = tensorF32(backend, dy);
        const acc = new Float64Array(nOut);
        for (let i = 0, o = 0; i < B; i++) for (let j = 0; j < nOut; j++, o++) acc[j] += d[o]!;
        tensorF32(backend, db).set(acc);
      }
      if (l === 0) break;
      // the gradient at the previous layer's output: dy · Wᵀ, masked by its ReLU
      const wT = temp([nOut, nIn]);
      transposeF32(backend, W[l]!, nIn, nOut, wT);
      const dA = temp([B, nIn]);
      gemm(backend, dy, [1, B, nOut], wT, [1, nOut, nIn], dA);
      reluMask(backend, dA, acts[l]!);
      dy = dA;
    }
    // grads were pushed last layer first as (dW, db) pairs
    const ordered: TensorInfo[] = [loss];
    for (let l = 0; l < nLayers; l++) {
      const k = 2 * (nLayers - 1 - l);
      ordered.push(grads[k]!, grads[k + 1]!);
    }
    return ordered;
  } finally {
    for (const t of temps) disposeTemp(backend, t);
  }
}) as unknown as KernelFunc;

/** One-hot targets [n, nClasses] of labels 0 (unknown: an all-zero row) … nClasses, and the known count. */
export function oneHotKnown(labels: Uint8Array | Int32Array, nClasses: number, out = new Float32Array(labels.length * nClasses)): { y: Float32Array; known: number } {
  out.fill(0);
  let known = 0;
  for (let i = 0; i < labels.length; i++) {
    const s = labels[i]!;
    if (s >= 1 && s <= nClasses) {
      out[i * nClasses + s - 1] = 1;
      known++;
    }
  }
  return { y: out, known };
}

/**
 * The same loss and gradients through tf ops and the gradient tape (any backend): the reference
 * the kernel is checked against, and the path on backends without the kernel.
 */
export function denseMlpGradsReference(x: tf.Tensor2D, y: tf.Tensor2D, known: number, weights: readonly tf.Tensor[]): tf.Tensor[] {
  const nLayers = weights.length / 2;
  const f = (...ws: tf.Tensor[]): tf.Scalar => {
    let h: tf.Tensor2D = x;
    for (let l = 0; l < nLayers; l++) {
      const z = tf.add(tf.matMul(h, ws[2 * l] as tf.Tensor2D), ws[2 * l + 1]!) as tf.Tensor2D;
      h = l < nLayers - 1 ? tf.relu(z) : z;
    }
    const total = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(h))));
    return tf.div(total, tf.scalar(Math.max(1, known)));
  };
  const { value, grads } = tf.valueAndGrads(f as never)(weights as tf.Tensor[]);
  return [value, ...grads];
}

/**
 * [loss, dW0, db0, …] of the network with `weights` [W0, b0, W1, b1, …] on a batch: one
 * `HrvDenseMlpGrad` kernel on wasm where it is registered, else {@link denseMlpGradsReference}.
 */
export function denseMlpGrads(x: tf.Tensor2D, y: tf.Tensor2D, known: number, weights: readonly tf.Tensor[]): tf.Tensor[] {
  if (tf.getBackend() === 'wasm' && tf.getKernel(DENSE_MLP_GRAD_KERNEL, 'wasm') && [x, y, ...weights].every((t) => t.dtype === 'float32')) {
    const inputs: Record<string, tf.Tensor> = { x, y };
    weights.forEach((w, i) => (inputs[`${i % 2 ? 'b' : 'w'}${i >> 1}`] = w));
    return tf.engine().runKernel(DENSE_MLP_GRAD_KERNEL, inputs as never, { nLayers: weights.length / 2, known } as never) as unknown as tf.Tensor[];
  }
  return tf.tidy(() => denseMlpGradsReference(x, y, known, weights));
}
