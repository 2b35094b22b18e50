import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PCG_PARAM_DEFAULTS,
  cycleSegments,
  formatStatesTsv,
  maskNoisyEdges,
  resolvePcgOptions,
  rrSummary,
  simulatePcg,
  statesPerSample,
  systoleS,
  type PcgSimOptions,
} from '../src/signal/pcg/index.js';
import { applyBiquad, biquad } from '../src/signal/pcg/filters.js';
import { PROFILE_BAND_EDGES_HZ, PROFILE_CHOLESKY, PROFILE_MEAN, drawRecordingProfile, shapeSpectrum } from '../src/signal/pcg/index.js';
import { FastRng } from '../src/signal/rng.js';
import { parseSegmentation } from '../src/io/annotations.js';
import { estimate } from '../src/hrv/estimate.js';
import { referenceFromSegments, scoreBeats } from '../src/hrv/validate/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A clean setting: loud heart sounds, little noise, no friction, no noisy lead-in/tail. */
const CLEAN: PcgSimOptions['params'] = { snrDb: 30, breathNoiseDb: -40, frictionPerS: 0, edgeNoiseScale: 0 };

test('pcg: same seed gives the same bytes, another seed differs', () => {
  const a = simulatePcg({ seed: 7, durationS: 6 });
  const b = simulatePcg({ seed: 7, durationS: 6 });
  const c = simulatePcg({ seed: 8, durationS: 6 });
  assert.deepEqual(Buffer.from(a.samples.buffer), Buffer.from(b.samples.buffer));
  assert.deepEqual(a.truth, b.truth);
  assert.notDeepEqual(Buffer.from(a.samples.buffer), Buffer.from(c.samples.buffer));
  assert.equal(a.samples.length, 24000);
  assert.ok(a.samples.every((x) => Number.isFinite(x) && Math.abs(x) <= 1));
});

test('pcg: a different noise level keeps the same beats (independent streams)', () => {
  const a = simulatePcg({ seed: 3, durationS: 8, params: { snrDb: 5 } });
  const b = simulatePcg({ seed: 3, durationS: 8, params: { snrDb: 25 } });
  assert.deepEqual(a.truth.beatTimesS, b.truth.beatTimesS);
  assert.notDeepEqual(Buffer.from(a.samples.buffer), Buffer.from(b.samples.buffer));
});

test('pcg: truth is consistent (segments, beat times, RR, HRV, per-sample states, .tsv)', () => {
  for (const seed of [1, 2, 3]) {
    const { truth, samples, sampleRateHz } = simulatePcg({ seed, durationS: 15 });
    const seg = truth.segments;
    assert.equal(seg[0]!.startS, 0);
    assert.ok(Math.abs(seg[seg.length - 1]!.endS - 15) < 1e-9);
    for (let i = 1; i < seg.length; i++) assert.ok(Math.abs(seg[i]!.startS - seg[i - 1]!.endS) < 1e-12, 'contiguous');
    for (const s of seg) assert.ok(s.endS > s.startS, 'positive length');
    const labelled = seg.filter((s) => s.state !== 0).map((s) => s.state);
    for (let i = 0; i < labelled.length; i++) assert.equal(labelled[i], (i % 4) + 1, 'S1, systole, S2, diastole');
    // every annotated S1 onset is a truth beat; RR are the beat differences
    const s1 = seg.filter((s) => s.state === 1).map((s) => s.startS);
    for (const t of s1) assert.ok(truth.beatTimesS.includes(t));
    truth.rrS.forEach((rr, i) => assert.ok(Math.abs(rr - (truth.beatTimesS[i + 1]! - truth.beatTimesS[i]!)) < 1e-12));
    const ref = referenceFromSegments(parseSegmentation(formatStatesTsv(seg)));
    assert.equal(ref.intervals.rrS.length, s1.length - 1);
    const sum = rrSummary(truth.rrS);
    assert.equal(truth.sdnnMs, sum.sdnnMs);
    assert.ok(Math.abs(truth.hrBpm! - 60 / (truth.rrS.reduce((a, b) => a + b, 0) / truth.rrS.length)) < 1e-9);
    // A2 lies inside the annotated systole → S2 boundary
    const s2 = seg.filter((s) => s.state === 3).map((s) => s.startS);
    for (const t of s2) assert.ok(truth.s2TimesS.includes(t));
    const states = statesPerSample(seg, samples.length, sampleRateHz);
    const i = Math.ceil(s1[1]! * sampleRateHz) + 1;
    assert.equal(states[i], 1);
    assert.equal(states[0], seg[0]!.state);
  }
});

test('pcg: cycleSegments leaves incomplete cycles unannotated', () => {
  const seg = cycleSegments(
    [
      { s1OnsetS: -0.5, s1EndS: -0.4, s2OnsetS: -0.2, s2EndS: -0.1, nextS1OnsetS: 0.3 },
      { s1OnsetS: 0.3, s1EndS: 0.4, s2OnsetS: 0.6, s2EndS: 0.7, nextS1OnsetS: 1.1 },
      { s1OnsetS: 1.1, s1EndS: 1.2, s2OnsetS: 1.4, s2EndS: 1.5, nextS1OnsetS: 1.9 },
    ],
    1.5,
  );
  assert.deepEqual(seg.map((s) => s.state), [0, 1, 2, 3, 4, 0]);
  assert.equal(formatStatesTsv(seg).split('\n')[1], '0.3\t0.4\t1');
});

test('pcg: systole shortens little with HR, diastole takes the change, about equal at 150+ bpm', () => {
  for (const relation of ['circor', 'weissler'] as const) {
    const sys60 = systoleS(relation, 60);
    const sys150 = systoleS(relation, 150);
    const dia60 = 1 - sys60;
    const dia150 = 0.4 - sys150;
    assert.ok(sys60 - sys150 < (dia60 - dia150) / 2, `${relation}: diastole takes most of the change`);
    assert.ok(sys150 / dia150 > 0.7 && sys150 / dia150 < 1.3, `${relation}: about equal at 150 bpm (${sys150} vs ${dia150})`);
  }
  // the simulator follows the relation: mean S1→A2 at a fixed HR with no offset or jitter
  for (const hr of [70, 120, 160]) {
    const { truth } = simulatePcg({ seed: 5, durationS: 20, params: { hrBpm: hr, rrCv: 0, systoleOffsetS: 0, systoleJitterS: 0 } });
    const sys = truth.beatTimesS.flatMap((t, i) => (truth.s2TimesS[i] === null ? [] : [truth.s2TimesS[i]! - t]));
    const mean = sys.reduce((a, b) => a + b, 0) / sys.length;
    assert.ok(Math.abs(mean - systoleS('circor', hr)) < 1e-6, `HR ${hr}: ${mean}`);
    assert.ok(Math.abs(truth.hrBpm! - hr) < 0.01, `HR ${hr} → ${truth.hrBpm}`);
  }
});

test('pcg: RSA and LF give the requested variability; AF is irregular; ectopics are premature', () => {
  const sinus = simulatePcg({ seed: 11, durationS: 120, params: { hrBpm: 75, rrCv: 0.04, lfShare: 0.5 } });
  const sdRel = sinus.truth.sdnnMs! / sinus.truth.meanRrMs!;
  assert.ok(sdRel > 0.025 && sdRel < 0.06, `SDNN/meanRR ${sdRel}`);
  const flat = simulatePcg({ seed: 11, durationS: 60, params: { hrBpm: 75, rrCv: 0 } });
  assert.ok(flat.truth.sdnnMs! < 0.01, `no variability → SDNN ${flat.truth.sdnnMs}`);
  const af = simulatePcg({ seed: 11, durationS: 60, rhythm: 'af', params: { hrBpm: 90, afRrCv: 0.2 } });
  assert.ok(af.truth.rmssdMs! / af.truth.meanRrMs! > 0.15, 'AF: large successive differences');
  const ect = simulatePcg({ seed: 11, durationS: 60, params: { hrBpm: 70, rrCv: 0.01, ectopicProbability: 0.15 } });
  const idx = ect.truth.ectopic.map((e, i) => (e ? i : -1)).filter((i) => i > 0 && i + 1 < ect.truth.beatTimesS.length);
  assert.ok(idx.length >= 3, `ectopic beats: ${idx.length}`);
  for (const i of idx) {
    const before = ect.truth.beatTimesS[i]! - ect.truth.beatTimesS[i - 1]!;
    const after = ect.truth.beatTimesS[i + 1]! - ect.truth.beatTimesS[i]!;
    assert.ok(before < after, 'premature beat then compensatory pause');
  }
});

test('pcg: the classical detector finds the simulated beats at a clean setting, at several rates', async () => {
  for (const [seed, fs] of [
    [1, 4000],
    [2, 2000],
    [3, 1000],
  ] as const) {
    const sim = simulatePcg({ seed, durationS: 20, sampleRateHz: fs, params: { ...CLEAN, hrBpm: [65, 110] } });
    const est = await estimate(sim.samples, fs, { signal: 'pcg', method: 'classical' });
    const ref = referenceFromSegments(sim.truth.segments);
    const m = scoreBeats(ref, est.beatTimesS, 0.05).score;
    assert.ok(m.sensitivity! >= 0.95 && m.ppv! >= 0.95, `fs ${fs}: sensitivity ${m.sensitivity}, ppv ${m.ppv}`);
    assert.ok(Math.abs(est.heartRateBpm! - sim.truth.hrBpm!) < 1.5, `fs ${fs}: HR ${est.heartRateBpm} vs ${sim.truth.hrBpm}`);
  }
});

test('pcg: invalid options are one-line RangeErrors', () => {
  const bad: Array<[PcgSimOptions, RegExp]> = [
    [{ params: { foo: 1 } as never }, /unknown simulator parameter 'foo'/],
    [{ params: { hrBpm: [120, 60] } }, /hrBpm: low \(120\) must not exceed high \(60\)/],
    [{ params: { hrBpm: [10, 60] } }, /hrBpm must lie within \[20, 250\]/],
    [{ params: { snrDb: [1, Number.NaN] } }, /snrDb must be a number or a \[low, high\] pair/],
    [{ rhythm: 'flutter' as never }, /rhythm must be one of sinus, af; got 'flutter'/],
    [{ murmur: 'loud' as never }, /murmur must be one of none, ejection, holosystolic, diastolic/],
    [{ sampleRateHz: 100 }, /sampleRateHz must be a number in \[200, 384000\]/],
    [{ durationS: 0 }, /durationS must be in \(0, 3600\]/],
    [{ seed: -1 }, /seed must be an integer/],
  ];
  for (const [opts, re] of bad) {
    assert.throws(() => simulatePcg(opts), (err: unknown) => err instanceof RangeError && re.test(err.message) && !err.message.includes('\n'));
  }
  assert.deepEqual(resolvePcgOptions({ params: { snrDb: 12 } }).ranges.snrDb, [12, 12]);
  assert.deepEqual(resolvePcgOptions().ranges.hrBpm, PCG_PARAM_DEFAULTS.hrBpm);
});

test('pcg: murmurs, S3/S4 and friction add energy where expected', () => {
  const base = { seed: 4, durationS: 10, params: { ...CLEAN, peakLevel: 0.5 } };
  const plain = simulatePcg(base);
  const holo = simulatePcg({ ...base, murmur: 'holosystolic', params: { ...base.params, murmurRatio: 0.5 } });
  const sysEnergy = (s: ReturnType<typeof simulatePcg>): number => {
    let e = 0;
    let n = 0;
    for (const seg of s.truth.segments.filter((x) => x.state === 2)) {
      for (let i = Math.ceil(seg.startS * 4000); i < seg.endS * 4000; i++) (e += s.samples[i]! ** 2), n++;
    }
    let all = 0;
    for (const x of s.samples) all += x * x;
    return e / n / (all / s.samples.length);
  };
  assert.ok(sysEnergy(holo) > 2 * sysEnergy(plain), `systolic energy share ${sysEnergy(holo)} vs ${sysEnergy(plain)}`);
});

test('pcg filters: biquads match scipy.signal.butter(2, …)', () => {
  const lp = biquad('lowpass', 200, 4000);
  // scipy.signal.butter(2, 200, fs=4000): b = [0.02008337, 0.04016673, 0.02008337], a = [1, -1.56101808, 0.64135154]
  assert.ok(Math.abs(lp.b0 - 0.02008337) < 1e-7 && Math.abs(lp.a1 + 1.56101808) < 1e-7 && Math.abs(lp.a2 - 0.64135154) < 1e-7);
  const hp = biquad('highpass', 25, 4000);
  // scipy.signal.butter(2, 25, fs=4000, btype='high'): b0 0.9726139, a1 −1.94447766, a2 0.94597794
  assert.ok(Math.abs(hp.b0 - 0.9726139) < 1e-7 && Math.abs(hp.a1 + 1.94447766) < 1e-7 && Math.abs(hp.a2 - 0.94597794) < 1e-7);
  const x = new Float64Array(4000).fill(1);
  applyBiquad(x, lp);
  assert.ok(Math.abs(x[3999]! - 1) < 1e-9, 'unit DC gain');
});

test('cli: simulate --model pcg writes .wav + .tsv + .json; wrong options exit 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcg-cli-'));
  try {
    const main = join(ROOT, 'src', 'cli', 'main.ts');
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: ROOT, encoding: 'utf8' });
    const r = run(['simulate', '--model', 'pcg', '--n', '2', '--seed', '5', '--duration', '4', '--sample-rate', '1000', '--murmur', 'diastolic', '--profile', 'parametric', '--out', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['pcg-0000.json', 'pcg-0000.tsv', 'pcg-0000.wav', 'pcg-0001.json', 'pcg-0001.tsv', 'pcg-0001.wav']);
    const truth = JSON.parse(readFileSync(join(dir, 'pcg-0000.json'), 'utf8')) as { sampleRateHz: number; nSamples: number; beatTimesS: number[]; options: { seed: number; murmur: string } };
    assert.equal(truth.sampleRateHz, 1000);
    assert.equal(truth.nSamples, 4000);
    assert.equal(truth.options.seed, 5);
    assert.equal(truth.options.murmur, 'diastolic');
    assert.equal((truth.options as { profile?: string }).profile, 'parametric');
    assert.equal(readFileSync(join(dir, 'pcg-0000.wav')).length, 44 + 8000);
    parseSegmentation(readFileSync(join(dir, 'pcg-0001.tsv'), 'utf8'));
    for (const args of [
      ['--pulse-min', '0.1'],
      ['--params', '{"snrDb":[30,10]}'],
      ['--params', 'nope'],
      ['--rhythm', 'flutter'],
      ['--profile', 'studio'],
      ['--sample-rate', '1000.5'],
    ]) {
      const b = run(['simulate', '--model', 'pcg', '--n', '1', '--out', dir, ...args]);
      assert.equal(b.status, 2, args.join(' '));
      assert.equal(b.stderr.trim().split('\n').length, 1, b.stderr);
    }
    const s = run(['simulate', '--n', '1', '--out', join(dir, 'seed'), '--murmur', 'ejection']);
    assert.equal(s.status, 2);
    assert.match(s.stderr, /--murmur does not apply to --model seed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Power per band of `edges` (sum of |X|² of the zero-padded DFT, via Goertzel-free direct DFT on a coarse grid). */
function bandPowers(x: Float64Array, fs: number, edges: readonly number[]): number[] {
  // direct DFT at 2 Hz steps (x is short): power density samples, summed per band
  const out = new Array<number>(edges.length - 1).fill(0);
  for (let f = 1; f < fs / 2; f += 2) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * f) / fs;
    for (let i = 0; i < x.length; i++) (re += x[i]! * Math.cos(w * i)), (im -= x[i]! * Math.sin(w * i));
    for (let b = 0; b + 1 < edges.length; b++) if (f >= edges[b]! && f < edges[b + 1]!) out[b]! += re * re + im * im;
  }
  return out;
}

test('pcg profile: shapeSpectrum gives white noise the target band spectrum and keeps its RMS', () => {
  const fs = 4000;
  const x = new Float64Array(4000);
  new FastRng(3).fillNormal(x);
  const edges = [0, 50, 100, 200, 400, 800, 2000];
  const target = [-1, 0, -0.5, -2, -3.5, -6]; // log densities
  const before = Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  shapeSpectrum(x, fs, edges, target);
  const after = Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  assert.ok(Math.abs(after / before - 1) < 1e-9, 'RMS kept');
  const p = bandPowers(x, fs, edges);
  const dens = p.map((v, b) => Math.log(v / (edges[b + 1]! - edges[b]!)));
  // relative log densities (differences to band 1) within 0.35 nepers (≈ 1.5 dB) of the target
  for (let b = 0; b < target.length; b++) {
    const got = dens[b]! - dens[1]!;
    const want = target[b]! - target[1]!;
    assert.ok(Math.abs(got - want) < 0.35, `band ${edges[b]}–${edges[b + 1]} Hz: ${got.toFixed(2)} vs ${want}`);
  }
});

test('pcg profile: draws follow the fitted mean; circor and parametric share the beats; knobs work', () => {
  // the mean of many draws approaches PROFILE_MEAN (the Cholesky factor is applied correctly)
  const rng = new FastRng(11);
  const nb = PROFILE_BAND_EDGES_HZ.length - 1;
  let snr = 0;
  let noise0 = 0;
  const N = 4000;
  for (let i = 0; i < N; i++) {
    const pr = drawRecordingProfile(() => rng.normal());
    snr += pr.snrDb / N;
    noise0 += pr.noiseLogDensity[0]! / N;
    assert.equal(pr.heartLogDensity.length, nb);
    assert.ok(pr.leadS >= 0 && pr.trailS >= 0);
  }
  const sd = (i: number): number => Math.sqrt(PROFILE_CHOLESKY[i]!.reduce((a, v) => a + v * v, 0));
  assert.ok(Math.abs(snr - PROFILE_MEAN[2 * nb]!) < 4 * (sd(2 * nb) / Math.sqrt(N)), `snr mean ${snr}`);
  assert.ok(Math.abs(noise0 - PROFILE_MEAN[0]!) < 4 * (sd(0) / Math.sqrt(N)), `noise mean ${noise0}`);
  const a = simulatePcg({ seed: 9, durationS: 12 });
  const b = simulatePcg({ seed: 9, durationS: 12, profile: 'parametric' });
  assert.equal(a.truth.options.profile, 'circor');
  assert.deepEqual(a.truth.beatTimesS, b.truth.beatTimesS);
  assert.notDeepEqual(Buffer.from(a.samples.buffer), Buffer.from(b.samples.buffer));
  // an explicit snrDb replaces the profile's: more SNR, quieter diastole relative to S1/S2
  const ratio = (s: ReturnType<typeof simulatePcg>): number => {
    const pw = (state: number): number => {
      let e = 0;
      let n = 0;
      for (const g of s.truth.segments.filter((x) => x.state === state)) {
        for (let i = Math.ceil(g.startS * 4000); i < g.endS * 4000; i++) (e += s.samples[i]! ** 2), n++;
      }
      return e / n;
    };
    return pw(4) / pw(1);
  };
  const lo = simulatePcg({ seed: 9, durationS: 12, params: { snrDb: 0, edgeNoiseScale: 0 } });
  const hi = simulatePcg({ seed: 9, durationS: 12, params: { snrDb: 30, edgeNoiseScale: 0 } });
  assert.ok(ratio(hi) < 0.2 * ratio(lo), `diastole/S1 power ${ratio(hi)} vs ${ratio(lo)}`);
  // the noisy lead-in: the first seconds are louder than the middle, unless edgeNoiseScale is 0
  const rmsOf = (x: Float32Array, a: number, b: number): number => Math.sqrt(x.subarray(a, b).reduce((p, v) => p + v * v, 0) / (b - a));
  let found = false;
  for (let seed = 1; seed <= 40 && !found; seed++) {
    const on = simulatePcg({ seed, durationS: 20, params: { snrDb: 20 } });
    if (on.truth.params.edgeNoiseScale !== 1) continue;
    const off = simulatePcg({ seed, durationS: 20, params: { snrDb: 20, edgeNoiseScale: 0 } });
    const lead = (s: typeof on): number => rmsOf(s.samples, 0, 4000) / rmsOf(s.samples, 36000, 44000);
    if (lead(on) > 2) {
      found = true;
      assert.ok(lead(off) < 1.5, `no lead-in without edge noise: ${lead(off)}`);
      assert.deepEqual(off.truth.noisyEdgesS, [0, 0]);
      const [leadS, trailS] = on.truth.noisyEdgesS;
      assert.ok(leadS > 0.5, `lead-in ${leadS} s`);
      // scored like CirCor: no labelled cycle inside the noisy edges, segments still contiguous
      const masked = maskNoisyEdges(on.truth, 20);
      for (let i = 1; i < masked.length; i++) assert.ok(Math.abs(masked[i]!.startS - masked[i - 1]!.endS) < 1e-12);
      for (const g of masked.filter((x) => x.state !== 0)) assert.ok(g.startS >= leadS && g.endS <= 20 - trailS + 1e-9);
      assert.ok(masked.some((x) => x.state === 1), 'the middle stays labelled');
    }
  }
  assert.ok(found, 'some seed has a loud lead-in');
});
