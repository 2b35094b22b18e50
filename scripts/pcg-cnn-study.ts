/**
 * The seed CNN on real heart sounds (issue 15, part 2).
 *
 *   node --import tsx scripts/pcg-cnn-study.ts data --source pcg|circor|seed --n N --seed S --out DIR
 *     writes a dataset folder (signals.npy, labels, spectrograms.npy) of 5 s windows at 1000 Hz
 *     for `hrv-audio train`: pcg = the PCG simulator (18 % murmurs, HR 50–160 bpm); circor =
 *     fully annotated 5 s windows of circor-train (≤ --per, default 4, per recording, HR = 60/mean RR of the
 *     complete annotated cycles inside the window, HRV = their SD); seed = the notebook's pulses.
 *   node --import tsx scripts/pcg-cnn-study.ts eval --model NAME=DIR … [--data DIR]
 *     scores each model, and the classical detector, on the fully annotated 5 s windows of
 *     pcg-real (validation only): HR MAE and HRV (SDNN) MAE per window.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation, type Segment } from '../src/io/annotations.js';
import { writeDataset, writeSpectrograms } from '../src/node/files/dataset.js';
import { loadModel } from '../src/node/files/modelStore.js';
import { initNodeBackend } from '../src/node/backend.js';
import { resample } from '../src/dsp/resample.js';
import { spectrogramBatch } from '../src/dsp/spectrogram.js';
import { estimate } from '../src/hrv/estimate.js';
import { predictRecording } from '../src/model/inference.js';
import { simulatePcg, PCG_MURMURS, type PcgMurmur } from '../src/signal/pcg/index.js';
import { resolveSimulationOptions, simulateDataset, type SimulatedSignal } from '../src/signal/simulate.js';
import { FastRng } from '../src/signal/rng.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataRoot = (): string =>
  opt('data-root') ?? [join(process.cwd(), '..', 'shared', 'data'), join(process.cwd(), '..', '..', 'shared', 'data')].find((d) => existsSync(d)) ?? 'data';
const FS = 1000;
const WIN_S = 5;

interface Window {
  samples: Float32Array; // at `rateHz`
  rateHz: number;
  hrBpm: number;
  sdnnS: number;
  nRr: number;
  id: string;
}

/** Fully annotated 5 s windows (no state 0 inside, ≥ 3 complete cycles) of one recording. */
function annotatedWindows(id: string, samples: Float32Array, rateHz: number, segs: Segment[], maxWindows: number): Window[] {
  const out: Window[] = [];
  const spans: Array<[number, number]> = [];
  for (const s of segs) {
    if (s.state === 0) continue;
    const last = spans[spans.length - 1];
    if (last && Math.abs(s.startS - last[1]) < 1e-6) last[1] = s.endS;
    else spans.push([s.startS, s.endS]);
  }
  for (const [a, b] of spans) {
    for (let t = a; t + WIN_S <= b && out.length < maxWindows; t += WIN_S) {
      // complete cycles 1→2→3→4→1 fully inside [t, t + 5]
      const rr: number[] = [];
      for (let i = 0; i + 4 < segs.length; i++) {
        const g = segs.slice(i, i + 5);
        if (g.map((x) => x.state).join() === '1,2,3,4,1' && g[0]!.startS >= t && g[4]!.startS <= t + WIN_S) rr.push(g[4]!.startS - g[0]!.startS);
      }
      if (rr.length < 3) continue;
      const m = rr.reduce((p, q) => p + q, 0) / rr.length;
      const sd = Math.sqrt(rr.reduce((p, q) => p + (q - m) ** 2, 0) / rr.length);
      const i0 = Math.round(t * rateHz);
      out.push({ samples: samples.slice(i0, i0 + WIN_S * rateHz), rateHz, hrBpm: 60 / m, sdnnS: sd, nRr: rr.length, id: `${id}@${t.toFixed(2)}` });
    }
  }
  return out;
}

function folderWindows(dir: string, maxPerRecording: number, limit = Infinity): Window[] {
  const out: Window[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.wav')).sort()) {
    if (out.length >= limit) break;
    const tsv = join(dir, f.replace(/\.wav$/, '.tsv'));
    if (!existsSync(tsv)) continue;
    const wav = readWav(join(dir, f));
    out.push(...annotatedWindows(f, wav.samples, wav.sampleRateHz, parseSegmentation(readFileSync(tsv, 'utf8'), tsv), maxPerRecording));
  }
  return out;
}

function asSignal(samples: Float32Array, hrBpm: number, hrvS: number, nBeats: number): SimulatedSignal {
  return { samples: Float64Array.from(samples), beatTimesS: [], hrBpm, hrCountBpm: hrBpm, hrvS, nBeats, snrDb: 0, hrParamBpm: hrBpm, hrvParamS: hrvS } as SimulatedSignal;
}

function makeData(): void {
  const source = opt('source') ?? 'pcg';
  const n = Number(opt('n') ?? 1000);
  const seed = Number(opt('seed') ?? 1);
  const out = opt('out');
  if (!out) throw new Error('--out is required');
  let sims: SimulatedSignal[];
  if (source === 'seed') {
    sims = simulateDataset({ n, seed });
  } else if (source === 'pcg') {
    const pick = new FastRng(seed);
    sims = [];
    for (let i = 0; i < n; i++) {
      const murmur: PcgMurmur = pick.random() < 0.18 ? PCG_MURMURS[1 + Math.floor(pick.random() * 3)]! : 'none';
      const s = simulatePcg({ seed: seed + i, durationS: WIN_S, sampleRateHz: FS, murmur, params: { hrBpm: [50, 160] } });
      const t = s.truth;
      sims.push(asSignal(s.samples, t.hrBpm ?? 60, (t.sdnnMs ?? 0) / 1000, t.beatTimesS.length));
    }
  } else if (source === 'circor') {
    const wins = folderWindows(join(dataRoot(), 'circor-train'), Number(opt('per') ?? 4), n);
    sims = wins.slice(0, n).map((w) => asSignal(resample(w.samples, w.rateHz, FS), w.hrBpm, w.sdnnS, w.nRr + 1));
  } else throw new Error(`unknown --source ${source}`);
  const resolved = resolveSimulationOptions({ n: sims.length, seed, sampleRateHz: FS, durationS: WIN_S });
  writeDataset(out, sims, resolved);
  const flat = new Float64Array(sims.length * FS * WIN_S);
  sims.forEach((s, i) => flat.set(s.samples.subarray(0, FS * WIN_S), i * FS * WIN_S));
  writeSpectrograms(out, spectrogramBatch(flat, sims.length, FS * WIN_S, { sampleRateHz: FS }));
  const hr = sims.map((s) => s.hrBpm);
  process.stdout.write(`${source}: wrote ${sims.length} windows to ${out} (HR ${Math.min(...hr).toFixed(0)}–${Math.max(...hr).toFixed(0)} bpm)\n`);
}

async function evaluate(): Promise<void> {
  const models: Array<[string, string]> = [];
  args.forEach((a, i) => {
    if (a === '--model') {
      const [name, dir] = args[i + 1]!.split('=');
      models.push([name!, dir!]);
    }
  });
  const dir = opt('data') ?? join(dataRoot(), 'pcg-real');
  const wins = folderWindows(dir, 1000);
  const rows: Record<string, { hrErr: number[]; hrvErr: number[]; none: number }> = {};
  const add = (name: string, w: Window, hr: number | null, hrvS: number | null): void => {
    const r = (rows[name] ??= { hrErr: [], hrvErr: [], none: 0 });
    if (hr === null) r.none++;
    else r.hrErr.push(Math.abs(hr - w.hrBpm));
    if (hrvS !== null) r.hrvErr.push(Math.abs(hrvS - w.sdnnS) * 1000);
  };
  const meanHr = wins.reduce((a, w) => a + w.hrBpm, 0) / wins.length;
  const meanSd = wins.reduce((a, w) => a + w.sdnnS, 0) / wins.length;
  for (const w of wins) {
    const e = estimate(w.samples, w.rateHz, { signal: 'pcg' });
    add('classical', w, e.heartRateBpm, e.sdnnMs === null ? null : e.sdnnMs / 1000);
    add('mean baseline (oracle mean of the windows)', w, meanHr, meanSd);
  }
  if (models.length > 0) await initNodeBackend('auto');
  for (const [name, mdir] of models) {
    const { model, preprocess } = await loadModel(mdir);
    for (const w of wins) {
      const p = predictRecording(model, preprocess, w.samples, w.rateHz);
      add(name, w, p.heartRateBpm, p.hrvS);
    }
  }
  const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / (x.length || 1);
  const result = {
    data: dir,
    windows: wins.length,
    recordings: new Set(wins.map((w) => w.id.split('@')[0])).size,
    truthHrBpm: { mean: Number(meanHr.toFixed(1)) },
    truthSdnnMs: { mean: Number((meanSd * 1000).toFixed(1)) },
    methods: Object.fromEntries(
      Object.entries(rows).map(([k, r]) => [
        k,
        {
          hrMaeBpm: Number(mean(r.hrErr).toFixed(2)),
          hrWithin5Bpm: Number((r.hrErr.filter((e) => e <= 5).length / wins.length).toFixed(3)),
          sdnnMaeMs: Number(mean(r.hrvErr).toFixed(1)),
          noEstimate: r.none,
        },
      ]),
    ),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (args[0] === 'data') makeData();
else if (args[0] === 'eval') await evaluate();
else {
  process.stderr.write('usage: pcg-cnn-study.ts data|eval …\n');
  process.exit(2);
}
