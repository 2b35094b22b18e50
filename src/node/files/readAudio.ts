/**
 * `readAudioForAnalysis(input)`: any supported audio file, or `-` for standard input, to mono
 * samples at the analysis rate (Node). Bounded memory for every format: WAV files are read
 * block-wise from the file descriptor; FLAC, MP3 and Ogg Vorbis/Opus are streamed through the
 * wasm decoders in 1 MiB byte chunks; M4A/AAC (and AIFF, WebM, CAF, AMR) are streamed through an
 * `ffmpeg` child process when one is on PATH. Each decoded block is mixed down and resampled
 * (`createResampler`) straight into the analysis-rate signal, so peak memory is that signal (an
 * hour at 4000 Hz: 58 MB) plus one block, whatever the file's own rate or format.
 */
import { concatTyped } from '../../core/concat.js';
import { sumSquares } from '../../core/stats.js';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { analysisRateFor, createResampler, type StreamResampler } from '../../dsp/resample.js';
import { checkDuration } from '../../hrv/estimate.js';
import { openWav, WAV_STREAM_BLOCK_FRAMES } from './wavStream.js';
import { parseWavLayout, decodeFramesToMono, formatName, WavFormatError, type WavLayout } from '../../audio/wav.js';
import { AUDIO_FORMAT_NAMES, AudioFormatError, CONVERT_HINT, type AudioFormat } from '../../audio/formats.js';
import { SNIFF_BYTES, sniffAudioFormat } from '../../audio/sniff.js';
import { createAudioDecoder, mixToMono } from '../../audio/decode.js';

/** Description of the input an estimate came from. */
export interface SourceInfo {
  /** The path as given (`-` for standard input). */
  path: string;
  /** e.g. "PCM 16-bit", "FLAC", "MP3", "M4A/AAC (MP4) via ffmpeg" */
  format: string;
  /** The sniffed container/codec. */
  container?: AudioFormat;
  channels: number;
  /** Bits per sample (WAV and FLAC; 0 for lossy formats). */
  bitDepth: number;
  sampleRateHz: number;
  frames: number;
}

/** A recording at its analysis rate. */
export interface AnalysisAudio {
  samples: Float32Array;
  analysisRateHz: number;
  source: SourceInfo;
  durationS: number;
  /**
   * RMS of each decoded channel and of their mix-down (full scale 1), where the reader sees the
   * channels (the wasm decoders: FLAC, MP3, Ogg); absent otherwise. Used to notice channels that
   * cancel on mix-down (issue 11 §6).
   */
  channelLevels?: { channelRms: number[]; mixRms: number };
}

/** Options of {@link readAudioForAnalysis}. */
export interface ReadAudioOptions {
  /** Analyse this channel (0-based) alone instead of the mix-down (the wasm-decoded formats only). */
  channel?: number;
}

/** Bytes per read from a compressed file or a pipe. */
export const AUDIO_READ_CHUNK_BYTES = 1 << 20;

/** The name `-` means standard input. */
export const STDIN_NAME = '-';

/** Mixes blocks down and resamples them to the analysis rate, collecting the result. */
class AnalysisCollector {
  readonly analysisRateHz: number;
  private readonly resampler: StreamResampler | null;
  private readonly parts: Float32Array[] = [];
  frames = 0;
  constructor(readonly sampleRateHz: number) {
    this.analysisRateHz = analysisRateFor(sampleRateHz);
    this.resampler = this.analysisRateHz === sampleRateHz ? null : createResampler(sampleRateHz, this.analysisRateHz);
  }
  push(mono: Float32Array): void {
    this.frames += mono.length;
    const y = this.resampler ? this.resampler.push(mono) : mono;
    if (y.length > 0) this.parts.push(this.resampler ? y : y.slice());
  }
  finish(): Float32Array {
    if (this.resampler) this.parts.push(this.resampler.flush());
    const expected = Math.round((this.frames * this.analysisRateHz) / this.sampleRateHz);
    let n = 0;
    for (const p of this.parts) n += p.length;
    const out = new Float32Array(Math.min(n, expected));
    let at = 0;
    for (const p of this.parts) {
      const k = Math.min(p.length, out.length - at);
      out.set(k === p.length ? p : p.subarray(0, k), at);
      at += k;
    }
    this.parts.length = 0;
    return out;
  }
}

/** Bytes of a file or of standard input, in chunks. */
function byteChunks(input: string): AsyncIterable<Uint8Array> {
  if (input === STDIN_NAME) return process.stdin as AsyncIterable<Uint8Array>;
  return createReadStream(input, { highWaterMark: AUDIO_READ_CHUNK_BYTES }) as AsyncIterable<Uint8Array>;
}

/** The first bytes of a file (for sniffing); file-system errors as one-line messages. */
function fileHead(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AudioFormatError(code === 'ENOENT' ? `no such file: ${path}` : `cannot open ${path}: ${(err as Error).message}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new AudioFormatError(`${path} is a directory, not an audio file`);
    const buf = new Uint8Array(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Prefix a one-line input error with the input's name (unless it already names it). */
function named(input: string, err: unknown): never {
  if (err instanceof WavFormatError || err instanceof AudioFormatError) {
    const where = input === STDIN_NAME ? 'stdin' : input;
    if (err.message.includes(where)) throw err;
    throw new AudioFormatError(`${where}: ${err.message}`);
  }
  throw err;
}

/**
 * Read an audio file (any supported format, sniffed from its bytes) or standard input (`-`) to
 * mono samples at the analysis rate.
 * @throws AudioFormatError (one line, names the input and the format) for missing, unknown,
 *   corrupt or unsupported input; RangeError for a too-low rate or a too-short recording
 */
export async function readAudioForAnalysis(input: string, options: ReadAudioOptions = {}): Promise<AnalysisAudio> {
  try {
    if (input === STDIN_NAME) return await readStream(input);
    const format = sniffAudioFormat(fileHead(input));
    if (format === 'wav') return readWavFile(input);
    if (format === 'flac' || format === 'mp3' || format === 'ogg-vorbis' || format === 'ogg-opus') return await readStream(input, format, options.channel);
    return await decodeWithFfmpeg(input, format, null); // ffmpeg reads (and seeks in) the file itself
  } catch (err) {
    named(input, err);
  }
}

/** A WAV file, block-wise from the file descriptor. */
function readWavFile(path: string): AnalysisAudio {
  const wav = openWav(path);
  try {
    const { layout } = wav;
    checkDuration(layout.durationS);
    const collector = new AnalysisCollector(layout.sampleRateHz);
    for (;;) {
      const block = wav.read(WAV_STREAM_BLOCK_FRAMES, true);
      if (block.length === 0) break;
      collector.push(block);
    }
    return wavAnalysis(path, wav.format, layout, collector);
  } finally {
    wav.close();
  }
}

/** Any input read as a stream of bytes (files of compressed formats; stdin of every format). */
async function readStream(input: string, knownFormat?: AudioFormat, channel?: number): Promise<AnalysisAudio> {
  const iterator = byteChunks(input)[Symbol.asyncIterator]();
  // gather enough bytes to sniff
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const r = await iterator.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = concatBytes(head);
  const format = knownFormat ?? sniffAudioFormat(first);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    if (ended) return;
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (format === 'wav') return wavFromBytes(input, concatBytes(await collect(rest())));
  if (format === 'flac' || format === 'mp3' || format === 'ogg-vorbis' || format === 'ogg-opus') return decodeNative(input, format, rest(), channel);
  return decodeWithFfmpeg(input, format, rest());
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return concatTyped(parts, (n) => new Uint8Array(n));
}

/** WAV bytes from a pipe (a pipe cannot seek, so the file is held once). */
function wavFromBytes(input: string, bytes: Uint8Array): AnalysisAudio {
  const layout = parseWavLayout((o, l) => bytes.subarray(o, Math.min(o + l, bytes.length)), bytes.length);
  checkDuration(layout.durationS);
  const collector = new AnalysisCollector(layout.sampleRateHz);
  const block = new Float32Array(WAV_STREAM_BLOCK_FRAMES);
  for (let f = 0; f < layout.frames; f += WAV_STREAM_BLOCK_FRAMES) {
    const nf = Math.min(WAV_STREAM_BLOCK_FRAMES, layout.frames - f);
    const start = layout.dataOffset + f * layout.blockAlign;
    decodeFramesToMono(bytes.slice(start, start + nf * layout.blockAlign), layout, nf, block, 0);
    collector.push(block.subarray(0, nf));
  }
  return wavAnalysis(input, formatName(layout), layout, collector);
}

/** The analysis audio of a WAV input (file or pipe) once its blocks are in `collector`. */
function wavAnalysis(path: string, format: string, layout: WavLayout, collector: AnalysisCollector): AnalysisAudio {
  const source: SourceInfo = {
    path,
    format,
    container: 'wav',
    channels: layout.channels,
    bitDepth: layout.bitDepth,
    sampleRateHz: layout.sampleRateHz,
    frames: layout.frames,
  };
  return { samples: collector.finish(), analysisRateHz: collector.analysisRateHz, source, durationS: layout.durationS };
}

/** FLAC, MP3, Ogg Vorbis/Opus through the streaming wasm decoders. */
async function decodeNative(
  input: string,
  format: 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus',
  chunks: AsyncIterable<Uint8Array>,
  channel?: number,
): Promise<AnalysisAudio> {
  const decoder = await createAudioDecoder(format);
  let collector: AnalysisCollector | null = null;
  let channels = 0;
  const channelSumSq: number[] = [];
  let mixSumSq = 0;
  let frames = 0;
  const take = (pcm: { channelData: Float32Array[]; sampleRateHz: number }): void => {
    if (pcm.channelData.length === 0 || pcm.channelData[0]!.length === 0) return;
    collector ??= new AnalysisCollector(pcm.sampleRateHz);
    channels = Math.max(channels, pcm.channelData.length);
    const mono = mixToMono(pcm.channelData);
    pcm.channelData.forEach((ch, c) => (channelSumSq[c] = (channelSumSq[c] ?? 0) + sumSquares(ch)));
    mixSumSq += sumSquares(mono);
    frames += mono.length;
    if (channel !== undefined && channel >= pcm.channelData.length) throw new AudioFormatError(`channel ${channel + 1} requested, but the file has ${pcm.channelData.length}`);
    collector.push(channel === undefined ? mono : pcm.channelData[channel]!.slice());
  };
  try {
    for await (const bytes of chunks) take(await decoder.push(bytes));
    take(await decoder.flush());
  } finally {
    decoder.free();
  }
  const c = collector as AnalysisCollector | null;
  if (c === null) throw new AudioFormatError(`corrupt ${AUDIO_FORMAT_NAMES[format]} data: no audio frames decoded; ${CONVERT_HINT}`);
  const durationS = c.frames / c.sampleRateHz;
  checkDuration(durationS);
  const source: SourceInfo = {
    path: input,
    format: AUDIO_FORMAT_NAMES[format],
    container: format,
    channels: format === 'mp3' ? 0 : channels, // mpg123 always gives two channels; the file's count is not reported
    bitDepth: 0,
    sampleRateHz: c.sampleRateHz,
    frames: c.frames,
  };
  const channelLevels = { channelRms: channelSumSq.map((s) => Math.sqrt(s / Math.max(1, frames))), mixRms: Math.sqrt(mixSumSq / Math.max(1, frames)) };
  return { samples: c.finish(), analysisRateHz: c.analysisRateHz, source, durationS, channelLevels };
}

/** The `ffmpeg` executable (override with HRV_AUDIO_FFMPEG). */
function ffmpegPath(): string {
  return process.env.HRV_AUDIO_FFMPEG || 'ffmpeg';
}

/** M4A/AAC and the other platform formats through an ffmpeg child process (float WAV on its stdout). */
async function decodeWithFfmpeg(input: string, format: AudioFormat, chunks: AsyncIterable<Uint8Array> | null): Promise<AnalysisAudio> {
  const name = AUDIO_FORMAT_NAMES[format];
  const from = chunks === null ? (input.startsWith('-') ? `file:${input}` : input) : 'pipe:0';
  const { spawn } = await import('node:child_process'); // only for these formats (fast start: not loaded by estimate on WAV)
  const child = spawn(ffmpegPath(), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', from, '-vn', '-ac', '1', '-c:a', 'pcm_f32le', '-f', 'wav', 'pipe:1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new AudioFormatError(
          missing
            ? `${name} needs ffmpeg on PATH to be read in Node (not found): install ffmpeg, or ${CONVERT_HINT}`
            : `cannot run ffmpeg for ${name}: ${(err as Error).message}`,
        ),
      );
    });
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.length < 4000) stderr += s;
  });
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  await spawned;
  const feeding = (async () => {
    if (chunks === null) return;
    try {
      for await (const c of chunks) {
        if (!child.stdin.write(c)) await new Promise((r) => child.stdin.once('drain', r));
      }
    } catch {
      // ffmpeg closed its input early (EPIPE); its exit status tells
    } finally {
      child.stdin.end();
    }
  })();
  if (chunks === null) child.stdin.end();
  child.stdin.on('error', () => undefined);
  // stdout: a float32 mono WAV with unknown sizes; parse the header, then stream samples
  let collector: AnalysisCollector | null = null;
  let header: Uint8Array = new Uint8Array(0);
  let carry: Uint8Array = new Uint8Array(0);
  for await (const raw of child.stdout as AsyncIterable<Uint8Array>) {
    let bytes: Uint8Array = raw;
    if (collector === null) {
      header = concatBytes([header, bytes]);
      const parsed = ffmpegWavHeader(header);
      if (parsed === null) continue;
      collector = new AnalysisCollector(parsed.sampleRateHz);
      bytes = header.subarray(parsed.dataOffset);
    }
    if (carry.length > 0) bytes = concatBytes([carry, bytes]);
    const whole = bytes.length - (bytes.length % 4);
    const aligned = bytes.byteOffset % 4 === 0 ? bytes.subarray(0, whole) : bytes.slice(0, whole);
    collector.push(new Float32Array(aligned.buffer, aligned.byteOffset, whole / 4));
    carry = bytes.slice(whole);
  }
  await feeding;
  const code = await exited;
  const c = collector as AnalysisCollector | null;
  if (code !== 0 || c === null || c.frames === 0) {
    const why = stderr.trim().split('\n').pop() || `ffmpeg exited with status ${code}`;
    throw new AudioFormatError(`corrupt or unreadable ${name} file (ffmpeg: ${why}); ${CONVERT_HINT}`);
  }
  const durationS = c.frames / c.sampleRateHz;
  checkDuration(durationS);
  const source: SourceInfo = {
    path: input,
    format: `${name} via ffmpeg`,
    container: format,
    channels: 0,
    bitDepth: 0,
    sampleRateHz: c.sampleRateHz,
    frames: c.frames,
  };
  return { samples: c.finish(), analysisRateHz: c.analysisRateHz, source, durationS };
}

/** Rate and data offset of ffmpeg's streamed WAV header, or null until enough bytes arrived. */
function ffmpegWavHeader(b: Uint8Array): { sampleRateHz: number; dataOffset: number } | null {
  if (b.length < 12) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  let rate = 0;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    const size = dv.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 16 <= b.length) rate = dv.getUint32(at + 12, true);
    if (id === 'data') return rate > 0 ? { sampleRateHz: rate, dataOffset: at + 8 } : null;
    at += 8 + size + (size & 1);
  }
  return null;
}
