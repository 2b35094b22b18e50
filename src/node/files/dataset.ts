/**
 * The dataset folder (Node-only):
 * - `signals.npy` — N × S signals, float32 (default) or float64;
 * - `labels.csv` — `index,hr_bpm,hr_count_bpm,hrv_s,n_beats,snr_db,hr_param_bpm,hrv_param_s`;
 * - `beats.json` — beat times in seconds, one array per signal;
 * - `dataset.json` — every generator parameter, seed, rng mode, package version, shapes;
 * - `spectrograms.npy` (N × F × T float32) and `spectrogram.json` (axes and options), written
 *   by `hrv-audio spectrogram`.
 *
 * Writing is all-or-nothing: every file goes to a temporary name first and is renamed into
 * place only once all were written. Same inputs → identical bytes (no timestamps).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedSimulationOptions, SimulatedSignal } from '../../signal/simulate.js';
import type { SpectrogramBatch } from '../../dsp/spectrogram.js';
import { encodeNpy, readNpy } from './npy.js';
import { packageVersion } from './packageVersion.js';
import { InputError } from '../../errors.js';

/** File names of a dataset folder. */
export const DATASET_FILES = Object.freeze({
  signals: 'signals.npy',
  labels: 'labels.csv',
  beats: 'beats.json',
  meta: 'dataset.json',
  spectrograms: 'spectrograms.npy',
  spectrogramMeta: 'spectrogram.json',
});

/** Column names of labels.csv, in order. */
export const LABEL_COLUMNS = Object.freeze([
  'index',
  'hr_bpm',
  'hr_count_bpm',
  'hrv_s',
  'n_beats',
  'snr_db',
  'hr_param_bpm',
  'hrv_param_s',
] as const);

/** Per-signal labels, one Float64Array of length N per field. */
export interface DatasetLabels {
  hrBpm: Float64Array;
  hrCountBpm: Float64Array;
  hrvS: Float64Array;
  nBeats: Float64Array;
  snrDb: Float64Array;
  hrParamBpm: Float64Array;
  hrvParamS: Float64Array;
}

/** Contents of dataset.json. */
export interface DatasetMeta {
  format: 'hrv-audio-dataset';
  formatVersion: 1;
  packageVersion: string;
  n: number;
  nSamples: number;
  sampleRateHz: number;
  durationS: number;
  dtype: 'float32' | 'float64';
  seed: number;
  rng: string;
  /** All simulation options (generator parameters, n, seed, rng). */
  options: ResolvedSimulationOptions;
  files: Record<string, string>;
  labelColumns: string[];
}

/** A dataset read back from its folder. */
export interface Dataset {
  dir: string;
  n: number;
  nSamples: number;
  sampleRateHz: number;
  /** Row-major N × nSamples. */
  signals: Float32Array | Float64Array;
  labels: DatasetLabels;
  beatsS: number[][];
  meta: DatasetMeta;
}

/** Spectrograms read back from a dataset folder. */
export interface DatasetSpectrograms {
  /** Row-major N × nFreq × nTime. */
  data: Float32Array;
  n: number;
  nFreq: number;
  nTime: number;
  freqsHz: number[];
  timesS: number[];
  /** 'linear' power (PSD) or 'db'. */
  scale: 'linear' | 'db';
  /** The spectrogram options used. */
  options: Record<string, unknown>;
}

/** Options of {@link writeDataset}. */
export interface WriteDatasetOptions {
  /** Sample type of signals.npy. Default 'float32'. */
  dtype?: 'float32' | 'float64';
  /** Package version recorded in dataset.json. Default: this package's version. */
  packageVersion?: string;
}

/** Thrown when an output folder cannot be used (holds other files, is a file, …). */
export class OutputFolderError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

const KNOWN = new Set<string>(Object.values(DATASET_FILES));

/**
 * Check that `dir` can receive a dataset: it does not exist, is empty, or holds only dataset
 * files (an earlier dataset, which will be replaced). Throws OutputFolderError otherwise.
 */
export function assertDatasetDirWritable(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new OutputFolderError(`output '${dir}' exists and is not a folder`);
  const others = readdirSync(dir).filter((name) => !KNOWN.has(name));
  if (others.length > 0) {
    const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? `, … (${others.length} in all)` : '');
    throw new OutputFolderError(`output folder '${dir}' holds other files (${shown}); choose an empty or new folder`);
  }
}

/** Format a number for CSV: shortest round-trip decimal (exact), `NaN` for NaN. */
function csvNumber(x: number): string {
  return String(x);
}

/** labels.csv text for the simulated signals. */
export function labelsCsv(sims: readonly SimulatedSignal[]): string {
  const rows = [LABEL_COLUMNS.join(',')];
  sims.forEach((s, i) => {
    rows.push(
      [i, s.hrBpm, s.hrCountBpm, s.hrvS, s.nBeats, s.snrDb, s.hrParamBpm, s.hrvParamS].map(csvNumber).join(','),
    );
  });
  return rows.join('\n') + '\n';
}

/**
 * Write files into `dir` all-or-nothing: each goes to a temporary name in `dir`, and only when
 * all are written are they renamed into place; on failure the temporaries are removed (and `dir`
 * too if this call created it). `remove` names files deleted afterwards (stale ones).
 */
function writeFilesTogether(dir: string, files: [string, string | Uint8Array][], remove: string[] = []): void {
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const tag = `${process.pid}.${Date.now().toString(36)}`;
  const temps: string[] = [];
  try {
    for (const [name, content] of files) {
      const tmp = join(dir, `.${name}.${tag}.tmp`);
      temps.push(tmp);
      writeFileSync(tmp, content);
    }
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    if (created) {
      try {
        rmdirSync(dir);
      } catch {
        // leave a non-empty folder alone
      }
    }
    throw err;
  }
  try {
    files.forEach(([name], i) => renameSync(temps[i], join(dir, name)));
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    throw err;
  }
  for (const name of remove) rmSync(join(dir, name), { force: true });
}

/**
 * Write a simulated dataset to `dir` (see the module comment for the files). Throws
 * OutputFolderError if `dir` holds files other than an earlier dataset's; an earlier dataset is
 * replaced, and its spectrograms (now stale) are removed.
 */
export function writeDataset(
  dir: string,
  sims: readonly SimulatedSignal[],
  options: ResolvedSimulationOptions,
  write: WriteDatasetOptions = {},
): DatasetMeta {
  assertDatasetDirWritable(dir);
  const dtype = write.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new RangeError(`dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  if (sims.length === 0) throw new RangeError('cannot write an empty dataset');
  const nSamples = sims[0].samples.length;
  const n = sims.length;
  const signals = dtype === 'float64' ? new Float64Array(n * nSamples) : new Float32Array(n * nSamples);
  sims.forEach((s, i) => {
    if (s.samples.length !== nSamples) throw new RangeError(`signal ${i} has ${s.samples.length} samples, expected ${nSamples}`);
    signals.set(s.samples, i * nSamples);
  });
  const meta: DatasetMeta = {
    format: 'hrv-audio-dataset',
    formatVersion: 1,
    packageVersion: write.packageVersion ?? packageVersion(),
    n,
    nSamples,
    sampleRateHz: options.sampleRateHz,
    durationS: options.durationS,
    dtype,
    seed: options.seed,
    rng: options.rng,
    options: { ...options },
    files: { signals: DATASET_FILES.signals, labels: DATASET_FILES.labels, beats: DATASET_FILES.beats },
    labelColumns: [...LABEL_COLUMNS],
  };
  writeFilesTogether(
    dir,
    [
      [DATASET_FILES.signals, encodeNpy(signals, [n, nSamples])],
      [DATASET_FILES.labels, labelsCsv(sims)],
      [DATASET_FILES.beats, JSON.stringify(sims.map((s) => s.beatTimesS)) + '\n'],
      [DATASET_FILES.meta, JSON.stringify(meta, null, 2) + '\n'],
    ],
    [DATASET_FILES.spectrograms, DATASET_FILES.spectrogramMeta],
  );
  return meta;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read ${what} '${path}'`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${what} '${path}' is not valid JSON`);
  }
}

/** Parse labels.csv text into per-column Float64Arrays (columns found by header name). */
export function parseLabelsCsv(text: string, expectedRows?: number): DatasetLabels {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length === 0) throw new InputError('labels.csv is empty');
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`labels.csv lacks the column '${name}'`);
    return i;
  };
  const n = lines.length - 1;
  if (expectedRows !== undefined && n !== expectedRows) throw new InputError(`labels.csv has ${n} rows, expected ${expectedRows}`);
  const fields: [keyof DatasetLabels, string][] = [
    ['hrBpm', 'hr_bpm'],
    ['hrCountBpm', 'hr_count_bpm'],
    ['hrvS', 'hrv_s'],
    ['nBeats', 'n_beats'],
    ['snrDb', 'snr_db'],
    ['hrParamBpm', 'hr_param_bpm'],
    ['hrvParamS', 'hrv_param_s'],
  ];
  const idx = fields.map(([, name]) => col(name));
  const labels = Object.fromEntries(fields.map(([key]) => [key, new Float64Array(n)])) as unknown as DatasetLabels;
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(',');
    fields.forEach(([key], j) => {
      labels[key][r] = Number(cells[idx[j]]);
    });
  }
  return labels;
}

/** Read a dataset folder written by {@link writeDataset} (or `hrv-audio simulate`). */
export function readDataset(dir: string): Dataset {
  const metaPath = join(dir, DATASET_FILES.meta);
  if (!existsSync(metaPath)) throw new InputError(`'${dir}' is not a dataset folder (no ${DATASET_FILES.meta}); create one with \`hrv-audio simulate --out ${dir}\``);
  const meta = readJson(metaPath, 'dataset description') as DatasetMeta;
  if (meta.format !== 'hrv-audio-dataset') throw new InputError(`'${metaPath}' is not an hrv-audio dataset description`);
  const sig = readNpy(join(dir, DATASET_FILES.signals));
  if (sig.dtype === '<i4' || sig.shape.length !== 2) throw new InputError(`signals.npy must be a 2-D float array, got ${sig.dtype} [${sig.shape.join(', ')}]`);
  const [n, nSamples] = sig.shape;
  if (n !== meta.n || nSamples !== meta.nSamples) {
    throw new InputError(`signals.npy shape [${n}, ${nSamples}] does not match dataset.json (${meta.n} × ${meta.nSamples})`);
  }
  const labels = parseLabelsCsv(readFileSync(join(dir, DATASET_FILES.labels), 'utf8'), n);
  const beatsS = readJson(join(dir, DATASET_FILES.beats), 'beat list') as number[][];
  if (!Array.isArray(beatsS) || beatsS.length !== n) throw new InputError(`beats.json must hold ${n} arrays of beat times`);
  return { dir, n, nSamples, sampleRateHz: meta.sampleRateHz, signals: sig.data as Float32Array | Float64Array, labels, beatsS, meta };
}

/** Write spectrograms.npy and spectrogram.json into the dataset folder `dir` (each atomically). */
export function writeSpectrograms(dir: string, batch: SpectrogramBatch, write: { packageVersion?: string } = {}): void {
  const sidecar = {
    format: 'hrv-audio-spectrograms',
    formatVersion: 1,
    packageVersion: write.packageVersion ?? packageVersion(),
    n: batch.n,
    nFreq: batch.nFreq,
    nTime: batch.nTime,
    shape: [batch.n, batch.nFreq, batch.nTime],
    dtype: 'float32',
    scale: batch.scale,
    ...(batch.dbFloor !== undefined ? { dbFloor: batch.dbFloor } : {}),
    options: batch.options,
    freqsHz: Array.from(batch.freqsHz),
    timesS: Array.from(batch.timesS),
  };
  writeFilesTogether(dir, [
    [DATASET_FILES.spectrograms, encodeNpy(batch.data, [batch.n, batch.nFreq, batch.nTime])],
    [DATASET_FILES.spectrogramMeta, JSON.stringify(sidecar, null, 2) + '\n'],
  ]);
}

/**
 * Read spectrograms.npy and spectrogram.json from a dataset folder. Throws an Error telling the
 * user to run `hrv-audio spectrogram DIR` if they are missing.
 */
export function readSpectrograms(dir: string): DatasetSpectrograms {
  const npyPath = join(dir, DATASET_FILES.spectrograms);
  const jsonPath = join(dir, DATASET_FILES.spectrogramMeta);
  if (!existsSync(npyPath) || !existsSync(jsonPath)) {
    throw new InputError(`no spectrograms in '${dir}': run \`hrv-audio spectrogram ${dir}\` first`);
  }
  const side = readJson(jsonPath, 'spectrogram description') as {
    n: number; nFreq: number; nTime: number; freqsHz: number[]; timesS: number[]; scale?: 'linear' | 'db'; options?: Record<string, unknown>;
  };
  const arr = readNpy(npyPath);
  if (!(arr.data instanceof Float32Array) || arr.shape.length !== 3) {
    throw new InputError(`spectrograms.npy must be a 3-D float32 array, got ${arr.dtype} [${arr.shape.join(', ')}]`);
  }
  const [n, nFreq, nTime] = arr.shape;
  if (n !== side.n || nFreq !== side.nFreq || nTime !== side.nTime) {
    throw new InputError(`spectrograms.npy shape [${arr.shape.join(', ')}] does not match spectrogram.json; run \`hrv-audio spectrogram ${dir}\` again`);
  }
  return { data: arr.data, n, nFreq, nTime, freqsHz: side.freqsHz, timesS: side.timesS, scale: side.scale ?? 'linear', options: side.options ?? {} };
}
