/**
 * `hrv-audio train-segmenter DIR --out MODEL [--folds K] [--seed N] [--epochs E]`: patient-level
 * K-fold cross-validation of the learned heart-sound segmenter on a segmented folder (CirCor
 * layout: NAME.wav + NAME.tsv, recordings.csv for patient ids), then the final model trained on
 * every recording, written to MODEL (model.json, weights.bin, bundle.json, cv-rows.json).
 * `hrv-audio train-segmenter ../shared/data/circor-train --out models/segmenter` reproduces the
 * shipped weights.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseInteger, parseNumber } from '../options.js';
import { initNodeBackend } from '../../node/backend.js';
import { SEGMENTER_TRAIN_DEFAULTS } from '../../model/training/segmenterTrain.js';
import { runSegmenterTraining } from '../../node/pipelines/trainSegmenter.js';

interface Options {
  out: string;
  folds: number;
  seed: number;
  epochs: number;
  learningRate: number;
  frameStride: number;
  cvOnly?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function registerTrainSegmenter(program: Command): void {
  program
    .command('train-segmenter')
    .description('train the learned heart-sound segmenter (patient-level K-fold CV, then the final model)')
    .argument('<dir>', 'folder of NAME.wav + NAME.tsv segmentations (e.g. circor-train)')
    .requiredOption('--out <dir>', 'output model folder')
    .option('--folds <k>', 'cross-validation folds (0 or 1: none)', parseInteger('--folds'), 5)
    .option('--seed <int>', 'seed of folds, initialisation and shuffling', parseInteger('--seed'), SEGMENTER_TRAIN_DEFAULTS.seed)
    .option('--epochs <n>', 'training epochs', parseInteger('--epochs'), SEGMENTER_TRAIN_DEFAULTS.epochs)
    .option('--learning-rate <lr>', 'Adam learning rate', parseNumber('--learning-rate'), SEGMENTER_TRAIN_DEFAULTS.learningRate)
    .option('--frame-stride <n>', 'use every n-th labelled frame per epoch', parseInteger('--frame-stride'), SEGMENTER_TRAIN_DEFAULTS.frameStride)
    .option('--cv-only', 'cross-validate only; write no model')
    .option('--json', 'print the CV summary as JSON')
    .option('--quiet', 'no progress output')
    .action(async (dir: string, o: Options) => {
      if (o.folds < 0) throw new UsageError(`--folds must be ≥ 0, got ${o.folds}`);
      if (o.epochs < 1) throw new UsageError(`--epochs must be ≥ 1, got ${o.epochs}`);
      if (!(o.learningRate > 0)) throw new UsageError(`--learning-rate must be > 0, got ${o.learningRate}`);
      if (o.frameStride < 1) throw new UsageError(`--frame-stride must be ≥ 1, got ${o.frameStride}`);
      await initNodeBackend('wasm');
      const t0 = Date.now();
      const res = await runSegmenterTraining({
        dir,
        out: o.out,
        folds: o.folds,
        seed: o.seed,
        cvOnly: o.cvOnly,
        train: { epochs: o.epochs, learningRate: o.learningRate, frameStride: o.frameStride },
        log: o.quiet ? undefined : (line) => process.stderr.write(line + '\n'),
      });
      const s = res.summary;
      if (o.json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      else if (s) {
        process.stdout.write(
          `CV (${o.folds} folds, ${s.recordings} recordings): S1 F1 ±100 ms ${s.f1At100?.toFixed(3)}, ±50 ms ${s.f1At50?.toFixed(3)}; ` +
            `HR within 5 bpm ${(100 * s.within5BpmShare).toFixed(1)} %; half/double rate ${s.halfOrDoubleRate}\n`,
        );
      }
      if (!o.cvOnly) process.stdout.write(`model written to ${o.out} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    });
}
