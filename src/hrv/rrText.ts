/**
 * Read RR intervals or beat times from text: one value per line (Polar / Elite HRV / Kubios RR
 * text exports) or a delimited table with a header (Polar Sensor Logger `Phone timestamp;RR-interval
 * [ms]`, Kubios-style `time, RR` columns, any CSV). Browser-safe: text in, numbers out.
 *
 * - Delimiter: the first of tab, `;`, `,` found on the first data line, else whitespace. With tab
 *   or `;`, a decimal comma (`0,812`) is read as a decimal point.
 * - Lines starting with `#` or `//`, blank lines and non-numeric lines before the data are skipped;
 *   the last non-numeric line before the data is the header.
 * - Column: `column` (a header name, case-insensitive, or a 1-based number); else a header that
 *   names RR (`rr`, `rri`, `ibi`, `nn`, `interval`) or, failing that, beat times (`time`, `beat`,
 *   `peak`, `onset`); else the only column. Several unnamed columns: an error asking for `column`.
 * - Kind (`auto`): a column that increases strictly is beat times, anything else RR intervals; a
 *   header naming RR or times decides first.
 * - Unit (`auto`): a unit in the header (`[ms]`, `(s)`, `_ms`, `msec`, …) decides; else the median
 *   interval (RR, or the median difference of beat times) > 20 means ms, otherwise s.
 * The result says what was decided (`description`), so that nothing is silently guessed.
 */
import { InputError } from '../errors.js';

export type RrTextKind = 'auto' | 'rr' | 'beats';
export type RrTextUnit = 'auto' | 'ms' | 's';

/** Options of {@link parseRrText}. */
export interface RrTextOptions {
  kind?: RrTextKind;
  unit?: RrTextUnit;
  /** Header name (case-insensitive) or 1-based column number. */
  column?: string;
}

/** What {@link parseRrText} read. */
export interface RrText {
  /** Intervals, s. */
  rrS: number[];
  /** End time of each interval, s (beat times input only; RR input is consecutive). */
  rrEndTimesS?: number[];
  kind: 'rr' | 'beats';
  unit: 'ms' | 's';
  /** Header name or `column N`. */
  column: string;
  /** How kind and unit were decided, e.g. "RR intervals in ms (auto: median 812)". */
  description: string;
  nValues: number;
}

const RR_NAME = /\b(rr|rri|ibi|nn|nni)\b|rr[-_ ]?int|interval/i;
const TIME_NAME = /time|beat|peak|onset|\bt\b/i;

function unitFromName(name: string): 'ms' | 's' | null {
  if (/\bms\b|\[ms\]|\(ms\)|_ms\b|msec|millisec/i.test(name)) return 'ms';
  if (/\[s\]|\(s\)|_s\b|\bsec\b|\bseconds?\b/i.test(name)) return 's';
  return null;
}

function splitLine(line: string, delim: string | null): string[] {
  const parts = delim === null ? line.trim().split(/\s+/) : line.split(delim);
  return parts.map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
}

function toNumber(field: string, decimalComma: boolean): number {
  const f = decimalComma ? field.replace(',', '.') : field;
  return f === '' ? NaN : Number(f);
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Parse RR intervals or beat times from text.
 * @throws InputError when nothing usable is found or a value is bad (with its line number)
 */
export function parseRrText(text: string, options: RrTextOptions = {}): RrText {
  const lines = text.split(/\r\n|\n|\r/);
  let header: string[] | null = null;
  let delim: string | null = null;
  let decimalComma = false;
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    const d = line.includes('\t') ? '\t' : line.includes(';') ? ';' : line.includes(',') ? ',' : null;
    const comma = d === '\t' || d === ';';
    const fields = splitLine(line, d);
    if (fields.some((f) => Number.isFinite(toNumber(f, comma)))) {
      first = i;
      delim = d;
      decimalComma = comma;
      break;
    }
    header = splitLine(line, d);
  }
  if (first < 0) throw new InputError('no numbers found: expected RR intervals or beat times, one per line or in a column');
  const nCols = splitLine(lines[first]!.trim(), delim).length;
  if (header && header.length !== nCols) header = null;
  let col: number;
  if (options.column !== undefined) {
    const asNum = Number(options.column);
    if (Number.isInteger(asNum) && asNum >= 1) {
      if (asNum > nCols) throw new InputError(`column ${asNum} does not exist: the data have ${nCols} column${nCols === 1 ? '' : 's'}`);
      col = asNum - 1;
    } else {
      col = header ? header.findIndex((h) => h.toLowerCase() === options.column!.toLowerCase()) : -1;
      if (col < 0) throw new InputError(`no column named '${options.column}'${header ? ` (columns: ${header.join(', ')})` : ' (the data have no header)'}`);
    }
  } else if (nCols === 1) {
    col = 0;
  } else {
    col = header ? header.findIndex((h) => RR_NAME.test(h)) : -1;
    if (col < 0 && header) col = header.findIndex((h) => TIME_NAME.test(h) && !/timestamp|date|clock/i.test(h));
    if (col < 0) {
      throw new InputError(
        `${nCols} columns${header ? ` (${header.join(', ')})` : ''} and none named like RR intervals or beat times: choose one with --column NAME|N`,
      );
    }
  }
  const name = header ? header[col]! : `column ${col + 1}`;
  const values: number[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    const fields = splitLine(line, delim);
    const v = toNumber(fields[col] ?? '', decimalComma);
    if (!Number.isFinite(v)) throw new InputError(`line ${i + 1}: '${fields[col] ?? ''}' in ${name} is not a number`);
    values.push(v);
  }
  const named = header ? (RR_NAME.test(name) ? 'rr' : TIME_NAME.test(name) ? 'beats' : null) : null;
  let increasing = values.length >= 3;
  for (let i = 1; i < values.length && increasing; i++) if (!(values[i]! > values[i - 1]!)) increasing = false;
  const kindAuto = named ?? (increasing ? 'beats' : 'rr');
  const kind = options.kind && options.kind !== 'auto' ? options.kind : kindAuto;
  const kindHow = options.kind && options.kind !== 'auto' ? 'as asked' : named ? 'kind from the header' : increasing ? 'auto: the values increase' : 'auto: the values do not increase';
  const spacing = kind === 'beats' ? values.slice(1).map((v, i) => v - values[i]!) : values;
  if (spacing.length === 0) throw new InputError(kind === 'beats' ? 'need at least 2 beat times' : 'no RR intervals');
  const med = median(spacing);
  const headerUnit = header ? unitFromName(name) : null;
  const unit = options.unit && options.unit !== 'auto' ? options.unit : (headerUnit ?? (med > 20 ? 'ms' : 's'));
  const unitHow =
    options.unit && options.unit !== 'auto' ? 'as asked' : headerUnit ? 'from the header' : `auto: median ${kind === 'beats' ? 'difference ' : ''}${+med.toPrecision(4)}`;
  const toS = (v: number): number => (unit === 'ms' ? v / 1000 : v);
  const rrS = spacing.map(toS);
  rrS.forEach((r, i) => {
    if (!(r > 0)) {
      throw new InputError(
        kind === 'beats' ? `beat times must increase: value ${i + 2} (${values[i + 1]}) is not after ${values[i]}` : `RR interval ${i + 1} is ${values[i]}: must be > 0`,
      );
    }
  });
  const medS = toS(med);
  if (!(medS >= 0.2 && medS <= 3)) {
    throw new InputError(`median RR ${+medS.toPrecision(4)} s is outside 0.2–3 s: check the unit (--unit ms|s) and the column`);
  }
  const result: RrText = {
    rrS,
    kind,
    unit,
    column: name,
    description: `${kind === 'rr' ? 'RR intervals' : 'beat times'} in ${unit} (${kindHow}; unit ${unitHow}) from ${header ? `column '${name}'` : name}`,
    nValues: values.length,
  };
  if (kind === 'beats') result.rrEndTimesS = values.slice(1).map(toS);
  return result;
}
