/**
 * A folder of segmented heart-sound recordings (CirCor layout, Node): every `NAME.wav` with a
 * `NAME.tsv`, plus the optional `recordings.csv` (patient id, age group, murmur, …).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';

/** One recording of the folder. */
export interface SegmentedRecording {
  name: string;
  wavPath: string;
  tsvPath: string;
  /** Patient id from recordings.csv, else the name. */
  patientId: string;
  /** Other recordings.csv columns (age_group, murmur, …). */
  meta: Record<string, string>;
}

/** List the annotated recordings of `dir`, sorted by name. */
export function listSegmentedFolder(dir: string): SegmentedRecording[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`not a folder: ${dir}`);
  const metaByFile = new Map<string, Record<string, string>>();
  const csv = join(dir, 'recordings.csv');
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    const head = lines[0]!.split(',');
    for (const line of lines.slice(1)) {
      const cols = line.split(',');
      const row: Record<string, string> = {};
      head.forEach((h, i) => (row[h] = cols[i] ?? ''));
      if (row.file) metaByFile.set(row.file, row);
    }
  }
  const out: SegmentedRecording[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.toLowerCase().endsWith('.wav')) continue;
    const tsv = join(dir, f.replace(/\.wav$/i, '.tsv'));
    if (!existsSync(tsv)) continue;
    const meta = metaByFile.get(f) ?? {};
    out.push({ name: f.replace(/\.wav$/i, ''), wavPath: join(dir, f), tsvPath: tsv, patientId: meta.patient_id || f.replace(/\.wav$/i, ''), meta });
  }
  if (out.length === 0) throw new InputError(`no NAME.wav with a matching NAME.tsv annotation in ${dir}`);
  return out;
}
