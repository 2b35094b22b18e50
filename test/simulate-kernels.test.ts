// The fast paths of the generator (batched ziggurat draws, in-place noise, the energy summed
// over the pulses only, block storage) against a plain reference of the seed's algorithm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZigguratRng } from '../src/signal/ziggurat.js';
import { NumpyRng } from '../src/signal/numpyRng.js';
import type { Rng } from '../src/signal/rng.js';
import {
  createRng,
  resolveSimulationOptions,
  samplesPerSignal,
  simulateDataset,
  simulateSignal,
  type SignalParams,
  type SimulationOptions,
} from '../src/signal/simulate.js';

/** Same bits (Object.is also tells 0 from −0). */
function assertSameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}: index ${i}: ${a[i]} ≠ ${b[i]}`);
  }
}

test('ZigguratRng: long fillNormal runs (through many wedge/tail draws) equal repeated normal() calls', () => {
  for (const seed of [0, 1, 99, 4294967295]) {
    const a = new ZigguratRng(seed);
    const b = new ZigguratRng(seed);
    for (const [len, offset] of [
      [20000, 0],
      [4999, 3],
      [1, 0],
      [0, 0],
    ]) {
      const buf = new Float64Array(len + offset + 1);
      a.fillNormal(buf, 0.25, 1.5, offset, len);
      const ref = new Float64Array(len + offset + 1);
      for (let i = 0; i < len; i++) ref[offset + i] = b.normal(0.25, 1.5);
      assertSameBits(buf, ref, `seed ${seed}, len ${len}`);
    }
    assert.equal(a.random(), b.random(), 'generator state after the runs');
  }
});

test('ZigguratRng.addNormal adds exactly the values fillNormal draws, and advances the same', () => {
  for (const seed of [3, 2024]) {
    const a = new ZigguratRng(seed);
    const b = new ZigguratRng(seed);
    const len = 12345;
    const base = Float64Array.from({ length: len + 4 }, (_, i) => Math.sin(i) * 3);
    const added = base.slice();
    a.addNormal(added, -0.5, 0.7, 2, len);
    const drawn = new Float64Array(len + 4);
    b.fillNormal(drawn, -0.5, 0.7, 2, len);
    const ref = base.slice();
    for (let i = 2; i < len + 2; i++) ref[i] += drawn[i];
    assertSameBits(added, ref, `seed ${seed}`);
    assert.equal(a.normal(), b.normal());
  }
});

/** The seed's generate_heartbeat_signal_enhanced, written plainly with per-value draws. */
function referenceSignal(p: SignalParams, rng: Rng): { samples: Float64Array; beats: number[]; snrDb: number } {
  const fs = p.sampleRateHz;
  const meanInterval = 60 / p.hrParamBpm;
  const k = Math.trunc(p.durationS / meanInterval);
  const intervals: number[] = [];
  for (let i = 0; i < k; i++) intervals.push(Math.max(rng.normal(meanInterval, p.hrvParamS), 0.1));
  const beats = [0];
  let t = 0;
  for (const iv of intervals) {
    if (t + iv < p.durationS) {
      t += iv;
      beats.push(t);
    } else break;
  }
  const len = samplesPerSignal(p);
  const x = new Float64Array(len);
  for (const bt of beats) {
    const s = Math.trunc(bt * fs);
    if (s < len) {
      const pulse = rng.uniform(p.pulseMinS, p.pulseMaxS);
      const n = Math.trunc(pulse * fs);
      const amp = rng.uniform(p.ampMin, p.ampMax);
      const width = fs * (pulse / 6);
      for (let i = 0; i < n; i++) {
        if (s + i < len) {
          const z = i / width;
          x[s + i] += amp * Math.exp(-(z * z));
        }
      }
    }
  }
  const snrDb = rng.uniform(p.snrMinDb, p.snrMaxDb);
  let sumSq = 0;
  for (let i = 0; i < len; i++) sumSq += x[i] * x[i];
  const power = sumSq / len;
  if (power > 1e-10) {
    const std = Math.sqrt(power / Math.pow(10, snrDb / 10));
    for (let i = 0; i < len; i++) x[i] += rng.normal(0, std);
  }
  return { samples: x, beats, snrDb };
}

function referenceDataset(options: SimulationOptions): { samples: Float64Array; beats: number[]; snrDb: number }[] {
  const o = resolveSimulationOptions(options);
  const rng = createRng(o.rng, o.seed);
  const out = [];
  for (let s = 0; s < o.n; s++) {
    const hrParamBpm = rng.uniform(o.hrMinBpm, o.hrMaxBpm);
    const hrvParamS = rng.uniform(o.hrvMinS, o.hrvMaxS);
    out.push(referenceSignal({ ...o, hrParamBpm, hrvParamS }, rng));
  }
  return out;
}

test('simulateDataset equals a plain reference bit for bit (several storage blocks, overlapping pulses, both rng modes)', () => {
  const cases: SimulationOptions[] = [
    { n: 40, seed: 42 }, // spans several storage blocks
    { n: 5, seed: 8, rng: 'numpy' },
    // long pulses at high rates: pulses overlap and run past the end
    { n: 12, seed: 5, hrMinBpm: 150, hrMaxBpm: 220, pulseMinS: 0.3, pulseMaxS: 0.9, durationS: 2 },
    // a very low rate: several beats fall on the same sample
    { n: 12, seed: 6, sampleRateHz: 7, durationS: 4, pulseMaxS: 1 },
    // silent signals (no noise is added)
    { n: 3, seed: 7, ampMin: 0, ampMax: 0, durationS: 1 },
  ];
  for (const c of cases) {
    const got = simulateDataset(c);
    const ref = referenceDataset(c);
    assert.equal(got.length, ref.length);
    got.forEach((g, i) => {
      assertSameBits(g.samples, ref[i].samples, `${JSON.stringify(c)} signal ${i}`);
      assert.deepEqual(g.beatTimesS, ref[i].beats);
      assert.equal(g.snrDb, ref[i].snrDb);
    });
  }
});

test('simulateSignal into a dirty buffer equals a fresh one; NumpyRng (no addNormal) takes the buffered path', () => {
  const o = resolveSimulationOptions({ n: 1, seed: 1 });
  const p: SignalParams = { ...o, hrParamBpm: 80, hrvParamS: 0.02 };
  const dirty = new Float64Array(samplesPerSignal(o)).fill(7);
  const a = simulateSignal(p, new ZigguratRng(9), dirty);
  const b = simulateSignal(p, new ZigguratRng(9));
  assert.equal(a.samples, dirty);
  assertSameBits(a.samples, b.samples, 'fast');
  const c = simulateSignal(p, new NumpyRng(9));
  assertSameBits(c.samples, referenceSignal(p, new NumpyRng(9)).samples, 'numpy');
});
