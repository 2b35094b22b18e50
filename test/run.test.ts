/** `hrv-audio run`, `train` and `evaluate` end to end on a tiny study (n = 16, 1 epoch). */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'hrv-run-'));
after(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const runDir = join(root, 'run');

test('run --n 16 --epochs 1 writes the run folder of the contract', () => {
  const r = cli(['run', '--out', runDir, '--n', '16', '--epochs', '1', '--batch-size', '8', '--workers', '1', '--no-report']);
  assert.equal(r.code, 0, r.err);
  for (const f of ['config.json', 'data/dataset.json', 'data/spectrograms.npy', 'model/model.json', 'model/weights.bin', 'model/preprocess.json', 'history.csv', 'history.json', 'predictions.csv', 'metrics.json']) {
    assert.ok(existsSync(join(runDir, f)), `missing ${f}`);
  }
  const history = readFileSync(join(runDir, 'history.csv'), 'utf8').trim().split('\n');
  assert.equal(history[0], 'epoch,seconds,loss,hr_output_loss,hrv_output_loss,hr_output_mae,hrv_output_mae,val_loss,val_hr_output_loss,val_hrv_output_loss,val_hr_output_mae,val_hrv_output_mae');
  assert.equal(history.length, 2);
  const pred = readFileSync(join(runDir, 'predictions.csv'), 'utf8').trim().split('\n');
  assert.equal(pred[0], 'index,hr_bpm,hr_count_bpm,hrv_s,snr_db,hr_pred_bpm,hrv_pred_s,classical_hr_bpm,classical_hrv_s');
  assert.equal(pred.length - 1, 4); // ceil(16 × 0.2) test samples
  const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
  assert.equal(m.mode, 'improved');
  assert.equal(m.params, 797954);
  assert.equal(m.nTrain + m.nTest, 16);
  for (const k of ['hr_bpm', 'hr_count_bpm', 'hrv_s']) assert.ok(Number.isFinite(m.cnn[k].mae), k);
  assert.match(m.modelSummary, /hr_output/);
  const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
  assert.equal(config.simulation.n, 16);
  assert.equal(config.training.epochs, 1);
  assert.match(r.out, /Test HR MAE/);
});

test('evaluate --json on the training dataset scores the same test split as run', () => {
  const r = cli(['evaluate', join(runDir, 'model'), join(runDir, 'data'), '--json']);
  assert.equal(r.code, 0, r.err);
  const ev = JSON.parse(r.out);
  const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
  assert.equal(ev.subset, 'test');
  assert.equal(ev.predictions.length, m.nTest);
  assert.ok(Math.abs(ev.test.hrMae - m.test.hrMae) < 1e-9);
});

test('train --mode faithful on the run dataset, then --resume with more epochs continues', () => {
  const modelDir = join(root, 'faithful');
  const r1 = cli(['train', join(runDir, 'data'), '--out', modelDir, '--mode', 'faithful', '--epochs', '1', '--batch-size', '8', '--workers', '1', '--quiet']);
  assert.equal(r1.code, 0, r1.err);
  const pre = JSON.parse(readFileSync(join(modelDir, 'preprocess.json'), 'utf8'));
  assert.equal(pre.mode, 'faithful');
  assert.equal(pre.targets.hr.label, 'hr_count_bpm');
  const r2 = cli(['train', join(runDir, 'data'), '--out', modelDir, '--mode', 'faithful', '--epochs', '2', '--batch-size', '8', '--workers', '1', '--resume', '--quiet']);
  assert.equal(r2.code, 0, r2.err);
  const h = JSON.parse(readFileSync(join(modelDir, 'history.json'), 'utf8'));
  assert.deepEqual(h.map((e: { epoch: number }) => e.epoch), [1, 2]);
  const r3 = cli(['train', join(runDir, 'data'), '--out', modelDir, '--mode', 'improved', '--epochs', '3', '--resume', '--quiet']);
  assert.equal(r3.code, 2);
  assert.match(r3.err, /checkpoint was made with mode="faithful"/);
});

test('bad options are one-line usage errors (exit 2)', () => {
  const a = cli(['train', join(runDir, 'data'), '--out', join(root, 'x'), '--epochs', '0']);
  assert.equal(a.code, 2);
  assert.match(a.err, /--epochs must be ≥ 1/);
  const b = cli(['run', '--out', runDir, '--n', '16']);
  assert.equal(b.code, 2);
  assert.match(b.err, /not empty/);
  const c = cli(['evaluate', join(root, 'nope'), join(runDir, 'data')]);
  assert.equal(c.code, 2);
  assert.match(c.err, /no preprocess.json/);
});

test('Ctrl-C during training saves the last complete epoch and exits 130; --resume finishes the run', async () => {
  const modelDir = join(root, 'interrupted');
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'train', join(runDir, 'data'), '--out', modelDir, '--epochs', '30', '--batch-size', '4', '--workers', '1'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/Epoch 1\/30/.test(out) && !child.killed) child.kill('SIGINT');
    });
    child.on('close', (c) => resolve(c));
  });
  assert.equal(code, 130, err);
  assert.match(err, /interrupted: \d+ epoch\(s\) completed/);
  const ck = JSON.parse(readFileSync(join(modelDir, 'checkpoint', 'checkpoint.json'), 'utf8'));
  assert.ok(ck.epoch >= 1 && ck.epoch < 30);
  assert.ok(existsSync(join(modelDir, 'model.json')), 'the last complete epoch is saved as a model');
  const r = cli(['train', join(runDir, 'data'), '--out', modelDir, '--epochs', String(ck.epoch + 1), '--batch-size', '4', '--workers', '1', '--resume', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const h = JSON.parse(readFileSync(join(modelDir, 'history.json'), 'utf8'));
  assert.deepEqual(h.map((e: { epoch: number }) => e.epoch), Array.from({ length: ck.epoch + 1 }, (_, i) => i + 1));
});
