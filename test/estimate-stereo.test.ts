/** Issue 11 §6: a stereo file whose channels cancel on mix-down (L = −R) is analysed from one channel. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '../src/signal/simulate.js';
import { readWav, readWavChannel, writeWav } from '../src/node/files/wav.js';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';

const root = mkdtempSync(join(tmpdir(), 'hrv-stereo-'));
after(() => rmSync(root, { recursive: true, force: true }));

const [sig] = simulateDataset({ n: 1, seed: 11, durationS: 16 });
const peak = Math.max(...Array.from(sig!.samples, Math.abs));
const left = Float64Array.from(sig!.samples, (v) => (0.8 * v) / peak);
const right = Float64Array.from(left, (v) => -v);

test('readWavChannel reads one channel; readWav averages them', () => {
  const p = join(root, 'lr.wav');
  writeWav(p, [left, right], 1000);
  assert.ok(readWav(p).samples.every((v) => Math.abs(v) < 1e-4));
  const l = readWavChannel(p, 0).samples;
  const r = readWavChannel(p, 1).samples;
  assert.ok(Math.abs(l[100]! + r[100]!) < 1e-4 && Math.abs(l[100]! - left[100]!) < 1e-4);
  assert.throws(() => readWavChannel(p, 2), RangeError);
});

test('channels that cancel (L = −R): the HR is found from one channel, and a note says so', async () => {
  const p = join(root, 'cancel.wav');
  writeWav(p, [left, right], 1000);
  const r = await estimateFile(p);
  assert.equal(r.details?.['analysedChannel'], 0);
  assert.match(r.quality.reasons[0]!, /channels cancel on mix-down.*channel 1 of 2 analysed alone/);
  assert.ok(r.heartRateBpm !== null && Math.abs(r.heartRateBpm - sig!.hrBpm) < 2, `HR ${r.heartRateBpm}, truth ${sig!.hrBpm}`);
  // the signal only in the right channel, left silent and inverted copy: the stronger channel wins
  const q = join(root, 'right-only.wav');
  writeWav(q, [Float64Array.from(right, (v) => -v * 0.999), right], 1000);
  const r2 = await estimateFile(q);
  assert.ok(r2.heartRateBpm !== null && Math.abs(r2.heartRateBpm - sig!.hrBpm) < 2);
});

test('ordinary stereo (channels add) is mixed down as before, with no note', async () => {
  const p = join(root, 'same.wav');
  writeWav(p, [left, left], 1000);
  const r = await estimateFile(p);
  assert.equal(r.details?.['analysedChannel'], undefined);
  assert.ok(!r.quality.reasons.some((s) => /cancel/.test(s)));
  assert.ok(r.heartRateBpm !== null && Math.abs(r.heartRateBpm - sig!.hrBpm) < 2);
});

test('FLAC whose channels cancel (fixture, L = −R): decoded again from one channel; stdin gets a reason that tells the truth', async () => {
  const flac = 'fixtures/formats/68377_PV-cancel.flac';
  const mono = await estimateFile('fixtures/pcg/68377_PV.wav');
  const r = await estimateFile(flac);
  assert.equal(r.details?.['analysedChannel'], 0);
  assert.match(r.quality.reasons[0]!, /channels cancel on mix-down.*channel 1 of 2 analysed alone/);
  assert.ok(r.trusted && r.heartRateBpm !== null && mono.heartRateBpm !== null);
  assert.ok(Math.abs(r.heartRateBpm - mono.heartRateBpm) < 0.5, `FLAC one channel ${r.heartRateBpm} vs WAV ${mono.heartRateBpm}`);
  // the same file as an ordinary stereo FLAC (not cancelling) is not re-read
  const plain = await estimateFile('fixtures/formats/68377_PV.flac');
  assert.equal(plain.details?.['analysedChannel'], undefined);
  assert.ok(!plain.quality.reasons.some((s) => /cancel/.test(s)));
});
