import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  hrvMeasures,
  welchRrSpectrum,
  lombRrSpectrum,
  splineResample,
  sampleEntropy,
  approximateEntropy,
  dfaAlpha,
  HRV_FIELDS,
  HRV_FIELD_KEYS,
  HRV_RULES,
} from '../src/hrv/measures/index.js';

interface Case {
  name: string;
  rrS: number[];
  rrEndTimesS?: number[];
  welch: { frequencyHz: number[]; psd: number[]; bands: Record<'vlf' | 'lf' | 'hf', number>; evenFirst: number[]; evenLength: number };
  lomb: { psd: number[]; bands: Record<'vlf' | 'lf' | 'hf', number> };
  sampEn: number;
  apEn: number;
  dfaAlpha1: number;
  dfaAlpha2: number | null;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/hrv/hrv_cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const byName = (name: string): Case => fixture.cases.find((c) => c.name === name)!;

function endTimes(c: Case): number[] {
  if (c.rrEndTimesS) return c.rrEndTimesS;
  let t = 0;
  return c.rrS.map((r) => (t += r));
}

const rel = (a: number | null, b: number, tol: number, what: string): void => {
  assert.ok(a !== null && Math.abs(a - b) <= tol * Math.abs(b), `${what}: ${a} vs ${b}`);
};

/** Largest |a − b| relative to max |b| over two arrays. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let scale = 0;
  let d = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
  }
  return d / scale;
}

test('spline resampling = scipy CubicSpline (not-a-knot) on the 4 Hz grid', () => {
  for (const c of fixture.cases) {
    const even = splineResample(endTimes(c), c.rrS.map((r) => r * 1000), 4);
    assert.equal(even.length, c.welch.evenLength, c.name);
    assert.ok(maxRelDiff(even.subarray(0, 64), c.welch.evenFirst) < 1e-10, c.name);
  }
});

test('Welch spectrum = scipy.signal.welch after spline + linear detrend', () => {
  for (const c of fixture.cases) {
    const s = welchRrSpectrum(c.rrS.map((r) => r * 1000), endTimes(c));
    assert.ok(maxRelDiff(s.frequencyHz, c.welch.frequencyHz) < 1e-12, c.name);
    const d = maxRelDiff(s.psdMs2PerHz, c.welch.psd);
    assert.ok(d < 1e-9, `${c.name}: max relative PSD difference ${d}`);
  }
});

test('Lomb–Scargle spectrum = scipy.signal.lombscargle (classic periodogram)', () => {
  for (const c of fixture.cases) {
    const s = lombRrSpectrum(c.rrS.map((r) => r * 1000), endTimes(c));
    const d = maxRelDiff(s.psdMs2PerHz, c.lomb.psd);
    assert.ok(d < 1e-9, `${c.name}: max relative PSD difference ${d}`);
  }
});

test('entropies and DFA = brute-force definitions (numpy)', () => {
  for (const c of fixture.cases) {
    const x = c.rrS.map((r) => r * 1000);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
    rel(sampleEntropy(x, 2, 0.2 * sd), c.sampEn, 1e-12, `${c.name} SampEn`);
    rel(approximateEntropy(x, 2, 0.2 * sd), c.apEn, 1e-12, `${c.name} ApEn`);
    rel(dfaAlpha(x, 4, 16), c.dfaAlpha1, 1e-10, `${c.name} DFA α1`);
    if (c.dfaAlpha2 !== null) rel(dfaAlpha(x, 16, 64), c.dfaAlpha2, 1e-10, `${c.name} DFA α2`);
  }
});

test('hrvMeasures band powers and non-linear fields match the fixtures, rules applied', () => {
  for (const c of fixture.cases) {
    const opts = c.rrEndTimesS ? { rrEndTimesS: c.rrEndTimesS } : {};
    const m = hrvMeasures(c.rrS, opts);
    rel(m.hfMs2, c.welch.bands.hf, 1e-9, `${c.name} HF`);
    rel(m.lombHfMs2, c.lomb.bands.hf, 1e-9, `${c.name} Lomb HF`);
    rel(m.lfMs2, c.welch.bands.lf, 1e-9, `${c.name} LF`);
    rel(m.lombLfMs2, c.lomb.bands.lf, 1e-9, `${c.name} Lomb LF`);
    rel(m.lfHf, c.welch.bands.lf / c.welch.bands.hf, 1e-9, `${c.name} LF/HF`);
    rel(m.lfNu, (100 * c.welch.bands.lf) / (c.welch.bands.lf + c.welch.bands.hf), 1e-9, `${c.name} LF nu`);
    if (m.spanS >= 300 * 0.95) {
      rel(m.vlfMs2, c.welch.bands.vlf, 1e-9, `${c.name} VLF`);
      rel(m.totalPowerMs2, c.welch.bands.vlf + c.welch.bands.lf + c.welch.bands.hf, 1e-9, `${c.name} total`);
    } else {
      assert.equal(m.vlfMs2, null);
      assert.match(m.nullReasons.vlfMs2 ?? '', /VLF needs about 5 min/);
    }
    rel(m.sampEn, c.sampEn, 1e-12, `${c.name} SampEn`);
    rel(m.dfaAlpha1, c.dfaAlpha1, 1e-10, `${c.name} α1`);
    if (c.rrS.length >= 256) rel(m.dfaAlpha2, c.dfaAlpha2!, 1e-10, `${c.name} α2`);
    else assert.match(m.nullReasons.dfaAlpha2 ?? '', /at least 256/);
  }
});

test('0.1 Hz and 0.25 Hz modulation lands in LF and HF in the ratio of the squared amplitudes', () => {
  // RR = 800 + 30 sin(2π·0.1 t) + 15 sin(2π·0.25 t) ms: LF = 30²/2 = 450 ms², HF = 15²/2 = 112.5 ms², LF/HF = 4
  const c = byName('sinus_lf_hf_5min');
  const m = hrvMeasures(c.rrS);
  rel(m.lfMs2, 450, 0.03, 'LF');
  rel(m.hfMs2, 112.5, 0.03, 'HF');
  rel(m.lfHf, 4, 0.03, 'LF/HF');
  rel(m.lombLfHf, 4, 0.03, 'Lomb LF/HF');
  assert.ok(m.vlfMs2! < 1, `VLF ${m.vlfMs2}`);
  rel(m.lfPeakHz, 0.1, 0.05, 'LF peak');
  rel(m.hfPeakHz, 0.25, 0.05, 'HF peak');
});

test('duration rules: HF from 1 min, LF from 2 min, VLF from 5 min, with reasons', () => {
  const rr = (seconds: number): number[] => byName('ar_600').rrS.slice(0, Math.round(seconds / 0.85));
  const m50 = hrvMeasures(rr(50));
  assert.equal(m50.hfMs2, null);
  assert.match(m50.nullReasons.hfMs2!, /HF needs about 60 s/);
  assert.equal(m50.lfHf, null);
  assert.ok(m50.rmssdMs !== null && m50.nullReasons.rmssdMs === undefined);
  const m90 = hrvMeasures(rr(90));
  assert.ok(m90.hfMs2 !== null && m90.lombHfMs2 !== null);
  assert.equal(m90.lfMs2, null);
  assert.match(m90.nullReasons.lfMs2!, /LF needs about 2 min/);
  assert.equal(m90.lfNu, null);
  const m200 = hrvMeasures(rr(200));
  assert.ok(m200.lfMs2 !== null && m200.lfHf !== null && m200.lfNu !== null);
  assert.equal(m200.vlfMs2, null);
  assert.equal(m200.totalPowerMs2, null);
  assert.match(m200.nullReasons.totalPowerMs2!, /VLF needs about 5 min/);
  const m400 = hrvMeasures(rr(400));
  assert.ok(m400.vlfMs2 !== null && m400.totalPowerMs2 !== null);
  // every null field of a computed group has a reason, every number has none
  for (const m of [m50, m90, m200, m400]) {
    for (const k of HRV_FIELD_KEYS) assert.equal(m[k] === null, m.nullReasons[k] !== undefined, `${k}: ${m[k]} / ${m.nullReasons[k]}`);
  }
});

test('gaps: bridged up to 10 % missing, spectral measures null beyond', () => {
  const c = byName('ar_600');
  let t = 0;
  const ends = c.rrS.map((r) => (t += r));
  // drop 5 % of the intervals (every 20th): interpolated
  const keep5 = c.rrS.map((_, i) => i % 20 !== 7);
  const few = hrvMeasures(c.rrS.filter((_, i) => keep5[i]), { rrEndTimesS: ends.filter((_, i) => keep5[i]) });
  assert.ok(few.missingFraction > 0.04 && few.missingFraction < 0.06, `missing ${few.missingFraction}`);
  assert.ok(few.lfMs2 !== null && few.vlfMs2 !== null);
  // drop a 15 % stretch: null with a reason; time-domain stays
  const keep15 = c.rrS.map((_, i) => i < 200 || i >= 290);
  const many = hrvMeasures(c.rrS.filter((_, i) => keep15[i]), { rrEndTimesS: ends.filter((_, i) => keep15[i]) });
  assert.ok(many.missingFraction > HRV_RULES.maxMissingFraction);
  assert.equal(many.lfMs2, null);
  assert.equal(many.lombHfMs2, null);
  assert.match(many.nullReasons.hfMs2!, /no clean intervals \(limit 10 %\)/);
  assert.ok(many.sdnnMs !== null && many.dfaAlpha1 !== null);
});

test('non-linear rules and edge cases: constant RR, short series, SD1/SD2 ratio', () => {
  const constant = hrvMeasures(new Array(300).fill(0.8));
  assert.equal(constant.sampEn, null);
  assert.match(constant.nullReasons.sampEn!, /constant/);
  assert.equal(constant.dfaAlpha1, null);
  assert.equal(constant.sd1Sd2, null);
  const short = hrvMeasures(byName('ar_200_short').rrS.slice(0, 100));
  assert.equal(short.sampEn, null);
  assert.match(short.nullReasons.apEn!, /at least 200/);
  assert.ok(short.dfaAlpha1 !== null);
  assert.equal(short.dfaAlpha2, null);
  rel(short.sd1Sd2, short.sd1Ms! / short.sd2Ms!, 1e-12, 'SD1/SD2');
  // white noise: DFA α1 near 0.5; a random walk of increments: well above 1
  let s = 12345;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const white = Array.from({ length: 4000 }, () => 0.8 + 0.05 * (rand() - 0.5));
  const a = hrvMeasures(white, { groups: ['nonlinear'] }).dfaAlpha1!;
  assert.ok(a > 0.35 && a < 0.65, `white-noise α1 ${a}`);
});

test('entropy cap: long series use a prefix and say so', () => {
  const rr = byName('ar_600').rrS;
  const m = hrvMeasures(rr, { entropyMaxIntervals: 300 });
  rel(m.sampEn, hrvMeasures(rr.slice(0, 300)).sampEn!, 1e-12, 'SampEn of the prefix');
  assert.match(m.notes.join(' '), /first 300 of 600/);
});

test('field table: one entry per result field, unique CSV names', () => {
  const m = hrvMeasures(byName('ar_600').rrS);
  for (const k of HRV_FIELD_KEYS) assert.ok(k in m, k);
  assert.equal(new Set(HRV_FIELDS.map((f) => f.csv)).size, HRV_FIELDS.length);
  assert.equal(HRV_FIELDS.find((f) => f.key === 'lfMs2')!.csv, 'lf_ms2');
  assert.equal(HRV_FIELDS.find((f) => f.key === 'dfaAlpha1')!.csv, 'dfa_alpha1');
});

test('groups: time only skips the others; spectrum returned on request', () => {
  const rr = byName('ar_600').rrS;
  const t = hrvMeasures(rr, { groups: ['time'] });
  assert.equal(t.lfMs2, null);
  assert.equal(t.nullReasons.lfMs2, undefined);
  const withSpec = hrvMeasures(rr, { returnSpectrum: true });
  assert.ok(withSpec.spectrum?.welch && withSpec.spectrum.lomb);
  assert.equal(withSpec.spectrum.lomb.frequencyHz.length, 400);
});

test('bad input: RangeError', () => {
  assert.throws(() => hrvMeasures([0.8, -1]), RangeError);
  assert.throws(() => hrvMeasures([0.8, 0.8], { rrEndTimesS: [1] }), RangeError);
  assert.throws(() => hrvMeasures([0.8, 0.8], { rrEndTimesS: [1, 1.2] }), /overlapping/);
});
