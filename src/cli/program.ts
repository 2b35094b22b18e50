/**
 * The `hrv-audio` command line: a thin shell over the library. Each sub-command lives in its
 * own module under ./commands and registers itself on the program.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../errors.js';
import { ExitStatus } from './errors.js';
import { packageVersion } from './version.js';
import { commandWord } from './commandWord.js';

type Register = (program: Command) => void;

/** Command name → a loader of its module's register function. */
export type CommandTable = Readonly<Record<string, () => Promise<Register>>>;

/**
 * The sub-commands, each imported only when needed (fast start: `--version` and `estimate` never
 * load TF.js, vega or resvg). Keys are the command names, in help order.
 */
const COMMANDS: CommandTable = {
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

/**
 * What the top-level help lists for each command (its arguments and description), so that
 * `hrv-audio --help` needs none of the command modules. Must match what each module registers
 * (test/cli-help.test.ts compares the two help texts).
 */
export const COMMAND_SUMMARIES: Readonly<Record<string, { args: string; description: string }>> = {
  simulate: { args: '', description: "simulate heartbeat signals: the seed notebook's pulses (a dataset folder) or, with --model pcg, physiological heart sounds (.wav + .tsv + truth .json)" },
  spectrogram: { args: '<dir>', description: "compute the spectrogram of every signal of a dataset folder (writes spectrograms.npy)" },
  train: { args: '<data>', description: "train the seed's CNN on a dataset folder (needs spectrograms) and save the model" },
  evaluate: { args: '<model> <data>', description: "score a trained model on a dataset folder" },
  run: { args: '', description: "the whole seed study: simulate → spectrograms → train → evaluate → classical → report, into one run folder" },
  estimate: { args: '<inputs...>', description: "estimate heart rate and HRV from recordings (heart sounds or pulse signals): files, folders or - (stdin)" },
  validate: { args: '<dir>', description: "score a method against reference beats: NAME.tsv segmentations (CirCor style) or NAME.rpeaks.csv ECG R peaks" },
  report: { args: '<rundir>', description: "write the plots (PNG + SVG) and a self-contained report.html for a run folder" },
  plot: { args: '<file>', description: "plot a recording: waveform, envelope, detected (and annotated) beats, spectrogram, RR tachogram, Poincaré plot, RR spectrum" },
  "train-segmenter": { args: '<dir>', description: "train the learned heart-sound segmenter (patient-level K-fold CV, then the final model)" },
  hrv: { args: '<file>', description: "every HRV measure from RR intervals or beat times in a text/CSV file (ECG, chest strap, Polar/Kubios exports)" },
};

/** The sub-command named in `argv` (process.argv form), if it is in `commands` (`help CMD` names CMD). */
function namedCommand(argv: readonly string[], commands: CommandTable): string | undefined {
  const first = commandWord(argv);
  return first !== undefined && Object.hasOwn(commands, first) ? first : undefined;
}

/** Register a command's help-only stand-in: name, arguments, description (and `[options]`). */
function registerSummary(program: Command, name: string): void {
  const { args, description } = COMMAND_SUMMARIES[name]!;
  program
    .command(args ? `${name} ${args}` : name)
    .description(description)
    .addOption(new Option('--stand-in').hideHelp());
}

/**
 * Build the program. With `argv`, only the command it names is imported (none for `--version`;
 * help-only stand-ins when no command is named: `--help`, `help`, no arguments, an unknown
 * command). Without `argv`, every command module is imported.
 */
export function buildProgram(argv?: readonly string[]): Promise<Command> {
  return buildProgramWith(COMMANDS, argv);
}

/** buildProgram with a table of commands (all of them, or `estimate` alone: src/cli/estimateOnly.ts). */
async function buildProgramWith(commands: CommandTable, argv?: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('hrv-audio')
    .description('Heart rate (HR) and heart-rate variability (HRV) from audio.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const args = argv?.slice(2) ?? [];
  const versionOnly = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
  const one = argv ? namedCommand(argv, commands) : undefined;
  if (argv && !one) {
    // nothing to run: the top-level help (or an error with suggestions) needs only the summaries
    if (!versionOnly) for (const name of Object.keys(commands)) registerSummary(program, name);
  } else {
    const names = one ? [one] : Object.keys(commands);
    const registers = await Promise.all(names.map((n) => commands[n]!()));
    for (const register of registers) register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI on `argv` (process.argv form). Returns the exit status. */
export function runCli(argv: string[]): Promise<number> {
  return runCliWith(COMMANDS, argv);
}

/**
 * runCli with a table of commands: dist/bin/estimate.cjs, the bundle of the `estimate` command
 * alone (src/cli/estimateOnly.ts), passes only that one, so that it bundles no other command.
 */
export async function runCliWith(commands: CommandTable, argv: string[]): Promise<number> {
  try {
    const program = await buildProgramWith(commands, argv);
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
