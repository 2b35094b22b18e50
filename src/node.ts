/** Node-only API (file I/O, reports). */
export * from './io/index.js';
export * from './report/index.js';
export * from './model/node/index.js';
export * from './node/files/annotations.js';
export * from './node/pipelines/validateFolder.js';
// audio decoding (browser-safe once src/audio/wav.ts lands; exported here until then: decode.ts imports io/wav)
export * from './audio/index.js';
export { readAudioForAnalysis, STDIN_NAME, AUDIO_READ_CHUNK_BYTES, type AnalysisAudio } from './node/files/readAudio.js';
