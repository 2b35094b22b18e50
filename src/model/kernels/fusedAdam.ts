/**
 * Adam in one pass per variable on the wasm backend.
 *
 * tf.js's AdamOptimizer runs ~12 element-wise kernels per variable (≈ 25 ms per step of the seed
 * CNN on wasm). {@link FusedAdamOptimizer} keeps its state, bookkeeping and serialization exactly
 * (same moment variables, `iterations`, `accBeta1/2`; class name 'Adam'), but on the wasm backend
 * updates value, first and second moment of each variable in one loop (kernel `HrvFusedAdam`).
 * Every operation is rounded to float32 in tf's order (Math.fround: float32 +, ×, ÷ and √ done in
 * float64 and rounded once are exact), so the result is bit-identical to tf's Adam on wasm. The
 * loop runs in wasm SIMD where available (adamSimd.ts: the same float32 operations, same order).
 * Other backends use tf's Adam unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedTensorMap, TensorInfo } from '@tensorflow/tfjs-core';

type NamedTensor = { name: string; tensor: tf.Tensor };
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
import { f32Offset, tensorF32, type WasmBackendLike } from './heap.js';
import { adamSimdFor } from './adamSimd.js';
import { backendMemory } from './maxPoolGrad.js';

export const FUSED_ADAM_KERNEL = 'HrvFusedAdam';

interface Attrs { oneMinusAccBeta1: number; oneMinusAccBeta2: number; beta1: number; beta2: number; learningRate: number; epsilon: number }

/** The wasm kernel: inputs value, m, v, g (float32, same shape) → [newValue, newM, newV]. */
export const fusedAdamWasm = ((args: { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: Attrs }): TensorInfo[] => {
  const { inputs: { value, m, v, g }, backend, attrs } = args;
  const f = Math.fround;
  const outV = backend.makeOutput(value.shape, 'float32');
  const outM = backend.makeOutput(value.shape, 'float32');
  const outS = backend.makeOutput(value.shape, 'float32');
  const x = tensorF32(backend, value);
  const m0 = tensorF32(backend, m);
  const v0 = tensorF32(backend, v);
  const gr = tensorF32(backend, g);
  const nx = tensorF32(backend, outV);
  const nm = tensorF32(backend, outM);
  const nv = tensorF32(backend, outS);
  const b1 = f(attrs.beta1);
  const b2 = f(attrs.beta2);
  const cb1 = f(1 - attrs.beta1);
  const cb2 = f(1 - attrs.beta2);
  const c1 = f(attrs.oneMinusAccBeta1);
  const c2 = f(attrs.oneMinusAccBeta2);
  const eps = f(attrs.epsilon);
  const nlr = f(-attrs.learningRate);
  // four parameters per instruction in wasm SIMD (bit-identical, adamSimd.ts); the tail below
  const simd = x.length >= 4 ? adamSimdFor(backendMemory(backend)) : null;
  const n4 = simd ? x.length - (x.length % 4) : 0;
  if (simd) {
    const b = (t: TensorInfo) => f32Offset(backend, t) * 4;
    simd(b(value), b(m), b(v), b(g), b(outV), b(outM), b(outS), n4 * 4, b1, b2, cb1, cb2, c1, c2, eps, nlr);
  }
  for (let i = n4; i < x.length; i++) {
    const gi = gr[i];
    const mi = f(f(m0[i] * b1) + f(gi * cb1));
    const vi = f(f(v0[i] * b2) + f(f(gi * gi) * cb2));
    nm[i] = mi;
    nv[i] = vi;
    const den = f(f(Math.sqrt(f(vi / c2))) + eps);
    nx[i] = f(f(f(f(mi / c1) / den) * nlr) + x[i]);
  }
  return [outV, outM, outS];
}) as unknown as KernelFunc;

type Slot = { originalName: string; variable: tf.Variable };

/** tf's Adam with a one-pass update on the wasm backend (see the module comment). */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    if (tf.getBackend() !== 'wasm' || !tf.getKernel(FUSED_ADAM_KERNEL, 'wasm')) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as {
      accumulatedFirstMoment: Slot[]; accumulatedSecondMoment: Slot[]; accBeta1: tf.Variable; accBeta2: tf.Variable;
      beta1: number; beta2: number; epsilon: number; learningRate: number; incrementIterations(): void;
    };
    const list = Array.isArray(variableGradients);
    const names = list ? (variableGradients as NamedTensor[]).map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, self.accBeta1).dataSync()[0];
      const oneMinusAccBeta2 = tf.sub(1, self.accBeta2).dataSync()[0];
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        if (self.accumulatedFirstMoment[i] == null) {
          self.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        }
        if (self.accumulatedSecondMoment[i] == null) {
          self.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        }
        const gradient = list ? (variableGradients as NamedTensor[])[i].tensor : (variableGradients as unknown as NamedTensorMap)[name];
        if (gradient == null) return;
        const firstMoment = self.accumulatedFirstMoment[i].variable;
        const secondMoment = self.accumulatedSecondMoment[i].variable;
        if (value.dtype !== 'float32' || gradient.dtype !== 'float32') throw new Error(`FusedAdam: ${name} is not float32`);
        const [nx, nm, nv] = tf.engine().runKernel(FUSED_ADAM_KERNEL, { value, m: firstMoment, v: secondMoment, g: gradient } as never, {
          oneMinusAccBeta1, oneMinusAccBeta2, beta1: self.beta1, beta2: self.beta2, learningRate: self.learningRate, epsilon: self.epsilon,
        } as never) as unknown as tf.Tensor[];
        firstMoment.assign(nm);
        secondMoment.assign(nv);
        value.assign(nx);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  }
}
