/**
 * `hrv-audio estimate FILE [--json | --csv] [--window S [--hop S]] [--signal auto|pcg|pulse]
 *  [--convention heartpy|neurokit] [--min-quality Q] [--method classical|cnn --model DIR]`:
 * heart rate, beats and HRV from a WAV recording, with a quality statement.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseNumber } from './simulate.js';
import { estimateFile, readForAnalysis, type FileEstimateResult } from '../../io/estimateFile.js';
import { WavFormatError } from '../../io/wav.js';
import { DEFAULT_MIN_QUALITY, type EstimateOptions, type EstimateWindow } from '../../hrv/estimate.js';
import type { HrvConvention } from '../../hrv/measures.js';
import { resample } from '../../dsp/resample.js';
import { spectrogramBatch } from '../../dsp/spectrogram.js';

interface EstimateCliOptions {
  json?: boolean;
  csv?: boolean;
  window?: number;
  hop?: number;
  signal: string;
  convention: string;
  minQuality?: number;
  method: string;
  model?: string;
}

/** Register the `estimate` sub-command. */
export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .description('estimate heart rate and HRV from a WAV recording (heart sounds or pulse signals)')
    .argument('<file>', 'WAV file (8/16/24/32-bit PCM, float, A-law, µ-law; any rate ≥ 500 Hz, any channels)')
    .option('--json', 'print one JSON object')
    .option('--csv', 'print the per-window rows as CSV (needs --window)')
    .option('--window <s>', 'per-window HR/HRV: window length in seconds', parseNumber('--window'))
    .option('--hop <s>', 'window hop in seconds (default: the window length)', parseNumber('--hop'))
    .option('--signal <type>', 'auto, pcg (heart sounds) or pulse (seed-style pulses)', 'auto')
    .option('--convention <name>', 'HRV definitions: heartpy (ddof 0, pNN fraction) or neurokit', 'heartpy')
    .option('--min-quality <q>', `report no numbers below this quality score (0..1, default ${DEFAULT_MIN_QUALITY})`, parseNumber('--min-quality'))
    .option('--method <name>', 'classical (beat detector) or cnn (trained model, needs --model)', 'classical')
    .option('--model <dir>', 'model folder for --method cnn (model.json, weights.bin, preprocess.json)')
    .addHelpText(
      'after',
      '\nExamples:\n  hrv-audio estimate recording.wav\n  hrv-audio estimate recording.wav --json\n' +
        '  hrv-audio estimate recording.wav --window 10 --hop 5 --csv\n  hrv-audio estimate pulses.wav --signal pulse --convention neurokit\n' +
        '  hrv-audio estimate recording.wav --method cnn --model run/model\n',
    )
    .action(async (file: string, opts: EstimateCliOptions) => {
      const out = await runEstimate(file, opts);
      process.stdout.write(out);
    });
}

function checkCliOptions(opts: EstimateCliOptions): EstimateOptions {
  if (!['auto', 'pcg', 'pulse'].includes(opts.signal)) throw new UsageError(`--signal must be auto, pcg or pulse, got '${opts.signal}'`);
  if (opts.convention !== 'heartpy' && opts.convention !== 'neurokit') {
    throw new UsageError(`--convention must be heartpy or neurokit, got '${opts.convention}'`);
  }
  if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
  if (opts.csv && opts.window === undefined) throw new UsageError('--csv prints per-window rows: add --window SECONDS');
  if (opts.hop !== undefined && opts.window === undefined) throw new UsageError('--hop needs --window');
  if (opts.window !== undefined && !(opts.window > 0)) throw new UsageError(`--window must be > 0 s, got ${opts.window}`);
  if (opts.hop !== undefined && !(opts.hop > 0)) throw new UsageError(`--hop must be > 0 s, got ${opts.hop}`);
  if (opts.minQuality !== undefined && !(opts.minQuality >= 0 && opts.minQuality <= 1)) {
    throw new UsageError(`--min-quality must be between 0 and 1, got ${opts.minQuality}`);
  }
  if (opts.method !== 'classical' && opts.method !== 'cnn') throw new UsageError(`--method must be classical or cnn, got '${opts.method}'`);
  if (opts.method === 'cnn' && !opts.model) throw new UsageError('--method cnn needs --model DIR (a model folder written by `hrv-audio train` or `run`)');
  if (opts.method !== 'cnn' && opts.model) throw new UsageError('--model is only used with --method cnn');
  const options: EstimateOptions = {
    signal: opts.signal as EstimateOptions['signal'],
    convention: opts.convention as HrvConvention,
  };
  if (opts.window !== undefined) options.windowS = opts.window;
  if (opts.hop !== undefined) options.hopS = opts.hop;
  if (opts.minQuality !== undefined) options.minQuality = opts.minQuality;
  return options;
}

/** Input problems with the file become UsageError (exit 2); other errors pass through. */
function asUsage(err: unknown): never {
  if (err instanceof WavFormatError) throw new UsageError(err.message);
  throw err;
}

/** Run the command and return what it prints. Exported for tests. */
export async function runEstimate(file: string, opts: EstimateCliOptions): Promise<string> {
  const options = checkCliOptions(opts);
  if (opts.method === 'cnn') return runCnn(file, opts.model!, opts);
  const result = await estimateFile(file, options).catch(asUsage);
  if (opts.json) return `${JSON.stringify(toJson(result))}\n`;
  if (opts.csv) return windowsCsv(result.windows ?? []);
  return summary(result);
}

/** The JSON form: the result without the envelope, with the source description. */
function toJson(r: FileEstimateResult): Record<string, unknown> {
  const { envelope: _envelope, ...rest } = r;
  return rest;
}

const CSV_HEADER = 'start_s,end_s,heart_rate_bpm,sdnn_ms,rmssd_ms,n_beats,quality';

function num(v: number | null, digits: number): string {
  return v === null || !Number.isFinite(v) ? '' : v.toFixed(digits);
}

/** Per-window rows as CSV (empty cells for null). */
export function windowsCsv(rows: readonly EstimateWindow[]): string {
  const lines = [CSV_HEADER];
  for (const w of rows) {
    lines.push(
      [num(w.startS, 3), num(w.endS, 3), num(w.heartRateBpm, 2), num(w.sdnnMs, 2), num(w.rmssdMs, 2), String(w.nBeats), num(w.quality, 3)].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The quality verdict shown to people. */
export function qualityVerdict(score: number, trusted: boolean): string {
  if (!trusted) return 'no trustworthy heartbeat: no numbers reported';
  if (score >= 0.7) return 'good';
  if (score >= 0.4) return 'fair: use with care';
  return 'poor: do not rely on these numbers';
}

function summary(r: FileEstimateResult): string {
  const s = r.source;
  const kind = r.signalType === 'pcg' ? 'heart sounds (S1 onsets)' : 'pulse signal (pulse onsets)';
  const lines: string[] = [];
  lines.push(
    `${s.path}: ${s.format}, ${s.channels} channel${s.channels === 1 ? '' : 's'}, ${s.sampleRateHz} Hz, ${r.durationS.toFixed(1)} s` +
      (r.analysisRateHz !== s.sampleRateHz ? ` (analysed at ${r.analysisRateHz} Hz)` : ''),
  );
  lines.push(`signal:      ${kind}, ${r.beatTimesS.length} beats, ${r.rrS.length} clean RR intervals`);
  const pnnUnit = r.convention === 'neurokit' ? ' %' : '';
  const pnnDigits = r.convention === 'neurokit' ? 1 : 3;
  if (r.trusted) {
    lines.push(`heart rate:  ${num(r.heartRateBpm, 1)} bpm  (mean RR ${num(r.meanRrMs, 1)} ms)`);
    lines.push(`HRV:         SDNN ${num(r.sdnnMs, 1)} ms, RMSSD ${num(r.rmssdMs, 1)} ms, SDSD ${num(r.sdsdMs, 1)} ms, MAD ${num(r.madMs, 1)} ms`);
    lines.push(`             pNN20 ${num(r.pnn20, pnnDigits)}${pnnUnit}, pNN50 ${num(r.pnn50, pnnDigits)}${pnnUnit}, SD1 ${num(r.sd1Ms, 1)} ms, SD2 ${num(r.sd2Ms, 1)} ms  (${r.convention} convention)`);
  } else {
    lines.push('heart rate:  —');
  }
  lines.push(`quality:     ${r.quality.score.toFixed(2)} (${qualityVerdict(r.quality.score, r.trusted)})`);
  for (const reason of r.quality.reasons) lines.push(`             - ${reason}`);
  if (r.windows) {
    lines.push('', 'windows:');
    lines.push(windowsCsv(r.windows).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/**
 * What `--method cnn` uses from src/model (issue 3), looked up at run time so that the classical
 * path works whatever the state of the model layer:
 * - `loadModel(dir)` → a tfjs LayersModel, or `{ model, pre | preprocess }`;
 * - then either `predictSignals(loaded, windows: Float32Array[])` → `{ hrBpm[], hrvS[] }` (raw
 *   windows at the model's rate), or `predict(model, pre, spectra, idx)` on linear-PSD
 *   spectrograms computed here with the seed's settings (1000 Hz, nperseg 256, noverlap 128);
 * - `validatePreprocess` to read `DIR/preprocess.json` when `loadModel` returns a bare model;
 * - `initBackend('auto')` when present.
 */
interface CnnApi {
  loadModel(dir: string): Promise<unknown>;
  predictSignals?(loaded: unknown, windows: Float32Array[]): Promise<{ hrBpm: number[]; hrvS: number[] }> | { hrBpm: number[]; hrvS: number[] };
  predict?(model: unknown, pre: unknown, spectra: { data: Float32Array; n: number; nFreq: number; nTime: number }, idx: readonly number[]): { hrPredBpm: ArrayLike<number>; hrvPredS: ArrayLike<number> };
  validatePreprocess?(p: unknown): unknown;
  initBackend?(choice?: string): Promise<unknown>;
}

/** The seed CNN's input: 5 s at 1000 Hz → 129 × 38 spectrogram (nperseg 256, noverlap 128). */
const CNN_RATE_HZ = 1000;
const CNN_HOP = 128;

async function runCnn(file: string, modelDir: string, opts: EstimateCliOptions): Promise<string> {
  const { samples, analysisRateHz, source, durationS } = await readForAnalysis(file).catch(asUsage);
  const mod = (await import('../../model/index.js')) as unknown as Partial<CnnApi>;
  if (typeof mod.loadModel !== 'function' || (typeof mod.predictSignals !== 'function' && typeof mod.predict !== 'function')) {
    throw new UsageError(
      'CNN method requires loadModel(dir) and predict/predictSignals from src/model (issue 3), which this build does not provide yet; use --method classical',
    );
  }
  await mod.initBackend?.('auto');
  const loaded = await mod.loadModel(modelDir);
  const obj = (loaded ?? {}) as Record<string, unknown>;
  const model = typeof obj.predict === 'function' || !('model' in obj) ? loaded : obj.model;
  let pre = (obj.pre ?? obj.preprocess) as { inputShape?: [number, number, number] } | undefined;
  if (!pre && typeof mod.predictSignals !== 'function') {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const raw: unknown = JSON.parse(readFileSync(join(modelDir, 'preprocess.json'), 'utf8'));
    pre = (mod.validatePreprocess ? mod.validatePreprocess(raw) : raw) as typeof pre;
  }
  const nTime = pre?.inputShape?.[1] ?? 38;
  const inputSamples = nTime === 38 ? 5000 : (nTime + 1) * CNN_HOP;
  const sampleRateHz = CNN_RATE_HZ;
  const x = analysisRateHz === sampleRateHz ? samples : resample(samples, analysisRateHz, sampleRateHz);
  const windows: Float32Array[] = [];
  const starts: number[] = [];
  for (let at = 0; at + inputSamples <= x.length; at += inputSamples) {
    windows.push(x.slice(at, at + inputSamples));
    starts.push(at / sampleRateHz);
  }
  if (windows.length === 0) throw new UsageError(`recording too short for the CNN: needs ${(inputSamples / sampleRateHz).toFixed(1)} s`);
  let pred: { hrBpm: number[]; hrvS: number[] };
  if (typeof mod.predictSignals === 'function') {
    pred = await mod.predictSignals(loaded, windows);
  } else {
    const flat = new Float32Array(windows.length * inputSamples);
    windows.forEach((w, i) => flat.set(w, i * inputSamples));
    const spectra = spectrogramBatch(flat, windows.length, inputSamples, { sampleRateHz });
    const out = mod.predict!(model, pre, spectra, windows.map((_, i) => i));
    pred = { hrBpm: Array.from(out.hrPredBpm), hrvS: Array.from(out.hrvPredS) };
  }
  const mean = (v: number[]): number | null => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
  const hrBpm = mean(pred.hrBpm.filter(Number.isFinite));
  const hrvS = mean(pred.hrvS.filter(Number.isFinite));
  const rows = starts.map((startS, i) => ({
    startS,
    endS: startS + inputSamples / sampleRateHz,
    heartRateBpm: pred.hrBpm[i] ?? null,
    hrvMs: pred.hrvS[i] !== undefined ? pred.hrvS[i]! * 1000 : null,
  }));
  const result = {
    method: 'cnn',
    model: modelDir,
    heartRateBpm: hrBpm,
    hrvMs: hrvS === null ? null : hrvS * 1000,
    nWindows: windows.length,
    windowS: inputSamples / sampleRateHz,
    modelSampleRateHz: sampleRateHz,
    durationS,
    sampleRateHz: source.sampleRateHz,
    source,
    windows: rows,
  };
  if (opts.json) return `${JSON.stringify(result)}\n`;
  if (opts.csv) {
    return `start_s,end_s,heart_rate_bpm,hrv_ms\n${rows.map((r) => [r.startS.toFixed(3), r.endS.toFixed(3), num(r.heartRateBpm, 2), num(r.hrvMs, 2)].join(',')).join('\n')}\n`;
  }
  return (
    `${source.path}: ${source.format}, ${source.sampleRateHz} Hz, ${durationS.toFixed(1)} s — CNN (${modelDir}), ` +
    `${windows.length} window(s) of ${(inputSamples / sampleRateHz).toFixed(1)} s at ${sampleRateHz} Hz\n` +
    `heart rate:  ${num(hrBpm, 1)} bpm (mean over windows)\nHRV:         ${num(hrvS === null ? null : hrvS * 1000, 1)} ms (the seed's HRV: SD of beat intervals)\n` +
    'quality:     the CNN gives no quality score; check against --method classical\n'
  );
}
