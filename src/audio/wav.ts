/**
 * WAV (RIFF/WAVE) codecs on bytes, browser-safe: header parsing (`parseWavLayout`, a small RIFF
 * chunk walker that reads only the bytes it needs through a `ReadAt`), sample decoding
 * (`decodeFramesToMono`), whole-buffer decoding (`decodeWav`) and encoding (`encodeWav`). Every
 * malformed input ends in one clear `WavFormatError`. File reading lives in src/node/files/wav.ts.
 *
 * Supported encodings: integer PCM 8 (unsigned), 16, 24, 32 bit (also 12/20-bit samples in 16/24-bit
 * containers), IEEE float 32/64, G.711 A-law and µ-law (8 bit), each also inside
 * WAVE_FORMAT_EXTENSIBLE; any channel count (mixed down to mono by averaging).
 */
import { InputError } from '../errors.js';

/**
 * A WAV input problem: empty, not a WAV file, truncated, corrupt or an unsupported encoding
 * (or a missing/unreadable file). The message is one line; the CLI reports it with exit status 2.
 */
export class WavFormatError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

/** Sample encoding of a WAV data chunk. */
export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

/** Where the samples are and how they are encoded. */
export interface WavLayout {
  encoding: WavEncoding;
  /** The fmt chunk's format tag (after unwrapping WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  /** True when the file used WAVE_FORMAT_EXTENSIBLE (0xFFFE). */
  extensible: boolean;
  channels: number;
  sampleRateHz: number;
  /** Bits per sample as declared (valid bits: 12 for 12-in-16, etc.). */
  bitDepth: number;
  /** Bytes per sample in the container (1, 2, 3, 4 or 8). */
  bytesPerSample: number;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of whole frames in the data chunk. */
  dataBytes: number;
  /** Number of frames (samples per channel). */
  frames: number;
  /** frames / sampleRateHz, s. */
  durationS: number;
}

/** Human-readable format name, e.g. "PCM 16-bit", "float 32-bit", "µ-law 8-bit". */
export function formatName(layout: Pick<WavLayout, 'encoding' | 'bitDepth' | 'extensible'>): string {
  const base = { pcm: 'PCM', float: 'float', alaw: 'A-law', mulaw: 'µ-law' }[layout.encoding];
  return `${base} ${layout.bitDepth}-bit${layout.extensible ? ' (extensible)' : ''}`;
}

const KNOWN_TAGS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
  0x0092: 'Dolby AC3',
  0x1610: 'AAC',
};

/** Reads `length` bytes at `offset` (fewer at the end of the input). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

function fourcc(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = b[at + i] ?? 0;
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : '?';
  }
  return s;
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

interface FmtInfo {
  encoding: WavEncoding;
  formatTag: number;
  extensible: boolean;
  channels: number;
  sampleRateHz: number;
  bitDepth: number;
  blockAlign: number;
  bytesPerSample: number;
}

function parseFmt(b: Uint8Array, size: number): FmtInfo {
  if (size < 16 || b.length < 16) throw new WavFormatError(`corrupt WAV: fmt chunk is ${size} bytes (need at least 16)`);
  let formatTag = u16(b, 0);
  const channels = u16(b, 2);
  const sampleRateHz = u32(b, 4);
  const blockAlign = u16(b, 12);
  let bitDepth = u16(b, 14);
  let extensible = false;
  if (formatTag === 0xfffe) {
    if (size < 40 || b.length < 26) throw new WavFormatError('corrupt WAV: WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes');
    extensible = true;
    const validBits = u16(b, 18);
    formatTag = u16(b, 24); // first two bytes of the SubFormat GUID
    if (validBits > 0 && validBits <= bitDepth) bitDepth = validBits;
  }
  if (channels < 1) throw new WavFormatError('corrupt WAV: fmt chunk declares 0 channels');
  if (sampleRateHz < 1) throw new WavFormatError('corrupt WAV: fmt chunk declares a sample rate of 0 Hz');
  let encoding: WavEncoding;
  if (formatTag === 1) encoding = 'pcm';
  else if (formatTag === 3) encoding = 'float';
  else if (formatTag === 6) encoding = 'alaw';
  else if (formatTag === 7) encoding = 'mulaw';
  else {
    const name = KNOWN_TAGS[formatTag];
    throw new WavFormatError(
      `unsupported WAV encoding: format tag 0x${formatTag.toString(16).padStart(4, '0')}${name ? ` (${name})` : ''}; ` +
        'supported: integer PCM 8/16/24/32-bit, float 32/64-bit, A-law, µ-law',
    );
  }
  const bytesPerSample = channels > 0 ? blockAlign / channels : 0;
  const okContainer =
    encoding === 'pcm'
      ? [1, 2, 3, 4].includes(bytesPerSample) && bitDepth >= 1 && bitDepth <= bytesPerSample * 8
      : encoding === 'float'
        ? (bytesPerSample === 4 && bitDepth === 32) || (bytesPerSample === 8 && bitDepth === 64)
        : bytesPerSample === 1 && bitDepth === 8;
  if (!okContainer) {
    throw new WavFormatError(
      `unsupported or corrupt WAV format: ${encoding} with ${bitDepth} bits per sample, ` +
        `${channels} channel(s) and block align ${blockAlign}`,
    );
  }
  return { encoding, formatTag, extensible, channels, sampleRateHz, bitDepth, blockAlign, bytesPerSample };
}

/**
 * Walk the RIFF chunks and return the sample layout. `fileSize` is the number of bytes available.
 * Throws a one-line `Error` for an empty, non-WAV, truncated, corrupt or unsupported input.
 */
export function parseWavLayout(readAt: ReadAt, fileSize: number): WavLayout {
  if (fileSize === 0) throw new WavFormatError('empty file (0 bytes), not a WAV recording');
  const head = readAt(0, 12);
  if (head.length < 12) throw new WavFormatError(`not a WAV file: only ${fileSize} bytes`);
  const riff = fourcc(head, 0);
  if (riff === 'RF64' || riff === 'BW64') throw new WavFormatError(`${riff} WAV files (over 4 GB) are not supported`);
  if (riff !== 'RIFF' || fourcc(head, 8) !== 'WAVE') {
    throw new WavFormatError('not a WAV file (no RIFF/WAVE header)');
  }
  let fmt: FmtInfo | undefined;
  let data: { offset: number; size: number } | undefined;
  let pos = 12;
  while (pos + 8 <= fileSize && !(fmt && data)) {
    const ch = readAt(pos, 8);
    if (ch.length < 8) break;
    const id = fourcc(ch, 0);
    const size = u32(ch, 4);
    const body = pos + 8;
    if (id !== 'data' && body + size > fileSize) {
      throw new WavFormatError(`truncated or corrupt WAV: chunk '${id}' at byte ${pos} declares ${size} bytes past the end of the file`);
    }
    if (id === 'fmt ') {
      if (fmt) throw new WavFormatError('corrupt WAV: two fmt chunks');
      fmt = parseFmt(readAt(body, Math.min(size, 64)), size);
    } else if (id === 'data') {
      const available = fileSize - body;
      let bytes = size;
      if (size === 0xffffffff) bytes = available; // streaming writers: size unknown, data runs to the end
      else if (size > available) {
        throw new WavFormatError(`truncated WAV: the data chunk declares ${size} bytes but only ${available} are present`);
      }
      data = { offset: body, size: bytes };
    }
    const next = body + size + (size & 1);
    if (id === 'data' && size === 0xffffffff) break;
    pos = next;
  }
  if (!fmt) throw new WavFormatError(data ? 'corrupt WAV: no fmt chunk' : 'truncated or corrupt WAV: no fmt chunk found');
  if (!data) throw new WavFormatError('truncated or corrupt WAV: no data chunk found');
  const frames = Math.floor(data.size / fmt.blockAlign);
  if (frames === 0) throw new WavFormatError('WAV file has no audio samples (empty data chunk)');
  return {
    ...fmt,
    dataOffset: data.offset,
    dataBytes: frames * fmt.blockAlign,
    frames,
    durationS: frames / fmt.sampleRateHz,
  };
}

function buildMuLawTable(): Float32Array {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const sign = u & 0x80;
    const exponent = (u >> 4) & 7;
    const mantissa = u & 0x0f;
    const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    t[i] = (sign ? -magnitude : magnitude) / 32768;
  }
  return t;
}

function buildALawTable(): Float32Array {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const a = i ^ 0x55;
    const exponent = (a >> 4) & 7;
    const mantissa = a & 0x0f;
    const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    t[i] = (a & 0x80 ? magnitude : -magnitude) / 32768;
  }
  return t;
}

let muLaw: Float32Array | undefined;
let aLaw: Float32Array | undefined;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decode `frames` whole frames from `bytes` (interleaved, starting at a frame boundary), average the
 * channels and write the mono values (full scale = ±1) into `out` from `outOffset`.
 * Throws if float data holds NaN or ±Infinity.
 */
export function decodeFramesToMono(
  bytes: Uint8Array,
  layout: Pick<WavLayout, 'encoding' | 'channels' | 'bytesPerSample' | 'blockAlign'>,
  frames: number,
  out: Float32Array,
  outOffset = 0,
): void {
  const { encoding, channels: nc, bytesPerSample: bps } = layout;
  const n = frames * nc;
  const inv = 1 / nc;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let values: ArrayLike<number>;
  let scale = 1;
  let offset = 0;
  if (encoding === 'pcm' && bps === 1) {
    values = bytes;
    scale = 1 / 128;
    offset = -128;
  } else if (encoding === 'pcm' && bps === 2) {
    if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) values = new Int16Array(bytes.buffer, bytes.byteOffset, n);
    else {
      const v = new Int16Array(n);
      for (let i = 0; i < n; i++) v[i] = view.getInt16(2 * i, true);
      values = v;
    }
    scale = 1 / 32768;
  } else if (encoding === 'pcm' && bps === 3) {
    const v = new Int32Array(n);
    for (let i = 0, j = 0; i < n; i++, j += 3) v[i] = ((bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16)) << 8) >> 8;
    values = v;
    scale = 1 / 8388608;
  } else if (encoding === 'pcm' && bps === 4) {
    if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) values = new Int32Array(bytes.buffer, bytes.byteOffset, n);
    else {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) v[i] = view.getInt32(4 * i, true);
      values = v;
    }
    scale = 1 / 2147483648;
  } else if (encoding === 'float') {
    let v: Float32Array | Float64Array;
    if (bps === 4) {
      if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) v = new Float32Array(bytes.buffer, bytes.byteOffset, n);
      else {
        v = new Float32Array(n);
        for (let i = 0; i < n; i++) v[i] = view.getFloat32(4 * i, true);
      }
    } else {
      v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = view.getFloat64(8 * i, true);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i]!)) throw new WavFormatError('corrupt WAV: float samples contain NaN or infinity');
    }
    values = v;
  } else {
    const table = encoding === 'mulaw' ? (muLaw ??= buildMuLawTable()) : (aLaw ??= buildALawTable());
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = table[bytes[i]!]!;
    values = v;
  }
  if (nc === 1) {
    for (let i = 0; i < frames; i++) out[outOffset + i] = (values[i]! + offset) * scale;
  } else {
    for (let f = 0, i = 0; f < frames; f++) {
      let s = 0;
      for (let c = 0; c < nc; c++, i++) s += values[i]! + offset;
      out[outOffset + f] = s * scale * inv;
    }
  }
}

/** A decoded WAV recording. */
export interface WavAudio {
  /** Mono samples (channels averaged), full scale = ±1. */
  samples: Float32Array;
  sampleRateHz: number;
  /** Channel count of the file (before mixing down). */
  channels: number;
  /** Bits per sample as declared (valid bits). */
  bitDepth: number;
  /** Human-readable encoding, e.g. "PCM 16-bit" (see {@link formatName}). */
  format: string;
  encoding: WavEncoding;
  durationS: number;
}

/** Decode WAV bytes (a whole file in memory) into mono float samples (see `readWav`). */
export function decodeWav(bytes: Uint8Array): WavAudio {
  const layout = parseWavLayout((o, l) => bytes.subarray(o, Math.min(o + l, bytes.length)), bytes.length);
  const samples = new Float32Array(layout.frames);
  // copy when unaligned so the typed-array fast paths apply
  const data = bytes.slice(layout.dataOffset, layout.dataOffset + layout.dataBytes);
  decodeFramesToMono(data, layout, layout.frames, samples, 0);
  return wavAudioOf(layout, samples);
}

/** The {@link WavAudio} of decoded samples with their layout. */
export function wavAudioOf(layout: WavLayout, samples: Float32Array): WavAudio {
  return {
    samples,
    sampleRateHz: layout.sampleRateHz,
    channels: layout.channels,
    bitDepth: layout.bitDepth,
    format: formatName(layout),
    encoding: layout.encoding,
    durationS: layout.durationS,
  };
}

/** Options of {@link encodeWav}. */
export interface WavWriteOptions {
  /** Sample format: 16-bit integer PCM (default) or 32-bit float. */
  format?: 'pcm16' | 'float32';
}

/**
 * Encode samples (full scale ±1; one array for mono or one per channel) as a canonical WAV file.
 * PCM values are clipped to ±1 and rounded.
 */
export function encodeWav(
  channels: ArrayLike<number> | readonly ArrayLike<number>[],
  sampleRateHz: number,
  options: WavWriteOptions = {},
): Uint8Array {
  const chans: readonly ArrayLike<number>[] = isChannelList(channels) ? channels : [channels];
  const nc = chans.length;
  if (nc < 1) throw new RangeError('encodeWav: need at least one channel');
  const frames = chans[0]!.length;
  for (const c of chans) if (c.length !== frames) throw new RangeError('encodeWav: channels differ in length');
  if (!(Number.isInteger(sampleRateHz) && sampleRateHz > 0)) throw new RangeError(`encodeWav: bad sample rate ${sampleRateHz}`);
  const float = options.format === 'float32';
  const bps = float ? 4 : 2;
  const dataBytes = frames * nc * bps;
  const out = new Uint8Array(44 + dataBytes + (dataBytes & 1));
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, float ? 3 : 1, true);
  v.setUint16(22, nc, true);
  v.setUint32(24, sampleRateHz, true);
  v.setUint32(28, sampleRateHz * nc * bps, true);
  v.setUint16(32, nc * bps, true);
  v.setUint16(34, bps * 8, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  let at = 44;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nc; c++, at += bps) {
      const x = Number(chans[c]![f]);
      if (float) v.setFloat32(at, x, true);
      else v.setInt16(at, Math.round(Math.max(-1, Math.min(1, Number.isFinite(x) ? x : 0)) * 32767), true);
    }
  }
  return out;
}

function isChannelList(x: ArrayLike<number> | readonly ArrayLike<number>[]): x is readonly ArrayLike<number>[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object';
}

