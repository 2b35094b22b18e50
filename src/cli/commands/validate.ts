/**
 * `hrv-audio validate DIR [--method classical|cnn|learned] [--reference auto|segmentation|ecg]
 * [--json] [--csv FILE] [--plot FILE] [--files LIST] [--by COLUMN]`: run a method on every
 * recording of DIR that has a reference (`NAME.tsv` segmentation or `NAME.rpeaks.csv` ECG R peaks)
 * and score it: beat sensitivity/PPV/F1 at ±50 and ±100 ms (one-to-one matching, unannotated
 * stretches ignored), HR within 5 bpm, half/double-rate errors, RR recovered and RR MAE,
 * SDNN/RMSSD errors, refused recordings, Bland–Altman. A thin shell over `scoreFolder`.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../../node/files/atomicWrite.js';
import { summarizeByGroup, type GroupSummary, type ScoreSummary } from '../../hrv/validate/summary.js';
import { scoresToCsv } from '../../hrv/validate/table.js';
import { parseReferenceChoice, parseValidateMethod, scoreFolder, type FolderScores } from '../../node/pipelines/validateFolder.js';
import { isDirectMethod } from '../../core/choices.js';
import { blandAltmanChart } from '../../report/charts/agreement.js';
import { renderChart } from '../../report/render.js';

/** Options of the validate command. */
export interface ValidateCliOptions {
  method: string;
  model?: string;
  reference: string;
  json?: boolean;
  csv?: string;
  plot?: string;
  files?: string;
  by?: string;
}

/** Recording names from --files: a text file with one name a line, or a comma-separated list. */
export function parseFileList(value: string): string[] {
  const text = existsSync(value) && statSync(value).isFile() ? readFileSync(value, 'utf8') : value.replace(/,/g, '\n');
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
}

/** Per-group summaries by a metadata column, checking that the folder has that column. */
export function groupScores(v: FolderScores, column: string): GroupSummary[] {
  if (!v.metadata) throw new UsageError(`--by needs a recordings.csv or manifest.csv in ${v.dir}`);
  if (!v.metadata.columns.includes(column)) throw new UsageError(`--by: no column '${column}' in the metadata (columns: ${v.metadata.columns.join(', ')})`);
  return summarizeByGroup(v.rows, (r) => v.metadata!.byName.get(r.name)?.[column]);
}

const fx = (v: number | null, d = 1): string => (v === null ? '—' : v.toFixed(d));
const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);

/** Summary lines of one set of recordings. */
export function formatSummary(s: ScoreSummary, direct = false): string[] {
  const b = (x: ScoreSummary['beats50']): string =>
    `sens ${fx(x.sensitivity, 3)}, PPV ${fx(x.ppv, 3)}, F1 ${fx(x.f1, 3)} (pooled; per-recording median F1 ${fx(x.medianF1, 3)}, mean ${fx(x.meanF1, 3)})`;
  const ba = s.hr.agreement;
  const beats = direct
    ? ['beats: — (the method predicts HR directly and finds no beats: only its HR is scored)']
    : [`beats ±100 ms: ${b(s.beats100)}`, `beats ±50 ms:  ${b(s.beats50)}`, `accepted only: ±100 ms ${b(s.beats100Accepted)}`, `accepted only: ±50 ms  ${b(s.beats50Accepted)}`];
  return [
    `recordings: ${s.recordings}, refused (not trusted): ${s.refused}`,
    ...beats,
    `HR within ${s.hr.withinBpm} bpm: ${pct(s.hr.withinShareOfAll)} of all (refused = outside), ${pct(s.hr.withinShareOfAccepted)} of accepted; half rate ${s.hr.halfRate}, double rate ${s.hr.doubleRate} (among refused: ${s.hr.halfRateRefused} / ${s.hr.doubleRateRefused})`,
    `HR error (accepted, n = ${ba.n}): MAE ${fx(ba.mae, 2)} bpm, median ${fx(ba.medianAbsError, 2)} bpm; Bland–Altman bias ${fx(ba.bias, 2)} bpm, 95 % limits ${fx(ba.loaLow, 2)} … ${fx(ba.loaHigh, 2)} bpm`,
    ...(direct ? [] : [`RR recovered: ${s.rr.recovered} / ${s.rr.reference} (${pct(s.rr.recoveredShare)}), RR MAE ${fx(s.rr.maeMs, 1)} ms (median of recordings ${fx(s.rr.medianRecordingMaeMs, 1)} ms)`]),
    direct
      ? 'SDNN/RMSSD: — (not scored: the method\'s SDNN is a mean over its 5 s windows, not the recording\'s; per-window HRV: scripts/pcg-cnn-study.ts eval)'
      : `SDNN MAE ${fx(s.sdnn.mae, 1)} ms (median ${fx(s.sdnn.medianAbsError, 1)}, n = ${s.sdnn.n}), RMSSD MAE ${fx(s.rmssd.mae, 1)} ms (median ${fx(s.rmssd.medianAbsError, 1)}, n = ${s.rmssd.n})`,
  ];
}

function table(head: string[], lines: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), ...lines.map(fmt)];
}

/** Plain-text report: a row per recording, the summary, and the groups when given. */
export function formatValidation(v: FolderScores, groups?: { column: string; list: GroupSummary[] }): string {
  const direct = isDirectMethod(v.method);
  const rows = v.rows.map((r) => [
    r.name,
    r.reference === 'ecg' ? 'ecg' : 'seg',
    String(r.refBeats),
    direct ? '—' : fx(r.beats50.f1, 3),
    direct ? '—' : fx(r.beats100.f1, 3),
    fx(r.refHrBpm),
    r.refused ? 'refused' : fx(r.hrBpm),
    r.hrErrorBpm === null ? '—' : (r.hrErrorBpm >= 0 ? '+' : '') + r.hrErrorBpm.toFixed(1),
    r.halfRate ? 'half' : r.doubleRate ? 'double' : '',
    direct ? '—' : `${r.rrRecovered}/${r.refIntervals}`,
    fx(r.rrMaeMs),
    fx(r.sdnnErrorMs),
    fx(r.rmssdErrorMs),
    fx(r.qualityScore, 2),
  ]);
  const out = table(['recording', 'ref', 'beats', 'F1 50', 'F1 100', 'HR ref', 'HR', 'err', 'rate', 'RR rec', 'RR MAE', 'ΔSDNN', 'ΔRMSSD', 'quality'], rows);
  out.push('', `folder: ${v.dir}, method: ${v.method}, reference: ${v.reference}`, ...formatSummary(v.summary, direct));
  out.push(`compute: ${fx(v.computeS, 2)} s for ${fx(v.audioS, 0)} s of audio`);
  if (groups) {
    out.push('', `by ${groups.column}:`);
    const g = groups.list.map(({ group, summary: s }) => [
      group,
      String(s.recordings),
      String(s.refused),
      direct ? '—' : fx(s.beats100.f1, 3),
      direct ? '—' : fx(s.beats50.f1, 3),
      pct(s.hr.withinShareOfAll),
      String(s.hr.halfRate + s.hr.doubleRate),
      direct ? '—' : pct(s.rr.recoveredShare),
      fx(s.rr.maeMs),
      fx(s.sdnn.mae),
      fx(s.rmssd.mae),
    ]);
    out.push(...table([groups.column, 'n', 'refused', 'F1 100', 'F1 50', 'HR ±5', 'half/double', 'RR rec', 'RR MAE', 'SDNN MAE', 'RMSSD MAE'], g));
  }
  return `${out.join('\n')}\n`;
}

/** Write the HR Bland–Altman plot (PNG, or SVG when the name ends in .svg). */
async function writePlot(v: FolderScores, path: string): Promise<void> {
  const rows = v.rows.filter((r) => r.refHrBpm !== null);
  const spec = blandAltmanChart({ name: 'HR', unit: 'bpm' }, { name: v.method, truth: rows.map((r) => r.refHrBpm!), pred: rows.map((r) => r.hrBpm) }, { widthPx: 420, heightPx: 300 });
  const chart = await renderChart(spec);
  writeFileAtomic(path, extname(path).toLowerCase() === '.svg' ? chart.svg : chart.png);
}

/** Register the `validate` sub-command. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('score a method against reference beats: NAME.tsv segmentations (CirCor style) or NAME.rpeaks.csv ECG R peaks')
    .argument('<dir>', 'folder with NAME.wav and NAME.tsv (start, end, state: 0 unknown, 1 S1, 2 systole, 3 S2, 4 diastole) or NAME.rpeaks.csv')
    .option('--method <name>', 'learned (default), classical or cnn', 'learned')
    .option('--model <dir>', 'model folder for --method cnn (default: the shipped models/cnn)')
    .option('--reference <kind>', 'auto (NAME.tsv, else NAME.rpeaks.csv), segmentation or ecg', 'auto')
    .option('--json', 'print one JSON object (rows, summary, groups)')
    .option('--csv <file>', 'write the per-recording scores as CSV')
    .option('--plot <file>', 'write the HR Bland–Altman plot (PNG, or SVG for a .svg name)')
    .option('--files <list>', 'score only these recordings: comma-separated names or a file with one name a line')
    .option('--by <column>', "also summarise by a column of the folder's recordings.csv / manifest.csv (e.g. age_group)")
    .addHelpText(
      'after',
      '\nExamples:\n  hrv-audio validate ../shared/data/pcg-real\n  hrv-audio validate ../shared/data/circor-train --by age_group --csv circor.csv\n  hrv-audio validate ../shared/data/pcg-ecg --reference ecg --plot ba.png\n',
    )
    .action(async (dir: string, opts: ValidateCliOptions) => {
      const method = parseValidateMethod(opts.method);
      const reference = parseReferenceChoice(opts.reference);
      const files = opts.files !== undefined ? parseFileList(opts.files) : undefined;
      const tty = process.stderr.isTTY === true;
      const onProgress = (done: number, total: number, name: string): void => {
        process.stderr.write(`\rscoring ${done}/${total} ${name}`.padEnd(48) + (done === total ? '\r'.padEnd(49) + '\r' : ''));
      };
      const v = await scoreFolder({ dir, method, reference, ...(opts.model !== undefined ? { modelDir: opts.model } : {}), ...(files ? { files } : {}), ...(tty ? { onProgress } : {}) });
      const groups = opts.by !== undefined ? { column: opts.by, list: groupScores(v, opts.by) } : undefined;
      if (opts.csv) {
        const byName = groups ? new Map(v.rows.map((r) => [r.name, v.metadata!.byName.get(r.name)?.[groups.column] ?? ''])) : undefined;
        writeFileAtomic(opts.csv, scoresToCsv(v.rows, byName));
      }
      if (opts.plot) await writePlot(v, opts.plot);
      if (opts.json) {
        const { metadata: _m, ...rest } = v;
        process.stdout.write(`${JSON.stringify({ ...rest, ...(groups ? { by: groups.column, groups: groups.list } : {}) }, null, 2)}\n`);
      } else process.stdout.write(formatValidation(v, groups));
    });
}
