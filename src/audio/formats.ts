/**
 * Audio container/codec names and the one error type for unreadable audio. Browser-safe.
 */
import { InputError } from '../errors.js';

/** Formats decoded in every runtime by `decodeAudio` (pure JS / embedded wasm). */
export const NATIVE_AUDIO_FORMATS = ['wav', 'flac', 'mp3', 'ogg-vorbis', 'ogg-opus'] as const;
/**
 * Formats recognised from their bytes but decoded by the platform: in Node through an `ffmpeg`
 * binary on PATH (see `hrv-audio/node`), in a browser through `AudioContext.decodeAudioData`.
 */
export const PLATFORM_AUDIO_FORMATS = ['m4a', 'aac', 'aiff', 'webm', 'caf', 'amr'] as const;
export type NativeAudioFormat = (typeof NATIVE_AUDIO_FORMATS)[number];
export type PlatformAudioFormat = (typeof PLATFORM_AUDIO_FORMATS)[number];
export type AudioFormat = NativeAudioFormat | PlatformAudioFormat;

/** Human-readable names, e.g. for messages. */
export const AUDIO_FORMAT_NAMES: Readonly<Record<AudioFormat, string>> = Object.freeze({
  wav: 'WAV',
  flac: 'FLAC',
  mp3: 'MP3',
  'ogg-vorbis': 'Ogg Vorbis',
  'ogg-opus': 'Ogg Opus',
  m4a: 'M4A/AAC (MP4)',
  aac: 'AAC (ADTS)',
  aiff: 'AIFF',
  webm: 'WebM/Matroska',
  caf: 'Core Audio (CAF)',
  amr: 'AMR',
});

/** File-name extensions of audio files (lower case, with the dot), for folder walks. */
export const AUDIO_FILE_EXTENSIONS: readonly string[] = Object.freeze([
  '.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.mp4', '.aac', '.aif', '.aiff', '.aifc', '.webm', '.mka', '.caf', '.amr',
]);

/** How to convert an unreadable file to WAV (one line, for messages). */
export const CONVERT_HINT = 'convert it to WAV, e.g. `ffmpeg -i INPUT -ac 1 out.wav` or `sox INPUT out.wav`';

/**
 * Unreadable audio: not audio, an unknown/unsupported format, or a corrupt/truncated file. The
 * message is one line and names the format; the CLI reports it with exit status 2.
 */
export class AudioFormatError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'AudioFormatError';
  }
}
