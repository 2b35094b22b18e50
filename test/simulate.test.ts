import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Mt19937 } from '../src/signal/mt19937.js';
import { NumpyRng } from '../src/signal/numpyRng.js';
import { FastRng } from '../src/signal/rng.js';
import { ZigguratRng } from '../src/signal/ziggurat.js';
import {
  createRng,
  DEFAULT_GENERATOR_PARAMS,
  resolveSimulationOptions,
  simulateDataset,
  simulateSignal,
  type GeneratorParams,
} from '../src/signal/simulate.js';
import { readNpy } from '../src/node/files/npy.js';

const FIX = new URL('../fixtures/numpy/', import.meta.url);
const fixturePath = (name: string): string => new URL(name, FIX).pathname;

interface RngCase {
  seed: number;
  raw: number[];
  rawAfterTwist620: number[];
  randomSample: number[];
  mixed: number[];
  normals: number[];
}
const rngCases = (JSON.parse(readFileSync(fixturePath('rng.json'), 'utf8')) as { cases: RngCase[] }).cases;

interface SimRow {
  hr_bpm: number;
  hr_count_bpm: number;
  hrv_s: number;
  n_beats: number;
  snr_db: number;
  hr_param_bpm: number;
  hrv_param_s: number;
  beat_times_s: number[];
}
interface SimCase {
  name: string;
  seed: number;
  n: number;
  params: Partial<GeneratorParams>;
  shape: number[];
  signals: SimRow[];
}
const simCases = (JSON.parse(readFileSync(fixturePath('sim_cases.json'), 'utf8')) as { cases: SimCase[] }).cases;

function assertClose(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected);
  assert.ok(err <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected} (error ${err})`);
}

test('MT19937 init_genrand reproduces numpy raw outputs, including across the twist boundary', () => {
  for (const c of rngCases) {
    const mt = new Mt19937(c.seed);
    assert.deepEqual(Array.from({ length: c.raw.length }, () => mt.nextUint32()), c.raw, `seed ${c.seed}`);
    const mt2 = new Mt19937(c.seed);
    for (let i = 0; i < 620; i++) mt2.nextUint32();
    assert.deepEqual(Array.from({ length: 10 }, () => mt2.nextUint32()), c.rawAfterTwist620, `seed ${c.seed} after twist`);
  }
});

test('NumpyRng random_sample, uniform and legacy normal match numpy bit for bit (cache survives uniform draws)', () => {
  for (const c of rngCases) {
    let r = new NumpyRng(c.seed);
    assert.deepEqual(Array.from({ length: c.randomSample.length }, () => r.random()), c.randomSample);
    r = new NumpyRng(c.seed);
    const mixed = [r.uniform(-3, 7), r.normal(1.5, 2), r.uniform(0, 1), r.normal(0, 1), r.normal(0, 1)];
    mixed.forEach((v, i) => assertClose(v, c.mixed[i], 1e-15, `seed ${c.seed} mixed[${i}]`));
    r = new NumpyRng(c.seed);
    c.normals.forEach((v, i) => assertClose(r.normal(0, 1), v, 1e-15, `seed ${c.seed} normal[${i}]`));
  }
});

test('NumpyRng and MT19937 reject seeds numpy rejects', () => {
  for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
    assert.throws(() => new NumpyRng(bad), RangeError);
  }
});

for (const c of simCases) {
  test(`rng 'numpy' reproduces the seed notebook after np.random.seed(${c.seed}) to 1e-12 (${c.name})`, () => {
    const sims = simulateDataset({ n: c.n, seed: c.seed, rng: 'numpy', ...c.params });
    const ref = readNpy(fixturePath(`sim_${c.name}_signals.npy`));
    assert.deepEqual(ref.shape, c.shape);
    assert.equal(sims.length, c.n);
    const nSamples = c.shape[1];
    sims.forEach((s, i) => {
      const row = c.signals[i];
      assert.equal(s.samples.length, nSamples);
      let maxErr = 0;
      for (let j = 0; j < nSamples; j++) maxErr = Math.max(maxErr, Math.abs(s.samples[j] - ref.data[i * nSamples + j]));
      assert.ok(maxErr <= 1e-12, `signal ${i}: max abs error ${maxErr}`);
      assert.equal(s.nBeats, row.n_beats);
      assert.equal(s.beatTimesS.length, row.beat_times_s.length);
      s.beatTimesS.forEach((t, k) => assertClose(t, row.beat_times_s[k], 1e-12, `beat ${k}`));
      assertClose(s.hrBpm, row.hr_bpm, 1e-12, 'hr_bpm');
      assertClose(s.hrCountBpm, row.hr_count_bpm, 1e-12, 'hr_count_bpm');
      assertClose(s.hrvS, row.hrv_s, 1e-12, 'hrv_s');
      assertClose(s.snrDb, row.snr_db, 1e-12, 'snr_db');
      assertClose(s.hrParamBpm, row.hr_param_bpm, 1e-12, 'hr_param_bpm');
      assertClose(s.hrvParamS, row.hrv_param_s, 1e-12, 'hrv_param_s');
    });
  });
}

test('the silent case (zero amplitude) draws no noise and the stream stays aligned', () => {
  const c = simCases.find((x) => x.name === 'silent_seed7');
  assert.ok(c);
  const sims = simulateDataset({ n: c.n, seed: c.seed, rng: 'numpy', ...c.params });
  for (const s of sims) assert.ok(s.samples.every((v) => v === 0));
});

test('fast rng: same seed → identical signals; different seed → different', () => {
  const a = simulateDataset({ n: 3, seed: 9 });
  const b = simulateDataset({ n: 3, seed: 9 });
  const c = simulateDataset({ n: 3, seed: 10 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0].samples, c[0].samples);
});

test('defaults are the seed notebook parameters: 5000 samples, labels within their ranges', () => {
  const sims = simulateDataset({ n: 40, seed: 1 });
  for (const s of sims) {
    assert.equal(s.samples.length, 5000);
    assert.ok(s.hrParamBpm >= 50 && s.hrParamBpm < 120);
    assert.ok(s.hrvParamS >= 0.005 && s.hrvParamS < 0.05);
    assert.ok(s.snrDb >= 5 && s.snrDb < 25);
    assert.equal(s.beatTimesS[0], 0);
    assert.equal(s.nBeats, s.beatTimesS.length);
    assert.ok(s.beatTimesS.every((t, k) => k === 0 || (t - s.beatTimesS[k - 1] >= 0.1 && t < 5)));
    assert.equal(s.hrCountBpm, (s.nBeats / 5) * 60);
    const rr = s.beatTimesS.slice(1).map((t, k) => t - s.beatTimesS[k]);
    const mean = rr.reduce((x, y) => x + y, 0) / rr.length;
    assertClose(s.hrBpm, 60 / mean, 1e-12, 'hr_bpm = 60 / mean RR');
    const sd = Math.sqrt(rr.reduce((x, y) => x + (y - mean) ** 2, 0) / rr.length);
    assertClose(s.hrvS, sd, 1e-12, 'hrv_s = population std of RR');
  }
});

test('the generator follows the seed: half-Gaussian pulses, noise at the drawn SNR', () => {
  // a deterministic fake rng: normal → mean, uniform → midpoint
  const rng = { random: () => 0.5, uniform: (lo: number, hi: number) => (lo + hi) / 2, normal: (m = 0) => m };
  const p = { ...DEFAULT_GENERATOR_PARAMS, hrParamBpm: 60, hrvParamS: 0.01 };
  const s = simulateSignal(p, rng);
  assert.deepEqual(s.beatTimesS, [0, 1, 2, 3, 4]);
  // pulse 0.05 s → 50 samples of amp·exp(−(i/(fs·d/6))²), amp 1.0; noise adds mean 0
  for (let i = 0; i < 50; i++) assertClose(s.samples[1000 + i], Math.exp(-((i / (1000 * (0.05 / 6))) ** 2)), 1e-15, `pulse[${i}]`);
  assert.equal(s.samples[1050], 0);
  assert.equal(s.hrvS, 0);
  assert.equal(s.hrBpm, 60);
  // beat intervals are floored at 0.1 s
  const fast = simulateSignal({ ...p, hrParamBpm: 1200, hrvParamS: 0 }, rng);
  assert.ok(fast.beatTimesS.slice(1).every((t, k) => Math.abs(t - fast.beatTimesS[k] - 0.1) < 1e-12));
});

test('white noise is added at the drawn SNR relative to the clean mean power', () => {
  const SNR_LO = 12.5;
  // Two runs on the same stream: one keeps the noise, one silences it (draws still consumed).
  const wrap = (silence: boolean) => {
    const inner = new FastRng(5);
    let afterSnr = false;
    return {
      random: () => inner.random(),
      uniform: (lo: number, hi: number) => {
        const v = inner.uniform(lo, hi);
        if (lo === SNR_LO) afterSnr = true;
        return v;
      },
      normal: (m = 0, sd = 1) => {
        const v = inner.normal(m, sd);
        return silence && afterSnr ? m : v;
      },
    };
  };
  const p = { ...DEFAULT_GENERATOR_PARAMS, durationS: 60, snrMinDb: SNR_LO, snrMaxDb: 12.6, hrParamBpm: 70, hrvParamS: 0.02 };
  const noisy = simulateSignal(p, wrap(false));
  const clean = simulateSignal(p, wrap(true));
  assert.deepEqual(noisy.beatTimesS, clean.beatTimesS);
  let ps = 0;
  let pn = 0;
  let mn = 0;
  for (let i = 0; i < noisy.samples.length; i++) {
    const e = noisy.samples[i] - clean.samples[i];
    ps += clean.samples[i] ** 2;
    pn += e * e;
    mn += e;
  }
  const snrMeasured = 10 * Math.log10(ps / pn);
  assert.ok(Math.abs(snrMeasured - noisy.snrDb) < 0.15, `measured ${snrMeasured} dB vs drawn ${noisy.snrDb} dB`);
  assert.ok(Math.abs(mn / noisy.samples.length) < 0.01);
});

test('invalid options throw RangeError with a clear message', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ n: 0 }, /n must be an integer/],
    [{ n: 2.5 }, /n must be an integer/],
    [{ n: 1, hrMinBpm: 130 }, /hrMinBpm \(130\) must not exceed hrMaxBpm/],
    [{ n: 1, snrMinDb: 30 }, /snrMinDb/],
    [{ n: 1, hrvMinS: -0.01 }, /hrvMinS must be ≥ 0/],
    [{ n: 1, durationS: Number.NaN }, /durationS must be a finite number/],
    [{ n: 1, sampleRateHz: 0 }, /sampleRateHz must be > 0/],
    [{ n: 1, durationS: 0.0001 }, /at least one sample/],
    [{ n: 1, rng: 'mersenne' }, /unknown rng/],
    [{ n: 1, seed: -1 }, /seed must be an integer/],
  ];
  for (const [opts, re] of bad) {
    assert.throws(() => resolveSimulationOptions(opts as never), (e: unknown) => e instanceof RangeError && re.test(e.message), JSON.stringify(opts));
  }
  assert.throws(() => createRng('x' as never, 1), RangeError);
  assert.ok(createRng('fast', 1) instanceof FastRng);
});

test('fillNormal gives exactly the values of repeated normal() calls (and keeps the polar cache)', () => {
  const makers = [() => new FastRng(77), () => new NumpyRng(77), () => new ZigguratRng(77)];
  for (const make of makers) {
    const a = make();
    const b = make();
    a.normal();
    b.normal(); // leaves a cached value in the polar generators
    for (const len of [7, 8, 1]) {
      const buf = new Float64Array(len + 2);
      a.fillNormal!(buf, 1.5, 0.3, 1, len);
      const ref = Array.from({ length: len }, () => b.normal(1.5, 0.3));
      assert.deepEqual(Array.from(buf.subarray(1, len + 1)), ref, a.constructor.name);
      assert.equal(buf[0], 0);
      assert.equal(buf[len + 1], 0);
    }
    assert.equal(a.normal(), b.normal());
    assert.equal(a.random(), b.random());
  }
});

test('ZigguratRng normals are standard normal (moments, tails, Kolmogorov–Smirnov)', () => {
  const n = 200_000;
  const xs = new Float64Array(n);
  new ZigguratRng(2024).fillNormal(xs);
  let m1 = 0;
  let m2 = 0;
  let m4 = 0;
  let beyond3 = 0;
  for (const x of xs) {
    m1 += x;
    m2 += x * x;
    m4 += x ** 4;
    if (Math.abs(x) > 3) beyond3++;
  }
  assert.ok(Math.abs(m1 / n) < 0.01, `mean ${m1 / n}`);
  assert.ok(Math.abs(m2 / n - 1) < 0.015, `variance ${m2 / n}`);
  assert.ok(Math.abs(m4 / n - 3) < 0.1, `4th moment ${m4 / n}`);
  assert.ok(Math.abs(beyond3 / n - 0.0026998) < 0.0008, `P(|x|>3) ${beyond3 / n}`);
  // KS against the normal CDF (erf via Abramowitz–Stegun 7.1.26, |error| < 1.5e-7)
  const erf = (z: number): number => {
    const s = Math.sign(z);
    const a = Math.abs(z);
    const t = 1 / (1 + 0.3275911 * a);
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
    return s * y;
  };
  const sorted = Float64Array.from(xs).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const cdf = 0.5 * (1 + erf(sorted[i] / Math.SQRT2));
    d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
  }
  assert.ok(d < 1.63 / Math.sqrt(n), `KS statistic ${d}`); // 1% critical value
  // the uniforms are FastRng's
  assert.equal(new ZigguratRng(5).random(), new FastRng(5).random());
});
