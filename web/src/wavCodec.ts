/**
 * The WAV codec used by the page: the library's reader/writer. One import site, so moving to
 * src/audio/wav.ts (issue 13/14) is a one-line change.
 */
export { readWav, encodeWav, WavFormatError, type WavAudio } from '../../src/io/wav.js';
