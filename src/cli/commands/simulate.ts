/**
 * `hrv-audio simulate --n N --seed S [--rng fast|numpy] --out DIR [generator options]`:
 * simulate heartbeat signals (the seed notebook's generator) and write a dataset folder.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { UsageError } from '../errors.js';
import { packageVersion } from '../version.js';
import {
  DEFAULT_GENERATOR_PARAMS,
  DEFAULT_SEED,
  resolveSimulationOptions,
  simulateDataset,
  type ResolvedSimulationOptions,
  type RngMode,
} from '../../signal/simulate.js';
import { spectrogramBatch } from '../../dsp/spectrogram.js';
import { assertDatasetDirWritable, OutputFolderError, writeDataset, writeSpectrograms } from '../../io/dataset.js';

/**
 * commander parser for a finite-number option `flag`: throws UsageError (one line, exit 2) on
 * anything else, e.g. `NaN` or `abc`.
 */
export function parseNumber(flag: string): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (value.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${flag} must be a finite number, got '${value}'`);
    return x;
  };
}

/** commander parser for an integer option `flag` (throws UsageError otherwise). */
export function parseInteger(flag: string): (value: string) => number {
  const asNumber = parseNumber(flag);
  return (value) => {
    const x = asNumber(value);
    if (!Number.isInteger(x)) throw new UsageError(`${flag} must be an integer, got '${value}'`);
    return x;
  };
}

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

interface SimulateCliOptions {
  n: number;
  seed: number;
  rng: string;
  out: string;
  dtype: string;
  sampleRate: number;
  duration: number;
  hrMin: number;
  hrMax: number;
  hrvMin: number;
  hrvMax: number;
  pulseMin: number;
  pulseMax: number;
  ampMin: number;
  ampMax: number;
  snrMin: number;
  snrMax: number;
  spectrograms?: boolean;
}

/** Register the `simulate` sub-command. */
export function registerSimulate(program: Command): void {
  const d = DEFAULT_GENERATOR_PARAMS;
  program
    .command('simulate')
    .description('simulate synthetic heartbeat signals (the seed notebook\'s generator) and write a dataset folder')
    .requiredOption('--n <count>', 'number of signals (≥ 1)', parseInteger('--n'))
    .requiredOption('--out <dir>', 'output folder (new, empty, or holding an earlier dataset)')
    .option('--seed <int>', 'seed, integer in [0, 4294967295]', parseInteger('--seed'), DEFAULT_SEED)
    .option('--rng <mode>', "random numbers: 'fast' or 'numpy' (reproduces np.random.seed(S) and the notebook)", 'fast')
    .option('--dtype <type>', "sample type of signals.npy: 'float32' or 'float64'", 'float32')
    .option('--sample-rate <hz>', 'sampling rate, Hz', parseNumber('--sample-rate'), d.sampleRateHz)
    .option('--duration <s>', 'signal duration, seconds', parseNumber('--duration'), d.durationS)
    .option('--hr-min <bpm>', 'lowest heart rate, bpm', parseNumber('--hr-min'), d.hrMinBpm)
    .option('--hr-max <bpm>', 'highest heart rate, bpm', parseNumber('--hr-max'), d.hrMaxBpm)
    .option('--hrv-min <s>', 'lowest beat-interval standard deviation, s', parseNumber('--hrv-min'), d.hrvMinS)
    .option('--hrv-max <s>', 'highest beat-interval standard deviation, s', parseNumber('--hrv-max'), d.hrvMaxS)
    .option('--pulse-min <s>', 'shortest pulse, s', parseNumber('--pulse-min'), d.pulseMinS)
    .option('--pulse-max <s>', 'longest pulse, s', parseNumber('--pulse-max'), d.pulseMaxS)
    .option('--amp-min <a>', 'smallest pulse amplitude', parseNumber('--amp-min'), d.ampMin)
    .option('--amp-max <a>', 'largest pulse amplitude', parseNumber('--amp-max'), d.ampMax)
    .option('--snr-min <dB>', 'lowest signal-to-noise ratio, dB', parseNumber('--snr-min'), d.snrMinDb)
    .option('--snr-max <dB>', 'highest signal-to-noise ratio, dB', parseNumber('--snr-max'), d.snrMaxDb)
    .option('--spectrograms', 'also write spectrograms.npy with the default spectrogram settings')
    .action((opts: SimulateCliOptions) => {
      if (opts.rng !== 'fast' && opts.rng !== 'numpy') throw new UsageError(`unknown rng '${opts.rng}' (expected 'fast' or 'numpy')`);
      if (opts.dtype !== 'float32' && opts.dtype !== 'float64') {
        throw new UsageError(`unknown dtype '${opts.dtype}' (expected 'float32' or 'float64')`);
      }
      let resolved: ResolvedSimulationOptions;
      try {
        resolved = resolveSimulationOptions({
          n: opts.n,
          seed: opts.seed,
          rng: opts.rng as RngMode,
          sampleRateHz: opts.sampleRate,
          durationS: opts.duration,
          hrMinBpm: opts.hrMin,
          hrMaxBpm: opts.hrMax,
          hrvMinS: opts.hrvMin,
          hrvMaxS: opts.hrvMax,
          pulseMinS: opts.pulseMin,
          pulseMaxS: opts.pulseMax,
          ampMin: opts.ampMin,
          ampMax: opts.ampMax,
          snrMinDb: opts.snrMin,
          snrMaxDb: opts.snrMax,
        });
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
