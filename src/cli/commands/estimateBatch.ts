/**
 * `hrv-audio estimate` over many inputs: JSON Lines, one CSV row per file, or per-window CSV rows,
 * to stdout or appended to `--out FILE` (flushed per file, `--resume` skips the files already
 * there); a progress line with an ETA on a terminal only; exit status 3 when some files failed.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { FileEstimateOptions } from '../../node/pipelines/estimateFile.js';
import { defaultJobs, estimateBatch, expandInputs, type BatchRow } from '../../node/pipelines/estimateBatch.js';
import { ExitStatus, UsageError } from '../errors.js';
import type { EstimateCliOptions } from './estimate.js';

/** Columns of `--csv` with several inputs (one row per file). */
export const FILE_CSV_HEADER =
  'file,heart_rate_bpm,mean_rr_ms,sdnn_ms,rmssd_ms,sdsd_ms,pnn20,pnn50,sd1_ms,sd2_ms,mad_ms,n_beats,n_intervals,duration_s,sample_rate_hz,format,signal_type,quality,verdict,trusted,error';
/** Columns of `--window-csv`. */
export const WINDOW_CSV_HEADER = 'file,start_s,end_s,heart_rate_bpm,sdnn_ms,rmssd_ms,n_beats,quality,error';

function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : v.toFixed(digits);
}

/** A duration in ms with one decimal, or — where it is not defined (a too-short recording, a method without beats). */
function msOrDash(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(1)} ms`;
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
export function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Mode = 'json' | 'csv' | 'window-csv' | 'text';

/** The text a row becomes in each mode. */
export function formatRow(row: BatchRow, mode: Mode): string {
  const f = csvCell(row.file);
  if (mode === 'json') {
    if (!row.ok) return `${JSON.stringify({ file: row.file, error: row.error, errorKind: row.errorKind })}\n`;
    return `${JSON.stringify({ file: row.file, ...row.result })}\n`;
  }
  if (mode === 'csv') {
    if (!row.ok) return `${f}${','.repeat(19)},${csvCell(row.error)}\n`;
    const r = row.result;
    return (
      [
        f, num(r.heartRateBpm, 2), num(r.meanRrMs, 2), num(r.sdnnMs, 2), num(r.rmssdMs, 2), num(r.sdsdMs, 2), num(r.pnn20, 4), num(r.pnn50, 4),
        num(r.sd1Ms, 2), num(r.sd2Ms, 2), num(r.madMs, 2), String(r.beatTimesS.length), String(r.nIntervals), num(r.durationS, 3),
        String(r.source.sampleRateHz), csvCell(r.source.format), r.signalType, num(r.quality.score, 3), r.verdict, String(r.trusted), '',
      ].join(',') + '\n'
    );
  }
  if (mode === 'window-csv') {
    if (!row.ok) return `${f},,,,,,,,${csvCell(row.error)}\n`;
    return (row.result.windows ?? [])
      .map((w) => [f, num(w.startS, 3), num(w.endS, 3), num(w.heartRateBpm, 2), num(w.sdnnMs, 2), num(w.rmssdMs, 2), String(w.nBeats), num(w.quality, 3), ''].join(',') + '\n')
      .join('');
  }
  if (!row.ok) return `${row.file}: error: ${row.error}\n`;
  const r = row.result;
  return r.trusted
    ? `${row.file}: ${num(r.heartRateBpm, 1)} bpm, SDNN ${msOrDash(r.sdnnMs)}, RMSSD ${msOrDash(r.rmssdMs)}, verdict ${r.verdict}, quality ${r.quality.score.toFixed(2)}\n`
    : `${row.file}: no trustworthy heartbeat (verdict ${r.verdict}, quality ${r.quality.score.toFixed(2)})\n`;
}

/** Files already written to an output file (its `file` fields / first CSV column). */
export function doneFiles(text: string, mode: Mode): Set<string> {
  const done = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (mode === 'json') {
      try {
        const j = JSON.parse(line) as { file?: unknown };
        if (typeof j.file === 'string') done.add(j.file);
      } catch {
        // a half-written last line (interrupted run): that file is done again
      }
      continue;
    }
    const m = /^(?:"((?:[^"]|"")*)"|([^,]*)),/.exec(line);
    const name = m ? (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!) : '';
    if (name && name !== 'file') done.add(name);
  }
  return done;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** Run a batch; writes the rows, throws ExitStatus(3) when some files failed. */
export async function runEstimateBatch(inputs: readonly string[], options: FileEstimateOptions, opts: EstimateCliOptions): Promise<void> {
  const mode: Mode = opts.json ? 'json' : opts.csv ? 'csv' : opts.windowCsv ? 'window-csv' : 'text';
  const all = expandInputs(inputs);
  if (all.length === 0) throw new UsageError(`no audio files found in ${inputs.join(', ')}`);
  const header = mode === 'csv' ? `${FILE_CSV_HEADER}\n` : mode === 'window-csv' ? `${WINDOW_CSV_HEADER}\n` : '';
  let fd: number | null = null;
  let files = all;
  let hasHeader = false;
  if (opts.out !== undefined) {
    if (opts.resume && existsSync(opts.out)) {
      const text = readFileSync(opts.out, 'utf8');
      hasHeader = text.length > 0;
      // an interrupted JSON Lines file may end mid-line: start the next row on a new line
      const done = doneFiles(text, mode);
      files = all.filter((f) => !done.has(f));
      fd = openSync(opts.out, 'a');
      if (text.length > 0 && !text.endsWith('\n')) writeSync(fd, '\n');
    } else fd = openSync(opts.out, 'w');
  }
  const write = (s: string): void => {
    if (s.length === 0) return;
    if (fd !== null) writeSync(fd, s); // unbuffered: on disk once written
    else process.stdout.write(s);
  };
  if (!hasHeader) write(header);
  const tty = opts.progress !== false && process.stderr.isTTY === true;
  const t0 = Date.now();
  let n = 0;
  let failedSoFar = 0;
  const progress = (): void => {
    const elapsedS = (Date.now() - t0) / 1000;
    const etaS = n > 0 ? (elapsedS / n) * (files.length - n) : Infinity;
    const width = 24;
    const fill = Math.round((width * n) / Math.max(1, files.length));
    process.stderr.write(
      `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${n}/${files.length} files` +
        `${failedSoFar ? `, ${failedSoFar} failed` : ''}, ${formatSeconds(elapsedS)} elapsed, ETA ${formatSeconds(etaS)}  `,
    );
  };
  if (tty) progress();
  let failed: number;
  try {
    failed = await estimateBatch(files, options, {
      jobs: opts.jobs ?? defaultJobs(),
      onRow: (row) => {
        write(formatRow(row, mode));
        n++;
        if (!row.ok) failedSoFar++;
        if (tty) progress();
      },
    });
  } finally {
    if (fd !== null) closeSync(fd);
    if (tty) process.stderr.write('\n');
  }
  if (failed > 0) {
    process.stderr.write(`hrv-audio: ${failed} of ${files.length} files failed (see their error rows)\n`);
    throw new ExitStatus(3);
  }
}
