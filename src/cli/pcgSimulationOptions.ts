/**
 * `simulate --model pcg` options: which of the shared simulation options apply, the PCG-only
 * options, and their translation into `PcgSimOptions` (UsageError when invalid).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { PCG_MURMURS, PCG_PROFILES, PCG_RHYTHMS, PCG_TIMINGS, resolvePcgOptions, type PcgSimOptions } from '../signal/pcg/index.js';

/** The simulate command's models. */
export const SIMULATION_MODELS = ['seed', 'pcg'] as const;

/** Declare the PCG-only options on `simulate`. */
export function addPcgSimulationOptions(cmd: Command): Command {
  return cmd
    .option('--model <name>', `generator: ${SIMULATION_MODELS.join(' | ')} (seed: the notebook's pulses; pcg: physiological heart sounds)`, 'seed')
    .option('--rhythm <kind>', `pcg: ${PCG_RHYTHMS.join(' | ')}`, 'sinus')
    .option('--murmur <kind>', `pcg: ${PCG_MURMURS.join(' | ')}`, 'none')
    .option('--timing <relation>', `pcg: systole-vs-HR relation, ${PCG_TIMINGS.join(' | ')}`, 'circor')
    .option('--profile <kind>', `pcg: recording profile, ${PCG_PROFILES.join(' | ')} (circor: noise/heart spectra and loudness drawn from a circor-train fit)`, 'circor')
    .option('--params <json>', 'pcg: parameter ranges as JSON (inline or @file), e.g. \'{"snrDb":[10,20],"s3Ratio":0.3}\'');
}

/** Options of the seed model that make no sense for pcg. */
const SEED_ONLY = ['rng', 'hrvMin', 'hrvMax', 'pulseMin', 'pulseMax', 'ampMin', 'ampMax', 'dtype', 'spectrograms'] as const;
const PCG_ONLY = ['rhythm', 'murmur', 'timing', 'profile', 'params'] as const;

function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Reject options given on the command line that the chosen model ignores. */
export function checkModelOptions(cmd: Command, model: string): void {
  if (!(SIMULATION_MODELS as readonly string[]).includes(model)) {
    throw new UsageError(`--model must be one of ${SIMULATION_MODELS.join(', ')}; got '${model}'`);
  }
  const other = model === 'pcg' ? SEED_ONLY : PCG_ONLY;
  for (const key of other) {
    if (cmd.getOptionValueSource(key) === 'cli') throw new UsageError(`${flag(key)} does not apply to --model ${model}`);
  }
}

interface PcgCli {
  seed: number;
  sampleRate: number;
  duration: number;
  hrMin: number;
  hrMax: number;
  snrMin: number;
  snrMax: number;
  rhythm: string;
  murmur: string;
  timing: string;
  profile: string;
  params?: string;
}

/** Build and validate `PcgSimOptions` from the parsed command line. */
export function pcgOptionsFromCli(cmd: Command, o: PcgCli): PcgSimOptions {
  const given = (key: string): boolean => cmd.getOptionValueSource(key) === 'cli';
  let params: Record<string, unknown> = {};
  if (o.params !== undefined) {
    let text = o.params;
    if (text.startsWith('@')) {
      try {
        text = readFileSync(text.slice(1), 'utf8');
      } catch (err) {
        throw new UsageError(`--params: cannot read ${text.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    try {
      params = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new UsageError('--params must be a JSON object, e.g. \'{"snrDb":[10,20]}\'');
    }
    if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new UsageError('--params must be a JSON object');
  }
  if (given('hrMin') || given('hrMax')) params.hrBpm = [o.hrMin, o.hrMax];
  if (given('snrMin') || given('snrMax')) params.snrDb = [o.snrMin, o.snrMax];
  const sampleRateHz = given('sampleRate') ? o.sampleRate : 4000;
  if (!Number.isInteger(sampleRateHz)) throw new UsageError(`--sample-rate must be an integer for WAV output, got ${sampleRateHz}`);
  const options: PcgSimOptions = {
    seed: o.seed,
    sampleRateHz,
    durationS: given('duration') ? o.duration : 20,
    rhythm: o.rhythm as PcgSimOptions['rhythm'],
    murmur: o.murmur as PcgSimOptions['murmur'],
    timing: o.timing as PcgSimOptions['timing'],
    profile: o.profile as PcgSimOptions['profile'],
    params: params as PcgSimOptions['params'],
  };
  try {
    resolvePcgOptions(options);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  return options;
}
