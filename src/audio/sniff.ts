/**
 * `sniffAudioFormat(head)`: the audio format from a file's first bytes (magic numbers, not the
 * file name). Browser-safe. Give it at least {@link SNIFF_BYTES} bytes when the input has them.
 */
import { AudioFormatError, CONVERT_HINT, type AudioFormat } from './formats.js';

/** Bytes `sniffAudioFormat` looks at (enough for an Ogg first page and a small ID3 tag). */
export const SNIFF_BYTES = 4096;

function ascii(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && at + i < b.length; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

function indexOfAscii(b: Uint8Array, text: string, from: number, to: number): number {
  const end = Math.min(b.length, to) - text.length;
  outer: for (let i = from; i <= end; i++) {
    for (let j = 0; j < text.length; j++) if (b[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** MPEG audio frame sync at `at`: 'mp3' (layer I/II/III), 'aac' (ADTS, layer bits 00) or null. */
function mpegSync(b: Uint8Array, at: number): 'mp3' | 'aac' | null {
  if (at + 1 >= b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const layer = (b[at + 1]! >> 1) & 3;
  if (layer === 0) return (b[at + 1]! & 0xf6) === 0xf0 ? 'aac' : null;
  return (b[at + 1]! & 0x18) === 0x08 ? null : 'mp3'; // version bits 01 are reserved
}

/**
 * The format of audio bytes, from their magic numbers.
 * @param head the first bytes of the input (≥ 12; {@link SNIFF_BYTES} recommended)
 * @throws AudioFormatError for an empty input, a known non-audio or unsupported container, or
 *   bytes that match no audio format (the message says how to convert)
 */
export function sniffAudioFormat(head: Uint8Array): AudioFormat {
  if (head.length === 0) throw new AudioFormatError('empty input (0 bytes), not an audio recording');
  const riff = ascii(head, 0, 4);
  if ((riff === 'RIFF' || riff === 'RF64' || riff === 'BW64') && ascii(head, 8, 4) === 'WAVE') return 'wav';
  if (riff === 'fLaC') return 'flac';
  if (riff === 'OggS') {
    const page = Math.min(head.length, 512);
    if (indexOfAscii(head, 'OpusHead', 26, page) >= 0) return 'ogg-opus';
    if (indexOfAscii(head, '\x01vorbis', 26, page) >= 0) return 'ogg-vorbis';
    const codec = indexOfAscii(head, 'FLAC', 26, page) >= 0 ? 'FLAC' : indexOfAscii(head, 'Speex', 26, page) >= 0 ? 'Speex' : 'an unknown codec';
    throw new AudioFormatError(`unsupported Ogg file: it holds ${codec} (Vorbis and Opus are read); ${CONVERT_HINT}`);
  }
  if (ascii(head, 0, 3) === 'ID3') {
    // ID3v2 tag: 10-byte header, syncsafe size; the audio follows (MP3, rarely FLAC)
    const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
    const at = 10 + size + ((head[5]! & 0x10) !== 0 ? 10 : 0);
    if (at + 4 <= head.length && ascii(head, at, 4) === 'fLaC') return 'flac';
    if (at + 2 <= head.length && mpegSync(head, at) === 'aac') return 'aac';
    return 'mp3';
  }
  if (ascii(head, 4, 4) === 'ftyp') return 'm4a';
  if (riff === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 4))) return 'aiff';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (riff === 'caff') return 'caf';
  if (ascii(head, 0, 5) === '#!AMR') return 'amr';
  const sync = mpegSync(head, 0);
  if (sync !== null) return sync;
  if (riff === 'RIFF') throw new AudioFormatError(`not a WAV file: a RIFF '${ascii(head, 8, 4)}' file, not audio (no RIFF/WAVE header); ${CONVERT_HINT}`);
  throw new AudioFormatError(`not a recognised audio file (no WAV, FLAC, MP3, Ogg or M4A header); ${CONVERT_HINT}`);
}
