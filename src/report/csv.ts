/**
 * Minimal CSV reading for the run folder's own files (comma-separated, header row, no quoted
 * commas). Browser-safe.
 */

/** Parsed CSV: header names and rows of cells (trimmed). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Split CSV text into a header and rows; blank lines are skipped. */
export function parseCsv(text: string): CsvTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return { header: [], rows: [] };
  const split = (l: string) => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { header: split(lines[0]!), rows: lines.slice(1).map(split) };
}

/** A cell as a number: empty, 'NaN', 'null' or non-numeric → null. */
export function cellNumber(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const c = cell.trim();
  if (c === '' || /^(nan|null|none|undefined)$/i.test(c)) return null;
  const v = Number(c);
  return Number.isFinite(v) ? v : null;
}

/** The rows as objects of numbers (null where empty/non-numeric), keyed by header name. */
export function csvNumericRecords(table: CsvTable): Record<string, number | null>[] {
  return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, cellNumber(r[i])])));
}
