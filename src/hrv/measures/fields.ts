/**
 * The one table of HRV field names. `hrvMeasures`, `estimate --json`, `hrv --json`, the CSV
 * columns and the text/report labels all come from here. Browser-safe.
 */

/** Every HRV field, in display order. */
export const HRV_FIELD_KEYS = [
  // time domain
  'heartRateBpm',
  'meanRrMs',
  'sdnnMs',
  'rmssdMs',
  'sdsdMs',
  'pnn20',
  'pnn50',
  'madMs',
  // frequency domain, Welch
  'vlfMs2',
  'lfMs2',
  'hfMs2',
  'totalPowerMs2',
  'lfHf',
  'lfNu',
  'hfNu',
  'lfPeakHz',
  'hfPeakHz',
  // frequency domain, Lomb–Scargle
  'lombVlfMs2',
  'lombLfMs2',
  'lombHfMs2',
  'lombTotalPowerMs2',
  'lombLfHf',
  // non-linear
  'sd1Ms',
  'sd2Ms',
  'sd1Sd2',
  'sampEn',
  'apEn',
  'dfaAlpha1',
  'dfaAlpha2',
] as const;

export type HrvFieldKey = (typeof HRV_FIELD_KEYS)[number];

export type HrvGroup = 'time' | 'frequency' | 'nonlinear';

/** How one field is named, grouped, shown and defined. */
export interface HrvField {
  key: HrvFieldKey;
  group: HrvGroup;
  /** Short label for text and plots. */
  label: string;
  /** Unit ('' for a ratio; pNN's depends on the convention). */
  unit: string;
  /** CSV column name (snake_case). */
  csv: string;
  /** Digits shown in text and CSV. */
  digits: number;
  /** Definition and convention, one line. */
  definition: string;
}

const F = (key: HrvFieldKey, group: HrvGroup, label: string, unit: string, digits: number, definition: string): HrvField => ({
  key,
  group,
  label,
  unit,
  csv: key.replace(/([A-Z])/g, '_$1').toLowerCase(),
  digits,
  definition,
});

/** The field table (order = {@link HRV_FIELD_KEYS}). */
export const HRV_FIELDS: readonly HrvField[] = Object.freeze([
  F('heartRateBpm', 'time', 'HR', 'bpm', 1, '60 000 / mean RR'),
  F('meanRrMs', 'time', 'mean RR', 'ms', 1, 'mean of the RR intervals'),
  F('sdnnMs', 'time', 'SDNN', 'ms', 1, 'SD of RR; ddof 0 (heartpy) or 1 (neurokit)'),
  F('rmssdMs', 'time', 'RMSSD', 'ms', 1, 'root mean square of successive differences'),
  F('sdsdMs', 'time', 'SDSD', 'ms', 1, 'SD of successive differences; heartpy: of |D|, ddof 0; neurokit: of D, ddof 1'),
  F('pnn20', 'time', 'pNN20', '', 3, 'share of |D| > 20 ms; heartpy: fraction of N−1; neurokit: percent of N'),
  F('pnn50', 'time', 'pNN50', '', 3, 'share of |D| > 50 ms; heartpy: fraction of N−1; neurokit: percent of N'),
  F('madMs', 'time', 'MAD', 'ms', 1, 'median absolute deviation of RR; neurokit × 1.4826'),
  F('vlfMs2', 'frequency', 'VLF', 'ms²', 1, 'Welch power 0.0033–0.04 Hz (≥ 5 min)'),
  F('lfMs2', 'frequency', 'LF', 'ms²', 1, 'Welch power 0.04–0.15 Hz (≥ 2 min)'),
  F('hfMs2', 'frequency', 'HF', 'ms²', 1, 'Welch power 0.15–0.4 Hz (≥ 1 min)'),
  F('totalPowerMs2', 'frequency', 'total power', 'ms²', 1, 'VLF + LF + HF, Welch (≥ 5 min)'),
  F('lfHf', 'frequency', 'LF/HF', '', 3, 'LF / HF, Welch'),
  F('lfNu', 'frequency', 'LF n.u.', 'n.u.', 1, '100 · LF / (LF + HF) = 100 · LF / (total − VLF), Welch'),
  F('hfNu', 'frequency', 'HF n.u.', 'n.u.', 1, '100 · HF / (LF + HF), Welch'),
  F('lfPeakHz', 'frequency', 'LF peak', 'Hz', 3, 'frequency of the largest Welch PSD value in LF'),
  F('hfPeakHz', 'frequency', 'HF peak', 'Hz', 3, 'frequency of the largest Welch PSD value in HF'),
  F('lombVlfMs2', 'frequency', 'VLF (Lomb)', 'ms²', 1, 'Lomb–Scargle power 0.0033–0.04 Hz (≥ 5 min)'),
  F('lombLfMs2', 'frequency', 'LF (Lomb)', 'ms²', 1, 'Lomb–Scargle power 0.04–0.15 Hz (≥ 2 min)'),
  F('lombHfMs2', 'frequency', 'HF (Lomb)', 'ms²', 1, 'Lomb–Scargle power 0.15–0.4 Hz (≥ 1 min)'),
  F('lombTotalPowerMs2', 'frequency', 'total power (Lomb)', 'ms²', 1, 'VLF + LF + HF, Lomb–Scargle (≥ 5 min)'),
  F('lombLfHf', 'frequency', 'LF/HF (Lomb)', '', 3, 'LF / HF, Lomb–Scargle'),
  F('sd1Ms', 'nonlinear', 'SD1', 'ms', 1, 'Poincaré SD across the identity line, ddof 0'),
  F('sd2Ms', 'nonlinear', 'SD2', 'ms', 1, 'Poincaré SD along the identity line, ddof 0'),
  F('sd1Sd2', 'nonlinear', 'SD1/SD2', '', 3, 'SD1 / SD2'),
  F('sampEn', 'nonlinear', 'SampEn', '', 3, 'sample entropy, m = 2, r = 0.2 · SD(RR, ddof 1) (≥ 200 beats)'),
  F('apEn', 'nonlinear', 'ApEn', '', 3, 'approximate entropy, m = 2, r = 0.2 · SD(RR, ddof 1) (≥ 200 beats)'),
  F('dfaAlpha1', 'nonlinear', 'DFA α1', '', 3, 'DFA exponent over 4–16 beats (≥ 64 beats)'),
  F('dfaAlpha2', 'nonlinear', 'DFA α2', '', 3, 'DFA exponent over 16–64 beats (≥ 256 beats)'),
]);

const BY_KEY = new Map(HRV_FIELDS.map((f) => [f.key, f]));

/** The table entry of a field. */
export function hrvField(key: HrvFieldKey): HrvField {
  return BY_KEY.get(key)!;
}

/** The unit of a field under a convention (pNN: '' for heartpy's fraction, '%' for neurokit). */
export function hrvFieldUnit(key: HrvFieldKey, convention: 'heartpy' | 'neurokit'): string {
  if (key === 'pnn20' || key === 'pnn50') return convention === 'neurokit' ? '%' : '';
  return hrvField(key).unit;
}

/** A result carrying the HRV fields (hrvMeasures' result, estimate's result). */
export type HrvFieldValues = { [K in HrvFieldKey]?: number | null } & {
  convention: 'heartpy' | 'neurokit';
  nullReasons?: Partial<Record<HrvFieldKey, string>>;
};

/** The fields of a result as one flat record in table order (the JSON / CSV row). */
export function hrvFieldRecord(m: HrvFieldValues): Record<HrvFieldKey, number | null> {
  const out = {} as Record<HrvFieldKey, number | null>;
  for (const k of HRV_FIELD_KEYS) out[k] = m[k] ?? null;
  return out;
}

/** CSV header + one row of every field (empty cell for null). */
export function hrvFieldsCsv(m: HrvFieldValues): string {
  const head = HRV_FIELDS.map((f) => f.csv).join(',');
  const row = HRV_FIELDS.map((f) => {
    const v = m[f.key];
    return v === null || v === undefined || !Number.isFinite(v) ? '' : String(+v.toFixed(Math.max(f.digits, 3) + 3));
  }).join(',');
  return `${head}\n${row}\n`;
}

const GROUP_TITLES: Record<HrvGroup, string> = { time: 'time domain', frequency: 'frequency domain', nonlinear: 'non-linear' };

/**
 * Text lines of the fields, grouped, e.g. `  LF          452.1 ms²`. `showNull`: list null fields
 * with their reason (default true); `groups`: which groups (default all); a group with no number
 * and `showNull` false is left out.
 */
export function hrvFieldLines(m: HrvFieldValues, options: { showNull?: boolean; groups?: readonly HrvGroup[] } = {}): string[] {
  const showNull = options.showNull ?? true;
  const lines: string[] = [];
  for (const g of options.groups ?? (['time', 'frequency', 'nonlinear'] as const)) {
    const fields = HRV_FIELDS.filter((f) => f.group === g);
    const body: string[] = [];
    for (const f of fields) {
      const v = m[f.key];
      const digits = (f.key === 'pnn20' || f.key === 'pnn50') && m.convention === 'neurokit' ? 1 : f.digits;
      const unit = hrvFieldUnit(f.key, m.convention);
      if (v !== null && v !== undefined) body.push(`  ${f.label.padEnd(20)} ${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`);
      else if (showNull) body.push(`  ${f.label.padEnd(20)} —  (${m.nullReasons?.[f.key] ?? 'not computed'})`);
    }
    if (body.length) lines.push(`${GROUP_TITLES[g]}:`, ...body);
  }
  return lines;
}
