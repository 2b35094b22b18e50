/**
 * Read a run folder (written by `hrv-audio run --out DIR`, layout in docs/CONTRACTS.md) for the
 * report, tolerating missing optional pieces: each missing or unreadable piece becomes `null`
 * plus a note saying what is missing. Node-only.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csvNumericRecords, parseCsv } from './csv.js';
import type { HistoryRow } from './charts/history.js';
import { InputError } from '../errors.js';

/** Error metrics of one target by one estimator (label units). */
export interface TargetMetrics {
  mae: number;
  rmse: number;
  r: number;
  bias: number;
  loaLow: number;
  loaHigh: number;
  [extra: string]: unknown;
}

/** metrics.json (fields may be missing in partial runs). */
export interface RunMetrics {
  mode?: string;
  backend?: string;
  trainSeconds?: number;
  epochs?: number;
  nTrain?: number;
  nTest?: number;
  test?: { loss?: number; hrMae?: number; hrvMae?: number };
  cnn?: Record<string, TargetMetrics | undefined>;
  classical?: Record<string, TargetMetrics | undefined> | null;
  modelSummary?: string;
  params?: number;
  [extra: string]: unknown;
}

/** One row of predictions.csv; null = empty cell. */
export interface PredictionRow {
  index: number | null;
  hrBpm: number | null;
  hrCountBpm: number | null;
  hrvS: number | null;
  snrDb: number | null;
  hrPredBpm: number | null;
  hrvPredS: number | null;
  classicalHrBpm: number | null;
  classicalHrvS: number | null;
}

/** The first signal of the dataset, for the sample plots. */
export interface SampleSignal {
  index: number;
  samples: Float32Array | Float64Array;
  sampleRateHz: number;
  beatTimesS: number[] | null;
  hrBpm: number | null;
  hrvS: number | null;
}

/** Per-column values of data/labels.csv (null when the file is missing). */
export type LabelColumns = Record<string, (number | null)[]>;

/** Everything the report reads from a run folder. */
export interface RunData {
  dir: string;
  config: Record<string, unknown> | null;
  metrics: RunMetrics | null;
  history: HistoryRow[] | null;
  predictions: PredictionRow[] | null;
  /** model/preprocess.json. */
  preprocess: Record<string, unknown> | null;
  /** data/dataset.json. */
  datasetMeta: Record<string, unknown> | null;
  labels: LabelColumns | null;
  sample: SampleSignal | null;
  /** data/spectrogram.json options (used to recompute the sample's spectrogram the same way). */
  spectrogramOptions: Record<string, unknown> | null;
  /** real.json of a `run --signal pcg --real DIR` (the CNN and the classical detector on real windows). */
  real?: Record<string, unknown> | null;
  /** realism.json of the same run (simulator vs the real recordings). */
  realism?: Record<string, unknown> | null;
  /** real-predictions.csv columns by header (numbers; recording names as null). */
  realPredictions?: LabelColumns | null;
  /** Human-readable notes on missing or unreadable pieces. */
  notes: string[];
}

/** Thrown when the folder is not a run folder. */
export class NotARunFolderError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'NotARunFolderError';
  }
}

function readJsonOptional(path: string, what: string, notes: string[]): unknown {
  if (!existsSync(path)) {
    notes.push(`${what} is missing (${path}).`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    notes.push(`${what} could not be read: ${(err as Error).message}.`);
    return null;
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** History rows from history.json in any of: array of rows, { epochs|history|rows: [...] }, or Keras-style columns. */
export function historyFromJson(json: unknown): HistoryRow[] | null {
  let rows: unknown = json;
  if (isObject(json)) {
    const inner = json.epochs ?? json.history ?? json.rows;
    if (Array.isArray(inner)) rows = inner;
    else if (isObject(inner) || Object.values(json).some(Array.isArray)) {
      const cols = (isObject(inner) ? inner : json) as Record<string, unknown>;
      const arrays = Object.entries(cols).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
      const n = Math.max(0, ...arrays.map(([, v]) => v.length));
      rows = Array.from({ length: n }, (_, i) => Object.fromEntries(arrays.map(([k, v]) => [k, v[i]])));
    }
  }
  if (!Array.isArray(rows)) return null;
  const out: HistoryRow[] = [];
  rows.forEach((r, i) => {
    if (!isObject(r)) return;
    const row: HistoryRow = { epoch: typeof r.epoch === 'number' ? r.epoch : i + 1 };
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number') row[k] = v;
    out.push(row);
  });
  return out;
}

/** History rows from history.csv text. */
export function historyFromCsv(text: string): HistoryRow[] {
  return csvNumericRecords(parseCsv(text)).map((r, i) => {
    const row: HistoryRow = { epoch: r.epoch ?? i + 1 };
    for (const [k, v] of Object.entries(r)) if (v !== null) row[k] = v;
    return row;
  });
}

/** predictions.csv rows (columns found by name; missing columns → null). */
export function predictionsFromCsv(text: string): PredictionRow[] {
  const table = parseCsv(text);
  if (!table.header.includes('hr_pred_bpm') && !table.header.includes('hrv_pred_s')) {
    throw new Error('predictions.csv has neither an hr_pred_bpm nor an hrv_pred_s column');
  }
  return csvNumericRecords(table).map((r) => ({
    index: r.index ?? null,
    hrBpm: r.hr_bpm ?? null,
    hrCountBpm: r.hr_count_bpm ?? null,
    hrvS: r.hrv_s ?? null,
    snrDb: r.snr_db ?? null,
    hrPredBpm: r.hr_pred_bpm ?? null,
    hrvPredS: r.hrv_pred_s ?? null,
    classicalHrBpm: r.classical_hr_bpm ?? null,
    classicalHrvS: r.classical_hrv_s ?? null,
  }));
}

/**
 * Read row `row` of a 2-D little-endian float32/float64 C-order .npy file without reading the
 * rest of the file. Returns the row and the array shape.
 */
export function readNpyRow(path: string, row: number): { data: Float32Array | Float64Array; shape: number[] } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(10);
    readSync(fd, head, 0, 10, 0);
    if (head.readUInt32BE(0) !== 0x934e554d || head[4] !== 0x50 || head[5] !== 0x59) throw new Error(`${path} is not a .npy file`);
    const major = head[6]!;
    const headerLen = major === 1 ? head.readUInt16LE(8) : (() => {
      const b = Buffer.alloc(4);
      readSync(fd, b, 0, 4, 8);
      return b.readUInt32LE(0);
    })();
    const prefix = major === 1 ? 10 : 12;
    const hb = Buffer.alloc(headerLen);
    readSync(fd, hb, 0, headerLen, prefix);
    const header = hb.toString('latin1');
    const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
    const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
    if (!descr || !fortran || shapeText === undefined) throw new Error(`${path}: unreadable .npy header`);
    if (fortran === 'True') throw new Error(`${path}: Fortran-order .npy is not supported`);
    const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (shape.length !== 2) throw new Error(`${path}: expected a 2-D array, got shape (${shape.join(', ')})`);
    const bytesPer = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
    if (!bytesPer) throw new Error(`${path}: unsupported dtype ${descr} (expected <f4 or <f8)`);
    const [nRows, nCols] = shape as [number, number];
    if (row < 0 || row >= nRows) throw new RangeError(`${path}: row ${row} out of range (0…${nRows - 1})`);
    const buf = Buffer.alloc(nCols * bytesPer);
    const got = readSync(fd, buf, 0, buf.length, prefix + headerLen + row * nCols * bytesPer);
    if (got !== buf.length) throw new Error(`${path} is truncated`);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    return { data: bytesPer === 4 ? new Float32Array(ab) : new Float64Array(ab), shape };
  } finally {
    closeSync(fd);
  }
}

/**
 * Read a run folder. Throws {@link NotARunFolderError} when `dir` does not exist, is not a
 * folder, or holds none of config.json, metrics.json, predictions.csv, history.json/csv.
 */
export function readRunFolder(dir: string): RunData {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new NotARunFolderError(`run folder '${dir}' does not exist`);
  if (!statSync(abs).isDirectory()) throw new NotARunFolderError(`'${dir}' is not a folder (expected a run folder written by \`hrv-audio run --out DIR\`)`);
  const markers = ['config.json', 'metrics.json', 'predictions.csv', 'history.json', 'history.csv'];
  if (!markers.some((m) => existsSync(join(abs, m)))) {
    throw new NotARunFolderError(`'${dir}' is not a run folder: it has none of ${markers.join(', ')} (create one with \`hrv-audio run --out ${dir}\`)`);
  }
  const notes: string[] = [];
  const config = readJsonOptional(join(abs, 'config.json'), 'config.json', notes);
  const metrics = readJsonOptional(join(abs, 'metrics.json'), 'metrics.json', notes);

  let history: HistoryRow[] | null = null;
  if (existsSync(join(abs, 'history.json'))) {
    history = historyFromJson(readJsonOptional(join(abs, 'history.json'), 'history.json', notes));
    if (!history) notes.push('history.json has no recognisable epoch rows.');
  }
  if (!history && existsSync(join(abs, 'history.csv'))) {
    try {
      history = historyFromCsv(readFileSync(join(abs, 'history.csv'), 'utf8'));
    } catch (err) {
      notes.push(`history.csv could not be read: ${(err as Error).message}.`);
    }
  }
  if (!history) notes.push('No training history (history.json / history.csv): learning curves are not shown.');
  else if (history.length === 0) {
    notes.push('The training history has no epochs.');
    history = null;
  }

  let predictions: PredictionRow[] | null = null;
  const predPath = join(abs, 'predictions.csv');
  if (existsSync(predPath)) {
    try {
      predictions = predictionsFromCsv(readFileSync(predPath, 'utf8'));
    } catch (err) {
      notes.push(`predictions.csv could not be read: ${(err as Error).message}.`);
    }
  } else notes.push('predictions.csv is missing: agreement and error plots are not shown.');

  const preprocessPath = join(abs, 'model', 'preprocess.json');
  const preprocess = existsSync(preprocessPath) ? readJsonOptional(preprocessPath, 'model/preprocess.json', notes) : null;

  const dataDir = join(abs, 'data');
  let datasetMeta: unknown = null;
  let labels: LabelColumns | null = null;
  let sample: SampleSignal | null = null;
  let spectrogramOptions: Record<string, unknown> | null = null;
  if (!existsSync(dataDir)) notes.push('The dataset folder data/ is missing: dataset summary and sample plots are not shown.');
  else {
    datasetMeta = readJsonOptional(join(dataDir, 'dataset.json'), 'data/dataset.json', notes);
    if (existsSync(join(dataDir, 'labels.csv'))) {
      const table = parseCsv(readFileSync(join(dataDir, 'labels.csv'), 'utf8'));
      const recs = csvNumericRecords(table);
      labels = Object.fromEntries(table.header.map((h) => [h, recs.map((r) => r[h] ?? null)]));
    } else notes.push('data/labels.csv is missing.');
    const spectroMeta = existsSync(join(dataDir, 'spectrogram.json')) ? readJsonOptional(join(dataDir, 'spectrogram.json'), 'data/spectrogram.json', notes) : null;
    if (isObject(spectroMeta) && isObject(spectroMeta.options)) spectrogramOptions = spectroMeta.options;
    const sigPath = join(dataDir, 'signals.npy');
    const meta = isObject(datasetMeta) ? datasetMeta : {};
    const sampleRateHz = typeof meta.sampleRateHz === 'number' ? meta.sampleRateHz : null;
    if (!existsSync(sigPath)) notes.push('data/signals.npy is missing: the sample signal is not shown.');
    else if (sampleRateHz === null) notes.push('data/dataset.json gives no sampleRateHz: the sample signal is not shown.');
    else {
      try {
        const { data } = readNpyRow(sigPath, 0);
        let beatTimesS: number[] | null = null;
        const beatsPath = join(dataDir, 'beats.json');
        if (existsSync(beatsPath)) {
          const beats = readJsonOptional(beatsPath, 'data/beats.json', notes);
          if (Array.isArray(beats) && Array.isArray(beats[0])) beatTimesS = (beats[0] as unknown[]).filter((t): t is number => typeof t === 'number');
        }
        sample = {
          index: 0,
          samples: data,
          sampleRateHz,
          beatTimesS,
          hrBpm: labels?.hr_bpm?.[0] ?? null,
          hrvS: labels?.hrv_s?.[0] ?? null,
        };
      } catch (err) {
        notes.push(`data/signals.npy could not be read: ${(err as Error).message}.`);
      }
    }
  }
  const optionalJson = (name: string): Record<string, unknown> | null => {
    if (!existsSync(join(abs, name))) return null;
    const v = readJsonOptional(join(abs, name), name, notes);
    return isObject(v) ? v : null;
  };
  const real = optionalJson('real.json');
  const realism = optionalJson('realism.json');
  let realPredictions: LabelColumns | null = null;
  if (existsSync(join(abs, 'real-predictions.csv'))) {
    try {
      const table = parseCsv(readFileSync(join(abs, 'real-predictions.csv'), 'utf8'));
      const recs = csvNumericRecords(table);
      realPredictions = Object.fromEntries(table.header.map((h) => [h, recs.map((r) => r[h] ?? null)]));
    } catch (err) {
      notes.push(`real-predictions.csv could not be read: ${(err as Error).message}.`);
    }
  }
  return {
    dir: abs,
    config: isObject(config) ? config : null,
    real,
    realism,
    realPredictions,
    metrics: isObject(metrics) ? (metrics as RunMetrics) : null,
    history,
    predictions,
    preprocess: isObject(preprocess) ? preprocess : null,
    datasetMeta: isObject(datasetMeta) ? datasetMeta : null,
    labels,
    sample,
    spectrogramOptions,
    notes,
  };
}
