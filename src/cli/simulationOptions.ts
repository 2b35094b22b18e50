/**
 * The simulation options shared by `simulate` and `run`, and the numeric option parsers every
 * command uses. A bad value becomes a one-line UsageError.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { parseNumber, parseInteger } from './options.js';
import { DEFAULT_GENERATOR_PARAMS, resolveSimulationOptions, type ResolvedSimulationOptions, type RngMode } from '../signal/simulate.js';

/** The generator options as commander parses them (`--n` and `--seed` are declared by each command). */
export interface SimulationCliOptions {
  n: number;
  seed: number;
  rng: string;
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
}

/** Declare `--rng`, `--sample-rate`, `--duration` and the generator's ranges, with the seed's defaults. */
export function addSimulationOptions(cmd: Command): Command {
  const d = DEFAULT_GENERATOR_PARAMS;
  return cmd
    .option('--rng <mode>', "random numbers: 'fast' or 'numpy' (reproduces np.random.seed(S) and the notebook)", 'fast')
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
    .option('--snr-max <dB>', 'highest signal-to-noise ratio, dB', parseNumber('--snr-max'), d.snrMaxDb);
}

/** Validate the parsed options and fill in the generator's configuration (UsageError when invalid). */
export function simulationOptionsFromCli(o: SimulationCliOptions): ResolvedSimulationOptions {
  if (o.rng !== 'fast' && o.rng !== 'numpy') throw new UsageError(`unknown rng '${o.rng}' (expected 'fast' or 'numpy')`);
  try {
    return resolveSimulationOptions({
      n: o.n,
      seed: o.seed,
      rng: o.rng as RngMode,
      sampleRateHz: o.sampleRate,
      durationS: o.duration,
      hrMinBpm: o.hrMin,
      hrMaxBpm: o.hrMax,
      hrvMinS: o.hrvMin,
      hrvMaxS: o.hrvMax,
      pulseMinS: o.pulseMin,
      pulseMaxS: o.pulseMax,
      ampMin: o.ampMin,
      ampMax: o.ampMax,
      snrMinDb: o.snrMin,
      snrMaxDb: o.snrMax,
    });
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
}
