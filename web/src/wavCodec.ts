/**
 * The WAV codec used by the page: the library's browser-safe codecs on bytes (src/audio/wav.ts).
 */
export { decodeWav, encodeWav, WavFormatError, type WavAudio } from '../../src/audio/wav.js';
