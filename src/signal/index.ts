export * from './rng.js';
export * from './mt19937.js';
export * from './numpyRng.js';
export * from './ziggurat.js';
export * from './simulate.js';
export * from './pcg/index.js';
export { simulateRrSeries, RR_SERIES_DEFAULTS, type RrSeriesOptions } from './rrSeries.js';
