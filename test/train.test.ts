/**
 * The training loop on a tiny version of the seed CNN (16×16 input): seeding, checkpoint/resume
 * without losing an epoch, interruption, early stopping, and the two-worker engine.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNodeBackend } from '../src/node/backend.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import * as tf from '@tensorflow/tfjs-core';
import { epochPlan, fitLoop, gatherBatch, LocalEngine, ModelTrainer, type TrainerState, type TrainingArrays } from '../src/model/training/train.js';
import { readCheckpoint, writeCheckpoint } from '../src/node/files/checkpoint.js';
import { DualEngine } from '../src/node/workers/dualEngine.js';
import { FastRng } from '../src/signal/rng.js';

before(async () => {
  await initNodeBackend('wasm');
});

const SHAPE: [number, number, number] = [16, 16, 1];
const scaling = { hr: { label: 'hr_bpm', offset: 0, scale: 2 }, hrv: { label: 'hrv_s', offset: 0, scale: 0.5 } };

/** A learnable toy task: targets are simple functions of the input's mean. */
function toyData(n: number, seed: number): TrainingArrays {
  const rng = new FastRng(seed);
  const size = 16 * 16;
  const x = new Float32Array(n * size);
  const yHr = new Float32Array(n);
  const yHrv = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const level = rng.uniform(-1, 1);
    for (let j = 0; j < size; j++) x[i * size + j] = level + 0.3 * rng.normal();
    yHr[i] = 2 * level;
    yHrv[i] = 1 + level;
  }
  return { x, n, inputShape: SHAPE, yHr, yHrv };
}

const train = toyData(24, 1);
const val = toyData(8, 2);

async function runFit(epochs: number, resume?: TrainerState, opts: { stopAfterBatches?: number; patience?: number } = {}) {
  const model = buildSeedCnn(SHAPE, { seed: 7 });
  const engine = new LocalEngine(model, train, val);
  let batches = 0;
  let last: (() => Promise<TrainerState>) | null = null;
  const fit = await fitLoop(engine, train.n, scaling, { epochs, batchSize: 8, seed: 11, earlyStoppingPatience: opts.patience }, {
    onBatchEnd: () => {
      batches++;
    },
    shouldStop: () => opts.stopAfterBatches !== undefined && batches >= opts.stopAfterBatches,
    onEpochEnd: (_log, state) => {
      last = state;
    },
  }, resume);
  const state = last ? await (last as () => Promise<TrainerState>)() : null;
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { fit, state, weights };
}

test('epoch plans are a pure function of (seed, epoch) and cover every sample once', () => {
  const a = epochPlan(10, 4, 3, 0);
  assert.deepEqual(a, epochPlan(10, 4, 3, 0));
  assert.notDeepEqual(a.batches, epochPlan(10, 4, 3, 1).batches);
  assert.deepEqual(a.batches.map((b) => b.length), [4, 4, 2]);
  assert.deepEqual(a.batches.flat().sort((p, q) => p - q), [...Array(10).keys()]);
});

test('same seed → identical history and weights; the loss goes down on a learnable task', async () => {
  const r1 = await runFit(3);
  const r2 = await runFit(3);
  assert.deepEqual(r1.fit.history.map((h) => h.loss), r2.fit.history.map((h) => h.loss));
  assert.deepEqual(r1.weights, r2.weights);
  const h = r1.fit.history;
  assert.equal(h.length, 3);
  assert.ok(h[2].loss < h[0].loss, `loss ${h[0].loss} → ${h[2].loss}`);
  assert.ok(h.every((e) => e.val_loss !== null && Number.isFinite(e.val_loss)));
  // label units: hr loss = MSE in model units × scale²
  assert.ok(Math.abs(h[0].loss - h[0].hr_output_loss - h[0].hrv_output_loss) < 1e-9);
});

test('a checkpoint written after epoch 2 resumes to exactly the uninterrupted 3-epoch result', async () => {
  const full = await runFit(3);
  const dir = mkdtempSync(join(tmpdir(), 'hrv-ckpt-'));
  try {
    const first = await runFit(2);
    writeCheckpoint(dir, first.state!, { mode: 'test' });
    writeCheckpoint(dir, first.state!, { mode: 'test' }); // alternating binaries stay consistent
    const ck = readCheckpoint(dir);
    assert.ok(ck);
    assert.equal(ck.state.epoch, 2);
    assert.equal(ck.run.mode, 'test');
    const resumed = await runFit(3, ck.state);
    assert.deepEqual(resumed.fit.history.map((h) => h.loss), full.fit.history.map((h) => h.loss));
    assert.deepEqual(resumed.weights, full.weights);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an interrupt stops between batches and reports only completed epochs', async () => {
  const r = await runFit(3, undefined, { stopAfterBatches: 4 });
  assert.equal(r.fit.stoppedBy, 'interrupt');
  assert.equal(r.fit.history.length, 1);
});

test('early stopping ends training once val_loss stops improving', async () => {
  const r = await runFit(40, undefined, { patience: 1 });
  assert.equal(r.fit.stoppedBy, 'early-stopping');
  assert.ok(r.fit.history.length < 40);
  const h = r.fit.history;
  const last = h[h.length - 1].val_loss!;
  assert.ok(Math.min(...h.slice(0, -1).map((e) => e.val_loss!)) <= last);
});

test('the two-worker engine trains, keeps both model copies identical, and validates', async () => {
  const model = buildSeedCnn(SHAPE, { seed: 7 });
  const dual = await DualEngine.start({ train, val, seed: 1, backend: 'wasm', weights: model });
  try {
    const fit = await fitLoop(dual, train.n, scaling, { epochs: 2, batchSize: 7, seed: 11 });
    assert.equal(fit.history.length, 2);
    assert.ok(fit.history.every((h) => Number.isFinite(h.loss) && h.val_loss !== null));
    const a = await dual.exportState(0);
    const b = await dual.exportState(1);
    assert.deepEqual(a.weights.map((w) => Array.from(w.data)), b.weights.map((w) => Array.from(w.data)));
    assert.ok(a.optimizer.length > 0);
    const start = model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.notDeepEqual(a.weights.map((w) => Array.from(w.data)), start);
  } finally {
    await dual.close();
    model.dispose();
  }
});

test("the two-worker step equals one step with the size-weighted mean of the halves' gradients", async () => {
  const model = buildSeedCnn(SHAPE, { seed: 9 });
  const dual = await DualEngine.start({ train, val: null, seed: 1, backend: 'wasm', weights: model });
  try {
    const start = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    const idx = [3, 1, 4, 15, 9, 2, 6]; // halves of 4 and 3 samples
    const seed = 12345;
    await dual.trainBatch(idx, seed);
    const got = (await dual.exportState(0)).weights.map((w) => w.data);
    // the same step by hand on this thread
    const trainer = new ModelTrainer(model);
    const halves = [idx.slice(0, 4), idx.slice(4)];
    const parts = halves.map((h, w) => {
      const b = gatherBatch(train, h);
      return trainer.gradients(b.x, b.yHr, b.yHrv, (seed + w * 0x61c88647) >>> 0).grads;
    });
    const avg = parts[0].map((g0, i) => tf.tidy(() => tf.add(tf.mul(g0, 4 / 7), tf.mul(parts[1][i], 3 / 7))));
    tf.dispose(parts.flat());
    trainer.applyGradients(avg);
    const want = model.getWeights().map((w) => w.dataSync() as Float32Array);
    // Adam's first step moves every weight by ≈ lr = 1e-3; float32 rounding of the averaged
    // gradient may shift it by a tiny fraction of that
    for (let k = 0; k < want.length; k++) {
      let err = 0;
      for (let j = 0; j < want[k].length; j++) err = Math.max(err, Math.abs(want[k][j] - got[k][j]));
      assert.ok(err <= 1e-6, `weight ${k}: error ${err}`);
    }
    // and the step did move the weights
    assert.ok(Math.abs(got[0][0] - start[0][0]) > 1e-4);
  } finally {
    await dual.close();
    model.dispose();
  }
});

/** An engine whose steps finish later (like the workers'): records the order and the overlap. */
class QueuingFake {
  readonly description = 'fake';
  readonly queuesBatches: boolean;
  log: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(queues: boolean) {
    this.queuesBatches = queues;
  }
  trainBatch(idx: number[], dropoutSeed: number) {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.log.push(`step ${idx[0]} ${dropoutSeed}`);
    return new Promise<{ n: number; sqHr: number; sqHrv: number; absHr: number; absHrv: number }>((resolve) => setTimeout(() => {
      this.inFlight--;
      resolve({ n: idx.length, sqHr: idx[0], sqHrv: 1, absHr: idx.length, absHrv: 0 });
    }, 2));
  }
  async validate() {
    this.log.push(`validate (in flight ${this.inFlight})`);
    return null;
  }
  async exportState() {
    this.log.push(`export (in flight ${this.inFlight})`);
    return { weights: [], optimizer: [] };
  }
  async importState() {}
}

test('a queuing engine gets the next batch while one runs, never across an epoch end, with the same results', async () => {
  const runs = [];
  for (const queues of [false, true]) {
    const engine = new QueuingFake(queues);
    const ends: number[] = [];
    const fit = await fitLoop(engine, 20, scaling, { epochs: 2, batchSize: 6, seed: 5 }, {
      onBatchEnd: (_e, b) => ends.push(b),
      onEpochEnd: async (_log, state) => {
        await state();
      },
    });
    runs.push({ engine, ends, fit });
  }
  const [plain, queued] = runs;
  assert.equal(plain.engine.maxInFlight, 1);
  assert.equal(queued.engine.maxInFlight, 2, 'the next batch is queued while one runs');
  assert.deepEqual(queued.engine.log, plain.engine.log, 'the same steps, in the same order');
  assert.ok(queued.engine.log.filter((l) => !l.startsWith('step')).every((l) => l.endsWith('(in flight 0)')), 'validation and checkpoints see no step in flight');
  assert.deepEqual(queued.ends, plain.ends);
  assert.deepEqual(queued.fit.history.map((h) => h.loss), plain.fit.history.map((h) => h.loss));
});

test('a queuing engine stopped between batches finishes the step in flight before returning', async () => {
  const engine = new QueuingFake(true);
  let n = 0;
  const fit = await fitLoop(engine, 30, scaling, { epochs: 3, batchSize: 5, seed: 2 }, { shouldStop: () => ++n > 3 });
  assert.equal(fit.stoppedBy, 'interrupt');
  assert.equal(engine.inFlight, 0);
  assert.equal(engine.log.length, 3);
});
