/**
 * Evaluating a saved model on a dataset folder (Node).
 */
import { readDataset } from '../files/dataset.js';
import { loadModel } from '../files/modelStore.js';
import { trainTestSplit } from '../../model/training/split.js';
import { evaluatePredictions, predict, type EvaluationResult, type Predictions } from '../../model/evaluate.js';
import type { ModelLabels, SpectraInput } from '../../model/training/data.js';
import type { PreprocessParams } from '../../model/preprocess.js';
import type { BackendChoice, BackendInfo } from '../../model/backend.js';
import { initNodeBackend } from '../backend.js';
import { datasetFingerprint, readSpectraLinear } from './trainDataset.js';

/** Which samples to score: the training run's test split (when the dataset is the training one), or all. */
export type EvaluationSubset = 'auto' | 'test' | 'all';

/** Result of {@link evaluateOnDataset}. */
export interface DatasetEvaluation extends EvaluationResult {
  subset: 'test' | 'all';
  predictions: Predictions;
  preprocess: PreprocessParams;
  labels: ModelLabels;
  spectra: SpectraInput;
  backend: BackendInfo;
}

/** Indices to evaluate for a dataset of `n` samples with fingerprint `fp`. */
export function evaluationIndices(pre: PreprocessParams, n: number, fp: string, subset: EvaluationSubset): { idx: number[]; subset: 'test' | 'all' } {
  const sameData = pre.split !== undefined && pre.split.n === n && (pre.split.dataset === undefined || pre.split.dataset === fp);
  if (subset === 'test' && !sameData) {
    throw new RangeError('--subset test needs the dataset the model was trained on (its size or fingerprint differs)');
  }
  if (subset === 'all' || (subset === 'auto' && !sameData)) return { idx: Array.from({ length: n }, (_, i) => i), subset: 'all' };
  const split = trainTestSplit(n, pre.split!.testFraction, pre.split!.seed);
  return { idx: split.testIdx, subset: 'test' };
}

/** Load the model in `modelDir` and score it on the dataset in `dataDir`. */
export async function evaluateOnDataset(modelDir: string, dataDir: string, options: { backend?: BackendChoice; subset?: EvaluationSubset } = {}): Promise<DatasetEvaluation> {
  const backend = await initNodeBackend(options.backend ?? 'auto');
  const { model, preprocess } = await loadModel(modelDir);
  const ds = readDataset(dataDir);
  const spectra = readSpectraLinear(dataDir);
  const { idx, subset } = evaluationIndices(preprocess, ds.n, datasetFingerprint(ds.meta), options.subset ?? 'auto');
  const predictions = predict(model, preprocess, spectra, idx);
  model.dispose();
  return { ...evaluatePredictions(predictions, ds.labels, preprocess), subset, predictions, preprocess, labels: ds.labels, spectra, backend };
}
