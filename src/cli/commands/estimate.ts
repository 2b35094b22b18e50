/**
 * `hrv-audio estimate FILE [--json | --csv] [--window S [--hop S]] [--signal auto|pcg|pulse]
 *  [--convention heartpy|neurokit] [--min-quality Q] [--method classical|cnn --model DIR]`:
 * heart rate, beats and HRV from a WAV recording, with a quality statement.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { statSync } from 'node:fs';
import { parseInteger, parseNumber } from '../options.js';
import { estimateFile, type FileEstimateOptions, type FileEstimateResult } from '../../node/pipelines/estimateFile.js';
import { WavFormatError } from '../../node/files/wav.js';
import { DEFAULT_MIN_QUALITY, type EstimateWindow } from '../../hrv/estimate.js';
import { HRV_CONVENTIONS, METHODS, SIGNAL_CHOICES, isDirectMethod, parseChoice, type Verdict } from '../../core/choices.js';
import { DEFAULT_METHOD } from '../../hrv/registry.js';
import { hrvFieldLines } from '../../hrv/measures/index.js';

export interface EstimateCliOptions {
  json?: boolean;
  csv?: boolean;
  window?: number;
  hop?: number;
  signal: string;
  convention: string;
  minQuality?: number;
  method?: string;
  model?: string;
  windowCsv?: boolean;
  jobs?: number;
  out?: string;
  resume?: boolean;
  progress?: boolean;
}

/** Register the `estimate` sub-command. */
export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .description('estimate heart rate and HRV from recordings (heart sounds or pulse signals): files, folders or - (stdin)')
    .argument(
      '<inputs...>',
      'audio files (WAV, FLAC, MP3, Ogg Vorbis/Opus; M4A/AAC with ffmpeg), folders (recursive) or - for stdin',
    )
    .option('--json', 'one JSON object (JSON Lines with a `file` field for several inputs)')
    .option('--csv', 'one CSV row per file with a header (one file with --window: its per-window rows)')
    .option('--window-csv', 'per-window CSV rows for every file (file,start_s,…; needs --window)')
    .option('--jobs <n>', 'worker processes for several inputs (default: the number of cores)', parseInteger('--jobs'))
    .option('--out <file>', 'write the rows to FILE (appended and flushed per file) instead of stdout')
    .option('--resume', 'with --out: skip the files already in FILE')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .option('--window <s>', 'per-window HR/HRV: window length in seconds', parseNumber('--window'))
    .option('--hop <s>', 'window hop in seconds (default: the window length)', parseNumber('--hop'))
    .option('--signal <type>', 'auto, pcg (heart sounds) or pulse (seed-style pulses)', 'auto')
    .option('--convention <name>', 'HRV definitions: heartpy (ddof 0, pNN fraction) or neurokit', 'heartpy')
    .option('--min-quality <q>', `report no numbers below this quality score (0..1, default ${DEFAULT_MIN_QUALITY})`, parseNumber('--min-quality'))
    .option('--method <name>', `${METHODS.join(', ')} (default: learned for heart sounds, classical for pulse signals; cnn uses the shipped real-audio CNN, or --model)`)
    .option('--model <dir>', 'model folder for --method cnn (model.json, weights.bin, preprocess.json; default: the shipped models/cnn)')
    .addHelpText(
      'after',
      '\nExamples:\n  hrv-audio estimate recording.wav\n  hrv-audio estimate recording.wav --json\n' +
        '  hrv-audio estimate recording.wav --window 10 --hop 5 --csv\n  hrv-audio estimate pulses.wav --signal pulse --convention neurokit\n' +
        '  hrv-audio estimate recording.wav --method cnn --model run/model\n' +
        '  hrv-audio estimate recordings/ --json > results.jsonl\n  hrv-audio estimate a.wav b.flac c.mp3 --csv > results.csv\n' +
        '  hrv-audio estimate archive/ --jobs 2 --json --out results.jsonl --resume\n  cat rec.wav | hrv-audio estimate - --json\n' +
        '\nExit status: 0 every file estimated; 2 bad usage, or the one input unreadable; 3 some files of a batch\n' +
        'failed (each has an error row); 1 an internal error.\n',
    )
    .action(async (inputs: string[], opts: EstimateCliOptions) => {
      if (isBatch(inputs, opts)) {
        const { runEstimateBatch } = await import('./estimateBatch.js');
        await runEstimateBatch(inputs, checkCliOptions(opts), opts);
        return;
      }
      const out = await runEstimate(inputs[0]!, opts);
      process.stdout.write(out);
    });
}

/** Batch mode: several inputs, a folder, per-window rows for every file, --out, or a file row in CSV. */
function isBatch(inputs: readonly string[], opts: EstimateCliOptions): boolean {
  if (inputs.length !== 1 || opts.out !== undefined || opts.windowCsv || (opts.csv && opts.window === undefined)) return true;
  try {
    return inputs[0] !== '-' && statSync(inputs[0]!).isDirectory();
  } catch {
    return false;
  }
}

/** A choice option, with the CLI's flag name in the message (exit 2). */
function cliChoice<T extends string>(choices: readonly T[], value: unknown, flag: string): T {
  try {
    return parseChoice(choices, value, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Check the options (exported for the batch command). */
export function checkCliOptions(opts: EstimateCliOptions): FileEstimateOptions {
  const signal = cliChoice(SIGNAL_CHOICES, opts.signal, '--signal');
  const convention = cliChoice(HRV_CONVENTIONS, opts.convention, '--convention');
  const method = opts.method === undefined ? undefined : cliChoice(METHODS, opts.method, '--method');
  if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
  if (opts.windowCsv && opts.window === undefined) throw new UsageError('--window-csv prints per-window rows: add --window SECONDS');
  if ([opts.json, opts.csv, opts.windowCsv].filter(Boolean).length > 1) throw new UsageError('choose one of --json, --csv and --window-csv');
  if (opts.resume && opts.out === undefined) throw new UsageError('--resume needs --out FILE');
  if (opts.jobs !== undefined && !(opts.jobs >= 1)) throw new UsageError(`--jobs must be ≥ 1, got ${opts.jobs}`);
  if (opts.hop !== undefined && opts.window === undefined) throw new UsageError('--hop needs --window');
  if (opts.window !== undefined && !(opts.window > 0)) throw new UsageError(`--window must be > 0 s, got ${opts.window}`);
  if (opts.hop !== undefined && !(opts.hop > 0)) throw new UsageError(`--hop must be > 0 s, got ${opts.hop}`);
  if (opts.minQuality !== undefined && !(opts.minQuality >= 0 && opts.minQuality <= 1)) {
    throw new UsageError(`--min-quality must be between 0 and 1, got ${opts.minQuality}`);
  }
  if (method !== 'cnn' && opts.model) throw new UsageError('--model is only used with --method cnn');
  const options: FileEstimateOptions = { signal, convention, ...(method === undefined ? {} : { method }) };
  if (opts.model !== undefined) options.modelDir = opts.model;
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
  if (opts.csv && opts.window === undefined) throw new UsageError('--csv for one file prints per-window rows: add --window SECONDS');
  const result = await estimateFile(file, options).catch(asUsage);
  if (opts.json) return `${JSON.stringify(toJson(result))}\n`;
  if (opts.csv) return windowsCsv(result.windows ?? [], result.verdict);
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

/**
 * Per-window rows as CSV (empty cells for null). With a verdict (recordings through the gate), a
 * `verdict` column: the recording's, 'none' for a window without a heart rate.
 */
export function windowsCsv(rows: readonly EstimateWindow[], verdict?: Verdict): string {
  const lines = [verdict === undefined ? CSV_HEADER : `${CSV_HEADER},verdict`];
  for (const w of rows) {
    lines.push(
      [num(w.startS, 3), num(w.endS, 3), num(w.heartRateBpm, 2), num(w.sdnnMs, 2), num(w.rmssdMs, 2), String(w.nBeats), num(w.quality, 3), ...(verdict === undefined ? [] : [w.heartRateBpm === null ? 'none' : verdict])].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The verdict shown to people (the gate decides it; docs/gate.md). */
export function verdictText(verdict: Verdict): string {
  if (verdict === 'good') return 'good';
  if (verdict === 'fair') return 'fair: use with care';
  if (verdict === 'poor') return 'poor: a heartbeat, but not reliable: no numbers reported';
  return 'none: no trustworthy heartbeat: no numbers reported';
}

function summary(r: FileEstimateResult): string {
  const s = r.source;
  const kind = r.signalType === 'pcg' ? 'heart sounds (S1 onsets)' : 'pulse signal (pulse onsets)';
  const lines: string[] = [];
  lines.push(
    `${s.path}: ${s.format}, ${s.channels > 0 ? `${s.channels} channel${s.channels === 1 ? '' : 's'}, ` : ''}${s.sampleRateHz} Hz, ${r.durationS.toFixed(1)} s` +
      (r.analysisRateHz !== s.sampleRateHz ? ` (analysed at ${r.analysisRateHz} Hz)` : ''),
  );
  if (r.method !== DEFAULT_METHOD) lines.push(`method:      ${methodLine(r)}`);
  // a direct method (the CNN) finds no beats: its HR and SDNN are predicted
  const direct = isDirectMethod(r.method);
  lines.push(direct ? `signal:      ${kind.replace(/ \(.*\)$/, '')}, no beats (HR and SDNN predicted per window)` : `signal:      ${kind}, ${r.beatTimesS.length} beats, ${r.rrS.length} clean RR intervals`);
  const pnnUnit = r.convention === 'neurokit' ? ' %' : '';
  const pnnDigits = r.convention === 'neurokit' ? 1 : 3;
  if (r.trusted) {
    lines.push(`heart rate:  ${num(r.heartRateBpm, 1)} bpm${r.meanRrMs !== null ? `  (mean RR ${num(r.meanRrMs, 1)} ms)` : ''}`);
    if (r.sdnnMs === null) lines.push('HRV:         — (too few intervals, see the reasons)');
    else if (direct) lines.push(`HRV:         SDNN ${num(r.sdnnMs, 1)} ms (predicted; RMSSD and the other beat-based measures need beats)`);
    else lines.push(`HRV:         SDNN ${num(r.sdnnMs, 1)} ms, RMSSD ${num(r.rmssdMs, 1)} ms, SDSD ${num(r.sdsdMs, 1)} ms, MAD ${num(r.madMs, 1)} ms`);
    if (r.sdnnMs !== null && !direct) lines.push(`             pNN20 ${num(r.pnn20, pnnDigits)}${pnnUnit}, pNN50 ${num(r.pnn50, pnnDigits)}${pnnUnit}, SD1 ${num(r.sd1Ms, 1)} ms, SD2 ${num(r.sd2Ms, 1)} ms  (${r.convention} convention)`);
    // frequency-domain and non-linear measures once the recording is long enough for any of them
    if (r.hfMs2 !== null || r.sampEn !== null || r.dfaAlpha1 !== null) {
      const extra = hrvFieldLines({ ...r, nullReasons: r.hrvNullReasons }, { showNull: false, groups: ['frequency', 'nonlinear'] });
      lines.push(...extra.filter((l) => !/^\s+SD[12]\s/.test(l)).map((l) => `             ${l.trim()}`));
    }
  } else {
    lines.push('heart rate:  —');
  }
  lines.push(`verdict:     ${verdictText(r.verdict)}`);
  lines.push(`quality:     ${r.quality.score.toFixed(2)}`);
  for (const reason of r.quality.reasons) lines.push(`             - ${reason}`);
  if (r.windows) {
    lines.push('', 'windows:');
    lines.push(windowsCsv(r.windows).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** One line on a non-default method: its name and what it reports about itself (details). */
function methodLine(r: FileEstimateResult): string {
  const d = r.details;
  const parts: string[] = [r.method];
  if (typeof d.model === 'string') parts.push(`model ${d.model}`);
  if (typeof d.nWindows === 'number' && typeof d.windowS === 'number') {
    const shifts = Array.isArray(d.shiftsMs) ? (d.shiftsMs as number[]) : [0];
    const reads = shifts.length > 1 ? `, each read at ${shifts.length} offsets (${Math.min(...shifts)}…${Math.max(...shifts)} ms) and averaged` : '';
    parts.push(`${d.nWindows} window(s) of ${d.windowS.toFixed(2)} s at ${r.analysisRateHz} Hz${reads}, HR and SDNN predicted directly`);
  }
  return parts.join(', ');
}
