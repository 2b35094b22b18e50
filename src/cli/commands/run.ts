/**
 * `hrv-audio run --out DIR [simulate options] [train options]`: the whole seed study in one
 * command — simulate → spectrograms → train → evaluate → classical estimator → report — into a
 * run folder (layout in docs/CONTRACTS.md):
 *   config.json, data/, model/, checkpoint/, history.csv, history.json, predictions.csv,
 *   metrics.json, report.html + plots/ (when the report module is available).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { packageVersion } from '../version.js';
import { parseInteger } from '../options.js';
import { addSimulationOptions, simulationOptionsFromCli, type SimulationCliOptions } from '../simulationOptions.js';
import { addTrainOptions, checkTrainOptions, runTraining, type TrainCliOptions } from './train.js';
import { evaluationText } from './evaluate.js';
import { simulateDataset } from '../../signal/simulate.js';
import { spectrogramBatch } from '../../dsp/spectrogram.js';
import { readDataset, writeDataset, writeSpectrograms } from '../../node/files/dataset.js';
import { writeFileAtomic } from '../../node/files/atomicWrite.js';
import { agreement, type AgreementStats } from '../../core/stats.js';
import { evaluatePredictions, predict } from '../../model/evaluate.js';
import { evaluationIndices } from '../../node/pipelines/evaluateDataset.js';
import { datasetFingerprint } from '../../node/pipelines/trainDataset.js';
import { estimate } from '../../hrv/estimate.js';
import { hrvMeasures } from '../../hrv/measures/index.js';

interface RunCliOptions extends TrainCliOptions, SimulationCliOptions {
  out: string;
  classical: boolean;
  report: boolean;
}

/**
 * Classical estimates of HR (bpm) and HRV (s: SDNN with ddof 0, the seed label's definition, from
 * `hrvMeasures` over the detected intervals, ≥ 2 of them) per signal; null when unavailable.
 */
export async function classicalEstimates(
  signals: Float32Array | Float64Array,
  nSamples: number,
  sampleRateHz: number,
  idx: readonly number[],
): Promise<{ hrBpm: Array<number | null>; hrvS: Array<number | null>; error?: string }> {
  const hrBpm: Array<number | null> = [];
  const hrvS: Array<number | null> = [];
  let error: string | undefined;
  for (const i of idx) {
    try {
      const r = await estimate(signals.subarray(i * nSamples, (i + 1) * nSamples), sampleRateHz, { method: 'classical', signal: 'pulse' });
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
    const sim = simulationOptionsFromCli(o);
    if (sim.n < 5) throw new UsageError(`--n must be ≥ 5 for a train/test split, got ${sim.n}`);

    const version = packageVersion();
    const config = {
      format: 'hrv-audio-run',
      formatVersion: 1,
      packageVersion: version,
      command: process.argv.slice(2).join(' '),
      simulation: sim,
      spectrogram: { sampleRateHz: sim.sampleRateHz, nperseg: 256, noverlap: 128, nfft: 256, window: 'tukey', tukeyAlpha: 0.25, detrend: 'constant', scaling: 'density' },
      training: {
        mode: o.mode, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, seed: o.seed, backend: o.backend,
        workers: o.workers, earlyStopping: o.earlyStopping ?? null, testFraction: o.testFraction, splitSeed: 42,
      },
    };
    const resumeData = o.resume && existsSync(join(dataDir, 'spectrograms.npy'));
    if (!resumeData) {
      const t = performance.now();
      const sims = simulateDataset(sim);
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
      classical = await classicalEstimates(ds.signals, ds.nSamples, ds.sampleRateHz, idx);
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
    writeFileAtomic(join(runDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    if (!o.quiet) {
      process.stdout.write(evaluationText({ ...ev, subset: 'test', predictions: pred, preprocess: tr.preprocess, labels: ds.labels, spectra: tr.spectra, backend: tr.backend }) + '\n');
      if (metrics.classical) {
        const c = metrics.classical;
        say(`classical: HR MAE ${c.hr_bpm.mae?.toFixed(2) ?? '—'} bpm (vs hr_bpm), HRV MAE ${c.hrv_s.mae?.toFixed(4) ?? '—'} s, beats found in ${c.detected}/${idx.length}`);
      }
    }

    if (o.report) {
      const spec = '../../report/index.js';
      try {
        const mod = (await import(spec)) as { writeReport?: (dir: string) => Promise<string> | string };
        if (typeof mod.writeReport === 'function') {
          const path = await mod.writeReport(runDir);
          say(`report: ${path}`);
        } else {
          say('report: not available in this build');
        }
      } catch (err) {
        process.stderr.write(`hrv-audio: report failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    say(`run written to ${runDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
}
