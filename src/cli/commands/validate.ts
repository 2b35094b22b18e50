/**
 * `hrv-audio validate DIR [--json] [--signal auto|pcg|pulse] [--tolerance S]`: run the classical
 * beat detector on every `NAME.wav` in DIR that has a `NAME.tsv` segmentation (CirCor / PhysioNet
 * 2022 format) and score it: HR error, share within 2 and 5 bpm, SDNN/RMSSD MAE, S1 sensitivity
 * and PPV, Bland–Altman, a row per recording.
 */
import type { Command } from 'commander';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { UsageError } from '../errors.js';
import { readWav } from '../../io/wav.js';
import { readSegmentation } from '../../io/annotations.js';
import { resample } from '../../dsp/resample.js';
import { ANALYSIS_RATE_HZ, isAnalysisRate } from '../../core/ratePolicy.js';
import { SIGNAL_CHOICES, parseChoice, type SignalChoice } from '../../core/choices.js';
import { detectBeats } from '../../hrv/detectBeats.js';
import { scoreRecording, summarizeValidation, type ValidationRow, type ValidationSummary } from '../../hrv/validate.js';

/** Options of the validate command. */
export interface ValidateCliOptions {
  json?: boolean;
  signal?: string;
  tolerance?: string;
}

/** Validation of a folder: rows and summary. */
export interface FolderValidation {
  dir: string;
  signal: string;
  rows: ValidationRow[];
  summary: ValidationSummary;
  /** Compute time of the detector alone, s. */
  detectorSeconds: number;
  audioSeconds: number;
}

/** Score the detector on every annotated WAV in `dir`. */
export async function validateFolder(dir: string, signal: SignalChoice = 'pcg', toleranceS = 0.1): Promise<FolderValidation> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`not a folder: ${dir}`);
  const wavs = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.wav'))
    .sort();
  const pairs = wavs.map((w) => ({ wav: join(dir, w), tsv: join(dir, w.replace(/\.wav$/i, '.tsv')) })).filter((p) => existsSync(p.tsv));
  if (pairs.length === 0) throw new UsageError(`no NAME.wav with a matching NAME.tsv annotation in ${dir}`);
  const rows: ValidationRow[] = [];
  let detectorSeconds = 0;
  let audioSeconds = 0;
  for (const p of pairs) {
    const segments = await readSegmentation(p.tsv);
    const audio = readWav(p.wav);
    let samples: Float32Array = audio.samples;
    let rate = audio.sampleRateHz;
    if (!isAnalysisRate(rate)) {
      samples = resample(samples, rate, ANALYSIS_RATE_HZ);
      rate = ANALYSIS_RATE_HZ;
    }
    const t0 = performance.now();
    const det = detectBeats(samples, rate, { signal });
    detectorSeconds += (performance.now() - t0) / 1000;
    audioSeconds += samples.length / rate;
    rows.push(scoreRecording(basename(p.wav).replace(/\.wav$/i, ''), segments, det, { toleranceS, durationS: samples.length / rate }));
  }
  return { dir, signal, rows, summary: summarizeValidation(rows, toleranceS), detectorSeconds, audioSeconds };
}

const f1 = (v: number | null, d = 1): string => (v === null ? '—' : v.toFixed(d));

/** Plain-text table and summary. */
export function formatValidation(v: FolderValidation): string {
  const head = ['recording', 'dur s', 'HR ref', 'HR', 'err', 'SDNN ref', 'SDNN', 'RMSSD ref', 'RMSSD', 'sens', 'PPV', 'quality'];
  const lines = v.rows.map((r) => [
    r.name,
    f1(r.durationS),
    f1(r.refHrBpm),
    f1(r.hrBpm),
    r.hrErrorBpm === null ? '—' : (r.hrErrorBpm >= 0 ? '+' : '') + r.hrErrorBpm.toFixed(1),
    f1(r.refSdnnMs),
    f1(r.sdnnMs),
    f1(r.refRmssdMs),
    f1(r.rmssdMs),
    f1(r.sensitivity, 2),
    f1(r.ppv, 2),
    f1(r.qualityScore, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const s = v.summary;
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
  const ba = s.blandAltman.hrBpm;
  const out = [
    fmt(head),
    ...lines.map(fmt),
    '',
    `recordings: ${s.recordings} (${f1(v.audioSeconds, 0)} s of audio), signal: ${v.signal}, S1 tolerance ±${(s.toleranceS * 1000).toFixed(0)} ms`,
    `HR: MAE ${f1(s.hrMaeBpm, 2)} bpm, median |error| ${f1(s.hrMedianAbsErrorBpm, 2)} bpm, within 2 bpm ${pct(s.within2BpmShare)}, within 5 bpm ${pct(s.within5BpmShare)}${s.missingHr ? `, no HR for ${s.missingHr}` : ''}`,
    `HR Bland–Altman: bias ${f1(ba.bias, 2)} bpm, 95 % limits ${f1(ba.loaLow, 2)} … ${f1(ba.loaHigh, 2)} bpm`,
    `SDNN MAE ${f1(s.sdnnMaeMs, 1)} ms, RMSSD MAE ${f1(s.rmssdMaeMs, 1)} ms`,
    `S1 sensitivity ${f1(s.sensitivity, 3)}, PPV ${f1(s.ppv, 3)} (pooled; per-recording mean ${f1(s.meanSensitivity, 3)} / ${f1(s.meanPpv, 3)})`,
    `detector compute: ${f1(v.detectorSeconds, 2)} s (${f1(v.audioSeconds > 0 ? (v.detectorSeconds / v.audioSeconds) * 60 : null, 4)} s per minute of audio)`,
  ];
  return `${out.join('\n')}\n`;
}

/** Register the `validate` sub-command. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('score the classical beat detector against expert heart-sound annotations (NAME.wav + NAME.tsv pairs)')
    .argument('<dir>', 'folder with NAME.wav and NAME.tsv (start, end, state: 0 none, 1 S1, 2 systole, 3 S2, 4 diastole)')
    .option('--json', 'print one JSON object (rows and summary)')
    .option('--signal <type>', 'signal type: auto, pcg or pulse', 'pcg')
    .option('--tolerance <s>', 'S1 match tolerance in seconds', '0.1')
    .action(async (dir: string, opts: ValidateCliOptions) => {
      let signal: SignalChoice;
      try {
        signal = parseChoice(SIGNAL_CHOICES, opts.signal ?? 'pcg', '--signal');
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const tol = Number(opts.tolerance ?? '0.1');
      if (!Number.isFinite(tol) || tol <= 0 || tol > 1) throw new UsageError(`--tolerance must be a number of seconds in (0, 1], got '${opts.tolerance}'`);
      let result: FolderValidation;
      try {
        result = await validateFolder(dir, signal, tol);
      } catch (err) {
        if (err instanceof UsageError || err instanceof RangeError) throw err;
        throw new UsageError((err as Error).message);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(formatValidation(result));
    });
}
