/**
 * `hrv-audio evaluate MODEL DATA [--json]`: score a trained model on a dataset folder — the seed's
 * printout (test loss, HR MAE, HRV MAE, first 10 samples) plus RMSE, Pearson r and Bland–Altman
 * bias / 95 % limits of agreement against both HR label definitions.
 */
import { Option, type Command } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../../model/backend.js';
import { agreementTable, comparisonTable } from '../../model/evaluate.js';
import { evaluateOnDataset, type DatasetEvaluation, type EvaluationSubset } from '../../node/pipelines/evaluateDataset.js';

/** The human-readable evaluation report. */
export function evaluationText(ev: DatasetEvaluation): string {
  const { test, cnn } = ev;
  const which = ev.subset === 'test' ? `the ${ev.predictions.index.length} test samples of the training split` : `all ${ev.predictions.index.length} samples`;
  return [
    `Evaluation on ${which} (${ev.preprocess.mode} mode, HR label ${test.hrLabel}):`,
    `Test Loss: ${test.loss.toFixed(4)}`,
    `Test HR MAE: ${test.hrMae.toFixed(4)}`,
    `Test HRV MAE: ${test.hrvMae.toFixed(4)}`,
    '',
    agreementTable([
      ['HR vs hr_bpm (bpm)', cnn.hr_bpm],
      ['HR vs hr_count_bpm (bpm)', cnn.hr_count_bpm],
      ['HRV vs hrv_s (s)', cnn.hrv_s],
    ], [2, 2, 4]),
    '',
    'Comparison of true vs. predicted HR and HRV (first 10 samples):',
    comparisonTable(ev.predictions, ev.labels, ev.preprocess, 10),
  ].join('\n');
}

/** Register the `evaluate` sub-command. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score a trained model on a dataset folder')
    .argument('<model>', 'model folder (from `hrv-audio train`)')
    .argument('<data>', 'dataset folder with spectrograms')
    .addOption(new Option('--subset <which>', "'test' (the training run's test split), 'all', or 'auto' (test split when DATA is the training dataset)").choices(['auto', 'test', 'all']).default('auto'))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices([...BACKEND_CHOICES]).default('auto'))
    .option('--json', 'print the results as JSON')
    .action(async (modelDir: string, dataDir: string, o: { subset: EvaluationSubset; backend: BackendChoice; json?: boolean }) => {
      const ev = await evaluateOnDataset(modelDir, dataDir, { backend: o.backend, subset: o.subset });
      if (o.json) {
        const rows = ev.predictions.index.map((i, k) => ({
          index: i,
          hr_bpm: ev.labels.hrBpm[i],
          hr_count_bpm: ev.labels.hrCountBpm[i],
          hrv_s: ev.labels.hrvS[i],
          hr_pred_bpm: ev.predictions.hrPredBpm[k],
          hrv_pred_s: ev.predictions.hrvPredS[k],
        }));
        process.stdout.write(JSON.stringify({ mode: ev.preprocess.mode, backend: ev.backend.name, subset: ev.subset, test: ev.test, cnn: ev.cnn, predictions: rows }, null, 2) + '\n');
      } else {
        process.stdout.write(evaluationText(ev) + '\n');
      }
    });
}
