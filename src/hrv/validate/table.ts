/**
 * Per-recording scores as CSV, and the metadata table of a dataset folder (`recordings.csv`,
 * `manifest.csv`). Browser-safe.
 */
import { InputError } from '../../errors.js';
import type { RecordingScore } from './score.js';

/** CSV columns of {@link scoresToCsv}, in order, with how each is read from a row. */
const COLUMNS: ReadonlyArray<[string, (r: RecordingScore) => number | string | boolean | null]> = [
  ['name', (r) => r.name],
  ['reference', (r) => r.reference],
  ['scored_s', (r) => r.scoredS],
  ['ref_beats', (r) => r.refBeats],
  ['detected_beats', (r) => r.detectedBeats],
  ['sensitivity_50ms', (r) => r.beats50.sensitivity],
  ['ppv_50ms', (r) => r.beats50.ppv],
  ['f1_50ms', (r) => r.beats50.f1],
  ['sensitivity_100ms', (r) => r.beats100.sensitivity],
  ['ppv_100ms', (r) => r.beats100.ppv],
  ['f1_100ms', (r) => r.beats100.f1],
  ['median_offset_ms', (r) => r.beats100.medianOffsetMs],
  ['refused', (r) => r.refused],
  ['quality', (r) => r.qualityScore],
  ['ref_hr_bpm', (r) => r.refHrBpm],
  ['hr_bpm', (r) => r.hrBpm],
  ['hr_error_bpm', (r) => r.hrErrorBpm],
  ['hr_within_5bpm', (r) => r.hrWithin5Bpm],
  ['raw_hr_bpm', (r) => r.rawHrBpm],
  ['half_rate', (r) => r.halfRate],
  ['double_rate', (r) => r.doubleRate],
  ['ref_intervals', (r) => r.refIntervals],
  ['rr_recovered', (r) => r.rrRecovered],
  ['rr_mae_ms', (r) => r.rrMaeMs],
  ['ref_sdnn_ms', (r) => r.refSdnnMs],
  ['sdnn_ms', (r) => r.sdnnMs],
  ['ref_rmssd_ms', (r) => r.refRmssdMs],
  ['rmssd_ms', (r) => r.rmssdMs],
];

function cell(v: number | string | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Per-recording CSV (header + one line per row; empty cell = not defined; booleans as 0/1). With
 * `groups`, a `group` column follows the name.
 */
export function scoresToCsv(rows: readonly RecordingScore[], groups?: ReadonlyMap<string, string>): string {
  const cols = groups ? [COLUMNS[0]!, ['group', (r: RecordingScore) => groups.get(r.name) ?? null] as const, ...COLUMNS.slice(1)] : COLUMNS;
  const lines = [cols.map((c) => c[0]).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(c[1](r))).join(','));
  return `${lines.join('\n')}\n`;
}

/** A dataset's metadata: column names and, per recording name (file name without extension), its cells. */
export interface Metadata {
  columns: string[];
  byName: Map<string, Record<string, string>>;
}

/**
 * Parse a metadata CSV (header row, comma-separated, no quoted commas). The recording name is the
 * `file` column without its extension (`recordings.csv` of CirCor folders) or the `record` column
 * (`manifest.csv` of pcg-ecg).
 * @throws InputError when there is neither column
 */
export function parseMetadataCsv(text: string, source = 'metadata'): Metadata {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const split = (l: string): string[] => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const columns = lines.length ? split(lines[0]!) : [];
  const key = columns.indexOf('file') >= 0 ? columns.indexOf('file') : columns.indexOf('record');
  if (key < 0) throw new InputError(`${source}: needs a 'file' or 'record' column, has ${columns.join(', ') || 'none'}`);
  const byName = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    const cells = split(line);
    const rec: Record<string, string> = {};
    columns.forEach((c, i) => (rec[c] = cells[i] ?? ''));
    byName.set((cells[key] ?? '').replace(/\.[^.]*$/, ''), rec);
  }
  return { columns, byName };
}
