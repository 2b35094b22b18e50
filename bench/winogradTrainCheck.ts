/**
 * Does the seed CNN still learn with the Winograd convolutions? The same seeded training (the
 * seed CNN, 400 training + 100 validation synthetic spectrograms with a learnable target, batch
 * 32, Adam, `--epochs` epochs, one wasm thread) with Winograd F(2×2, 3×3) and with the direct
 * convolution kernels, in one process. The targets are functions of the input (hr: the mean of a
 * band of rows, hrv: the spread of another band), so the validation loss can fall. Prints one
 * JSON line: the per-epoch training and validation losses of both paths, and whether a rerun
 * with Winograd gives the same bytes (determinism).
 * Run: `node --import tsx bench/winogradTrainCheck.ts [--epochs 6]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { fitLoop, LocalEngine, type TrainingArrays } from '../src/model/training/train.js';
import { setWinogradEnabled } from '../src/model/kernels/winogradConv.js';
import { FastRng } from '../src/signal/rng.js';
import { createHash } from 'node:crypto';

const SHAPE: [number, number, number] = [129, 38, 1];

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

/**
 * Random images with two planted bands; the labels as the engine trains on them (standardized):
 * hr = mean(rows 20–40) (i.e. 60 + 20·that in bpm), hrv = std(rows 80–100) (0.05 + 0.05·that in s).
 */
function arrays(n: number, seed: number): TrainingArrays {
  const rng = new FastRng(seed);
  const [H, W] = SHAPE;
  const x = new Float32Array(n * H * W);
  const yHr = new Float32Array(n);
  const yHrv = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const a = rng.normal();
    const b = Math.abs(rng.normal());
    let sumA = 0;
    let cntA = 0;
    let sumB = 0;
    let sqB = 0;
    let cntB = 0;
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        let v = 0.5 * rng.normal();
        if (r >= 20 && r < 40) v += a;
        if (r >= 80 && r < 100) v += b * Math.sin(c * 0.7 + r);
        x[(s * H + r) * W + c] = v;
        if (r >= 20 && r < 40) { sumA += v; cntA++; }
        if (r >= 80 && r < 100) { sumB += v; sqB += v * v; cntB++; }
      }
    }
    yHr[s] = sumA / cntA;
    const m = sumB / cntB;
    yHrv[s] = Math.sqrt(Math.max(0, sqB / cntB - m * m));
  }
  return { x, n, inputShape: SHAPE, yHr, yHrv };
}

const scaling = { hr: { label: 'hr_bpm', offset: 60, scale: 20 }, hrv: { label: 'hrv_s', offset: 0.05, scale: 0.05 } };

async function train(winograd: boolean, epochs: number, data: { train: TrainingArrays; val: TrainingArrays }) {
  setWinogradEnabled(winograd);
  const model = buildSeedCnn(SHAPE, { seed: 1 });
  const engine = new LocalEngine(model, data.train, data.val);
  const res = await fitLoop(engine, data.train.n, scaling, { epochs, batchSize: 32, seed: 1 });
  const h = createHash('sha256');
  for (const w of model.weights) h.update(Buffer.from((w.read().dataSync() as Float32Array).buffer));
  const out = {
    loss: res.history.map((e) => Number(e.loss.toPrecision(5))),
    valLoss: res.history.map((e) => (e.val_loss === null ? null : Number(e.val_loss.toPrecision(5)))),
    valHrMaeBpm: res.history.map((e) => (e.val_hr_output_mae === null ? null : Number(e.val_hr_output_mae.toPrecision(4)))),
    weightsSha256: h.digest('hex').slice(0, 16),
  };
  model.dispose();
  return out;
}

async function main(): Promise<void> {
  const epochs = Number(arg('epochs', '6'));
  await initNodeBackend('wasm');
  const data = { train: arrays(400, 7), val: arrays(100, 8) };
  const wino = await train(true, epochs, data);
  const direct = await train(false, epochs, data);
  const again = await train(true, epochs, data);
  setWinogradEnabled(true);
  process.stdout.write(`${JSON.stringify({ epochs, backend: tf.getBackend(), winograd: wino, direct, winogradRerunSameBytes: again.weightsSha256 === wino.weightsSha256 })}\n`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
