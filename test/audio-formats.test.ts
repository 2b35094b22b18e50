/** Audio formats: sniffing from bytes, the wasm decoders, ffmpeg for M4A, stdin, clear errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffAudioFormat, decodeAudio, AudioFormatError, type AudioFormat } from '../src/audio/index.js';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';
import { readWav } from '../src/node/files/wav.js';

const tmp = mkdtempSync(join(tmpdir(), 'hrv-formats-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const WAV = 'fixtures/pcg/68377_PV.wav';
const FILES: Array<[string, AudioFormat]> = [
  ['fixtures/formats/68377_PV.flac', 'flac'],
  ['fixtures/formats/68377_PV.mp3', 'mp3'],
  ['fixtures/formats/68377_PV.ogg', 'ogg-vorbis'],
  ['fixtures/formats/68377_PV.opus', 'ogg-opus'],
  ['fixtures/formats/68377_PV.m4a', 'm4a'],
];
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

const bytes = (text: string, pad = 64): Uint8Array => {
  const b = new Uint8Array(Math.max(pad, text.length));
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
};

test('sniffAudioFormat: the format from the bytes, whatever the file name', () => {
  assert.equal(sniffAudioFormat(readFileSync(WAV)), 'wav');
  for (const [file, format] of FILES) assert.equal(sniffAudioFormat(readFileSync(file)), format, file);
  assert.equal(sniffAudioFormat(bytes('FORM\0\0\0\0AIFF')), 'aiff');
  assert.equal(sniffAudioFormat(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0])), 'webm');
  assert.equal(sniffAudioFormat(Uint8Array.from([0xff, 0xf1, 0x50, 0x80])), 'aac'); // ADTS
  assert.equal(sniffAudioFormat(Uint8Array.from([0xff, 0xfb, 0x90, 0x64])), 'mp3'); // MPEG-1 layer III, no tag
  assert.equal(sniffAudioFormat(bytes('#!AMR\n')), 'amr');
});

test('sniffAudioFormat: one-line errors for empty, non-audio and unsupported Ogg input', () => {
  const cases: Array<[Uint8Array, RegExp]> = [
    [new Uint8Array(0), /empty input/],
    [bytes('hello, this is plain text, not audio'), /not a recognised audio file.*ffmpeg/],
    [bytes('RIFF\0\0\0\0AVI LIST'), /not a WAV file.*AVI/],
    [bytes(`OggS${'\0'.repeat(24)}\x80theora`), /unsupported Ogg file.*unknown codec/],
    [Uint8Array.from([0xff, 0xe8, 0, 0]), /not a recognised audio file/], // reserved MPEG version
  ];
  for (const [b, re] of cases) {
    assert.throws(() => sniffAudioFormat(b), (err: Error) => err instanceof AudioFormatError && re.test(err.message) && !err.message.includes('\n'));
  }
});

test('decodeAudio: FLAC is lossless (≤ 1 LSB scaling); MP3, Vorbis and Opus keep the waveform (correlation > 0.9)', async () => {
  const ref = readWav(WAV).samples;
  const flac = await decodeAudio(readFileSync(FILES[0]![0]));
  assert.equal(flac.format, 'flac');
  assert.equal(flac.sampleRateHz, 4000);
  assert.equal(flac.mono.length, ref.length);
  let maxDiff = 0;
  for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(flac.mono[i]! - ref[i]!));
  assert.ok(maxDiff <= 1 / 32767 + 1e-9, `FLAC differs from the WAV by ${maxDiff}`);
  for (const [file, format, rate] of [
    [FILES[1]![0], 'mp3', 16000],
    [FILES[2]![0], 'ogg-vorbis', 8000],
    [FILES[3]![0], 'ogg-opus', 48000],
  ] as const) {
    const d = await decodeAudio(readFileSync(file));
    assert.equal(d.format, format);
    assert.equal(d.sampleRateHz, rate);
    assert.ok(Math.abs(d.durationS - ref.length / 4000) < 0.1, `${file}: ${d.durationS} s`);
    // best correlation with the 4 kHz reference over small lags (codec delay)
    const step = rate / 4000;
    let best = 0;
    for (let lag = -40; lag <= 40; lag++) {
      let sxy = 0, sxx = 0, syy = 0;
      for (let i = 100; i < ref.length - 100; i++) {
        const y = d.mono[Math.round(i * step) + lag] ?? 0;
        sxy += ref[i]! * y;
        sxx += ref[i]! * ref[i]!;
        syy += y * y;
      }
      best = Math.max(best, sxy / Math.sqrt(sxx * syy));
    }
    assert.ok(best > 0.9, `${file}: correlation ${best.toFixed(3)}`);
  }
});

test('decodeAudio: corrupt and platform formats give one-line AudioFormatErrors', async () => {
  const flac = readFileSync(FILES[0]![0]);
  const cut = flac.subarray(0, 2000); // metadata only
  await assert.rejects(decodeAudio(cut), (err: Error) => err instanceof AudioFormatError && /FLAC/.test(err.message));
  await assert.rejects(decodeAudio(readFileSync(FILES[4]![0])), /M4A\/AAC .*ffmpeg.*decodeAudioData/);
  const garbage = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff);
  garbage.set([0x4f, 0x67, 0x67, 0x53]); // "OggS" and nothing valid
  await assert.rejects(decodeAudio(garbage), AudioFormatError);
});

test('estimateFile: every format gives the WAV heart rate (±1 bpm) and its beats', async () => {
  const ref = await estimateFile(WAV, { method: 'classical' });
  assert.ok(ref.heartRateBpm! > 80 && ref.heartRateBpm! < 100);
  for (const [file, format] of FILES) {
    if (format === 'm4a' && !hasFfmpeg) continue;
    const r = await estimateFile(file, { method: 'classical' });
    assert.equal(r.source.container, format);
    assert.ok(Math.abs(r.heartRateBpm! - ref.heartRateBpm!) < 1, `${file}: ${r.heartRateBpm} vs ${ref.heartRateBpm}`);
    assert.equal(r.analysisRateHz, r.source.sampleRateHz <= 8000 ? r.source.sampleRateHz : 4000);
    assert.ok(Math.abs(r.beatTimesS.length - ref.beatTimesS.length) <= 1, file);
  }
});

test('a file named .wav that holds MP3 is read as MP3 (sniffed, not by extension)', async () => {
  const p = join(tmp, 'really-an-mp3.wav');
  writeFileSync(p, readFileSync(FILES[1]![0]));
  const r = await estimateFile(p);
  assert.equal(r.source.format, 'MP3');
});

test('M4A without ffmpeg: a one-line message naming the format and how to convert', async () => {
  const old = process.env.HRV_AUDIO_FFMPEG;
  process.env.HRV_AUDIO_FFMPEG = join(tmp, 'no-such-ffmpeg');
  try {
    await assert.rejects(estimateFile(FILES[4]![0]), (err: Error) => /M4A\/AAC .*needs ffmpeg.*convert/.test(err.message) && !err.message.includes('\n'));
  } finally {
    if (old === undefined) delete process.env.HRV_AUDIO_FFMPEG;
    else process.env.HRV_AUDIO_FFMPEG = old;
  }
});

test('corrupt compressed files: exit 2 with one line naming the file and format', async () => {
  const cut = join(tmp, 'cut.flac');
  writeFileSync(cut, readFileSync(FILES[0]![0]).subarray(0, 3000));
  await assert.rejects(estimateFile(cut), (err: Error) => err.message.startsWith(`${cut}: corrupt FLAC`));
  const short = join(tmp, 'short.ogg');
  writeFileSync(short, readFileSync(FILES[2]![0]).subarray(0, 3000));
  await assert.rejects(estimateFile(short), /too short|corrupt Ogg Vorbis/);
});

test('stdin (-): WAV, FLAC and Opus bytes piped into the CLI', () => {
  for (const file of [WAV, FILES[0]![0], FILES[3]![0]]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'estimate', '-', '--json'], { input: readFileSync(file), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { heartRateBpm: number; source: { path: string } };
    assert.equal(j.source.path, '-');
    assert.ok(Math.abs(j.heartRateBpm - 90.1) < 1, `${file}: ${j.heartRateBpm}`);
  }
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'estimate', '-'], { input: 'not audio', encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^hrv-audio: stdin: not a recognised audio file/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
