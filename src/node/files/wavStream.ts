/**
 * Block-wise WAV reading from a file descriptor, for recordings too long to hold in memory at their
 * original rate (an hour at 44.1 kHz is 159 M samples). Memory use is one block, whatever the
 * file length.
 */
import { closeSync } from 'node:fs';
import { WavFormatError, decodeFramesToMono, formatName, openWavFile, type WavLayout } from './wav.js';

/** An open WAV file, read front to back in blocks of mono samples. */
export interface WavStream {
  /** Layout of the file (rate, channels, encoding, frame count, …). */
  readonly layout: WavLayout;
  /** Human-readable encoding, e.g. "PCM 16-bit". */
  readonly format: string;
  /** Frames read so far. */
  readonly position: number;
  /**
   * Read up to `maxFrames` frames, mixed down to mono (full scale ±1). Returns an empty array at
   * the end. The returned array is reused by the next call when `reuse` is true (default false).
   */
  read(maxFrames: number, reuse?: boolean): Float32Array;
  /** Close the file (idempotent). */
  close(): void;
}

/** Default block length in frames for {@link openWav} consumers: 2^16 frames. */
export const WAV_STREAM_BLOCK_FRAMES = 1 << 16;

/**
 * Open a WAV file for block-wise reading. Throws a one-line `Error` for a missing, empty,
 * non-WAV, truncated, corrupt or unsupported file (the header is checked on open).
 */
export function openWav(path: string): WavStream {
  const { fd, read, layout } = openWavFile(path);
  let position = 0;
  let closed = false;
  let scratch = new Float32Array(0);
  return {
    layout,
    format: formatName(layout),
    get position() {
      return position;
    },
    read(maxFrames: number, reuse = false): Float32Array {
      if (closed) throw new Error('WAV stream is closed');
      const nf = Math.max(0, Math.min(Math.floor(maxFrames), layout.frames - position));
      if (nf === 0) return new Float32Array(0);
      const bytes = read(layout.dataOffset + position * layout.blockAlign, nf * layout.blockAlign);
      if (bytes.length < nf * layout.blockAlign) throw new WavFormatError(`truncated WAV: ${path} ended early while reading`);
      let out: Float32Array;
      if (reuse) {
        if (scratch.length < nf) scratch = new Float32Array(nf);
        out = scratch.subarray(0, nf);
      } else out = new Float32Array(nf);
      decodeFramesToMono(bytes, layout, nf, out, 0);
      position += nf;
      return out;
    },
    close(): void {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
    },
  };
}
