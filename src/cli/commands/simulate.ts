/**
 * `hrv-audio simulate --n N --seed S [--rng fast|numpy] --out DIR [generator options]`:
 * simulate heartbeat signals (the seed notebook's generator) and write a dataset folder.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { UsageError } from '../errors.js';
import { parseInteger } from '../options.js';
import { addSimulationOptions, simulationOptionsFromCli, type SimulationCliOptions } from '../simulationOptions.js';
import { packageVersion } from '../version.js';
import { DEFAULT_SEED, simulateDataset, type ResolvedSimulationOptions } from '../../signal/simulate.js';
import { spectrogramBatch } from '../../dsp/spectrogram.js';
import { assertDatasetDirWritable, OutputFolderError, writeDataset, writeSpectrograms } from '../../node/files/dataset.js';
import { addPcgSimulationOptions, checkModelOptions, pcgOptionsFromCli } from '../pcgSimulationOptions.js';
import { writePcgSimulations } from '../../node/files/pcgSimulation.js';

/**
 * A progress reporter: a cli-progress bar on stdout when stdout is a terminal, nothing
 * otherwise. Returns the `onProgress` callback and a `stop()`.
 */
export function progressReporter(label: string): { onProgress?: (done: number, total: number) => void; stop: () => void } {
  if (!process.stdout.isTTY) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stdout, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

interface SimulateCliOptions extends SimulationCliOptions {
  out: string;
  model: string;
  rhythm: string;
  murmur: string;
  timing: string;
  profile: string;
  params?: string;
  dtype: string;
  spectrograms?: boolean;
}

/** Register the `simulate` sub-command. */
export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description('simulate heartbeat signals: the seed notebook\'s pulses (a dataset folder) or, with --model pcg, physiological heart sounds (.wav + .tsv + truth .json)')
    .requiredOption('--n <count>', 'number of signals (≥ 1)', parseInteger('--n'))
    .requiredOption('--out <dir>', 'output folder (new, empty, or holding an earlier dataset)')
    .option('--seed <int>', 'seed, integer in [0, 4294967295]', parseInteger('--seed'), DEFAULT_SEED)
    .option('--dtype <type>', "sample type of signals.npy: 'float32' or 'float64'", 'float32')
    .option('--spectrograms', 'also write spectrograms.npy with the default spectrogram settings');
  addPcgSimulationOptions(addSimulationOptions(cmd)).action((opts: SimulateCliOptions) => {
      checkModelOptions(cmd, opts.model);
      if (opts.model === 'pcg') {
        const options = pcgOptionsFromCli(cmd, opts);
        if (!Number.isInteger(opts.n) || opts.n < 1) throw new UsageError(`--n must be an integer ≥ 1, got ${opts.n}`);
        const t0 = performance.now();
        const names = writePcgSimulations(opts.out, opts.n, options, packageVersion());
        const seconds = (performance.now() - t0) / 1000;
        process.stdout.write(
          `simulate: wrote ${names.length} PCG recordings × ${options.durationS} s at ${options.sampleRateHz} Hz (.wav, .tsv, .json; seeds ${opts.seed}…${opts.seed + names.length - 1}) to ${opts.out} in ${seconds.toFixed(2)} s\n`,
        );
        return;
      }
      if (opts.dtype !== 'float32' && opts.dtype !== 'float64') {
        throw new UsageError(`unknown dtype '${opts.dtype}' (expected 'float32' or 'float64')`);
      }
      let resolved: ResolvedSimulationOptions;
      try {
        resolved = simulationOptionsFromCli(opts);
        assertDatasetDirWritable(opts.out);
      } catch (err) {
        if (err instanceof RangeError || err instanceof OutputFolderError) throw new UsageError(err.message);
        throw err;
      }
      const t0 = performance.now();
      const progress = progressReporter('simulate');
      let sims;
      try {
        sims = simulateDataset({ ...resolved, onProgress: progress.onProgress });
      } finally {
        progress.stop();
      }
      const version = packageVersion();
      writeDataset(opts.out, sims, resolved, { dtype: opts.dtype, packageVersion: version });
      let extra = '';
      if (opts.spectrograms) {
        const nSamples = sims[0].samples.length;
        const flat = new Float64Array(sims.length * nSamples);
        sims.forEach((s, i) => flat.set(s.samples, i * nSamples));
        const batch = spectrogramBatch(flat, sims.length, nSamples, { sampleRateHz: resolved.sampleRateHz });
        writeSpectrograms(opts.out, batch, { packageVersion: version });
        extra = ` and spectrograms (${batch.nFreq} × ${batch.nTime})`;
      }
      const seconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `simulate: wrote ${sims.length} signals × ${sims[0].samples.length} samples (${opts.dtype}, rng ${resolved.rng}, seed ${resolved.seed})${extra} to ${opts.out} in ${seconds.toFixed(2)} s\n`,
      );
    });
}
