/**
 * The `hrv-audio` command line: a thin shell over the library. Each sub-command lives in its
 * own module under ./commands and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../errors.js';
import { ExitStatus } from './errors.js';
import { packageVersion } from './version.js';

type Register = (program: Command) => void;

/**
 * The sub-commands, each imported only when needed (fast start: `--version` and `estimate` never
 * load TF.js, vega or resvg). Keys are the command names, in help order.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  simulate: async () => (await import('./commands/simulate.js')).registerSimulate,
  spectrogram: async () => (await import('./commands/spectrogram.js')).registerSpectrogram,
  train: async () => (await import('./commands/train.js')).registerTrain,
  evaluate: async () => (await import('./commands/evaluate.js')).registerEvaluate,
  run: async () => (await import('./commands/run.js')).registerRun,
  estimate: async () => (await import('./commands/estimate.js')).registerEstimate,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  report: async () => (await import('./commands/report.js')).registerReport,
  plot: async () => (await import('./commands/plot.js')).registerPlot,
  'train-segmenter': async () => (await import('./commands/trainSegmenter.js')).registerTrainSegmenter,
  hrv: async () => (await import('./commands/hrv.js')).registerHrv,
};

/** The sub-command named in `argv` (process.argv form), if it is one of ours. */
function namedCommand(argv: readonly string[]): string | undefined {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

/**
 * Build the program. With `argv`, only the command it names is imported (all of them for
 * `--help` or an unknown command; none for `--version`).
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('hrv-audio')
    .description('Heart rate (HR) and heart-rate variability (HRV) from audio.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const args = argv?.slice(2) ?? [];
  const versionOnly = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
  const one = argv ? namedCommand(argv) : undefined;
  const names = versionOnly ? [] : one ? [one] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registers) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI on `argv` (process.argv form). Returns the exit status. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof ExitStatus) return err.status;
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
