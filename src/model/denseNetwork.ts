/**
 * A stack of dense layers run in plain JavaScript (browser-safe, no TensorFlow.js): inference for
 * small per-frame networks such as the learned segmenter, read straight from a TF.js layers model
 * (`model.json` topology + float32 weights). Loading TF.js and starting its wasm backend costs more
 * than the whole forward pass of a recording, so inference does without it; training still uses
 * TF.js. Accumulation is in float64, each layer's output rounded to float32 (as TF.js stores it).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import { denseLayerSimdFor } from './kernels/denseSimd.js';
import { scratchMemory } from './kernels/wasmOps.js';

/** One dense layer: y = act(x · kernel + bias). */
export interface DenseLayer {
  name: string;
  nIn: number;
  nOut: number;
  /** nIn × nOut, row-major (TF.js's kernel layout). */
  kernel: Float32Array;
  /** nOut. */
  bias: Float32Array;
  activation: 'relu' | 'linear';
  /** The kernel in blocks of {@link BLOCK} output columns: [ceil(nOut/BLOCK)][nIn][BLOCK], zero-padded. */
  packed: Float64Array;
}

/** Output columns computed together (held in registers) by the forward pass. */
const BLOCK = 8;

function packKernel(kernel: Float32Array, nIn: number, nOut: number): Float64Array {
  const nBlocks = Math.ceil(nOut / BLOCK);
  const packed = new Float64Array(nBlocks * nIn * BLOCK);
  for (let b = 0; b < nBlocks; b++) {
    for (let k = 0; k < nIn; k++) {
      for (let q = 0; q < BLOCK; q++) {
        const j = b * BLOCK + q;
        if (j < nOut) packed[(b * nIn + k) * BLOCK + q] = kernel[k * nOut + j]!;
      }
    }
  }
  return packed;
}

/** A feed-forward stack of dense layers. */
export interface DenseNetwork {
  layers: DenseLayer[];
  /** Input width (first layer's nIn). */
  inputWidth: number;
  /** Output width (last layer's nOut). */
  outputWidth: number;
}

interface DenseConfig {
  name: string;
  units: number;
  activation?: string;
  use_bias?: boolean;
  batch_input_shape?: Array<number | null>;
}

function weightBuffer(data: tf.io.ModelArtifacts['weightData']): ArrayBuffer {
  if (data === undefined) throw new InputError('the model has no weights');
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/**
 * Read a Sequential model of Dense layers (ReLU or linear activations) from TF.js model artifacts.
 * @throws InputError for any other topology or weight format
 */
export function denseNetworkFromArtifacts(artifacts: tf.io.ModelArtifacts): DenseNetwork {
  const topo = artifacts.modelTopology as { class_name?: string; config?: { layers?: Array<{ class_name: string; config: DenseConfig }> } } | undefined;
  if (!topo || topo.class_name !== 'Sequential' || !Array.isArray(topo.config?.layers)) throw new InputError('model.json: expected a Sequential model of Dense layers');
  const specs = artifacts.weightSpecs ?? [];
  const buffer = weightBuffer(artifacts.weightData);
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32' || s.quantization) throw new InputError(`model weights: ${s.name} is not plain float32`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * n > buffer.byteLength) throw new InputError('model weights: weights.bin is shorter than the manifest says');
    byName.set(s.name, new Float32Array(buffer.slice(offset, offset + 4 * n)));
    offset += 4 * n;
  }
  const layers: DenseLayer[] = [];
  let nIn = -1;
  for (const l of topo.config!.layers!) {
    if (l.class_name !== 'Dense') throw new InputError(`model.json: layer ${l.class_name} is not supported (Dense only)`);
    const c = l.config;
    const activation = c.activation ?? 'linear';
    if (activation !== 'relu' && activation !== 'linear') throw new InputError(`model.json: activation ${activation} is not supported`);
    const kernel = byName.get(`${c.name}/kernel`);
    if (!kernel) throw new InputError(`model weights: no ${c.name}/kernel`);
    const width = kernel.length / c.units;
    if (nIn === -1) nIn = c.batch_input_shape?.[1] ?? width;
    if (!Number.isInteger(width) || width !== nIn) throw new InputError(`model weights: ${c.name}/kernel does not fit ${nIn} inputs × ${c.units} units`);
    const bias = c.use_bias === false ? new Float32Array(c.units) : byName.get(`${c.name}/bias`);
    if (!bias || bias.length !== c.units) throw new InputError(`model weights: no ${c.name}/bias of ${c.units}`);
    layers.push({ name: c.name, nIn, nOut: c.units, kernel, bias, activation, packed: packKernel(kernel, nIn, c.units) });
    nIn = c.units;
  }
  if (!layers.length) throw new InputError('model.json: no layers');
  return { layers, inputWidth: layers[0]!.nIn, outputWidth: layers[layers.length - 1]!.nOut };
}

/**
 * One layer over `n` rows: x [n × nIn] → y [n × nOut]. Each output is bias + Σ_k x_k·w_kj summed
 * in k order in float64; eight outputs at a time stay in registers (the packed kernel).
 */
function denseLayer(layer: DenseLayer, x: Float32Array, n: number, y: Float32Array): void {
  const { nIn, nOut, bias, packed } = layer;
  const relu = layer.activation === 'relu';
  const nBlocks = Math.ceil(nOut / BLOCK);
  const out = new Float64Array(BLOCK);
  for (let r = 0; r < n; r++) {
    const xo = r * nIn;
    const yo = r * nOut;
    for (let b = 0; b < nBlocks; b++) {
      const j0 = b * BLOCK;
      let a0 = j0 < nOut ? bias[j0]! : 0;
      let a1 = j0 + 1 < nOut ? bias[j0 + 1]! : 0;
      let a2 = j0 + 2 < nOut ? bias[j0 + 2]! : 0;
      let a3 = j0 + 3 < nOut ? bias[j0 + 3]! : 0;
      let a4 = j0 + 4 < nOut ? bias[j0 + 4]! : 0;
      let a5 = j0 + 5 < nOut ? bias[j0 + 5]! : 0;
      let a6 = j0 + 6 < nOut ? bias[j0 + 6]! : 0;
      let a7 = j0 + 7 < nOut ? bias[j0 + 7]! : 0;
      let p = b * nIn * BLOCK;
      for (let k = 0; k < nIn; k++, p += BLOCK) {
        const v = x[xo + k]!;
        a0 += v * packed[p]!;
        a1 += v * packed[p + 1]!;
        a2 += v * packed[p + 2]!;
        a3 += v * packed[p + 3]!;
        a4 += v * packed[p + 4]!;
        a5 += v * packed[p + 5]!;
        a6 += v * packed[p + 6]!;
        a7 += v * packed[p + 7]!;
      }
      out[0] = a0;
      out[1] = a1;
      out[2] = a2;
      out[3] = a3;
      out[4] = a4;
      out[5] = a5;
      out[6] = a6;
      out[7] = a7;
      const m = Math.min(BLOCK, nOut - j0);
      for (let q = 0; q < m; q++) {
        const a = out[q]!;
        y[yo + j0 + q] = relu && a < 0 ? 0 : a;
      }
    }
  }
}

/** Forward pass over `n` rows: x [n × inputWidth] → [n × outputWidth] (logits). */
export function denseForward(net: DenseNetwork, x: Float32Array, n: number): Float32Array {
  return denseForwardFrom(net, 0, x, n);
}

/**
 * Forward pass from layer `first` on: x [n × that layer's nIn] → [n × outputWidth]. Runs in
 * WebAssembly SIMD where available (kernels/denseSimd.ts, bit-identical to the JS layers).
 */
export function denseForwardFrom(net: DenseNetwork, first: number, x: Float32Array, n: number): Float32Array {
  const layers = net.layers.slice(first);
  return (n > 0 && layers.length > 0 ? forwardSimd(layers, x, n) : null) ?? forwardJs(layers, x, n);
}

/** {@link denseForwardFrom} in plain JS (the reference of the SIMD kernel). */
export function denseForwardReference(net: DenseNetwork, first: number, x: Float32Array, n: number): Float32Array {
  return forwardJs(net.layers.slice(first), x, n);
}

function forwardJs(layers: DenseLayer[], x: Float32Array, n: number): Float32Array {
  let h = x;
  for (const layer of layers) {
    const y = new Float32Array(n * layer.nOut);
    denseLayer(layer, h, n, y);
    h = y;
  }
  return h;
}

const scratch = scratchMemory();
const align16 = (b: number) => (b + 15) & ~15;

/** The layers in the per-thread wasm memory: weights and biases copied in, activations ping-ponged there; null without wasm SIMD. */
function forwardSimd(layers: DenseLayer[], x: Float32Array, n: number): Float32Array | null {
  let at = 0;
  const wAt: number[] = [];
  const bAt: number[] = [];
  let width = layers[0]!.nIn;
  for (const l of layers) {
    const nBlocks = Math.ceil(l.nOut / BLOCK);
    wAt.push(at);
    at = align16(at + 8 * l.packed.length);
    bAt.push(at);
    at = align16(at + 8 * BLOCK * nBlocks);
    width = Math.max(width, l.nOut);
  }
  const actBytes = align16(4 * (n * width + BLOCK));
  const bufAt = [at, at + actBytes];
  const mem = scratch.ensure(at + 2 * actBytes);
  const fn = denseLayerSimdFor(mem);
  if (!fn) return null;
  const buf = mem.buffer;
  layers.forEach((l, i) => {
    new Float64Array(buf, wAt[i]!, l.packed.length).set(l.packed);
    const bias = new Float64Array(buf, bAt[i]!, BLOCK * Math.ceil(l.nOut / BLOCK)).fill(0);
    bias.set(l.bias);
  });
  new Float32Array(buf, bufAt[0]!, n * layers[0]!.nIn).set(x.subarray(0, n * layers[0]!.nIn));
  let src = 0;
  layers.forEach((l, i) => {
    fn(bufAt[src]!, n, l.nIn, wAt[i]!, bAt[i]!, bufAt[1 - src]!, l.nOut, l.activation === 'relu' ? 1 : 0, Math.ceil(l.nOut / BLOCK));
    src = 1 - src;
  });
  return new Float32Array(buf, bufAt[src]!, n * layers[layers.length - 1]!.nOut).slice();
}

/** Row-wise softmax in place: [n × width]. */
export function softmaxRows(x: Float32Array, n: number, width: number): Float32Array {
  for (let r = 0; r < n; r++) {
    const o = r * width;
    let max = -Infinity;
    for (let j = 0; j < width; j++) if (x[o + j]! > max) max = x[o + j]!;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += Math.exp(x[o + j]! - max);
    for (let j = 0; j < width; j++) x[o + j] = Math.exp(x[o + j]! - max) / sum;
  }
  return x;
}
