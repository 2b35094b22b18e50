/**
 * Audio decoding, browser-safe: `createAudioDecoder(format)` (streaming: push byte chunks, get
 * PCM chunks) and `decodeAudio(bytes)` (a whole file). WAV goes through our own RIFF reader;
 * FLAC, MP3, Ogg Vorbis and Ogg Opus through the @wasm-audio-decoders family (embedded wasm, no
 * download, Node and browsers), each imported only when a file of its format arrives. M4A/AAC and
 * the other platform formats are not decoded here: Node reads them through ffmpeg
 * (`hrv-audio/node`), a browser through `AudioContext.decodeAudioData`.
 */
import { concatTyped } from '../core/concat.js';
import { parseWavLayout, decodeFramesToMono, formatName, WavFormatError } from './wav.js';
import { AUDIO_FORMAT_NAMES, AudioFormatError, CONVERT_HINT, type AudioFormat, type NativeAudioFormat } from './formats.js';
import { sniffAudioFormat } from './sniff.js';

/** PCM from a decoder: one Float32Array per channel (full scale ±1), all the same length. */
export interface PcmChunk {
  channelData: Float32Array[];
  sampleRateHz: number;
}

/** A streaming decoder: bytes in (any chunking), PCM out. */
export interface StreamingAudioDecoder {
  readonly format: NativeAudioFormat;
  /** Decode the next bytes; returns the PCM they completed (possibly no frames). */
  push(bytes: Uint8Array): Promise<PcmChunk>;
  /** Decode what is left at the end of the input. */
  flush(): Promise<PcmChunk>;
  /** Release the wasm memory (idempotent). */
  free(): void;
}

/** A whole decoded recording. */
export interface DecodedAudio {
  /** One array per channel, full scale ±1. */
  channels: Float32Array[];
  /** The channels averaged. */
  mono: Float32Array;
  sampleRateHz: number;
  format: AudioFormat;
  /** e.g. "FLAC", "MP3", "PCM 16-bit". */
  formatName: string;
  durationS: number;
}

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}
interface WasmDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): WasmDecoded | Promise<WasmDecoded>;
  flush?: () => Promise<WasmDecoded>;
  free(): void;
}

async function loadWasmDecoder(format: Exclude<NativeAudioFormat, 'wav'>): Promise<WasmDecoder> {
  switch (format) {
    case 'flac':
      return new (await import('@wasm-audio-decoders/flac')).FLACDecoder() as WasmDecoder;
    case 'ogg-vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder() as WasmDecoder;
    case 'ogg-opus':
      return new (await import('ogg-opus-decoder')).OggOpusDecoder() as unknown as WasmDecoder;
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder() as unknown as WasmDecoder;
  }
}

const EMPTY: Float32Array[] = [];

/**
 * A streaming decoder for a natively decoded compressed format (FLAC, MP3, Ogg Vorbis/Opus).
 * Decode errors become one-line {@link AudioFormatError}s naming the format.
 */
export async function createAudioDecoder(format: Exclude<NativeAudioFormat, 'wav'>): Promise<StreamingAudioDecoder> {
  const name = AUDIO_FORMAT_NAMES[format];
  const decoder = await loadWasmDecoder(format);
  await decoder.ready;
  let freed = false;
  let rateHz = 0;
  const check = (r: WasmDecoded, atEnd: boolean): PcmChunk => {
    if (r.samplesDecoded > 0) rateHz = r.sampleRate;
    if (r.errors.length > 0 && (r.samplesDecoded === 0 || atEnd)) {
      throw new AudioFormatError(`corrupt ${name} data: ${r.errors[0]!.message}; ${CONVERT_HINT}`);
    }
    return { channelData: r.samplesDecoded > 0 ? r.channelData.map((c) => c.subarray(0, r.samplesDecoded)) : EMPTY, sampleRateHz: rateHz };
  };
  const guard = async (what: () => WasmDecoded | Promise<WasmDecoded>, atEnd: boolean): Promise<PcmChunk> => {
    let r: WasmDecoded;
    try {
      r = await what();
    } catch (err) {
      throw err instanceof AudioFormatError ? err : new AudioFormatError(`corrupt or unsupported ${name} data: ${oneLine(err)}; ${CONVERT_HINT}`);
    }
    return check(r, atEnd);
  };
  return {
    format,
    push: (bytes) => guard(() => decoder.decode(bytes), false),
    flush: () => (decoder.flush ? guard(() => decoder.flush!(), true) : Promise.resolve({ channelData: EMPTY, sampleRateHz: rateHz })),
    free(): void {
      if (!freed) {
        freed = true;
        decoder.free();
      }
    },
  };
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** Average channels into one array (a copy for one channel). */
export function mixToMono(channelData: readonly Float32Array[]): Float32Array {
  const n = channelData[0]?.length ?? 0;
  const out = new Float32Array(n);
  if (channelData.length === 0) return out;
  for (const ch of channelData) for (let i = 0; i < n; i++) out[i]! += ch[i]!;
  if (channelData.length > 1) {
    const inv = 1 / channelData.length;
    for (let i = 0; i < n; i++) out[i]! *= inv;
  }
  return out;
}

/** Always a fresh array: decoders may hand out views they reuse. */
function concat(parts: readonly Float32Array[]): Float32Array {
  return parts.length === 1 ? parts[0]!.slice() : concatTyped(parts, (n) => new Float32Array(n));
}

/** WAV bytes → channels (via our RIFF reader; every encoding it supports). */
function decodeWavBytes(bytes: Uint8Array): DecodedAudio {
  try {
    const layout = parseWavLayout((o, l) => bytes.subarray(o, Math.min(o + l, bytes.length)), bytes.length);
    const mono = new Float32Array(layout.frames);
    decodeFramesToMono(bytes.slice(layout.dataOffset, layout.dataOffset + layout.dataBytes), layout, layout.frames, mono, 0);
    return { channels: [mono], mono, sampleRateHz: layout.sampleRateHz, format: 'wav', formatName: formatName(layout), durationS: layout.durationS };
  } catch (err) {
    if (err instanceof WavFormatError) throw new AudioFormatError(err.message);
    throw err;
  }
}

/**
 * Decode a whole audio file held in memory. The format is sniffed from the bytes.
 * WAV is returned mixed down to mono (`channels` = [mono]); the compressed formats keep their
 * channels.
 * @throws AudioFormatError for unknown, unsupported, corrupt or empty input, and for the platform
 *   formats (M4A/AAC, AIFF, …) that need ffmpeg (Node) or decodeAudioData (browser)
 */
export async function decodeAudio(bytes: Uint8Array): Promise<DecodedAudio> {
  const format = sniffAudioFormat(bytes);
  if (format === 'wav') return decodeWavBytes(bytes);
  if (format !== 'flac' && format !== 'mp3' && format !== 'ogg-vorbis' && format !== 'ogg-opus') {
    throw new AudioFormatError(
      `${AUDIO_FORMAT_NAMES[format]} is not decoded by the portable decoders: in Node install ffmpeg (hrv-audio/node uses it), ` +
        `in a browser use AudioContext.decodeAudioData, or ${CONVERT_HINT}`,
    );
  }
  const decoder = await createAudioDecoder(format);
  try {
    const chunks = [await decoder.push(bytes), await decoder.flush()].filter((c) => c.channelData.length > 0);
    if (chunks.length === 0) throw new AudioFormatError(`corrupt ${AUDIO_FORMAT_NAMES[format]} data: no audio frames decoded; ${CONVERT_HINT}`);
    const nch = Math.max(...chunks.map((c) => c.channelData.length));
    const channels = Array.from({ length: nch }, (_, k) => concat(chunks.map((c) => c.channelData[Math.min(k, c.channelData.length - 1)]!)));
    const sampleRateHz = chunks[chunks.length - 1]!.sampleRateHz;
    const mono = mixToMono(channels);
    return { channels, mono, sampleRateHz, format, formatName: AUDIO_FORMAT_NAMES[format], durationS: mono.length / sampleRateHz };
  } finally {
    decoder.free();
  }
}
