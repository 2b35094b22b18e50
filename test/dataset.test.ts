import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSimulationOptions, simulateDataset } from '../src/signal/simulate.js';
import { spectrogramBatch } from '../src/dsp/spectrogram.js';
import {
  LABEL_COLUMNS,
  OutputFolderError,
  readDataset,
  readSpectrograms,
  writeDataset,
  writeSpectrograms,
} from '../src/node/files/dataset.js';
import { trainTestSplit } from '../src/model/training/split.js';

function withTmp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dataset-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function make(dir: string, n = 4, seed = 7, dtype: 'float32' | 'float64' = 'float32'): void {
  const opts = resolveSimulationOptions({ n, seed, durationS: 2 });
  writeDataset(dir, simulateDataset(opts), opts, { dtype, packageVersion: '9.9.9' });
}

test('write → read round trip: signals, labels, beats and meta', () =>
  withTmp((root) => {
    const dir = join(root, 'data');
    const opts = resolveSimulationOptions({ n: 5, seed: 3, rng: 'numpy', durationS: 2 });
    const sims = simulateDataset(opts);
    writeDataset(dir, sims, opts, { dtype: 'float64', packageVersion: '1.2.3' });
    assert.deepEqual(readdirSync(dir).sort(), ['beats.json', 'dataset.json', 'labels.csv', 'signals.npy']);
    const ds = readDataset(dir);
    assert.equal(ds.n, 5);
    assert.equal(ds.nSamples, 2000);
    assert.equal(ds.sampleRateHz, 1000);
    assert.ok(ds.signals instanceof Float64Array, 'float64 stays float64');
    sims.forEach((s, i) => {
      assert.deepEqual(Array.from(ds.signals.subarray(i * 2000, (i + 1) * 2000)), Array.from(s.samples));
      assert.equal(ds.labels.hrBpm[i], s.hrBpm);
      assert.equal(ds.labels.hrCountBpm[i], s.hrCountBpm);
      assert.equal(ds.labels.hrvS[i], s.hrvS);
      assert.equal(ds.labels.nBeats[i], s.nBeats);
      assert.equal(ds.labels.snrDb[i], s.snrDb);
      assert.equal(ds.labels.hrParamBpm[i], s.hrParamBpm);
      assert.equal(ds.labels.hrvParamS[i], s.hrvParamS);
      assert.deepEqual(ds.beatsS[i], s.beatTimesS);
    });
    assert.equal(ds.meta.seed, 3);
    assert.equal(ds.meta.rng, 'numpy');
    assert.equal(ds.meta.packageVersion, '1.2.3');
    assert.equal(ds.meta.options.hrMaxBpm, 120);
    assert.equal(ds.meta.options.durationS, 2);
    const header = readFileSync(join(dir, 'labels.csv'), 'utf8').split('\n')[0];
    assert.equal(header, 'index,hr_bpm,hr_count_bpm,hrv_s,n_beats,snr_db,hr_param_bpm,hrv_param_s');
    assert.deepEqual(header.split(','), [...LABEL_COLUMNS]);
  }));

test('float32 is the default dtype and holds the rounded samples', () =>
  withTmp((dir) => {
    make(dir);
    const ds = readDataset(dir);
    assert.ok(ds.signals instanceof Float32Array);
    assert.equal(ds.meta.dtype, 'float32');
  }));

test('same seed → identical bytes in every file', () =>
  withTmp((root) => {
    make(join(root, 'a'), 3, 11);
    make(join(root, 'b'), 3, 11);
    make(join(root, 'c'), 3, 12);
    for (const f of ['signals.npy', 'labels.csv', 'beats.json', 'dataset.json']) {
      assert.deepEqual(readFileSync(join(root, 'a', f)), readFileSync(join(root, 'b', f)), f);
    }
    assert.notDeepEqual(readFileSync(join(root, 'a', 'signals.npy')), readFileSync(join(root, 'c', 'signals.npy')));
  }));

test('a folder holding other files is refused and left untouched', () =>
  withTmp((dir) => {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    assert.throws(() => make(dir), (e: unknown) => e instanceof OutputFolderError && /holds other files \(notes\.txt\)/.test(e.message));
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
    const file = join(dir, 'notes.txt');
    assert.throws(() => make(file), /not a folder/);
  }));

test('an earlier dataset is replaced, and its stale spectrograms are removed', () =>
  withTmp((dir) => {
    make(dir, 3, 1);
    const ds = readDataset(dir);
    writeSpectrograms(dir, spectrogramBatch(ds.signals, ds.n, ds.nSamples));
    assert.ok(existsSync(join(dir, 'spectrograms.npy')));
    make(dir, 2, 2);
    assert.equal(readDataset(dir).n, 2);
    assert.ok(!existsSync(join(dir, 'spectrograms.npy')));
    assert.ok(!existsSync(join(dir, 'spectrogram.json')));
    assert.ok(readdirSync(dir).every((f) => !f.endsWith('.tmp')));
  }));

test('a failed write leaves nothing half-written (no new folder, no temporaries)', () =>
  withTmp((root) => {
    const dir = join(root, 'new');
    const opts = resolveSimulationOptions({ n: 2, seed: 1, durationS: 1 });
    const sims = simulateDataset(opts);
    sims[1] = { ...sims[1], samples: new Float64Array(10) }; // inconsistent length → throws before writing
    assert.throws(() => writeDataset(dir, sims, opts), RangeError);
    assert.ok(!existsSync(dir));
    // a failure while moving files into place: 'signals.npy' is a folder, so the first rename fails
    mkdirSync(join(dir, 'signals.npy'), { recursive: true });
    assert.throws(() => writeDataset(dir, simulateDataset(opts), opts));
    assert.deepEqual(readdirSync(dir), ['signals.npy'], 'no temporaries, no labels/beats/meta written');
  }));

test('spectrograms: write/read with axes; missing ones give a clear message', () =>
  withTmp((dir) => {
    make(dir, 3, 5);
    assert.throws(() => readSpectrograms(dir), /run `hrv-audio spectrogram .*` first/);
    const ds = readDataset(dir);
    const batch = spectrogramBatch(ds.signals, ds.n, ds.nSamples);
    writeSpectrograms(dir, batch);
    const sp = readSpectrograms(dir);
    assert.equal(sp.n, 3);
    assert.equal(sp.nFreq, 129);
    assert.equal(sp.nTime, 14);
    assert.equal(sp.scale, 'linear');
    assert.ok(sp.data instanceof Float32Array);
    assert.deepEqual(Array.from(sp.data), Array.from(batch.data));
    assert.equal(sp.freqsHz[1], 1000 / 256);
    assert.equal(sp.timesS[0], 0.128);
    assert.equal(sp.options.nperseg, 256);
  }));

test('readDataset on a folder that is not a dataset says how to make one', () =>
  withTmp((dir) => {
    assert.throws(() => readDataset(dir), /hrv-audio simulate/);
  }));

test('the seeded 80/20 split used by training covers every index once', () => {
  const { trainIdx, testIdx } = trainTestSplit(500);
  assert.equal(testIdx.length, 100);
  assert.equal(trainIdx.length, 400);
  assert.deepEqual([...trainIdx, ...testIdx].sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i));
  assert.deepEqual(trainTestSplit(500), { trainIdx, testIdx });
});
