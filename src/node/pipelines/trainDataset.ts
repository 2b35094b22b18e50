/**
 * Training from a dataset folder (Node): read spectrograms + labels, split, preprocess, train
 * with a checkpoint after every epoch, write history.csv/json and the model folder.
 */
import { join } from 'node:path';
import { readDataset, readSpectrograms } from '../files/dataset.js';
import { writeFileAtomic } from '../files/atomicWrite.js';
import { saveModel } from '../files/modelStore.js';
import { trainTestSplit } from '../../model/training/split.js';
import { buildSeedCnn, modelSummary } from '../../model/architectures/seedCnn.js';
import { prepareTrainingData, type ModelLabels, type SpectraInput } from '../../model/training/data.js';
import { fitLoop, HISTORY_COLUMNS, LocalEngine, ModelTrainer, type EpochLog, type TrainerState, type FitResult, type TrainCallbacks, type TrainingEngine, type TrainOptions } from '../../model/training/train.js';
import type { PreprocessParams, TrainingMode } from '../../model/preprocess.js';
import type { BackendChoice, BackendInfo } from '../../model/backend.js';
import { initNodeBackend } from '../backend.js';
import { readCheckpoint, writeCheckpoint } from '../files/checkpoint.js';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Options of {@link trainOnDataset}. */
export interface TrainDatasetOptions extends TrainOptions {
  /** Dataset folder with spectrograms. */
  dataDir: string;
  /** Where model.json, weights.bin, preprocess.json go. */
  modelDir: string;
  /** Where history.csv/json go (default: modelDir). */
  historyDir?: string;
  /** Where checkpoints go (default: modelDir/checkpoint). */
  checkpointDir?: string;
  /** Training mode (default 'improved'). */
  mode?: TrainingMode;
  /** Backend (default 'auto'). */
  backend?: BackendChoice;
  /** Worker threads: 1, 2, or 'auto' (2 when the wasm backend runs and ≥ 2 CPUs). Default 'auto'. */
  workers?: 1 | 2 | 'auto';
  /** Test share of the split (default 0.2, as the seed). */
  testFraction?: number;
  /** Seed of the train/test split (default 42, the seed's random_state). */
  splitSeed?: number;
  /**
   * An explicit train/validation split (indices into the dataset), e.g. by patient; replaces
   * the seeded random split of `testFraction`/`splitSeed`.
   */
  split?: { trainIdx: number[]; testIdx: number[] };
  /** Per-window normalisation of the input (improved mode; see PreprocessParams.input.perWindow). */
  perWindow?: boolean;
  /** Start from these weights (pre-training), in model.getWeights() order. */
  initialWeights?: tfl.LayersModel;
  /** Continue from the checkpoint in checkpointDir. */
  resume?: boolean;
  callbacks?: TrainCallbacks;
  /** Informational messages (backend in use, resume point, …). */
  log?: (line: string) => void;
}

/** Result of {@link trainOnDataset}. */
export interface TrainDatasetResult {
  model: tfl.LayersModel;
  preprocess: PreprocessParams;
  fit: FitResult;
  backend: BackendInfo;
  engine: string;
  split: { trainIdx: number[]; testIdx: number[] };
  summary: string;
  params: number;
  spectra: SpectraInput;
  labels: ModelLabels;
}

/** Spectrograms of a dataset folder as linear PSD. */
export function readSpectraLinear(dataDir: string): SpectraInput {
  const s = readSpectrograms(dataDir);
  let data = s.data;
  if (s.scale === 'db') data = Float32Array.from(data, (v) => 10 ** (v / 10));
  return { data, n: s.n, nFreq: s.nFreq, nTime: s.nTime };
}

/** A short identity of a dataset (generator seed, rng, size), to recognise it again. */
export function datasetFingerprint(meta: { seed?: number; rng?: string; n?: number; nSamples?: number; sampleRateHz?: number }): string {
  return `seed=${meta.seed};rng=${meta.rng};n=${meta.n};samples=${meta.nSamples};fs=${meta.sampleRateHz}`;
}

/** history.csv text. */
export function historyCsv(history: EpochLog[]): string {
  const rows = history.map((h) => HISTORY_COLUMNS.map((c) => (h[c] === null ? '' : String(h[c]))).join(','));
  return [HISTORY_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** Write history.csv and history.json into `dir`. */
export function writeHistory(dir: string, history: EpochLog[]): void {
  writeFileAtomic(join(dir, 'history.csv'), historyCsv(history));
  writeFileAtomic(join(dir, 'history.json'), JSON.stringify(history, null, 2) + '\n');
}

/** Train the seed CNN on a dataset folder. */
export async function trainOnDataset(opts: TrainDatasetOptions): Promise<TrainDatasetResult> {
  const log = opts.log ?? (() => {});
  const mode = opts.mode ?? 'improved';
  const ds = readDataset(opts.dataDir);
  const spectra = readSpectraLinear(opts.dataDir);
  if (spectra.n !== ds.n) throw new Error(`the dataset has ${ds.n} signals but ${spectra.n} spectrograms; run \`hrv-audio spectrogram ${opts.dataDir}\` again`);
  const labels: ModelLabels = ds.labels;
  const split = opts.split ?? trainTestSplit(ds.n, opts.testFraction ?? 0.2, opts.splitSeed ?? 42);
  const { preprocess, train, test } = prepareTrainingData(mode, spectra, labels, split, { perWindow: opts.perWindow });
  if (!opts.split) preprocess.split = { n: ds.n, testFraction: opts.testFraction ?? 0.2, seed: opts.splitSeed ?? 42, dataset: datasetFingerprint(ds.meta) };

  const backend = await initNodeBackend(opts.backend ?? 'auto');
  const seed = opts.seed ?? 42;
  const model = buildSeedCnn(preprocess.inputShape, { seed });
  if (opts.initialWeights) model.setWeights(opts.initialWeights.getWeights());
  const summary = modelSummary(model);
  const params = model.countParams();

  const checkpointDir = opts.checkpointDir ?? join(opts.modelDir, 'checkpoint');
  const historyDir = opts.historyDir ?? opts.modelDir;
  const run = { mode, batchSize: opts.batchSize ?? 32, seed, n: ds.n, nTrain: train.n, inputShape: preprocess.inputShape, learningRate: opts.learningRate ?? 1e-3 };
  let resumeState;
  if (opts.resume) {
    const ck = readCheckpoint(checkpointDir);
    if (!ck) throw new Error(`--resume: no checkpoint in '${checkpointDir}'`);
    for (const [k, v] of Object.entries(run)) {
      if (JSON.stringify(ck.run[k]) !== JSON.stringify(v)) {
        throw new RangeError(`--resume: the checkpoint was made with ${k}=${JSON.stringify(ck.run[k])}, not ${JSON.stringify(v)}`);
      }
    }
    resumeState = ck.state;
    log(`resuming after epoch ${ck.state.epoch} from ${checkpointDir}`);
  }

  const workers = opts.workers ?? 'auto';
  let engine: TrainingEngine;
  let closeEngine = async () => {};
  const batchSize = opts.batchSize ?? 32;
  // 'auto': two workers pay once there are a few full batches per epoch (start-up costs ~1 s)
  const wantDual = workers === 2 || (workers === 'auto' && backend.name === 'wasm' && (await cpuCount()) >= 2 && train.n >= 4 * batchSize && batchSize >= 8);
  if (wantDual) {
    const { DualEngine } = await import('../workers/dualEngine.js');
    const dual = await DualEngine.start({ train, val: test, learningRate: opts.learningRate, seed, backend: backend.name, weights: model });
    engine = dual;
    closeEngine = () => dual.close();
  } else {
    engine = new LocalEngine(model, train, test, opts.learningRate);
  }
  log(summary);
  log(`backend: ${backend.description}; training on ${engine.description}`);

  let fit: FitResult;
  let lastState: TrainerState | undefined = resumeState;
  try {
    fit = await fitLoop(engine, train.n, preprocess.targets, { ...opts, seed }, {
      ...opts.callbacks,
      onEpochEnd: async (logRow, state) => {
        const st = await state();
        lastState = st;
        writeCheckpoint(checkpointDir, st, run);
        writeHistory(historyDir, st.history);
        await opts.callbacks?.onEpochEnd?.(logRow, state);
      },
    }, resumeState);
    if (fit.stoppedBy !== 'interrupt') {
      // the model on this thread gets the final weights (the workers hold them in two-core mode)
      if (!(engine instanceof LocalEngine)) await new ModelTrainer(model).importState({ weights: (await engine.exportState()).weights, optimizer: [] });
      await saveModel(model, opts.modelDir, preprocess);
      writeHistory(historyDir, fit.history);
    } else if (lastState) {
      // interrupted: save the model of the last completed epoch (the unfinished one is dropped;
      // --resume recomputes it from the checkpoint)
      await new ModelTrainer(model).importState({ weights: lastState.weights, optimizer: [] });
      await saveModel(model, opts.modelDir, preprocess);
    }
  } finally {
    await closeEngine();
  }
  return { model, preprocess, fit, backend, engine: engine.description, split, summary, params, spectra, labels };
}

async function cpuCount(): Promise<number> {
  const os = await import('node:os');
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
