/**
 * WAV files (Node): whole-file reading (`readWav`), atomic writing (`writeWav`), and the one place a
 * WAV file is opened (`openWavFile`: open, fstat, one-line errors), shared with the block-wise
 * reader (`openWav`, wavStream.ts). The codecs themselves are browser-safe, in src/audio/wav.ts,
 * and re-exported here.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { writeFileAtomic } from './atomicWrite.js';
import { WavFormatError, decodeFramesToMono, decodeWav, encodeWav, parseWavLayout, wavAudioOf, type ReadAt, type WavAudio, type WavLayout, type WavWriteOptions } from '../../audio/wav.js';

export * from '../../audio/wav.js';

/** Bytes read per block when decoding from a file. */
export const WAV_READ_BLOCK_BYTES = 1 << 20;

/** A `ReadAt` over an open file descriptor. */
export function fdReader(fd: number): ReadAt {
  return (offset, length) => {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n <= 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  };
}

/** An open WAV file: its descriptor, a reader over it and the parsed header. */
export interface OpenWavFile {
  fd: number;
  read: ReadAt;
  layout: WavLayout;
}

/**
 * Open a WAV file and parse its header; the caller closes `fd`. Throws a one-line
 * `WavFormatError` for a missing file, a folder, or a bad header (the descriptor is then closed).
 */
export function openWavFile(path: string): OpenWavFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WavFormatError(code === 'ENOENT' ? `no such file: ${path}` : `cannot open ${path}: ${(err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new WavFormatError(`${path} is a directory, not a WAV file`);
    const read = fdReader(fd);
    return { fd, read, layout: parseWavLayout(read, st.size) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Read a WAV file (path) or WAV bytes into mono float samples. Any channel count is averaged down
 * to mono; integer samples are scaled to ±1. Throws a one-line `Error` for an empty, non-WAV,
 * truncated, corrupt or unsupported file. For very long files prefer `openWav` (block-wise).
 */
export function readWav(pathOrBytes: string | Uint8Array): WavAudio {
  if (typeof pathOrBytes !== 'string') return decodeWav(pathOrBytes);
  const { fd, read, layout } = openWavFile(pathOrBytes);
  try {
    const samples = new Float32Array(layout.frames);
    const framesPerBlock = Math.max(1, Math.floor(WAV_READ_BLOCK_BYTES / layout.blockAlign));
    for (let f = 0; f < layout.frames; f += framesPerBlock) {
      const nf = Math.min(framesPerBlock, layout.frames - f);
      const bytes = read(layout.dataOffset + f * layout.blockAlign, nf * layout.blockAlign);
      if (bytes.length < nf * layout.blockAlign) throw new WavFormatError(`truncated WAV: ${pathOrBytes} ended early while reading`);
      decodeFramesToMono(bytes, layout, nf, samples, f);
    }
    return wavAudioOf(layout, samples);
  } finally {
    closeSync(fd);
  }
}

/** Write a WAV file atomically (see {@link encodeWav}). */
export function writeWav(
  path: string,
  channels: ArrayLike<number> | readonly ArrayLike<number>[],
  sampleRateHz: number,
  options: WavWriteOptions = {},
): void {
  writeFileAtomic(path, encodeWav(channels, sampleRateHz, options));
}
