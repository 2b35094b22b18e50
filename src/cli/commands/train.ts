/**
 * `hrv-audio train DATA --out MODEL [options]`: train the seed's CNN on a dataset folder (with
 * spectrograms) and write the model folder (model.json, weights.bin, preprocess.json,
 * history.csv/json, checkpoint/).
 */
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { UsageError } from '../errors.js';
import { parseInteger, parseNumber } from '../options.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../model/backend.js';
import { TRAINING_MODES, type TrainingMode } from '../../model/preprocess.js';
import type { EpochLog, TrainCallbacks } from '../../model/training/train.js';
import { trainOnDataset, type TrainDatasetResult } from '../../node/pipelines/trainDataset.js';

/** Options shared by `train` and `run`. */
export interface TrainCliOptions {
  mode: TrainingMode;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  backend: BackendChoice;
  workers: string;
  earlyStopping?: number;
  resume?: boolean;
  testFraction: number;
  quiet?: boolean;
  /** Per-window normalisation of the dB input (improved mode). */
  perWindow?: boolean;
}

/** Add the training options to a command (used by `train` and `run`). */
export function addTrainOptions(cmd: Command, seedHelp = 'seed of weight initialisation, shuffling and dropout'): Command {
  return cmd
    .addOption(new Option('--mode <mode>', "'improved' (dB input, standardized targets, HR = 60/mean RR) or 'faithful' (the seed as written)").choices([...TRAINING_MODES]).default('improved'))
    .option('--epochs <n>', 'training epochs', parseInteger('--epochs'), 100)
    .option('--per-window', "subtract each window's mean dB before standardising (gain-invariant input; improved mode)")
    .option('--batch-size <n>', 'mini-batch size', parseInteger('--batch-size'), 32)
    .option('--learning-rate <lr>', 'Adam learning rate', parseNumber('--learning-rate'), 1e-3)
    .option('--seed <int>', seedHelp, parseInteger('--seed'), 42)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend (tensorflow needs @tensorflow/tfjs-node installed)').choices([...BACKEND_CHOICES]).default('auto'))
    .option('--workers <n>', "training threads: 1, 2, or 'auto' (2 with the wasm backend on ≥ 2 cores)", 'auto')
    .option('--early-stopping <epochs>', 'stop when val_loss has not improved for this many epochs', parseInteger('--early-stopping'))
    .option('--resume', 'continue from the last checkpoint (same data and options)')
    .option('--test-fraction <f>', 'share of samples held out for validation/test', parseNumber('--test-fraction'), 0.2)
    .option('--quiet', 'no progress output');
}

/** Validate the shared training options; returns the workers setting. */
export function checkTrainOptions(o: TrainCliOptions): 1 | 2 | 'auto' {
  if (o.epochs < 1) throw new UsageError(`--epochs must be ≥ 1, got ${o.epochs}`);
  if (o.batchSize < 1) throw new UsageError(`--batch-size must be ≥ 1, got ${o.batchSize}`);
  if (!(o.learningRate > 0)) throw new UsageError(`--learning-rate must be > 0, got ${o.learningRate}`);
  if (o.earlyStopping !== undefined && o.earlyStopping < 1) throw new UsageError(`--early-stopping must be ≥ 1, got ${o.earlyStopping}`);
  if (!(o.testFraction > 0 && o.testFraction < 1)) throw new UsageError(`--test-fraction must lie in (0, 1), got ${o.testFraction}`);
  if (o.workers === 'auto') return 'auto';
  if (o.workers === '1') return 1;
  if (o.workers === '2') return 2;
  throw new UsageError(`--workers must be 1, 2 or auto, got '${o.workers}'`);
}

function fmt(v: number | null, digits: number): string {
  return v === null ? '—' : v.toFixed(digits);
}

/** Keras-style line of an epoch. */
export function epochLine(log: EpochLog, epochs: number): string {
  const parts = [
    `Epoch ${log.epoch}/${epochs}`,
    `${log.seconds.toFixed(1)}s`,
    `loss: ${fmt(log.loss, 4)}`,
    `hr_output_mae: ${fmt(log.hr_output_mae, 4)}`,
    `hrv_output_mae: ${fmt(log.hrv_output_mae, 4)}`,
  ];
  if (log.val_loss !== null) {
    parts.push(`val_loss: ${fmt(log.val_loss, 4)}`, `val_hr_output_mae: ${fmt(log.val_hr_output_mae, 4)}`, `val_hrv_output_mae: ${fmt(log.val_hrv_output_mae, 4)}`);
  }
  return parts.join(' - ');
}

/**
 * Progress callbacks for the terminal: a bar per epoch (loss and MAEs) on a TTY, one line per
 * epoch otherwise; `shouldStop` turns true after Ctrl-C (a second Ctrl-C exits at once).
 */
export function cliTrainCallbacks(epochs: number, quiet = false): TrainCallbacks & { dispose(): void; interrupted(): boolean } {
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\ninterrupt: stopping after this batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  const tty = !quiet && process.stdout.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  return {
    onEpochBegin(epoch, total, nBatches) {
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        {
          format: `Epoch ${epoch}/${total} [{bar}] {value}/{total} - loss: {loss} - hr_mae: {hr} - hrv_mae: {hrv} - ETA {eta}s`,
          stream: process.stdout,
          clearOnComplete: true,
          hideCursor: true,
          barsize: 24,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(nBatches, 0, { loss: '…', hr: '…', hrv: '…' });
    },
    onBatchEnd(_epoch, batch, _n, running) {
      bar?.update(batch, { loss: running.loss.toFixed(3), hr: running.hr_output_mae.toFixed(3), hrv: running.hrv_output_mae.toFixed(4) });
    },
    onEpochEnd(log) {
      if (bar) {
        bar.stop();
        bar = null;
      }
      if (!quiet) process.stdout.write(epochLine(log, epochs) + '\n');
    },
    shouldStop: () => stop,
    interrupted: () => stop,
    dispose() {
      bar?.stop();
      process.removeListener('SIGINT', onSigint);
    },
  };
}

/** Run training from CLI options; prints the backend, the summary, progress. */
export async function runTraining(dataDir: string, modelDir: string, o: TrainCliOptions, dirs: { historyDir?: string; checkpointDir?: string } = {}): Promise<TrainDatasetResult> {
  const workers = checkTrainOptions(o);
  const callbacks = cliTrainCallbacks(o.epochs, o.quiet);
  const say = (line: string) => {
    if (!o.quiet) process.stdout.write(line + '\n');
  };
  let result: TrainDatasetResult;
  try {
    result = await trainOnDataset({
      dataDir,
      modelDir,
      ...dirs,
      mode: o.mode,
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
      backend: o.backend,
      workers,
      earlyStoppingPatience: o.earlyStopping,
      resume: o.resume,
      testFraction: o.testFraction,
      perWindow: o.perWindow,
      callbacks,
      log: say,
    });
  } catch (err) {
    if (err instanceof Error && /^--resume/.test(err.message)) throw new UsageError(err.message);
    throw err;
  } finally {
    callbacks.dispose();
  }
  if (result.fit.stoppedBy === 'interrupt') {
    const done = result.fit.history.length;
    process.stderr.write(`interrupted: ${done} epoch(s) completed, checkpointed and saved to ${modelDir}; continue with the same command and --resume\n`);
    // everything is written synchronously by now; exit like an interrupted program (130)
    process.exit(130);
  } else if (result.fit.stoppedBy === 'early-stopping') {
    say(`early stopping after epoch ${result.fit.history.length}`);
  }
  return result;
}

/** Register the `train` sub-command. */
export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description("train the seed's CNN on a dataset folder (needs spectrograms) and save the model")
    .argument('<data>', 'dataset folder (from `hrv-audio simulate` + `hrv-audio spectrogram`)')
    .requiredOption('--out <dir>', 'model folder to write');
  addTrainOptions(cmd).action(async (data: string, o: TrainCliOptions & { out: string }) => {
    const r = await runTraining(data, o.out, o);
    if (r.fit.stoppedBy === 'interrupt') return;
    if (!o.quiet) {
      const last = r.fit.history[r.fit.history.length - 1];
      process.stdout.write(
        `trained ${r.fit.history.length} epochs in ${r.fit.seconds.toFixed(1)} s on ${r.engine} (${o.mode} mode); ` +
          `val HR MAE ${fmt(last?.val_hr_output_mae ?? null, 2)} bpm, val HRV MAE ${fmt(last?.val_hrv_output_mae ?? null, 4)} s\n`,
      );
    }
    process.stdout.write(`model written to ${o.out}\n`);
  });
}
