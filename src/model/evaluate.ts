/**
 * Evaluating a trained model: predictions in label units, the seed's printout (test loss, HR
 * MAE, HRV MAE, first 10 test samples) and agreement statistics against both HR definitions.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { agreement, type AgreementStats } from './metrics.js';
import { decodeTarget, prepareInput, type PreprocessParams } from './preprocess.js';
import { ModelTrainer } from './training/train.js';
import { hrLabelValues, type ModelLabels, type SpectraInput } from './training/data.js';

/** Predictions for some samples, in label units. */
export interface Predictions {
  /** Dataset indices of the samples. */
  index: number[];
  hrPredBpm: Float64Array;
  hrvPredS: Float64Array;
}

/** Predict HR (bpm) and HRV (s) for samples `idx` of `spectra` with a trained model. */
export function predict(model: tfl.LayersModel, pre: PreprocessParams, spectra: SpectraInput, idx: readonly number[]): Predictions {
  const x = prepareInput(pre, spectra.data, [spectra.nFreq, spectra.nTime], idx);
  const out = new ModelTrainer(model).predict(x, idx.length);
  return {
    index: idx.slice(),
    hrPredBpm: Float64Array.from(out.hr, (v) => decodeTarget(pre.targets.hr, v)),
    hrvPredS: Float64Array.from(out.hrv, (v) => decodeTarget(pre.targets.hrv, v)),
  };
}

/** metrics.json's `test` and `cnn` parts. */
export interface EvaluationResult {
  /** As the seed prints: loss = MSE(HR) + MSE(HRV) in label units, and the MAEs (mode's HR label). */
  test: { loss: number; hrMae: number; hrvMae: number; hrLabel: string };
  cnn: { hr_bpm: AgreementStats; hr_count_bpm: AgreementStats; hrv_s: AgreementStats };
}

/** Compare predictions with the labels of the same samples. */
export function evaluatePredictions(pred: Predictions, labels: ModelLabels, pre: PreprocessParams): EvaluationResult {
  const pick = (a: ArrayLike<number>) => pred.index.map((i) => a[i]);
  const hrTrue = pick(hrLabelValues(labels, pre.targets.hr.label));
  const hrvTrue = pick(labels.hrvS);
  let seHr = 0;
  let seHrv = 0;
  let aeHr = 0;
  let aeHrv = 0;
  const n = pred.index.length;
  for (let k = 0; k < n; k++) {
    const dh = pred.hrPredBpm[k] - hrTrue[k];
    const dv = pred.hrvPredS[k] - hrvTrue[k];
    seHr += dh * dh;
    seHrv += dv * dv;
    aeHr += Math.abs(dh);
    aeHrv += Math.abs(dv);
  }
  return {
    test: { loss: (seHr + seHrv) / n, hrMae: aeHr / n, hrvMae: aeHrv / n, hrLabel: pre.targets.hr.label },
    cnn: {
      hr_bpm: agreement(pred.hrPredBpm, pick(labels.hrBpm)),
      hr_count_bpm: agreement(pred.hrPredBpm, pick(labels.hrCountBpm)),
      hrv_s: agreement(pred.hrvPredS, hrvTrue),
    },
  };
}

/** The seed's "true vs predicted" table for the first `rows` samples, as text. */
export function comparisonTable(pred: Predictions, labels: ModelLabels, pre: PreprocessParams, rows = 10): string {
  const hr = hrLabelValues(labels, pre.targets.hr.label);
  const lines = [`${'sample'.padStart(6)} ${'index'.padStart(6)} ${'true HR'.padStart(9)} ${'pred HR'.padStart(9)} ${'true HRV'.padStart(9)} ${'pred HRV'.padStart(9)}`,
    `${''.padStart(6)} ${''.padStart(6)} ${'(bpm)'.padStart(9)} ${'(bpm)'.padStart(9)} ${'(s)'.padStart(9)} ${'(s)'.padStart(9)}`];
  for (let k = 0; k < Math.min(rows, pred.index.length); k++) {
    const i = pred.index[k];
    lines.push(`${String(k + 1).padStart(6)} ${String(i).padStart(6)} ${hr[i].toFixed(2).padStart(9)} ${pred.hrPredBpm[k].toFixed(2).padStart(9)} ${labels.hrvS[i].toFixed(4).padStart(9)} ${pred.hrvPredS[k].toFixed(4).padStart(9)}`);
  }
  return lines.join('\n');
}

/** Format agreement statistics as a small text table. */
export function agreementTable(rows: Array<[string, AgreementStats]>, digits: number[] = []): string {
  const f = (v: number | null, d: number) => (v === null ? '—' : v.toFixed(d)).padStart(9);
  const head = `${'target'.padEnd(24)} ${'MAE'.padStart(9)} ${'RMSE'.padStart(9)} ${'r'.padStart(9)} ${'bias'.padStart(9)} ${'LoA low'.padStart(9)} ${'LoA high'.padStart(9)}`;
  return [head, ...rows.map(([name, s], k) => {
    const d = digits[k] ?? 2;
    return `${name.padEnd(24)} ${f(s.mae, d)} ${f(s.rmse, d)} ${f(s.r, 3)} ${f(s.bias, d)} ${f(s.loaLow, d)} ${f(s.loaHigh, d)}`;
  })].join('\n');
}
