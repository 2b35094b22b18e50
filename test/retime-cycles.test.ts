/** Pitch-keeping heart-rate augmentation (src/hrv/validate/retimeCycles.ts) on a synthetic annotated recording. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retimeCycles, meanCycleHrBpm } from '../src/hrv/validate/retimeCycles.js';
import { annotatedWindows } from '../src/hrv/validate/annotatedWindows.js';
import type { Segment } from '../src/hrv/validate/segmentation.js';
import { InputError } from '../src/errors.js';
import { FastRng } from '../src/signal/rng.js';

const FS = 1000;

/** 0.2 s unannotated, then cycles S1 100 ms, systole 200 ms, S2 80 ms, diastole 370 ± 20 ms (≈ 80 bpm), 0.3 s unannotated. */
function recording(nCycles = 14): { x: Float32Array; segs: Segment[] } {
  const rng = new FastRng(5);
  const segs: Segment[] = [];
  let t = 200;
  segs.push({ startS: 0, endS: t / FS, state: 0 });
  for (let c = 0; c < nCycles; c++) {
    for (const [state, ms] of [[1, 100], [2, 200], [3, 80], [4, 370 + (c % 3 - 1) * 20]] as const) {
      segs.push({ startS: t / FS, endS: (t + ms) / FS, state });
      t += ms;
    }
  }
  segs.push({ startS: t / FS, endS: t / FS + 0.1, state: 1 }); // a closing S1
  t += 100;
  segs.push({ startS: t / FS, endS: (t + 300) / FS, state: 0 });
  t += 300;
  const x = new Float32Array(t);
  for (const s of segs) {
    for (let i = Math.round(s.startS * FS); i < Math.round(s.endS * FS); i++) {
      const k = i - Math.round(s.startS * FS);
      x[i] = s.state === 1 ? Math.sin((2 * Math.PI * 50 * k) / FS) : s.state === 3 ? 0.8 * Math.sin((2 * Math.PI * 90 * k) / FS) : 0.05 * rng.normal();
    }
  }
  return { x, segs };
}

const sounds = (x: Float32Array, segs: readonly Segment[], state: 1 | 3): Float32Array[] =>
  segs.filter((s) => s.state === state).map((s) => x.slice(Math.round(s.startS * FS), Math.round(s.endS * FS)));

test('retimeCycles: the mean cycle rate becomes the target, and the labels follow from the new annotation', () => {
  const { x, segs } = recording();
  assert.ok(Math.abs(meanCycleHrBpm(segs) - 80) < 0.5);
  for (const hr of [45, 60, 100, 140]) {
    const r = retimeCycles(x, FS, segs, { hrBpm: hr, seed: 3 });
    assert.ok(Math.abs(r.hrAfterBpm - hr) < 0.5, `${hr} → ${r.hrAfterBpm}`);
    assert.equal(r.samples.length, Math.round(r.segments[r.segments.length - 1]!.endS * FS));
    const wins = annotatedWindows(r.segments, { hopS: 1 });
    assert.ok(wins.length > 0);
    for (const w of wins) assert.ok(Math.abs(w.hrBpm - hr) < 4, `window ${w.hrBpm} vs ${hr}`);
  }
});

test('retimeCycles keeps every S1 and S2 sample and the unannotated stretches as recorded', () => {
  const { x, segs } = recording();
  const r = retimeCycles(x, FS, segs, { hrBpm: 130, seed: 3 });
  for (const state of [1, 3] as const) {
    const a = sounds(x, segs, state);
    const b = sounds(r.samples, r.segments, state);
    assert.equal(b.length, a.length);
    a.forEach((s, i) => assert.deepEqual(b[i], s));
  }
  assert.deepEqual(r.segments.map((s) => s.state), segs.map((s) => s.state));
  assert.deepEqual(r.samples.slice(0, 200), x.slice(0, 200));
  assert.deepEqual(r.samples.slice(-300), x.slice(-300));
});

test('retimeCycles: systole changes a little, diastole takes most of the change (the circor relation)', () => {
  const { x, segs } = recording();
  const len = (ss: readonly Segment[], state: number): number => {
    const d = ss.filter((s) => s.state === state);
    return d.reduce((p, s) => p + s.endS - s.startS, 0) / d.length;
  };
  const fast = retimeCycles(x, FS, segs, { hrBpm: 160 });
  // ΔHR = +80 bpm: systole −1.27·80 ≈ −102 ms; the cycle shortens by 375 ms, diastole by the rest
  assert.ok(Math.abs(len(fast.segments, 2) - (0.2 - 0.1016)) < 0.01, `systole ${len(fast.segments, 2)}`);
  assert.ok(len(segs, 4) - len(fast.segments, 4) > 0.2);
  const slow = retimeCycles(x, FS, segs, { hrBpm: 50 });
  assert.ok(len(slow.segments, 2) > 0.2 && len(slow.segments, 2) < 0.25);
  assert.ok(len(slow.segments, 4) > 0.7);
});

test('retimeCycles is deterministic: same seed → same bytes; the seed moves the repeated chunks', () => {
  const { x, segs } = recording();
  const a = retimeCycles(x, FS, segs, { hrBpm: 50, seed: 9 });
  const b = retimeCycles(x, FS, segs, { hrBpm: 50, seed: 9 });
  const c = retimeCycles(x, FS, segs, { hrBpm: 50, seed: 10 });
  assert.deepEqual(Buffer.from(a.samples.buffer), Buffer.from(b.samples.buffer));
  assert.deepEqual(a.segments, c.segments);
  assert.notDeepEqual(Buffer.from(a.samples.buffer), Buffer.from(c.samples.buffer));
  assert.ok(a.samples.every(Number.isFinite));
});

test('retimeCycles: the crossfaded joints add no clicks (no sample far above the diastolic noise)', () => {
  const { x, segs } = recording();
  for (const hr of [50, 150]) {
    const r = retimeCycles(x, FS, segs, { hrBpm: hr, seed: 2 });
    const noise = r.segments.filter((s) => s.state === 4).flatMap((s) => [...r.samples.slice(Math.round(s.startS * FS), Math.round(s.endS * FS))]);
    const sd = Math.sqrt(noise.reduce((p, v) => p + v * v, 0) / noise.length);
    assert.ok(sd > 0.03 && sd < 0.07, `diastolic SD ${sd}`);
    assert.ok(Math.max(...noise.map(Math.abs)) < 8 * sd);
  }
});

test('retimeCycles rejects a bad target and an annotation without a complete cycle', () => {
  const { x, segs } = recording();
  assert.throws(() => retimeCycles(x, FS, segs, { hrBpm: 0 }), InputError);
  assert.throws(() => retimeCycles(x, FS, segs, { hrBpm: NaN }), InputError);
  assert.throws(() => retimeCycles(x, FS, segs.slice(0, 4), { hrBpm: 80 }), InputError);
});
