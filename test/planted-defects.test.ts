/**
 * Tests that catch defects planted on purpose (issue 11 §8). Each test names the defect it
 * catches; each was checked by planting the defect and watching the test fail.
 */
import { test, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assessQuality, QUALITY_RULES, type QualityInputs } from '../src/hrv/classical/quality.js';
import { readNpy } from '../src/node/files/npy.js';
import { writeFileAtomic } from '../src/node/files/atomicWrite.js';
import { readCheckpoint, writeCheckpoint } from '../src/node/files/checkpoint.js';
import { saveModel, MODEL_FILES } from '../src/node/files/modelStore.js';
import { initBackend } from '../src/model/backend.js';
import { simulateDataset } from '../src/signal/simulate.js';
import { estimate } from '../src/hrv/estimate.js';
import type { TrainerState } from '../src/model/training/train.js';

const root = mkdtempSync(join(tmpdir(), 'hrv-planted-'));
after(() => rmSync(root, { recursive: true, force: true }));

// ---------------------------------------------------------------- quality factors
/** Inputs where every factor is 1 (a clean, regular 1 Hz rhythm over 10 s). */
const CLEAN: QualityInputs = {
  durationS: 10,
  rms: 0.1,
  clippedFraction: 0,
  nBeats: 11,
  rrS: Array.from({ length: 10 }, () => 1),
  nCandidateIntervals: 10,
  contrast: 5,
  periodicity: 0.9,
};

test('quality: clean inputs score 1 with no reasons', () => {
  assert.deepEqual(assessQuality(CLEAN), { score: 1, reasons: [] });
});

test('quality: the contrast factor alone (half way between bad and good → 0.5, with its reason)', () => {
  const c = (QUALITY_RULES.contrast.bad + QUALITY_RULES.contrast.good) / 2;
  const q = assessQuality({ ...CLEAN, contrast: c });
  assert.ok(Math.abs(q.score - 0.5) < 1e-12, `score ${q.score}`);
  assert.equal(q.reasons.length, 1);
  assert.match(q.reasons[0]!, /^beats barely stand out from the background \(contrast 2\.40\)$/);
  assert.equal(assessQuality({ ...CLEAN, contrast: QUALITY_RULES.contrast.bad }).score, 0);
});

test('quality: the periodicity factor alone (half way → 0.5, with its reason)', () => {
  const p = (QUALITY_RULES.periodicity.bad + QUALITY_RULES.periodicity.good) / 2;
  const q = assessQuality({ ...CLEAN, periodicity: p });
  assert.ok(Math.abs(q.score - 0.5) < 1e-12, `score ${q.score}`);
  assert.equal(q.reasons.length, 1);
  assert.match(q.reasons[0]!, /^weak periodicity \(autocorrelation 0\.13 at the period\)$/);
  assert.equal(assessQuality({ ...CLEAN, periodicity: 0 }).score, 0);
});

test('quality: contrast and periodicity multiply', () => {
  const q = assessQuality({ ...CLEAN, contrast: 2.4, periodicity: 0.125 });
  assert.ok(Math.abs(q.score - 0.25) < 1e-12, `score ${q.score}`);
  assert.equal(q.reasons.length, 2);
});

// ---------------------------------------------------------------- Fortran-order .npy
test('npy: a Fortran-order file numpy wrote is reordered to C order', () => {
  // fixtures/npy/fortran_2x3_f8.npy: np.save of np.asfortranarray(np.arange(6).reshape(2, 3) * 1.5 + 1)
  const path = new URL('../fixtures/npy/fortran_2x3_f8.npy', import.meta.url).pathname;
  const raw = readFileSync(path);
  assert.match(raw.toString('latin1', 0, 128), /'fortran_order': True/);
  // on disk the values are column by column
  const onDisk = Array.from(new Float64Array(raw.buffer.slice(raw.byteOffset + raw.length - 48, raw.byteOffset + raw.length)));
  assert.deepEqual(onDisk, [1, 5.5, 2.5, 7, 4, 8.5]);
  const a = readNpy(path);
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual(Array.from(a.data), [1, 2.5, 4, 5.5, 7, 8.5]); // row by row
});

// ---------------------------------------------------------------- atomic writes
/**
 * Make every fs.writeFileSync write only the first half of its bytes and then throw (a full disk),
 * or make renameSync throw; the ESM named imports of node:fs see the fakes after
 * syncBuiltinESMExports().
 */
function withFailingFs<T>(what: 'write' | 'rename', fn: () => T): T {
  const realWrite = fs.writeFileSync;
  if (what === 'write') {
    mock.method(fs, 'writeFileSync', (p: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      realWrite(p, bytes.subarray(0, bytes.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device (simulated)'), { code: 'ENOSPC' });
    });
  } else {
    mock.method(fs, 'renameSync', () => {
      throw Object.assign(new Error('EIO: rename failed (simulated)'), { code: 'EIO' });
    });
  }
  syncBuiltinESMExports();
  try {
    return fn();
  } finally {
    mock.restoreAll();
    syncBuiltinESMExports();
  }
}

async function withFailingFsAsync<T>(what: 'write' | 'rename', fn: () => Promise<T>): Promise<T> {
  let p!: Promise<T>;
  // the fakes must stay in place until the promise settles
  const realWrite = fs.writeFileSync;
  if (what === 'write') {
    mock.method(fs, 'writeFileSync', (path: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      realWrite(path, bytes.subarray(0, bytes.length >> 1));
      throw Object.assign(new Error('ENOSPC (simulated)'), { code: 'ENOSPC' });
    });
  } else {
    mock.method(fs, 'renameSync', () => {
      throw Object.assign(new Error('EIO (simulated)'), { code: 'EIO' });
    });
  }
  syncBuiltinESMExports();
  try {
    p = fn();
    return await p;
  } finally {
    mock.restoreAll();
    syncBuiltinESMExports();
  }
}

for (const what of ['write', 'rename'] as const) {
  test(`writeFileAtomic: a failed ${what} keeps the previous file intact and leaves no temporary file`, () => {
    const dir = join(root, `atomic-${what}`);
    fs.mkdirSync(dir);
    const target = join(dir, 'a.txt');
    writeFileSync(target, 'previous contents');
    assert.throws(() => withFailingFs(what, () => writeFileAtomic(target, 'new contents that are longer')), /simulated/);
    assert.equal(readFileSync(target, 'utf8'), 'previous contents');
    assert.deepEqual(readdirSync(dir), ['a.txt']);
    writeFileAtomic(target, 'new'); // and it works when fs does
    assert.equal(readFileSync(target, 'utf8'), 'new');
  });

  test(`training checkpoint: a failed ${what} keeps the previous checkpoint readable`, () => {
    const dir = join(root, `ckpt-${what}`);
    const state = (v: number): TrainerState => ({
      epoch: v,
      history: [],
      weights: [{ name: 'w', shape: [2, 2], data: new Float32Array([v, v, v, v]) }],
      optimizer: [{ name: 'm', shape: [2], data: new Float32Array([v, v]) }],
      best: null,
      wait: 0,
    });
    writeCheckpoint(dir, state(1), { mode: 'test' });
    writeCheckpoint(dir, state(2), { mode: 'test' });
    const before = readdirSync(dir).sort();
    assert.throws(() => withFailingFs(what, () => writeCheckpoint(dir, state(3), { mode: 'test' })), /simulated/);
    const ck = readCheckpoint(dir);
    assert.ok(ck);
    assert.equal(ck.state.epoch, 2);
    assert.deepEqual(Array.from(ck.state.weights[0]!.data), [2, 2, 2, 2]);
    assert.deepEqual(readdirSync(dir).sort(), before);
  });
}

test('model saving: a failed write or rename keeps the previous model files intact', async () => {
  await initBackend('cpu');
  const dir = join(root, 'model');
  const make = (v: number) => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    m.setWeights([tf.fill([3, 2], v), tf.fill([2], v)]);
    return m;
  };
  await saveModel(make(1), dir);
  const files = [MODEL_FILES.model, MODEL_FILES.weights];
  const before = files.map((f) => readFileSync(join(dir, f)));
  for (const what of ['write', 'rename'] as const) {
    await assert.rejects(withFailingFsAsync(what, () => saveModel(make(2), dir)), /simulated/);
    files.forEach((f, i) => assert.deepEqual(readFileSync(join(dir, f)), before[i], `${f} after a failed ${what}`));
  }
});

// ---------------------------------------------------------------- minQuality, trusted, verdict
const [sim] = simulateDataset({ n: 1, seed: 11, durationS: 16 });
/** The simulated pulse with uniform noise (a fixed LCG): quality drops to ≈ 0.1. */
function noisy(amplitude: number): Float64Array {
  let st = 12345;
  return Float64Array.from(sim!.samples, (v) => {
    st = (st * 1103515245 + 12345) % 2147483648;
    return v + amplitude * (st / 2147483648 - 0.5);
  });
}

test('trusted follows the quality score and minQuality (fair / poor branches)', async () => {
  const x = noisy(0.5);
  const low = await estimate(x, 1000, {});
  const q = low.quality.score;
  assert.ok(q > 0.02 && q < 0.2, `the noisy recording's quality ${q} should lie between 0.02 and the default threshold 0.2`);
  // below the default threshold: not trusted, verdict poor (there were intervals), no numbers
  assert.equal(low.trusted, false);
  assert.equal(low.verdict, 'poor');
  assert.equal(low.heartRateBpm, null);
  // the same recording with minQuality just under its score: trusted, and 'fair' (score < 0.7)
  const lenient = await estimate(x, 1000, { minQuality: q * 0.9 });
  assert.equal(lenient.quality.score, q);
  if (lenient.trusted) assert.equal(lenient.verdict, 'fair');
  // the clean recording (quality 1) is trusted and 'good', with the right HR
  const clean = await estimate(sim!.samples, 1000, {});
  assert.equal(clean.trusted, true);
  assert.equal(clean.verdict, 'good');
  assert.ok(Math.abs(clean.heartRateBpm! - sim!.hrBpm) < 2);
  // minQuality raised above the recording's score: not trusted
  const strict = await estimate(x, 1000, { minQuality: Math.min(1, q * 1.5) });
  assert.equal(strict.trusted, false);
});
