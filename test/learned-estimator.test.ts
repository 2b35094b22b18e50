import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/program.js';
import { readWav } from '../src/node/files/wav.js';
import { readSegmentation } from '../src/io/annotations.js';
import { initNodeBackend } from '../src/node/backend.js';
import { loadSegmenter } from '../src/model/segmenterBundle.js';
import { folderSegmenterSource, shippedSegmenterDir } from '../src/node/files/segmenterStore.js';
import { learnedAnalyse, learnedEstimator, setSegmenterSource } from '../src/hrv/learned/estimator.js';
import { scoreRecording } from '../src/hrv/validate.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/pcg/', import.meta.url));

test('the shipped segmenter loads and finds the beats of the fixture recordings', async () => {
  await initNodeBackend('wasm');
  setSegmenterSource(folderSegmenterSource());
  await learnedEstimator.prepare!(undefined);
  for (const name of ['85116_TV', '68377_PV', '84802_AV', '74420_MV']) {
    const audio = readWav(join(FIXTURES, `${name}.wav`));
    const out = await learnedEstimator.analyse({ samples: audio.samples, sampleRateHz: audio.sampleRateHz, durationS: audio.samples.length / audio.sampleRateHz }, undefined);
    const row = scoreRecording(name, await readSegmentation(join(FIXTURES, `${name}.tsv`)), out);
    assert.ok(row.sensitivity! >= 0.9 && row.ppv! >= 0.9, `${name}: sensitivity ${row.sensitivity} PPV ${row.ppv}`);
    assert.ok(Math.abs(row.hrErrorBpm!) <= 5, `${name}: HR error ${row.hrErrorBpm}`);
    assert.equal(out.states!.posteriors.length, Math.floor(audio.samples.length / audio.sampleRateHz * 50) * 4);
    assert.ok(out.quality.score > 0.5);
  }
});

test('silence and too-short input give no beats and quality 0', async () => {
  await initNodeBackend('wasm');
  const seg = await loadSegmenter(folderSegmenterSource());
  for (const samples of [new Float32Array(4000 * 10), new Float32Array(4000)]) {
    const out = learnedAnalyse(seg, { samples, sampleRateHz: 4000, durationS: samples.length / 4000 });
    assert.equal(out.rrS.length, 0);
    assert.equal(out.quality.score, 0);
    assert.ok(out.quality.reasons.length > 0);
  }
});

test('train-segmenter: a tiny run writes a loadable bundle, the same seed the same bytes', async () => {
  await initNodeBackend('wasm');
  const dir = mkdtempSync(join(tmpdir(), 'seg-train-'));
  try {
    const args = (out: string): string[] => ['node', 'hrv-audio', 'train-segmenter', FIXTURES, '--out', out, '--folds', '2', '--epochs', '1', '--seed', '3', '--quiet'];
    assert.equal(await runCli(args(join(dir, 'a'))), 0);
    assert.equal(await runCli(args(join(dir, 'b'))), 0);
    assert.deepEqual(readFileSync(join(dir, 'a', 'weights.bin')), readFileSync(join(dir, 'b', 'weights.bin')));
    const bundle = JSON.parse(readFileSync(join(dir, 'a', 'bundle.json'), 'utf8'));
    assert.equal(bundle.frontEnd.kind, 'segmenter-features');
    assert.equal(bundle.training.seed, 3);
    assert.equal(bundle.training.cv.folds, 2);
    const seg = await loadSegmenter(folderSegmenterSource(join(dir, 'a')));
    const audio = readWav(join(FIXTURES, '85116_TV.wav'));
    const out = learnedAnalyse(seg, { samples: audio.samples, sampleRateHz: audio.sampleRateHz, durationS: 14.8 });
    assert.equal(out.signalType, 'pcg');
    assert.ok(out.states!.posteriors.every((p) => p >= 0 && p <= 1));
    assert.equal(await runCli(['node', 'hrv-audio', 'train-segmenter', join(dir, 'missing'), '--out', join(dir, 'c'), '--quiet']), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder without bundle.json fails with a message saying what to do', async () => {
  await assert.rejects(loadSegmenter(folderSegmenterSource(FIXTURES)), /no bundle\.json .*train-segmenter/);
  assert.ok(shippedSegmenterDir().endsWith(join('models', 'segmenter')));
});

test('validate --method learned scores the fixture folder with the shipped weights', async () => {
  const { scoreFolder } = await import('../src/node/pipelines/validateFolder.js');
  const v = await scoreFolder({ dir: FIXTURES, method: 'learned' });
  assert.equal(v.rows.length, 4);
  assert.equal(v.method, 'learned');
  assert.equal(v.summary.refused, 0);
  assert.ok(v.summary.beats100.f1! >= 0.95, `F1 ${v.summary.beats100.f1}`);
  assert.equal(v.summary.hr.withinShareOfAll, 1);
});
