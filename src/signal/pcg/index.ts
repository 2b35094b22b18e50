export * from './params.js';
export * from './rhythm.js';
export * from './timing.js';
export * from './truth.js';
export { maskNoisyEdges, simulatePcg, type PcgTruth, type SimulatedPcg } from './simulatePcg.js';
export * from './spectralShape.js';
export * from './recordingProfiles.js';
export { simulatePcgWindows, PCG_WINDOW_DEFAULTS, type PcgWindowOptions, type SimulatedPcgWindow } from './windows.js';
