/** Numbers on the page: HR, RMSSD, SDNN, verdict and reasons, every HRV field, per-window rows. */
import { HRV_FIELDS, hrvFieldUnit } from '../../src/hrv/measures/fields.js';
import type { PageResult } from './estimator.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function fmt(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** The headline numbers (also used by the live view). */
export function showHeadline(r: Pick<PageResult, 'heartRateBpm' | 'rmssdMs' | 'sdnnMs'>): void {
  $('hr').textContent = fmt(r.heartRateBpm, 1);
  $('rmssd').textContent = fmt(r.rmssdMs, 1);
  $('sdnn').textContent = fmt(r.sdnnMs, 1);
}

/** Clear the numbers and tables (a new recording starts). */
export function clearResult(sourceLine: string): void {
  showHeadline({ heartRateBpm: null, rmssdMs: null, sdnnMs: null });
  $('verdict').textContent = 'none';
  $('verdict').className = 'verdict verdict-none';
  $('quality-score').textContent = '—';
  $('source').textContent = sourceLine;
  $('signal').textContent = '';
  for (const id of ['reasons', 'hrv-fields', 'windows']) $(id).replaceChildren();
}

export function showResult(r: PageResult, sourceLine: string): void {
  showHeadline(r);
  const verdict = $('verdict');
  verdict.textContent = r.verdict;
  verdict.className = `verdict verdict-${r.verdict}`;
  $('quality-score').textContent = r.quality.score.toFixed(2);
  $('source').textContent = sourceLine;
  $('signal').textContent = `${r.signalType === 'pcg' ? 'heart sounds' : 'pulse signal'}, ${r.beatTimesS.length} beats, ${r.nIntervals} clean RR intervals, method ${r.method}`;
  const reasons = $('reasons');
  reasons.replaceChildren(...r.quality.reasons.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
  // every HRV field, with the reason when it is null
  const body = $('hrv-fields');
  body.replaceChildren(
    ...HRV_FIELDS.map((f) => {
      const tr = document.createElement('tr');
      const v = r[f.key];
      const unit = hrvFieldUnit(f.key, r.convention);
      const digits = (f.key === 'pnn20' || f.key === 'pnn50') && r.convention === 'neurokit' ? 1 : f.digits;
      const cells = [f.label, v === null || v === undefined ? '—' : `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`, v === null || v === undefined ? (r.hrvNullReasons[f.key] ?? '') : f.definition];
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = cells[0]!;
      tr.append(th, ...cells.slice(1).map((c) => Object.assign(document.createElement('td'), { textContent: c })));
      tr.dataset['field'] = f.key;
      return tr;
    }),
  );
  const rows = $('windows');
  rows.replaceChildren(
    ...(r.windows ?? []).map((w) => {
      const tr = document.createElement('tr');
      for (const c of [`${w.startS.toFixed(1)}–${w.endS.toFixed(1)}`, fmt(w.heartRateBpm, 1), fmt(w.sdnnMs, 1), fmt(w.rmssdMs, 1), String(w.nBeats), w.quality.toFixed(2)]) {
        tr.append(Object.assign(document.createElement('td'), { textContent: c }));
      }
      return tr;
    }),
  );
}
