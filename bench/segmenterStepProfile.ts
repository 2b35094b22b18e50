/**
 * Where a training step of the learned segmenter goes, and the one-kernel step against the tape's
 * step in the same process (same load): `node --import tsx bench/segmenterStepProfile.ts
 * [--threads 1] [--steps 600] [--blocks 6]`. Default architecture (408 → 48 → 32 → 4), batch 256,
 * synthetic recordings (as bench/segmenterTrainProcess.ts). Steps run in alternating blocks of the
 * two paths; each figure is the median over steps (robust to the preemption of a shared machine):
 * - fused: gather (JS), the two input tensors, HrvDenseMlpGrad (loss + every gradient), the fused
 *   Adam (6 variables), the loss read-back;
 * - tape: the same gather, then optimizer.minimize over model.apply and maskedStateCrossEntropy
 *   (the path before HrvDenseMlpGrad, and the path on backends without it).
 * Prints one JSON line (ms); also the mean CPU time (user + system) per step of each path, which a
 * shared machine's preemption does not inflate (with 1 thread; the XNNPACK pool's threads would
 * add to it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { SEGMENTER_ARCHITECTURE_DEFAULTS, buildSegmenter, inputWidth, N_STATES } from '../src/model/architectures/segmenter.js';
import { denseMlpGrads, oneHotKnown } from '../src/model/kernels/denseMlpGrad.js';
import { FusedAdamOptimizer } from '../src/model/kernels/fusedAdam.js';
import { gatherFrame } from '../src/model/training/segmenterTrain.js';
import { maskedStateCrossEntropy } from '../src/model/training/maskedLoss.js';
import { FastRng } from '../src/signal/rng.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

const threads = Number(arg('threads', '1'));
const steps = Number(arg('steps', '600'));
const blocks = Number(arg('blocks', '6'));
const backend = await initNodeBackend('wasm', { wasmThreads: threads });
const arch = SEGMENTER_ARCHITECTURE_DEFAULTS;
const frames = 2000;
const rng = new FastRng(7);
const recs = Array.from({ length: 8 }, () => ({
  features: Float32Array.from({ length: frames * arch.nFeatures }, () => rng.normal()),
  labels: Uint8Array.from({ length: frames }, () => Math.min(4, Math.floor(rng.random() * 5))),
}));
const B = 256;
const width = inputWidth(arch);
const x = new Float32Array(B * width);
const y = new Uint8Array(B);
const yHot = new Float32Array(B * N_STATES);
const parts: Record<string, number[]> = { gather: [], tensors: [], kernel: [], adam: [], read: [], fusedStep: [], tapeStep: [] };
const model = buildSegmenter(arch, 1);
const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
const optimizer = new FusedAdamOptimizer(2e-3, 0.9, 0.999, 1e-7);
const cpu = { fused: 0, tape: 0 };
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};
const warm = Math.min(100, Math.floor(steps / 4));
const perBlock = Math.max(1, Math.floor(steps / blocks));

function gather(s: number): void {
  for (let i = 0; i < B; i++) {
    const r = recs[(s * 7 + i) % recs.length]!;
    const f = (s * 131 + i * 17) % frames;
    gatherFrame(r.features, frames, arch.nFeatures, f, arch.offsets, x, i * width);
    y[i] = r.labels[f]!;
  }
}

for (let s = 0; s < 2 * steps; s++) {
  const fused = Math.floor(s / perBlock) % 2 === 0;
  const keep = s >= 2 * warm;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  gather(s);
  let a = performance.now();
  if (fused) {
    if (keep) parts.gather!.push(a - t0);
    const { known } = oneHotKnown(y, N_STATES, yHot);
    const xt = tf.tensor2d(x, [B, width]);
    const yt = tf.tensor2d(yHot, [B, N_STATES]);
    let b = performance.now();
    if (keep) parts.tensors!.push(b - a);
    a = b;
    const [loss, ...grads] = denseMlpGrads(xt, yt, known, vars);
    b = performance.now();
    if (keep) parts.kernel!.push(b - a);
    a = b;
    optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
    b = performance.now();
    if (keep) parts.adam!.push(b - a);
    a = b;
    loss!.dataSync();
    tf.dispose([xt, yt, loss!, ...grads]);
    b = performance.now();
    if (keep) parts.read!.push(b - a);
    if (keep) parts.fusedStep!.push(b - t0);
    if (keep) cpu.fused += cpuMs(c0);
  } else {
    const loss = optimizer.minimize(() => maskedStateCrossEntropy(model.apply(tf.tensor2d(x, [B, width])) as tf.Tensor2D, y), true, vars) as tf.Scalar;
    loss.dataSync();
    loss.dispose();
    if (keep) parts.tapeStep!.push(performance.now() - t0);
    if (keep) cpu.tape += cpuMs(c0);
  }
}
const med = (v: number[]) => {
  const q = [...v].sort((p, r) => p - r);
  return q.length ? q[q.length >> 1]! : NaN;
};
const out: Record<string, unknown> = { threads, backend: backend.description, stepsPerPath: parts.fusedStep!.length };
for (const [k, v] of Object.entries(parts)) out[`${k}Ms`] = Number(med(v).toFixed(3));
out.tapeOverFused = Number((med(parts.tapeStep!) / med(parts.fusedStep!)).toFixed(2));
// CPU time per step (user + system, this process): robust to preemption on a shared machine
out.fusedCpuMsPerStep = Number((cpu.fused / parts.fusedStep!.length).toFixed(3));
out.tapeCpuMsPerStep = Number((cpu.tape / parts.tapeStep!.length).toFixed(3));
out.tapeOverFusedCpu = Number((out.tapeCpuMsPerStep as number / (out.fusedCpuMsPerStep as number)).toFixed(2));
out.numTensors = tf.memory().numTensors;
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
