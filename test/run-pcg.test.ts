/**
 * `hrv-audio run --signal pcg --real DIR` (issue 15) end to end on a tiny study: 12 simulated PCG
 * windows, 1 epoch, the four real fixture recordings (fixtures/pcg, CirCor, ODC-By) as the real
 * folder. Also the library pieces it is built from: annotated windows and the realism classifier.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotatedWindows, windowSamples } from '../src/hrv/validate/annotatedWindows.js';
import { classify, classifyRows, patientOf, timing, windowRows } from '../src/hrv/validate/pcgRealism.js';
import { simulatePcgWindows } from '../src/signal/pcg/index.js';
import { buildRunCharts, readRunFolder } from '../src/report/index.js';

const root = mkdtempSync(join(tmpdir(), 'hrv-run-pcg-'));
after(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('annotatedWindows: labels from complete cycles; a stretch by f multiplies HR by f', () => {
  // cycles of 0.8 s (75 bpm): S1 0.1, systole 0.2, S2 0.1, diastole 0.4
  const segs: Array<{ startS: number; endS: number; state: 0 | 1 | 2 | 3 | 4 }> = [{ startS: 0, endS: 0.5, state: 0 }];
  let t = 0.5;
  for (let k = 0; k < 20; k++) {
    for (const [d, st] of [[0.1, 1], [0.2, 2], [0.1, 3], [0.4, 4]] as const) {
      segs.push({ startS: t, endS: t + d, state: st });
      t += d;
    }
  }
  const w = annotatedWindows(segs, { hopS: 2.5 });
  assert.ok(w.length >= 4);
  for (const x of w) {
    assert.ok(Math.abs(x.hrBpm - 75) < 1e-6);
    assert.ok(x.sdnnS < 1e-9);
    assert.ok(x.nRr >= 5 && x.startS >= 0.5);
  }
  const s = annotatedWindows(segs, { stretch: () => 1.05 });
  assert.ok(Math.abs(s[0]!.hrBpm - 75 * 1.05) < 1e-6);
  const x = Float32Array.from({ length: 20000 }, (_, i) => i);
  const ws = windowSamples(x, 1000, { startS: 1, stretch: 1.05 }, 5);
  assert.equal(ws.length, 5000);
  assert.ok(Math.abs(ws[100]! - (1000 + 105)) < 1e-3);
});

test('realism: the classifier tells the seed-like constant windows from simulated PCG, and timing reads the truth', () => {
  // params pass through: without the noisy lead-in and tail the sound changes, the rhythm does not
  const edged = simulatePcgWindows({ n: 3, seed: 5 });
  const clean = simulatePcgWindows({ n: 3, seed: 5, params: { edgeNoiseScale: [0, 0] } });
  assert.deepEqual(clean.map((s) => s.hrBpm), edged.map((s) => s.hrBpm));
  assert.ok(clean.every((s, i) => s.samples.some((v, k) => v !== edged[i]!.samples[k])));
  assert.deepEqual(simulatePcgWindows({ n: 3, seed: 5, params: { edgeNoiseScale: [0, 0] } })[2]!.samples, clean[2]!.samples);
  const sims = simulatePcgWindows({ n: 12, seed: 5 });
  assert.equal(sims.length, 12);
  assert.ok(sims.every((s) => s.samples.length === 5000 && s.hrBpm >= 45 && s.hrBpm <= 170));
  const simRecs = sims.map((s, i) => ({ id: `s${i}`, samples: Float32Array.from(s.samples), segments: s.segments }));
  const t = timing(simRecs) as { cycles: number };
  assert.ok(t.cycles > 20);
  // "real" = a 5 Hz tone in noise: trivially told apart
  const other = Array.from({ length: 12 }, (_, i) => ({ id: `o${i}`, samples: Float32Array.from({ length: 5000 }, (_, k) => Math.sin(2 * Math.PI * 5 * k / 1000 + i)), segments: [] }));
  const c = classify(other, simRecs, undefined, { sampleRateHz: 1000, startS: 0, windowsPerRecording: 1 });
  assert.equal(c.windows, 24);
  assert.ok(c.accuracy >= 0.9, String(c.accuracy));
  // the MLP check on the same windows
  assert.ok(classify(other, simRecs, undefined, { sampleRateHz: 1000, startS: 0, windowsPerRecording: 1, kind: 'mlp' }).accuracy >= 0.9);
});

test('realism: folds are grouped by CirCor patient (real) and by recording (simulated)', () => {
  assert.equal(patientOf('2530_AV.wav'), 2530);
  assert.equal(patientOf('sim-1000'), null);
  const tone = (i: number): Float32Array => Float32Array.from({ length: 5000 }, (_, k) => Math.sin(2 * Math.PI * (5 + i) * k / 1000));
  const real = ['2530_AV', '2530_PV', '9_MV', 'a0001'].map((id, i) => ({ id, samples: tone(i), segments: [] }));
  const rows = windowRows(real, 0, { sampleRateHz: 1000, startS: 0, windowsPerRecording: 1 });
  assert.deepEqual(rows.map((r) => r.group), [2530, 2530, 9, 2_000_003]);
  const sims = windowRows(real, 1, { sampleRateHz: 1000, startS: 0, windowsPerRecording: 1 });
  assert.deepEqual(sims.map((r) => r.group), [1_000_000, 1_000_001, 1_000_002, 1_000_003]);
  assert.throws(() => classifyRows([...rows, ...sims]), RangeError);
});

test('run --signal pcg --real fixtures/pcg: simulated training, real windows, realism and the comparison plot', () => {
  const runDir = join(root, 'run');
  const r = cli(['run', '--signal', 'pcg', '--real', 'fixtures/pcg', '--out', runDir, '--n', '12', '--epochs', '1', '--batch-size', '8', '--workers', '1', '--seed', '3']);
  assert.equal(r.code, 0, r.err);
  for (const f of ['config.json', 'metrics.json', 'predictions.csv', 'model/bundle.json', 'real.json', 'real-predictions.csv', 'realism.json', 'report.html', 'plots/real-vs-simulated.png']) {
    assert.ok(existsSync(join(runDir, f)), `missing ${f}`);
  }
  const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
  assert.equal(config.signal, 'pcg');
  assert.equal(config.training.perWindow, true);
  const bundle = JSON.parse(readFileSync(join(runDir, 'model/bundle.json'), 'utf8'));
  assert.equal(bundle.frontEnd.transform.perWindow, true);
  const real = JSON.parse(readFileSync(join(runDir, 'real.json'), 'utf8'));
  assert.equal(real.recordings, 4);
  assert.ok(real.windows >= 8, String(real.windows));
  assert.ok(real.methods.classical.hrMaeBpm < 3, JSON.stringify(real.methods.classical));
  assert.ok(Number.isFinite(real.methods.cnn.hrMaeBpm));
  const realism = JSON.parse(readFileSync(join(runDir, 'realism.json'), 'utf8'));
  assert.equal(realism.recordings.real, 4);
  assert.ok(realism.classifier.accuracy >= 0 && realism.classifier.accuracy <= 1);
  assert.ok(Object.keys(realism.bandFractionMedians.real).length >= 5);
  assert.match(r.out, /real cnn: HR MAE/);
  const charts = buildRunCharts(readRunFolder(runDir));
  const c = charts.find((x) => x.name === 'real-vs-simulated');
  assert.ok(c?.spec, 'the real-vs-simulated chart');
  assert.match(c!.caption, /classifier tells real from simulated/);
  assert.match(readFileSync(join(runDir, 'report.html'), 'utf8'), /Real versus simulated heart sounds/);
});

test('run --signal: bad values are one-line usage errors', () => {
  for (const args of [['--signal', 'ecg'], ['--real', 'fixtures/pcg'], ['--signal', 'pcg', '--real', join(root, 'nope')]]) {
    const r = cli(['run', '--out', join(root, 'bad'), '--n', '8', '--epochs', '1', ...args]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
