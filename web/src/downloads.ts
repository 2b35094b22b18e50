/**
 * Downloads: the result as JSON (the fields of `estimate --json`, plus the source and verdict),
 * as CSV (one row: the same scalar fields, HRV columns named as in measures/fields.ts), the
 * per-window rows as CSV (the columns of `estimate --csv`), and a recording as WAV.
 */
import { HRV_FIELDS } from '../../src/hrv/measures/fields.js';
import type { PageResult } from './estimator.js';
import { encodeWav } from './wavCodec.js';

export interface SourceInfo {
  name: string;
  format: string;
  channels: number;
  sampleRateHz: number;
}

export function resultJson(r: PageResult, source: SourceInfo): string {
  // the state posteriors (nFrames × 4 floats) stay out of the JSON, as the envelope does
  const { states: _states, ...rest } = r;
  return `${JSON.stringify({ ...rest, source })}\n`;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(+v.toFixed(6)) : '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One summary row: file, method, signal, duration, counts, quality, verdict, then every HRV field. */
export function resultCsv(r: PageResult, source: SourceInfo): string {
  const head = ['file', 'method', 'signal_type', 'convention', 'duration_s', 'sample_rate_hz', 'n_beats', 'n_intervals', 'quality', 'verdict', 'trusted'];
  const row: unknown[] = [source.name, r.method, r.signalType, r.convention, r.durationS, r.sampleRateHz, r.beatTimesS.length, r.nIntervals, r.quality.score, r.verdict, r.trusted];
  for (const f of HRV_FIELDS) {
    head.push(f.csv);
    row.push(r[f.key]);
  }
  return `${head.join(',')}\n${row.map(cell).join(',')}\n`;
}

/** The per-window rows, as `estimate --window W --hop H --csv` prints them. */
export function windowsCsv(r: PageResult): string {
  const num = (v: number | null, d: number): string => (v === null || !Number.isFinite(v) ? '' : v.toFixed(d));
  const lines = ['start_s,end_s,heart_rate_bpm,sdnn_ms,rmssd_ms,n_beats,quality'];
  for (const w of r.windows ?? []) {
    lines.push([num(w.startS, 3), num(w.endS, 3), num(w.heartRateBpm, 2), num(w.sdnnMs, 2), num(w.rmssdMs, 2), String(w.nBeats), num(w.quality, 3)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function wavBytes(samples: Float32Array, sampleRateHz: number): Uint8Array {
  return encodeWav(samples, sampleRateHz);
}

/** Offer bytes or text as a file download (a blob URL; nothing is uploaded). */
export function download(name: string, data: string | Uint8Array, type: string): void {
  const blob = new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
