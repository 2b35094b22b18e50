/**
 * Test-time reads of a seed CNN (issue 15): how much does averaging a window's predictions over
 * shifted, time-stretched or reversed reads of it help? No training. Chosen on the circor-train
 * validation patients only; pcg-real is read only with --real.
 *
 *   node --import tsx scripts/pcg-cnn-tta.ts --dataset DIR --model DIR [--real] [--json OUT]
 *
 * Each window (5 s at 1000 Hz) is read 98 ways: time-stretched by k ∈ {0.93 … 1.07} (resampled to
 * 1000·k Hz: the HR read is multiplied by k), optionally reversed, and shifted by s ∈ {−96 … 96} ms
 * (`mirroredSlice`: samples beyond the window's ends are mirrored). The model's own `shiftsMs` is
 * ignored (every read is one plain read). Printed: the HR MAE, median error, share within 5 bpm and
 * MAE above 130 bpm of the plain read and of the means over several families of reads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initNodeBackend } from '../src/node/backend.js';
import { loadModel } from '../src/node/files/modelStore.js';
import { readDataset } from '../src/node/files/dataset.js';
import { cnnReadOptions, mirroredSlice, predictRecording } from '../src/model/inference.js';
import { spectrogramFrontEnd } from '../src/model/bundle.js';
import { resample } from '../src/dsp/resample.js';
import { readAnnotatedWindows } from '../src/node/pipelines/annotatedWindowEval.js';
import { optionValue, runScript, sharedDataRoot } from './lib/cliArgs.js';

const args = process.argv.slice(2);
const SHIFTS_MS = [-96, -64, -32, 0, 32, 64, 96];
const STRETCHES = [0.93, 0.95, 0.97, 1, 1.03, 1.05, 1.07];
const key = (k: number, reversed: boolean, s: number): string => `${k}|${reversed ? 1 : 0}|${s}`;

async function main(): Promise<void> {
  const dataDir = optionValue(args, 'dataset');
  const modelDir = optionValue(args, 'model');
  if (!dataDir || !modelDir) throw new Error('usage: pcg-cnn-tta.ts --dataset DIR --model DIR [--real] [--json OUT]');
  await initNodeBackend('auto');
  let wins: Array<{ x: Float32Array; hrBpm: number }>;
  if (args.includes('--real')) {
    wins = readAnnotatedWindows(join(sharedDataRoot(args), 'pcg-real')).map((w) => ({ x: resample(w.samples, w.sampleRateHz, 1000), hrBpm: w.hrBpm }));
  } else {
    const ds = readDataset(dataDir);
    if (ds.sampleRateHz !== 1000) throw new Error(`${dataDir}: windows at ${ds.sampleRateHz} Hz, expected 1000`);
    const split = JSON.parse(readFileSync(join(dataDir, 'split.json'), 'utf8')) as { testIdx: number[] };
    wins = split.testIdx.map((i) => ({ x: Float32Array.from(ds.signals.subarray(i * ds.nSamples, (i + 1) * ds.nSamples)), hrBpm: ds.labels.hrBpm[i]! }));
  }
  const m = await loadModel(modelDir);
  const fe = spectrogramFrontEnd(m.bundle);
  const n = fe.nperseg + (m.preprocess.inputShape[1] - 1) * (fe.nperseg - fe.noverlap); // 4992
  const reads: Record<string, number[]> = {};
  for (const w of wins) {
    for (const k of STRETCHES) {
      const y = k === 1 ? w.x : resample(w.x, 1000, Math.round(1000 * k));
      const batch = new Float32Array(n * 2 * SHIFTS_MS.length);
      let q = 0;
      for (const rev of [false, true]) {
        const src = rev ? y.slice().reverse() : y;
        for (const s of SHIFTS_MS) batch.set(mirroredSlice(src, s, n), n * q++);
      }
      const p = predictRecording(m.model, m.preprocess, batch, 1000, { ...cnnReadOptions(m), shiftsMs: [0] }); // one plain read each
      q = 0;
      for (const rev of [false, true]) for (const s of SHIFTS_MS) (reads[key(k, rev, s)] ??= []).push(p.windows[q++]!.heartRateBpm * k);
    }
  }
  const families: Record<string, string[]> = {
    'plain read': [key(1, false, 0)],
    'reversed read': [key(1, true, 0)],
    'shifts −64…64 ms (5)': [-64, -32, 0, 32, 64].map((s) => key(1, false, s)),
    'shifts −96…96 ms (7)': SHIFTS_MS.map((s) => key(1, false, s)),
    'shifts (7) × reversed': SHIFTS_MS.flatMap((s) => [key(1, false, s), key(1, true, s)]),
    'stretch 0.95, 1, 1.05': [0.95, 1, 1.05].map((k) => key(k, false, 0)),
    'stretch (7)': STRETCHES.map((k) => key(k, false, 0)),
    'stretch (3) × shifts (7)': [0.95, 1, 1.05].flatMap((k) => SHIFTS_MS.map((s) => key(k, false, s))),
    'stretch (7) × shifts (7)': STRETCHES.flatMap((k) => SHIFTS_MS.map((s) => key(k, false, s))),
    'stretch (7) × shifts (7) × reversed': STRETCHES.flatMap((k) => SHIFTS_MS.flatMap((s) => [key(k, false, s), key(k, true, s)])),
  };
  const rows = Object.entries(families).map(([name, keys]) => {
    const err = wins.map((w, i) => Math.abs(keys.reduce((a, k2) => a + reads[k2]![i]!, 0) / keys.length - w.hrBpm));
    const fast = err.filter((_, i) => wins[i]!.hrBpm > 130);
    const sorted = [...err].sort((a, b) => a - b);
    return {
      reads: name,
      n: keys.length,
      hrMaeBpm: err.reduce((a, b) => a + b, 0) / err.length,
      medianBpm: sorted[sorted.length >> 1]!,
      within5: err.filter((e) => e <= 5).length / err.length,
      above130MaeBpm: fast.length ? fast.reduce((a, b) => a + b, 0) / fast.length : null,
    };
  });
  process.stdout.write(`${args.includes('--real') ? 'pcg-real' : 'circor validation'} (${wins.length} windows), ${modelDir}\n`);
  process.stdout.write(`${'reads'.padEnd(40)}${'n'.padStart(4)}  HR MAE  median  within 5  > 130 bpm\n`);
  for (const r of rows) {
    process.stdout.write(`${r.reads.padEnd(40)}${String(r.n).padStart(4)}  ${r.hrMaeBpm.toFixed(2).padStart(6)}  ${r.medianBpm.toFixed(2).padStart(6)}  ${(100 * r.within5).toFixed(1).padStart(7)} %  ${r.above130MaeBpm === null ? '—' : r.above130MaeBpm.toFixed(2)}\n`);
  }
  const out = optionValue(args, 'json');
  if (out) writeFileSync(out, JSON.stringify({ model: modelDir, windows: wins.length, rows }, null, 2) + '\n');
}

await runScript('pcg-cnn-tta.ts', main);
