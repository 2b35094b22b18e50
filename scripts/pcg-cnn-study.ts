/**
 * The seed CNN on real heart sounds (issue 15, part 2).
 *
 *   node --import tsx scripts/pcg-cnn-study.ts data --source pcg|circor|seed --n N --seed S --out DIR
 *     writes a dataset folder (signals.npy, labels, spectrograms.npy) of 5 s windows at 1000 Hz
 *     for `hrv-audio train`: pcg = the PCG simulator (18 % murmurs, HR 50–160 bpm); circor =
 *     fully annotated 5 s windows of circor-train (≤ --per, default 4, per recording, HR = 60/mean RR of the
 *     complete annotated cycles inside the window, HRV = their SD); seed = the notebook's pulses.
 *     circor-split: patient-level split (--seed, --val), training windows every --hop s with
 *     ±--stretch time stretch; --retime K[,LO,HI] adds K pitch-keeping re-timed copies of each
 *     training recording at a mean HR in [LO, HI] bpm, density ∝ HR so that the windows are ≈ uniform
 *     in HR (default 40–200; windows every
 *     --retime-hop s, default 1; seed --retime-seed, default seed + 1000). Validation: never.
 *   node --import tsx scripts/pcg-cnn-study.ts eval --model NAME=DIR … [--data DIR]
 *     scores each model, and the classical detector, on the fully annotated 5 s windows of
 *     pcg-real (validation only): HR MAE and HRV (SDNN) MAE per window.
 */
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation, type Segment } from '../src/hrv/validate/segmentation.js';
import { annotatedWindows, windowSamples } from '../src/hrv/validate/annotatedWindows.js';
import { meanCycleHrBpm, retimeCycles } from '../src/hrv/validate/retimeCycles.js';
import { evaluateAnnotatedWindows, readAnnotatedWindows, type NamedCnn } from '../src/node/pipelines/annotatedWindowEval.js';
import { writeDataset, writeSpectrograms } from '../src/node/files/dataset.js';
import { loadModel } from '../src/node/files/modelStore.js';
import { initNodeBackend } from '../src/node/backend.js';
import { resample } from '../src/dsp/resample.js';
import { spectrogramBatch } from '../src/dsp/spectrogram.js';
import { estimate } from '../src/hrv/estimate.js';
import { predictRecording } from '../src/model/inference.js';
import { simulatePcgWindows } from '../src/signal/pcg/index.js';
import { resolveSimulationOptions, simulateDataset, type SimulatedSignal } from '../src/signal/simulate.js';
import { FastRng } from '../src/signal/rng.js';
import { optionValue, runScript, sharedDataRoot } from './lib/cliArgs.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => optionValue(args, name);
const dataRoot = (): string => sharedDataRoot(args);
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

/** Fully annotated 5 s windows of one recording (library: hrv/validate/annotatedWindows), at 1000 Hz when stretched. */
function recordingWindows(id: string, samples: Float32Array, rateHz: number, segs: Segment[], maxWindows: number, hopS = WIN_S, stretch?: () => number): Window[] {
  const x = stretch && rateHz !== FS ? resample(samples, rateHz, FS) : samples;
  const rate = stretch ? FS : rateHz;
  return annotatedWindows(segs, { durationS: WIN_S, hopS, maxWindows, stretch }).map((w) => ({
    samples: windowSamples(x, rate, w, WIN_S),
    rateHz: rate,
    hrBpm: w.hrBpm,
    sdnnS: w.sdnnS,
    nRr: w.nRr,
    id: `${id}@${w.startS.toFixed(2)}${w.stretch === 1 ? '' : `x${w.stretch.toFixed(3)}`}`,
  }));
}

function folderWindows(dir: string, maxPerRecording: number, limit = Infinity, files?: readonly string[], hopS = WIN_S, stretch?: () => number): Window[] {
  const out: Window[] = [];
  for (const f of files ?? readdirSync(dir).filter((x) => x.endsWith('.wav')).sort()) {
    if (out.length >= limit) break;
    const tsv = join(dir, f.replace(/\.wav$/, '.tsv'));
    if (!existsSync(tsv)) continue;
    const wav = readWav(join(dir, f));
    out.push(...recordingWindows(f, wav.samples, wav.sampleRateHz, parseSegmentation(readFileSync(tsv, 'utf8'), tsv), maxPerRecording, hopS, stretch));
  }
  return out;
}

/** Pitch-keeping HR augmentation of the training recordings (library: hrv/validate/retimeCycles). */
interface RetimeSpec {
  /** Re-timed copies per training recording. */
  copies: number;
  /** Target mean HR of each copy, in [loBpm, hiBpm] with density ∝ HR (windows ≈ uniform in HR). */
  loBpm: number;
  hiBpm: number;
  /** Window hop in the copies, s. */
  hopS: number;
  /** Seed of the target rates and the chunk placement (its own stream: the plain windows do not change). */
  seed: number;
}

/** Windows of `copies` re-timed versions of each recording (at 1000 Hz, not stretched). */
function retimedWindows(dir: string, files: readonly string[], spec: RetimeSpec): Window[] {
  const rng = new FastRng(spec.seed);
  const out: Window[] = [];
  for (const f of files) {
    const tsv = join(dir, f.replace(/\.wav$/, '.tsv'));
    if (!existsSync(tsv)) continue;
    const wav = readWav(join(dir, f));
    const segs = parseSegmentation(readFileSync(tsv, 'utf8'), tsv);
    const x = wav.sampleRateHz === FS ? wav.samples : resample(wav.samples, wav.sampleRateHz, FS);
    const retimable = Number.isFinite(meanCycleHrBpm(segs)); // else no complete cycle to re-time
    for (let k = 0; k < spec.copies; k++) {
      // density ∝ HR: a copy's length (so its window count) ∝ 1 / HR, so the windows come out ≈ uniform in HR
      const hrBpm = Math.sqrt(spec.loBpm ** 2 + (spec.hiBpm ** 2 - spec.loBpm ** 2) * rng.random());
      const seed = Math.floor(rng.random() * 2 ** 31);
      if (!retimable) continue; // (the draws are still made: the same stream as before)
      const r = retimeCycles(x, FS, segs, { hrBpm, seed });
      out.push(...recordingWindows(`${f}~${hrBpm.toFixed(1)}`, r.samples, FS, r.segments, Infinity, spec.hopS));
    }
  }
  return out;
}

/**
 * circor-train windows with a patient-level split: the patients are shuffled with `seed` and
 * `valFraction` of them held out. Training windows: every `hopS` s, time-stretched by a factor
 * drawn uniformly in [1 − stretch, 1 + stretch] (probability `pStretch`); validation windows:
 * every 5 s, not stretched. Returns the windows (training first) and the split indices.
 */
function circorSplitWindows(dir: string, seed: number, valFraction: number, hopS: number, stretchRange: number, pStretch: number, hiStretch?: { lo: number; hi: number; p: number }, retime?: RetimeSpec): { wins: Window[]; trainIdx: number[]; testIdx: number[]; valPatients: string[] } {
  const files = readdirSync(dir).filter((x) => x.endsWith('.wav')).sort();
  const patient = (f: string): string => f.split('_')[0]!;
  const patients = [...new Set(files.map(patient))];
  const rng = new FastRng(seed);
  for (let i = patients.length - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [patients[i], patients[j]] = [patients[j]!, patients[i]!];
  }
  const val = new Set(patients.slice(0, Math.round(valFraction * patients.length)));
  // hiStretch: with probability p a factor in [lo, hi] (fast rates: HR × f), else the ±stretchRange draw
  const stretch = (): number =>
    hiStretch && rng.random() < hiStretch.p
      ? hiStretch.lo + (hiStretch.hi - hiStretch.lo) * rng.random()
      : rng.random() < pStretch ? 1 + stretchRange * (2 * rng.random() - 1) : 1;
  const trainFiles = files.filter((f) => !val.has(patient(f)));
  const train = folderWindows(dir, Infinity, Infinity, trainFiles, hopS, stretchRange > 0 || hiStretch ? stretch : undefined);
  if (retime) train.push(...retimedWindows(dir, trainFiles, retime)); // training patients only
  const test = folderWindows(dir, Infinity, Infinity, files.filter((f) => val.has(patient(f))), WIN_S, () => 1);
  return {
    wins: [...train, ...test],
    trainIdx: train.map((_, i) => i),
    testIdx: test.map((_, i) => train.length + i),
    valPatients: [...val].sort(),
  };
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
  let extra: Record<string, string> = {};
  if (source === 'seed') {
    sims = simulateDataset({ n, seed });
  } else if (source === 'pcg') {
    const hr = opt('hr')?.split(',').map(Number) as [number, number] | undefined;
    sims = simulatePcgWindows({ n, seed, durationS: WIN_S, sampleRateHz: FS, ...(hr ? { hrBpm: hr } : {}), ...(args.includes('--no-edges') ? { params: { edgeNoiseScale: [0, 0] } } : {}) });
  } else if (source === 'circor') {
    const wins = folderWindows(join(dataRoot(), 'circor-train'), Number(opt('per') ?? 4), n);
    sims = wins.slice(0, n).map((w) => asSignal(resample(w.samples, w.rateHz, FS), w.hrBpm, w.sdnnS, w.nRr + 1));
  } else if (source === 'circor-split') {
    const hi = opt('hi-stretch')?.split(',').map(Number);
    const hiStretch = hi ? { lo: hi[0]!, hi: hi[1]!, p: Number(opt('p-hi') ?? 0.25) } : undefined;
    const rt = opt('retime')?.split(',').map(Number);
    const retime = rt ? { copies: rt[0]!, loBpm: rt[1] ?? 40, hiBpm: rt[2] ?? 200, hopS: Number(opt('retime-hop') ?? 1), seed: Number(opt('retime-seed') ?? seed + 1000) } : undefined;
    const r = circorSplitWindows(join(dataRoot(), 'circor-train'), seed, Number(opt('val') ?? 0.2), Number(opt('hop') ?? 2), Number(opt('stretch') ?? 0.07), Number(opt('p-stretch') ?? 0.7), hiStretch, retime);
    sims = r.wins.map((w) => asSignal(w.rateHz === FS ? w.samples : resample(w.samples, w.rateHz, FS), w.hrBpm, w.sdnnS, w.nRr + 1));
    extra = { 'split.json': JSON.stringify({ trainIdx: r.trainIdx, testIdx: r.testIdx, valPatients: r.valPatients, ids: r.wins.map((w) => w.id) }) + '\n' };
  } else throw new Error(`unknown --source ${source}`);
  const resolved = resolveSimulationOptions({ n: sims.length, seed, sampleRateHz: FS, durationS: WIN_S });
  writeDataset(out, sims, resolved);
  const flat = new Float64Array(sims.length * FS * WIN_S);
  sims.forEach((s, i) => flat.set(s.samples.subarray(0, FS * WIN_S), i * FS * WIN_S));
  writeSpectrograms(out, spectrogramBatch(flat, sims.length, FS * WIN_S, { sampleRateHz: FS }));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(out, name), text);
  const hr = sims.map((s) => s.hrBpm);
  process.stdout.write(`${source}: wrote ${sims.length} windows to ${out} (HR ${Math.min(...hr).toFixed(0)}–${Math.max(...hr).toFixed(0)} bpm)\n`);
}

async function evaluate(): Promise<void> {
  const cnns: NamedCnn[] = [];
  const models: Array<[string, string]> = [];
  args.forEach((a, i) => {
    if (a === '--model') {
      const [name, dir] = args[i + 1]!.split('=');
      models.push([name!, dir!]);
    }
  });
  if (models.length > 0) await initNodeBackend('auto');
  for (const [name, mdir] of models) cnns.push({ name, ...(await loadModel(mdir)) });
  const dir = opt('data') ?? join(dataRoot(), 'pcg-real');
  const wins = readAnnotatedWindows(dir);
  const r = await evaluateAnnotatedWindows(wins, { cnns, classical: true, learned: args.includes('--learned') });
  const { rows, ...summary } = r;
  if (opt('rows')) writeFileSync(opt('rows')!, JSON.stringify(rows) + '\n');
  if (opt('plot')) {
    // predicted vs annotated HR and SDNN per window, every method but the oracle
    const { predVsTrueChart, writeChart } = await import('../src/report/index.js');
    const names = Object.keys(summary.methods).filter((n) => n !== 'oracle mean');
    const series = (q: 'hrBpm' | 'sdnnMs') =>
      names.map((n) => ({ name: n, truth: rows.map((r) => (q === 'hrBpm' ? r.hrBpm : r.sdnnMs)), pred: rows.map((r) => r.predictions[n]![q]) }));
    const spec = { hconcat: [predVsTrueChart({ name: 'HR', unit: 'bpm' }, series('hrBpm')), predVsTrueChart({ name: 'SDNN', unit: 'ms' }, series('sdnnMs'))] };
    await writeChart(spec, opt('plot')!);
  }
  process.stdout.write(`${JSON.stringify({ data: dir, ...summary }, null, 2)}\n`);
}

/**
 * Train the seed CNN on a dataset folder; with split.json (circor-split) the validation split is
 * patient-level. --per-window normalises each window's dB; --init DIR starts from a model's
 * weights (pre-training); --save-best keeps the epoch with the lowest validation HR MAE.
 */
async function trainModel(): Promise<void> {
  const dataDir = opt('dataset');
  const out = opt('out');
  if (!dataDir || !out) throw new Error('--dataset DIR and --out DIR are required');
  const splitPath = join(dataDir, 'split.json');
  const split = existsSync(splitPath) ? (JSON.parse(readFileSync(splitPath, 'utf8')) as { trainIdx: number[]; testIdx: number[] }) : undefined;
  let initialWeights;
  if (opt('init')) {
    await initNodeBackend('auto');
    initialWeights = (await loadModel(opt('init')!)).model;
  }
  const { trainOnDataset } = await import('../src/node/pipelines/trainDataset.js');
  const t0 = Date.now();
  const r = await trainOnDataset({
    dataDir,
    modelDir: out,
    epochs: Number(opt('epochs') ?? 10),
    learningRate: Number(opt('lr') ?? 1e-3),
    batchSize: Number(opt('batch') ?? 32),
    seed: Number(opt('seed') ?? 42),
    earlyStoppingPatience: opt('patience') ? Number(opt('patience')) : undefined,
    split: split ? { trainIdx: split.trainIdx, testIdx: split.testIdx } : undefined,
    perWindow: args.includes('--per-window'),
    initialWeights,
    log: (line) => process.stdout.write(`${line.split('\n').length > 3 ? '(model summary)' : line}\n`),
    callbacks: {
      onEpochEnd: (h) => {
        // --keep-epochs: the trainer keeps only the latest checkpoint; copy it as ck-<epoch>
        if (args.includes('--keep-epochs')) cpSync(join(out, 'checkpoint'), join(out, `ck-${h.epoch}`), { recursive: true });
        process.stdout.write(`epoch ${h.epoch} ${h.seconds.toFixed(0)} s loss ${h.loss.toFixed(3)} hr_mae ${h.hr_output_mae.toFixed(2)} val_hr_mae ${h.val_hr_output_mae?.toFixed(2)} val_hrv_mae ${h.val_hrv_output_mae?.toFixed(4)}\n`);
      },
    },
  });
  process.stdout.write(`trained ${r.fit.epochs} epochs in ${((Date.now() - t0) / 1000).toFixed(0)} s (${r.engine}); stopped by ${r.fit.stoppedBy}\n`);
}

/**
 * A model folder from a training checkpoint (any epoch): the preprocessing is refitted exactly as
 * training fitted it (same data, split and per-window setting), the weights come from the
 * checkpoint. --checkpoint DIR --dataset DIR --out DIR [--per-window]
 */
async function exportCheckpoint(): Promise<void> {
  const ck = opt('checkpoint');
  const dataDir = opt('dataset');
  const out = opt('out');
  if (!ck || !dataDir || !out) throw new Error('--checkpoint DIR, --dataset DIR and --out DIR are required');
  const { readCheckpoint } = await import('../src/node/files/checkpoint.js');
  const { readDataset } = await import('../src/node/files/dataset.js');
  const { readSpectraLinear } = await import('../src/node/pipelines/trainDataset.js');
  const { prepareTrainingData } = await import('../src/model/training/data.js');
  const { buildSeedCnn } = await import('../src/model/architectures/seedCnn.js');
  const { ModelTrainer } = await import('../src/model/training/train.js');
  const { saveModel } = await import('../src/node/files/modelStore.js');
  const c = readCheckpoint(ck);
  if (!c) throw new Error(`no checkpoint in ${ck}`);
  const ds = readDataset(dataDir);
  const split = JSON.parse(readFileSync(join(dataDir, 'split.json'), 'utf8')) as { trainIdx: number[]; testIdx: number[] };
  const { preprocess } = prepareTrainingData('improved', readSpectraLinear(dataDir), ds.labels, { trainIdx: split.trainIdx, testIdx: [] }, { perWindow: args.includes('--per-window') });
  await initNodeBackend('auto');
  const model = buildSeedCnn(preprocess.inputShape, { seed: 42 });
  await new ModelTrainer(model).importState({ weights: c.state.weights, optimizer: [] });
  const { seedCnnBundle } = await import('../src/model/bundle.js');
  const { packageVersion } = await import('../src/node/files/packageVersion.js');
  const meta = JSON.parse(readFileSync(join(dataDir, 'dataset.json'), 'utf8')) as { n: number };
  const last = c.state.history[c.state.history.length - 1];
  const bundle = seedCnnBundle(preprocess, packageVersion(), {
    data: 'circor-train (CirCor DigiScope, ODC-By 1.0): fully annotated 5 s windows at 1000 Hz',
    seed: Number(opt('seed') ?? 42),
    cv: {
      kind: 'patient-level hold-out',
      trainWindows: split.trainIdx.length,
      validationWindows: split.testIdx.length,
      validationPatients: (JSON.parse(readFileSync(join(dataDir, 'split.json'), 'utf8')) as { valPatients?: string[] }).valPatients?.length ?? null,
      epoch: c.state.epoch,
      valHrMaeBpm: last?.val_hr_output_mae ?? null,
      valHrvMaeS: last?.val_hrv_output_mae ?? null,
    },
    windows: meta.n,
    command: opt('command') ?? null,
  });
  await saveModel(model, out, preprocess, bundle);
  process.stdout.write(`exported epoch ${c.state.epoch} to ${out}\n`);
}

await runScript('pcg-cnn-study', async () => {
  if (args[0] === 'data') makeData();
  else if (args[0] === 'export') await exportCheckpoint();
  else if (args[0] === 'train') await trainModel();
  else if (args[0] === 'eval') await evaluate();
  else throw new Error('usage: pcg-cnn-study.ts data|train|export|eval …');
});
