/**
 * hrv-audio library API. Browser-safe layers (signal, dsp, hrv, model) are re-exported here;
 * audio decoding (src/audio) too; Node-only helpers live under node/ and report/ and are exported from `hrv-audio/node`.
 */
export * from './signal/index.js';
export * from './dsp/index.js';
export * from './hrv/index.js';
export * from './model/index.js';
export * from './errors.js';
export * from './core/choices.js';
export * from './core/ratePolicy.js';
export * as stats from './core/stats.js';
export * from './audio/index.js';
