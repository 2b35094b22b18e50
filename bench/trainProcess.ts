/**
 * One training-speed measurement of the seed CNN in a fresh process (the wasm backend's thread
 * count is fixed per process): `node --import tsx bench/trainProcess.ts --threads N [--engine
 * local|dual] [--epochs 4] [--profile] [--no-winograd]`. Prints one JSON line: forward and step
 * samples/s (batch 32, medians), seconds per epoch (400 training + 100 validation samples, the
 * median of epochs 2–4, as bench/torch_train.py), the CPU seconds of the process per epoch (user +
 * system, all its threads; median of epochs 2–4), and with --profile the per-kernel time of one
 * training step. `--no-winograd`: the direct convolution kernels instead of Winograd F(2×2, 3×3)
 * (main's path; for before/after comparisons). `--xnnpack-matmul`: the 2-D BatchMatMuls on XNNPACK
 * instead of our SIMD GEMM; `--grad-tile 2|4`: force the Winograd filter gradient's tile.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { fitLoop, LocalEngine, ModelTrainer, type TrainingArrays } from '../src/model/training/train.js';
import { DualEngine } from '../src/node/workers/dualEngine.js';
import { FastRng } from '../src/signal/rng.js';
import { median } from './pythonBench.js';
import { setWinogradEnabled, setWinogradGradTile } from '../src/model/kernels/winogradConv.js';
import { setBatchMatMulSimd } from '../src/model/kernels/batchMatMul.js';

export const SHAPE: [number, number, number] = [129, 38, 1];
export const BATCH = 32;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

export function randomArrays(n: number, seed: number): TrainingArrays {
  const rng = new FastRng(seed);
  const size = SHAPE[0] * SHAPE[1];
  return {
    x: Float32Array.from({ length: n * size }, () => rng.normal()),
    n,
    inputShape: SHAPE,
    yHr: Float32Array.from({ length: n }, () => rng.normal()),
    yHrv: Float32Array.from({ length: n }, () => Math.abs(rng.normal())),
  };
}

const scaling = { hr: { label: 'hr_bpm', offset: 0, scale: 1 }, hrv: { label: 'hrv_s', offset: 0, scale: 1 } };

async function main(): Promise<void> {
  const threads = Number(arg('threads', '1'));
  const engineKind = arg('engine', 'local');
  const epochs = Number(arg('epochs', '4'));
  const winograd = !process.argv.includes('--no-winograd');
  setWinogradEnabled(winograd);
  // --xnnpack-matmul: the 2-D BatchMatMuls on XNNPACK instead of our SIMD GEMM; --grad-tile 2|4: force the
  // Winograd filter gradient's tile (A/B of issue 16's gemm10 choices in one build; this process only, not the dual engine's workers)
  if (process.argv.includes('--xnnpack-matmul')) setBatchMatMulSimd(false);
  if (process.argv.includes('--grad-tile')) setWinogradGradTile(Number(arg('grad-tile', '0')) as 2 | 4);
  const backend = await initNodeBackend('wasm', { wasmThreads: threads });
  const model = buildSeedCnn(SHAPE, { seed: 1 });
  const out: Record<string, unknown> = { threads, engine: engineKind, winograd, backend: backend.description };
  if (engineKind === 'local') {
    const trainer = new ModelTrainer(model);
    const fwd: number[] = [];
    const step: number[] = [];
    for (let r = 0; r < 7; r++) {
      const b = randomArrays(BATCH, 100 + r);
      let t = performance.now();
      trainer.predict(b.x, BATCH, BATCH);
      const f = performance.now() - t;
      t = performance.now();
      const g = trainer.gradients(b.x, b.yHr, b.yHrv, r);
      trainer.applyGradients(g.grads);
      const s = performance.now() - t;
      if (r > 1) {
        fwd.push(f / 1000);
        step.push(s / 1000);
      }
    }
    out.forwardSamplesPerS = BATCH / median(fwd);
    out.stepSamplesPerS = BATCH / median(step);
    out.stepOverForward = median(step) / median(fwd);
    if (process.argv.includes('--profile')) out.profile = await profileStep(trainer);
    if (process.argv.includes('--profile-half')) out.profileHalfBatch = await profileStep(trainer, BATCH / 2);
  }
  const train = randomArrays(400, 7);
  const val = randomArrays(100, 8);
  let seconds: number[];
  // CPU seconds of the whole process (all threads) per epoch, read at each epoch's end
  const cpuSeconds: number[] = [];
  let cpu0 = process.cpuUsage();
  const callbacks = {
    onEpochBegin: () => {
      cpu0 = process.cpuUsage();
    },
    onEpochEnd: () => {
      const d = process.cpuUsage(cpu0);
      cpuSeconds.push((d.user + d.system) / 1e6);
    },
  };
  if (engineKind === 'dual') {
    const engine = await DualEngine.start({ train, val, seed: 1, backend: 'wasm', weights: model, winograd });
    // --profile: the workers' per-phase times of epochs 2 on (epoch 1 warms up)
    const profiled = {
      ...callbacks,
      onEpochEnd: async () => {
        callbacks.onEpochEnd();
        if (cpuSeconds.length === 1) await engine.profile(true);
      },
    };
    try {
      seconds = (await fitLoop(engine, train.n, scaling, { epochs, batchSize: BATCH, seed: 1 }, process.argv.includes('--profile') ? profiled : callbacks)).history.map((h) => h.seconds);
      if (process.argv.includes('--profile')) out.workerPhasesMsPerStep = (await engine.profile()).map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'steps').map(([k, v]) => [k, Number((v / p.steps).toFixed(2))])));
    } finally {
      await engine.close();
    }
  } else {
    const engine = new LocalEngine(model, train, val);
    seconds = (await fitLoop(engine, train.n, scaling, { epochs, batchSize: BATCH, seed: 1 }, callbacks)).history.map((h) => h.seconds);
  }
  out.epochSeconds = seconds.map((s) => Number(s.toFixed(4)));
  out.epochS = median(seconds.slice(1, 4));
  out.epochCpuSeconds = cpuSeconds.map((s) => Number(s.toFixed(4)));
  out.epochCpuS = median(cpuSeconds.slice(1, 4));
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** Milliseconds per kernel name over 3 profiled training steps (median per kernel). */
async function profileStep(trainer: ModelTrainer, batch = BATCH): Promise<Record<string, unknown>> {
  const runs: Array<Map<string, number>> = [];
  const shapes = new Map<string, string>();
  for (let r = 0; r < 3; r++) {
    const b = randomArrays(batch, 200 + r);
    const info = await tf.profile(() => {
      const g = trainer.gradients(b.x, b.yHr, b.yHrv, r);
      trainer.applyGradients(g.grads);
    });
    const m = new Map<string, number>();
    for (const k of info.kernels) {
      // the conv kernels per layer, keyed by their input channel counts
      const key = keyOf(k.name, k.inputShapes as number[][]);
      m.set(key, (m.get(key) ?? 0) + (k.kernelTimeMs as number));
      shapes.set(key, JSON.stringify(k.inputShapes));
    }
    runs.push(m);
  }
  const out: Record<string, number> = {};
  for (const key of runs[0].keys()) out[key] = Number(median(runs.map((m) => m.get(key) ?? 0)).toFixed(2));
  return out;
}

function keyOf(name: string, shapes: number[][]): string {
  if (name === 'FusedConv2D' || name === 'Conv2D' || name === 'HrvConv2DBiasRelu') return `${name} ${shapes[0]?.[3]}→${shapes[1]?.[3]}`;
  if (name === 'Conv2DBackpropFilter') return `${name} ${shapes[0]?.[3]}→${shapes[1]?.[3]}`;
  if (name === 'Conv2DBackpropInput') return `${name} ${shapes[1]?.[3]}→${shapes[1]?.[2]}`;
  if (name === 'BatchMatMul') return `${name} [${shapes[0]}]·[${shapes[1]}]`;
  if (name === 'MaxPool' || name === 'MaxPoolGrad' || name === 'Relu' || name === 'ReluGrad' || name === 'Add' || name === 'Sum') return `${name} [${shapes[0]}]`;
  return name;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(() => process.exit(0), (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
