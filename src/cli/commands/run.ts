/**
 * `hrv-audio run --out DIR [simulate options] [train options]`: the whole seed study in one
 * command — simulate → spectrograms → train → evaluate → classical estimator → report — into a
 * run folder (layout in docs/CONTRACTS.md):
 *   config.json, data/, model/, checkpoint/, history.csv, history.json, predictions.csv,
 *   metrics.json, report.html + plots/ (when the report module is available).
 *
 * `--signal pcg` (issue 15): the same study on realistic heart sounds — the physiological PCG
 * simulator instead of the seed's pulses, the classical detector in PCG mode, per-window input
 * normalisation — and with `--real DIR` (`.wav` + `.tsv`) the trained CNN and the classical
 * detector on the folder's fully annotated 5 s windows (real.json, real-predictions.csv) and the
 * simulator's realism against those recordings (realism.json), shown in the report.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { packageVersion } from '../version.js';
import { parseInteger } from '../options.js';
import { addSimulationOptions, simulationOptionsFromCli, type SimulationCliOptions } from '../simulationOptions.js';
import { addTrainOptions, checkTrainOptions, runTraining, type TrainCliOptions } from './train.js';
import { evaluationText } from './evaluate.js';
import { simulateDataset, type SimulatedSignal } from '../../signal/simulate.js';
import { simulatePcgWindows, PCG_WINDOW_DEFAULTS, type SimulatedPcgWindow } from '../../signal/pcg/index.js';
import { realStudy, type RealStudyResult } from '../../node/pipelines/pcgStudy.js';
import { spectrogramBatch } from '../../dsp/spectrogram.js';
import { readDataset, writeDataset, writeSpectrograms } from '../../node/files/dataset.js';
import { writeFileAtomic } from '../../node/files/atomicWrite.js';
import { agreement, type AgreementStats } from '../../core/stats.js';
import { evaluatePredictions, predict } from '../../model/evaluate.js';
import { evaluationIndices } from '../../node/pipelines/evaluateDataset.js';
import { datasetFingerprint } from '../../node/pipelines/trainDataset.js';
import { estimate } from '../../hrv/estimate.js';
import { hrvMeasures } from '../../hrv/measures/index.js';
import { parseChoice } from '../../core/choices.js';

interface RunCliOptions extends TrainCliOptions, SimulationCliOptions {
  out: string;
  classical: boolean;
  report: boolean;
  signal: string;
  real?: string;
}

/** What `run` simulates. */
export const RUN_SIGNALS = ['seed', 'pcg'] as const;

/**
 * Classical estimates of HR (bpm) and HRV (s: SDNN with ddof 0, the seed label's definition, from
 * `hrvMeasures` over the detected intervals, ≥ 2 of them) per signal; null when unavailable.
 */
export async function classicalEstimates(
  signals: Float32Array | Float64Array,
  nSamples: number,
  sampleRateHz: number,
  idx: readonly number[],
  signal: 'pulse' | 'pcg' = 'pulse',
): Promise<{ hrBpm: Array<number | null>; hrvS: Array<number | null>; error?: string }> {
  const hrBpm: Array<number | null> = [];
  const hrvS: Array<number | null> = [];
  let error: string | undefined;
  for (const i of idx) {
    try {
      const r = await estimate(signals.subarray(i * nSamples, (i + 1) * nSamples), sampleRateHz, { method: 'classical', signal });
      hrBpm.push(r.heartRateBpm);
      const sdnnMs = r.rrS.length >= 2 ? hrvMeasures(r.rrS, { convention: 'heartpy' }).sdnnMs : null;
      hrvS.push(sdnnMs === null ? null : sdnnMs / 1000);
    } catch (err) {
      error ??= err instanceof Error ? err.message : String(err);
      hrBpm.push(null);
      hrvS.push(null);
    }
  }
  return { hrBpm, hrvS, error };
}

/** A choice option, with the CLI's flag name in the message (exit 2). */
function cliChoice<T extends string>(choices: readonly T[], value: unknown, flag: string): T {
  try {
    return parseChoice(choices, value, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function csvNum(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

function stats(s: AgreementStats) {
  return { mae: s.mae, rmse: s.rmse, r: s.r, bias: s.bias, loaLow: s.loaLow, loaHigh: s.loaHigh, n: s.n };
}

/** Register the `run` sub-command. */
export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('the whole seed study: simulate → spectrograms → train → evaluate → classical → report, into one run folder')
    .requiredOption('--out <dir>', 'run folder to create (new or empty; an existing one only with --resume)')
    .option('--n <count>', 'number of simulated signals', parseInteger('--n'), 500)
    .option('--signal <kind>', "what to simulate: 'seed' (the notebook's pulses) or 'pcg' (realistic heart sounds, issue 15)", 'seed')
    .option('--real <dir>', 'with --signal pcg: a folder of real recordings (NAME.wav + NAME.tsv) to evaluate the CNN on and to measure the simulator against')
    .option('--no-classical', 'skip the classical estimator comparison')
    .option('--no-report', 'skip report.html');
  addSimulationOptions(cmd);
  addTrainOptions(cmd, 'seed of the simulation, weight initialisation, shuffling and dropout').action(async (o: RunCliOptions) => {
    const t0 = performance.now();
    checkTrainOptions(o);
    const runDir = o.out;
    const dataDir = join(runDir, 'data');
    const modelDir = join(runDir, 'model');
    if (existsSync(runDir) && readdirSync(runDir).length > 0 && !o.resume) {
      throw new UsageError(`'${runDir}' is not empty: choose a new folder, or add --resume to continue that run`);
    }
    const say = (line: string) => {
      if (!o.quiet) process.stdout.write(line + '\n');
    };
    const signal = cliChoice(RUN_SIGNALS, o.signal, '--signal');
    if (o.real !== undefined && signal !== 'pcg') throw new UsageError('--real needs --signal pcg');
    if (o.real !== undefined && !(existsSync(o.real) && statSync(o.real).isDirectory())) throw new UsageError(`--real: not a folder: ${o.real}`);
    if (signal === 'pcg') {
      o.perWindow ??= true;
      if (o.rng !== 'fast') throw new UsageError("--rng applies to the seed's pulses only");
    }
    const sim = simulationOptionsFromCli(o);
    if (sim.n < 5) throw new UsageError(`--n must be ≥ 5 for a train/test split, got ${sim.n}`);

    const version = packageVersion();
    const config = {
      format: 'hrv-audio-run',
      formatVersion: 1,
      packageVersion: version,
      command: process.argv.slice(2).join(' '),
      signal,
      ...(o.real !== undefined ? { real: o.real } : {}),
      simulation: signal === 'pcg' ? { n: sim.n, seed: sim.seed, sampleRateHz: sim.sampleRateHz, durationS: sim.durationS, generator: 'simulatePcgWindows', hrBpm: [...PCG_WINDOW_DEFAULTS.hrBpm], murmurFraction: PCG_WINDOW_DEFAULTS.murmurFraction } : sim,
      spectrogram: { sampleRateHz: sim.sampleRateHz, nperseg: 256, noverlap: 128, nfft: 256, window: 'tukey', tukeyAlpha: 0.25, detrend: 'constant', scaling: 'density' },
      training: {
        mode: o.mode, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, seed: o.seed, backend: o.backend,
        workers: o.workers, earlyStopping: o.earlyStopping ?? null, testFraction: o.testFraction, splitSeed: 42, perWindow: o.perWindow === true,
      },
    };
    const resumeData = o.resume && existsSync(join(dataDir, 'spectrograms.npy'));
    const simulate = (): SimulatedSignal[] =>
      signal === 'pcg' ? simulatePcgWindows({ n: sim.n, seed: sim.seed, durationS: sim.durationS, sampleRateHz: sim.sampleRateHz }) : simulateDataset(sim);
    let pcgSims: SimulatedPcgWindow[] | null = null;
    if (!resumeData) {
      const t = performance.now();
      const sims = simulate();
      if (signal === 'pcg') pcgSims = sims as SimulatedPcgWindow[];
      writeDataset(dataDir, sims, sim, { packageVersion: version });
      const nSamples = sims[0].samples.length;
      const flat = new Float64Array(sims.length * nSamples);
      sims.forEach((s, i) => flat.set(s.samples, i * nSamples));
      const batch = spectrogramBatch(flat, sims.length, nSamples, { sampleRateHz: sim.sampleRateHz });
      writeSpectrograms(dataDir, batch, { packageVersion: version });
      say(`simulate + spectrogram: ${sims.length} signals → ${batch.nFreq}×${batch.nTime} spectrograms in ${((performance.now() - t) / 1000).toFixed(1)} s (${dataDir})`);
    } else {
      say(`resume: reusing the dataset in ${dataDir}`);
    }
    writeFileAtomic(join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');

    const tr = await runTraining(dataDir, modelDir, o, { historyDir: runDir, checkpointDir: join(runDir, 'checkpoint') });
    if (tr.fit.stoppedBy === 'interrupt') return;
    const trainSeconds = tr.fit.history.reduce((a, h) => a + h.seconds, 0);

    // evaluate on the test split
    const ds = readDataset(dataDir);
    const { idx } = evaluationIndices(tr.preprocess, ds.n, datasetFingerprint(ds.meta), 'test');
    const pred = predict(tr.model, tr.preprocess, tr.spectra, idx);
    const ev = evaluatePredictions(pred, ds.labels, tr.preprocess);

    // classical estimator on the same test signals
    let classical: Awaited<ReturnType<typeof classicalEstimates>> | null = null;
    if (o.classical) {
      const t = performance.now();
      classical = await classicalEstimates(ds.signals, ds.nSamples, ds.sampleRateHz, idx, signal === 'pcg' ? 'pcg' : 'pulse');
      say(`classical estimator: ${idx.length} test signals in ${((performance.now() - t) / 1000).toFixed(1)} s${classical.error ? ` (some failed: ${classical.error})` : ''}`);
    }
    const rows = idx.map((i, k) => [
      i, ds.labels.hrBpm[i], ds.labels.hrCountBpm[i], ds.labels.hrvS[i], ds.labels.snrDb[i], pred.hrPredBpm[k], pred.hrvPredS[k],
      classical?.hrBpm[k] ?? null, classical?.hrvS[k] ?? null,
    ].map(csvNum).join(','));
    writeFileAtomic(join(runDir, 'predictions.csv'),
      ['index,hr_bpm,hr_count_bpm,hrv_s,snr_db,hr_pred_bpm,hrv_pred_s,classical_hr_bpm,classical_hrv_s', ...rows].join('\n') + '\n');
    const pick = (a: ArrayLike<number>) => idx.map((i) => a[i]);
    const metrics = {
      mode: tr.preprocess.mode,
      backend: tr.backend.name,
      backendDescription: tr.backend.description,
      engine: tr.engine,
      trainSeconds,
      secondsPerEpoch: trainSeconds / Math.max(1, tr.fit.history.length),
      epochs: tr.fit.history.length,
      stoppedBy: tr.fit.stoppedBy,
      nTrain: tr.split.trainIdx.length,
      nTest: idx.length,
      hrLabel: ev.test.hrLabel,
      test: { loss: ev.test.loss, hrMae: ev.test.hrMae, hrvMae: ev.test.hrvMae },
      cnn: { hr_bpm: stats(ev.cnn.hr_bpm), hr_count_bpm: stats(ev.cnn.hr_count_bpm), hrv_s: stats(ev.cnn.hrv_s) },
      classical: classical
        ? {
            hr_bpm: stats(agreement(pick(ds.labels.hrBpm), classical.hrBpm)),
            hr_count_bpm: stats(agreement(pick(ds.labels.hrCountBpm), classical.hrBpm)),
            hrv_s: stats(agreement(pick(ds.labels.hrvS), classical.hrvS)),
            detected: classical.hrBpm.filter((v) => v !== null).length,
          }
        : null,
      modelSummary: tr.summary,
      params: tr.params,
    };
    let real: RealStudyResult | null = null;
    if (o.real !== undefined) {
      const t = performance.now();
      pcgSims ??= simulate() as SimulatedPcgWindow[]; // resumed: the same seed gives the same windows
      real = await realStudy({ realDir: o.real, runDir, sims: pcgSims, sampleRateHz: sim.sampleRateHz, model: tr.model, preprocess: tr.preprocess, classical: o.classical });
      say(`real windows: ${real.real.windows} of ${real.real.recordings} recordings in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    writeFileAtomic(join(runDir, 'metrics.json'), JSON.stringify({ ...metrics, signal, ...(real ? { real: real.real } : {}) }, null, 2) + '\n');
    if (!o.quiet) {
      process.stdout.write(evaluationText({ ...ev, subset: 'test', predictions: pred, preprocess: tr.preprocess, labels: ds.labels, spectra: tr.spectra, backend: tr.backend }) + '\n');
      if (metrics.classical) {
        const c = metrics.classical;
        say(`classical: HR MAE ${c.hr_bpm.mae?.toFixed(2) ?? '—'} bpm (vs hr_bpm), HRV MAE ${c.hrv_s.mae?.toFixed(4) ?? '—'} s, beats found in ${c.detected}/${idx.length}`);
      }
    }

    if (real && !o.quiet) {
      for (const [name, m] of Object.entries(real.real.methods)) {
        say(`real ${name}: HR MAE ${m.hrMaeBpm ?? '—'} bpm, SDNN MAE ${m.sdnnMaeMs ?? '—'} ms, no number for ${m.noEstimate}/${real.real.windows} windows`);
      }
      const c = real.realism.classifier as { accuracy?: number };
      if (c.accuracy !== undefined) say(`realism: a classifier tells real from simulated windows with ${(100 * c.accuracy).toFixed(1)} % accuracy (50 % = indistinguishable)`);
    }
    if (o.report) {
      try {
        // a literal specifier, so that the CLI bundle (scripts/build-cli.ts) finds and includes it
        const { writeReport } = await import('../../report/index.js');
        const path = await writeReport(runDir);
        say(`report: ${path}`);
      } catch (err) {
        process.stderr.write(`hrv-audio: report failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    say(`run written to ${runDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
}
