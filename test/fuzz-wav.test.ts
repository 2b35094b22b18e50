/**
 * Fuzz: random and mutated WAV files through readWav / openWav / estimate / estimateFile, and odd
 * arrays through estimate. Nothing may throw a non-Error, return NaN, or hang (each case is
 * bounded by the test timeout). Seeded: the same cases every run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastRng, type Rng } from '../src/signal/rng.js';
import { simulateDataset } from '../src/signal/simulate.js';
import { encodeWav, readWav } from '../src/node/files/wav.js';
import { openWav } from '../src/node/files/wavStream.js';
import { estimate } from '../src/hrv/estimate.js';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-fuzz-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const SEED = 20261124;
const N_MUTANTS = 400;

function assertNoNaN(value: unknown, path = 'result'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const a = value as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) assertNoNaN(a[i], `${path}[${i}]`);
  } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
}

/** A thrown value must be an Error with a non-empty one-line message. */
function assertCleanError(err: unknown, what: string): void {
  assert.ok(err instanceof Error, `${what}: threw a non-Error ${String(err)}`);
  assert.ok(err.message.length > 0 && !err.message.includes('\n'), `${what}: message '${err.message}'`);
  assert.ok(!(err instanceof TypeError) && !/undefined|is not a function|Cannot read/.test(err.message), `${what}: internal error ${err.message}`);
}

const int = (rng: Rng, lo: number, hi: number): number => Math.floor(rng.uniform(lo, hi + 1));

function baseFiles(): Uint8Array[] {
  const [s] = simulateDataset({ n: 1, seed: 3, durationS: 4, sampleRateHz: 1000 });
  const peak = Math.max(...Array.from(s!.samples, Math.abs));
  const x = Float64Array.from(s!.samples, (v) => (0.8 * v) / peak);
  const bytes8 = encodeWav(x, 1000);
  // 8-bit and µ-law variants by patching a pcm16 header (content bytes reinterpreted: still valid WAVs)
  const u8 = bytes8.slice();
  new DataView(u8.buffer).setUint16(34, 8, true);
  new DataView(u8.buffer).setUint16(32, 1, true);
  const mu = u8.slice();
  new DataView(mu.buffer).setUint16(20, 7, true);
  return [bytes8, encodeWav([x, x], 1000, { format: 'float32' }), u8, mu, encodeWav(x.subarray(0, 600), 1000)];
}

function mutate(rng: Rng, base: Uint8Array): Uint8Array {
  const b = base.slice();
  const v = new DataView(b.buffer);
  const kind = int(rng, 0, 7);
  switch (kind) {
    case 0: // truncate
      return b.subarray(0, int(rng, 0, b.length - 1));
    case 1: {
      // flip bytes in the header
      const n = int(rng, 1, 6);
      for (let i = 0; i < n; i++) b[int(rng, 0, Math.min(63, b.length - 1))] ^= 1 << int(rng, 0, 7);
      return b;
    }
    case 2: {
      // random chunk / field sizes
      const at = [4, 16, 40][int(rng, 0, 2)]!;
      const values = [0, 1, 2, 15, 16, 17, 0x7fffffff, 0xffffffff, 0xfffffff0, int(rng, 0, 1 << 20)];
      v.setUint32(at, values[int(rng, 0, values.length - 1)]!, true);
      return b;
    }
    case 3: {
      // random fmt fields: tag, channels, rate, block align, bits
      const field = [20, 22, 24, 32, 34][int(rng, 0, 4)]!;
      if (field === 24) v.setUint32(24, [0, 1, 499, 500, 8001, 44100, 768000, 0xffffffff][int(rng, 0, 7)]!, true);
      else v.setUint16(field, [0, 1, 2, 3, 6, 7, 8, 12, 24, 32, 64, 0xfffe, 0xffff][int(rng, 0, 12)]!, true);
      return b;
    }
    case 4: {
      // random bytes anywhere
      const n = int(rng, 1, 50);
      for (let i = 0; i < n; i++) b[int(rng, 0, b.length - 1)] = int(rng, 0, 255);
      return b;
    }
    case 5: {
      // a bogus chunk inserted before fmt, with a random size
      const chunk = new Uint8Array(8 + int(rng, 0, 9));
      chunk.set([0x6a, 0x75, 0x6e, 0x6b]);
      new DataView(chunk.buffer).setUint32(4, [0, 1, 7, 0xffffffff, int(rng, 0, 100)][int(rng, 0, 4)]!, true);
      const out = new Uint8Array(b.length + chunk.length);
      out.set(b.subarray(0, 12));
      out.set(chunk, 12);
      out.set(b.subarray(12), 12 + chunk.length);
      return out;
    }
    case 6: // pure noise
      return Uint8Array.from({ length: int(rng, 0, 3000) }, () => int(rng, 0, 255));
    default: {
      // valid header, random payload
      for (let i = 44; i < b.length; i++) b[i] = int(rng, 0, 255);
      return b;
    }
  }
}

test('fuzz: mutated WAV bytes through readWav and estimate', { timeout: 60_000 }, async () => {
  const rng = new FastRng(SEED);
  const bases = baseFiles();
  let decoded = 0;
  let estimated = 0;
  for (let k = 0; k < N_MUTANTS; k++) {
    const bytes = mutate(rng, bases[k % bases.length]!);
    let audio;
    try {
      audio = readWav(bytes);
    } catch (err) {
      assertCleanError(err, `readWav case ${k}`);
      continue;
    }
    decoded++;
    assert.ok(audio.samples.length > 0 && audio.sampleRateHz > 0 && audio.channels > 0);
    assertNoNaN(audio.samples, `case ${k} samples`);
    try {
      const r = await estimate(audio.samples, audio.sampleRateHz, { windowS: 2 });
      estimated++;
      assertNoNaN(r, `case ${k}`);
      assert.ok(r.quality.score >= 0 && r.quality.score <= 1);
    } catch (err) {
      assertCleanError(err, `estimate case ${k}`);
    }
  }
  // the mutations must exercise both outcomes
  assert.ok(decoded > 20 && decoded < N_MUTANTS - 20, `decoded ${decoded}`);
  assert.ok(estimated > 5, `estimated ${estimated}`);
});

test('fuzz: mutated WAV files through openWav and estimateFile', { timeout: 60_000 }, async () => {
  const rng = new FastRng(SEED + 1);
  const bases = baseFiles();
  for (let k = 0; k < 60; k++) {
    const path = join(tmp, `m${k}.wav`);
    writeFileSync(path, mutate(rng, bases[k % bases.length]!));
    try {
      const s = openWav(path);
      for (let blk = s.read(1000); blk.length > 0; blk = s.read(1000)) assertNoNaN(blk);
      s.close();
    } catch (err) {
      assertCleanError(err, `openWav case ${k}`);
    }
    try {
      assertNoNaN(await estimateFile(path), `estimateFile case ${k}`);
    } catch (err) {
      assertCleanError(err, `estimateFile case ${k}`);
    }
  }
});

test('fuzz: odd arrays through estimate', { timeout: 60_000 }, async () => {
  const rng = new FastRng(SEED + 2);
  const n = 8000;
  const gens: Array<[string, () => number]> = [
    ['noise', () => rng.normal(0, 1)],
    ['huge', () => rng.normal(0, 1e30)],
    ['tiny', () => rng.normal(0, 1e-300)],
    ['dc', () => 0.5],
    ['square', () => (rng.random() < 0.5 ? 1 : -1)],
    ['sparse impulses', () => (rng.random() < 0.002 ? 1 : 0)],
    ['with NaN', () => (rng.random() < 0.01 ? NaN : rng.normal(0, 1))],
    ['with Infinity', () => (rng.random() < 0.01 ? Infinity : rng.normal(0, 1))],
  ];
  for (const [name, gen] of gens) {
    for (const rate of [1000, 4000, 44100]) {
      const x = Float64Array.from({ length: (n * rate) / 1000 }, gen);
      for (const signal of ['auto', 'pcg', 'pulse'] as const) {
        try {
          const r = await estimate(x, rate, { signal, windowS: 3, hopS: 1 });
          assertNoNaN(r, `${name} @ ${rate} Hz, ${signal}`);
        } catch (err) {
          assertCleanError(err, `${name} @ ${rate} Hz, ${signal}`);
        }
      }
    }
  }
});
