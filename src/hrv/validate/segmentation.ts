/**
 * Heart-sound segmentation annotations (CirCor / PhysioNet 2022 `.tsv` format): one row per
 * segment, tab- or space-separated, no header: `start_s  end_s  state`, with state
 * 0 = unannotated, 1 = S1, 2 = systole, 3 = S2, 4 = diastole. Browser-safe parser; reading files
 * is in src/node/files/annotations.ts.
 */
import { InputError } from '../../errors.js';

/** One annotated segment. */
export interface Segment {
  /** Segment start, seconds from the start of the recording. */
  startS: number;
  /** Segment end, seconds. */
  endS: number;
  /** 0 unannotated, 1 S1, 2 systole, 3 S2, 4 diastole. */
  state: 0 | 1 | 2 | 3 | 4;
}

/**
 * Parse segmentation text. Blank lines are skipped. Throws an InputError naming the line on a
 * malformed row (wrong column count, non-numeric value, state outside 0–4, end < start,
 * negative time, or a row starting before the previous one).
 * @param text file contents
 * @param source name used in error messages (e.g. the file path)
 */
export function parseSegmentation(text: string, source = 'annotation'): Segment[] {
  const segments: Segment[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.trim();
    if (line === '') continue;
    const cols = line.split(/[\t ,;]+/);
    const where = `${source}:${li + 1}`;
    if (cols.length !== 3) throw new InputError(`${where}: expected 3 columns (start, end, state), got ${cols.length}`);
    const [a, b, c] = cols.map((s) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN)) as [number, number, number];
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new InputError(`${where}: start and end must be numbers, got '${cols[0]}', '${cols[1]}'`);
    if (!Number.isInteger(c) || c < 0 || c > 4) throw new InputError(`${where}: state must be an integer 0–4, got '${cols[2]}'`);
    if (a < 0 || b < a) throw new InputError(`${where}: need 0 ≤ start ≤ end, got ${a} … ${b}`);
    const prev = segments[segments.length - 1];
    if (prev && a < prev.startS) throw new InputError(`${where}: segments must be in time order (start ${a} < previous ${prev.startS})`);
    segments.push({ startS: a, endS: b, state: c as Segment['state'] });
  }
  if (segments.length === 0) throw new InputError(`${source}: no segments found`);
  return segments;
}
