import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefilePkg from 'wavefile';
import { encodeWav, readWav, writeWav } from '../src/node/files/wav.js';
import { openWav } from '../src/node/files/wavStream.js';

const { WaveFile } = wavefilePkg as unknown as { WaveFile: new () => WaveFileLike };
interface WaveFileLike {
  fromScratch(nc: number, rate: number, bitDepth: string, samples: number[] | number[][]): void;
  toBuffer(): Uint8Array;
  toALaw(): void;
  toMuLaw(): void;
  fromALaw(): void;
  fromMuLaw(): void;
  getSamples(interleaved?: boolean, Ctor?: unknown): Float64Array | Float64Array[];
}

/** Deterministic test channel: two sines, amplitude a (full scale 1). */
function channel(n: number, c: number, a: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(a * Math.sin(0.05 * i * (c + 1)) * 0.6 + a * 0.3 * Math.cos(0.013 * i));
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'hrv-wav-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('encodeWav → readWav round trip (pcm16 and float32, mono and stereo)', () => {
  const x = channel(1000, 0, 0.9);
  const y = channel(1000, 1, 0.5);
  const a = readWav(encodeWav(x, 4000));
  assert.equal(a.sampleRateHz, 4000);
  assert.equal(a.channels, 1);
  assert.equal(a.bitDepth, 16);
  assert.equal(a.format, 'PCM 16-bit');
  assert.equal(a.durationS, 0.25);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(a.samples[i]! - (Math.round(x[i]! * 32767) / 32768)) < 1e-7);
  const b = readWav(encodeWav([x, y], 2000, { format: 'float32' }));
  assert.equal(b.channels, 2);
  assert.equal(b.format, 'float 32-bit');
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(b.samples[i]! - (Math.fround(x[i]!) + Math.fround(y[i]!)) / 2) < 1e-7);
});

const INT_MAX: Record<string, number> = { '8': 128, '16': 32768, '24': 8388608, '32': 2147483648 };

for (const bitDepth of ['8', '16', '24', '32', '32f', '64']) {
  for (const nc of [1, 2, 3]) {
    test(`reads wavefile-written ${bitDepth}-bit, ${nc} channel(s), mixed down`, () => {
      const n = 500;
      const chans = Array.from({ length: nc }, (_, c) => channel(n, c, 0.8 - 0.2 * c));
      const isFloat = bitDepth === '32f' || bitDepth === '64';
      const max = INT_MAX[bitDepth] ?? 1;
      const raw = chans.map((ch) =>
        ch.map((v) => (isFloat ? v : bitDepth === '8' ? Math.round(v * 127) + 128 : Math.round(v * (max - 1)))),
      );
      const w = new WaveFile();
      w.fromScratch(nc, 8000, bitDepth, nc === 1 ? raw[0]! : raw);
      const path = join(tmp, `t${bitDepth}_${nc}.wav`);
      writeFileSync(path, w.toBuffer());
      const a = readWav(path);
      assert.equal(a.channels, nc);
      assert.equal(a.sampleRateHz, 8000);
      assert.equal(a.bitDepth, bitDepth === '32f' ? 32 : Number(bitDepth));
      assert.equal(a.encoding, isFloat ? 'float' : 'pcm');
      assert.equal(a.samples.length, n);
      const tol = isFloat ? 1e-6 : 1e-6 + 1 / max;
      for (let i = 0; i < n; i++) {
        let want = 0;
        for (let c = 0; c < nc; c++) want += isFloat ? raw[c]![i]! : bitDepth === '8' ? (raw[c]![i]! - 128) / 128 : raw[c]![i]! / max;
        want /= nc;
        assert.ok(Math.abs(a.samples[i]! - want) <= tol, `sample ${i}: ${a.samples[i]} vs ${want}`);
      }
      // the block-wise reader gives the same samples
      const s = openWav(path);
      const parts: number[] = [];
      for (let blk = s.read(77); blk.length > 0; blk = s.read(77)) parts.push(...blk);
      s.close();
      assert.deepEqual(Float32Array.from(parts), a.samples);
    });
  }
}

for (const law of ['alaw', 'mulaw'] as const) {
  test(`${law} decoding matches wavefile's G.711 decoder`, () => {
    const n = 2000;
    const raw = Array.from({ length: n }, (_, i) => Math.round(32000 * Math.sin(0.01 * i) * Math.exp(-i / 700)));
    const w = new WaveFile();
    w.fromScratch(1, 8000, '16', raw);
    if (law === 'alaw') w.toALaw();
    else w.toMuLaw();
    const bytes = w.toBuffer();
    const a = readWav(bytes);
    assert.equal(a.encoding, law);
    assert.equal(a.bitDepth, 8);
    const ref = new WaveFile() as WaveFileLike & { fromBuffer(b: Uint8Array): void };
    ref.fromBuffer(bytes);
    if (law === 'alaw') ref.fromALaw();
    else ref.fromMuLaw();
    const want = ref.getSamples(false, Float64Array) as Float64Array;
    assert.equal(a.samples.length, n);
    let maxErr = 0;
    for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(a.samples[i]! * 32768 - want[i]!));
    assert.ok(maxErr <= 1, `max difference ${maxErr} LSB`);
    // and is close to the original signal (companding error ≤ ~3 % of full scale at the top segment)
    for (let i = 0; i < n; i++) assert.ok(Math.abs(a.samples[i]! - raw[i]! / 32768) < 0.035);
  });
}

/** Build a WAVE_FORMAT_EXTENSIBLE file by hand: 24-bit PCM or 32-bit float sub-format. */
function extensibleWav(subTag: number, bits: number, validBits: number, channels: number[][], rate: number): Uint8Array {
  const nc = channels.length;
  const frames = channels[0]!.length;
  const bps = bits / 8;
  const dataBytes = frames * nc * bps;
  const b = new Uint8Array(12 + 8 + 40 + 8 + dataBytes);
  const v = new DataView(b.buffer);
  const s4 = (at: number, s: string): void => s.split('').forEach((c, i) => (b[at + i] = c.charCodeAt(0)));
  s4(0, 'RIFF');
  v.setUint32(4, b.length - 8, true);
  s4(8, 'WAVE');
  s4(12, 'fmt ');
  v.setUint32(16, 40, true);
  v.setUint16(20, 0xfffe, true);
  v.setUint16(22, nc, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * nc * bps, true);
  v.setUint16(32, nc * bps, true);
  v.setUint16(34, bits, true);
  v.setUint16(36, 22, true);
  v.setUint16(38, validBits, true);
  v.setUint32(40, 3, true);
  v.setUint16(44, subTag, true);
  b.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  s4(60, 'data');
  v.setUint32(64, dataBytes, true);
  let at = 68;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nc; c++, at += bps) {
      const x = channels[c]![f]!;
      if (subTag === 3) v.setFloat32(at, x, true);
      else {
        const iv = Math.round(x * 8388607);
        b[at] = iv & 0xff;
        b[at + 1] = (iv >> 8) & 0xff;
        b[at + 2] = (iv >> 16) & 0xff;
      }
    }
  }
  return b;
}

test('WAVE_FORMAT_EXTENSIBLE: 24-bit PCM and 32-bit float sub-formats', () => {
  const l = channel(300, 0, 0.7);
  const r = channel(300, 1, 0.3);
  const a = readWav(extensibleWav(1, 24, 24, [l, r], 48000));
  assert.equal(a.format, 'PCM 24-bit (extensible)');
  assert.equal(a.channels, 2);
  for (let i = 0; i < 300; i++) assert.ok(Math.abs(a.samples[i]! - (l[i]! + r[i]!) / 2) < 1e-6);
  const f = readWav(extensibleWav(3, 32, 32, [l], 1000));
  assert.equal(f.format, 'float 32-bit (extensible)');
  for (let i = 0; i < 300; i++) assert.ok(Math.abs(f.samples[i]! - l[i]!) < 1e-6);
});

test('skips unknown chunks (odd size, padded), accepts data size 0xFFFFFFFF', () => {
  const base = encodeWav(channel(100, 0, 0.5), 4000);
  const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
  const withList = new Uint8Array(base.length + list.length);
  withList.set(base.subarray(0, 36));
  withList.set(list, 36);
  withList.set(base.subarray(36), 36 + list.length);
  assert.deepEqual(readWav(withList).samples, readWav(base).samples);
  const streamed = base.slice();
  new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
  assert.deepEqual(readWav(streamed).samples, readWav(base).samples);
});

function expectError(input: string | Uint8Array, re: RegExp): void {
  assert.throws(
    () => readWav(input),
    (err: unknown) => err instanceof Error && re.test(err.message) && !err.message.includes('\n'),
  );
}

test('bad input: one-line errors', () => {
  const good = encodeWav(channel(100, 0, 0.5), 4000);
  expectError(new Uint8Array(0), /empty file/);
  expectError(new TextEncoder().encode('hello, this is not audio at all, just text'), /not a WAV file/);
  expectError(good.subarray(0, 8), /not a WAV file/);
  expectError(good.subarray(0, 100), /truncated WAV: the data chunk declares 200 bytes but only 56/);
  expectError(good.subarray(0, 30), /truncated or corrupt WAV/);
  const adpcm = good.slice();
  new DataView(adpcm.buffer).setUint16(20, 2, true);
  expectError(adpcm, /unsupported WAV encoding: format tag 0x0002 \(Microsoft ADPCM\)/);
  const zeroCh = good.slice();
  new DataView(zeroCh.buffer).setUint16(22, 0, true);
  expectError(zeroCh, /0 channels/);
  const odd = good.slice();
  new DataView(odd.buffer).setUint16(34, 12, true); // 12-bit in 16-bit container is fine…
  assert.equal(readWav(odd).bitDepth, 12);
  new DataView(odd.buffer).setUint16(34, 20, true); // …20 bits in 2 bytes is not
  expectError(odd, /unsupported or corrupt WAV format/);
  const empty = encodeWav([], 4000);
  expectError(empty, /no audio samples/);
  const nanFloat = encodeWav([0.1, NaN, 0.2], 4000, { format: 'float32' });
  expectError(nanFloat, /NaN or infinity/);
  const rf64 = good.slice();
  rf64.set([0x52, 0x46, 0x36, 0x34], 0);
  expectError(rf64, /RF64/);
  expectError(join(tmp, 'does-not-exist.wav'), /no such file/);
  mkdirSync(join(tmp, 'adir'), { recursive: true });
  expectError(join(tmp, 'adir'), /directory/);
});

test('writeWav writes a file readWav reads back', () => {
  const path = join(tmp, 'out', 'w.wav');
  writeWav(path, channel(4000, 0, 0.4), 4000, { format: 'float32' });
  const a = readWav(path);
  assert.equal(a.samples.length, 4000);
  assert.equal(a.durationS, 1);
});
