/**
 * The `hrv-audio` command line: a thin shell over the library. Each sub-command lives in its
 * own module under ./commands and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../errors.js';
import { registerSimulate } from './commands/simulate.js';
import { registerSpectrogram } from './commands/spectrogram.js';
import { registerTrain } from './commands/train.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerRun } from './commands/run.js';
import { registerEstimate } from './commands/estimate.js';
import { registerValidate } from './commands/validate.js';
import { registerReport } from './commands/report.js';
import { registerPlot } from './commands/plot.js';
import { registerTrainSegmenter } from './commands/trainSegmenter.js';
import { registerHrv } from './commands/hrv.js';
import { packageVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hrv-audio')
    .description('Heart rate (HR) and heart-rate variability (HRV) from audio.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerSimulate,
    registerSpectrogram,
    registerTrain,
    registerEvaluate,
    registerRun,
    registerEstimate,
    registerValidate,
    registerReport,
    registerPlot,
    registerTrainSegmenter,
    registerHrv,
  ]) {
    register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI on `argv` (process.argv form). Returns the exit status. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (help, version, or a usage error)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError || err instanceof RangeError || isMissingFileError(err)) {
      process.stderr.write(`hrv-audio: ${(err as Error).message}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`hrv-audio: error: ${message}\n`);
    if (process.env.HRV_AUDIO_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

/** A file-system error about a path the user named (missing, a folder, no permission). */
function isMissingFileError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES'].includes(code);
}
