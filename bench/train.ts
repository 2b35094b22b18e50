/**
 * Training speed of the seed CNN (129×38×1 input, batch 32) on the wasm backend with the fast
 * training kernels: forward and training-step samples/s and GFLOP/s (fresh tensors every repeat:
 * XNNPACK caches packed operands by tensor id, so reused tensors would flatter the numbers),
 * the step/forward ratio, and seconds per epoch of the seed's full study (400 training samples +
 * 100 validation samples) with one thread vs two worker threads, measured in the same run.
 * Goals (idle 2-core machine): ≤ 2.4 s per epoch; step ≤ 3.5 × forward.
 */
import { initNodeBackend } from '../src/node/backend.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { fitLoop, LocalEngine, ModelTrainer, type TrainingArrays } from '../src/model/training/train.js';
import { DualEngine } from '../src/node/workers/dualEngine.js';
import { FastRng } from '../src/signal/rng.js';

const SHAPE: [number, number, number] = [129, 38, 1];
const BATCH = 32;

/** Multiply-adds × 2 of one sample's forward pass. */
function forwardFlops(): number {
  let flops = 0;
  let h = SHAPE[0];
  let w = SHAPE[1];
  let c = 1;
  for (const f of [32, 64, 128, 128]) {
    flops += 2 * h * w * 9 * c * f;
    c = f;
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  const flat = h * w * c;
  flops += 2 * (flat * 256 + 256 * 128 + 128 * 2);
  return flops;
}

function randomArrays(n: number, seed: number): TrainingArrays {
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

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const scaling = { hr: { label: 'hr_bpm', offset: 0, scale: 1 }, hrv: { label: 'hrv_s', offset: 0, scale: 1 } };

async function epochSeconds(engine: LocalEngine | DualEngine, nTrain: number, epochs: number): Promise<number[]> {
  const fit = await fitLoop(engine, nTrain, scaling, { epochs, batchSize: BATCH, seed: 1 });
  return fit.history.map((h) => h.seconds);
}

export async function run(): Promise<Record<string, unknown>> {
  const backend = await initNodeBackend('wasm');
  const model = buildSeedCnn(SHAPE, { seed: 1 });
  const trainer = new ModelTrainer(model);
  const repeats = 5;
  const fwd: number[] = [];
  const step: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const b = randomArrays(BATCH, 100 + r);
    let t = performance.now();
    trainer.predict(b.x, BATCH, BATCH);
    const f = performance.now() - t;
    t = performance.now();
    const g = trainer.gradients(b.x, b.yHr, b.yHrv, r);
    trainer.applyGradients(g.grads);
    const s = performance.now() - t;
    if (r > 0) {
      fwd.push(f / 1000);
      step.push(s / 1000);
    }
  }
  const flops = forwardFlops();
  const fwdS = median(fwd);
  const stepS = median(step);

  const train = randomArrays(400, 7);
  const val = randomArrays(100, 8);
  const local = new LocalEngine(model, train, val);
  const single = await epochSeconds(local, train.n, 2);
  let dual: number[] | null = null;
  try {
    const engine = await DualEngine.start({ train, val, seed: 1, backend: 'wasm', weights: model });
    try {
      dual = await epochSeconds(engine, train.n, 2);
    } finally {
      await engine.close();
    }
  } catch {
    dual = null;
  }
  const singleEpochS = single[single.length - 1];
  const dualEpochS = dual ? dual[dual.length - 1] : null;
  return {
    backend: backend.description,
    batch: BATCH,
    forwardSamplesPerS: BATCH / fwdS,
    forwardGflops: (BATCH * flops) / fwdS / 1e9,
    stepSamplesPerS: BATCH / stepS,
    stepGflops: (3 * BATCH * flops) / stepS / 1e9,
    stepOverForward: stepS / fwdS,
    forwardMflopPerSample: flops / 1e6,
    epoch400: {
      note: '400 training + 100 validation samples (the seed: n 500, 80/20); seconds of the 2nd epoch',
      singleThreadS: singleEpochS,
      twoWorkersS: dualEpochS,
      speedup: dualEpochS ? singleEpochS / dualEpochS : null,
      projected100EpochsMin: ((dualEpochS ?? singleEpochS) * 100) / 60,
    },
    goals: { epochS: 2.4, stepOverForward: 3.5 },
  };
}
