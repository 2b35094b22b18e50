/** Heart-rate / HRV layer (browser-safe): beat detection, HRV measures, estimate, validation scoring. */
export * from './measures/index.js';
export * from './estimate.js';
export { windowRows, type WindowInputs } from './windows.js';
export {
  detectBeats,
  type DetectBeatsOptions,
  type DetectBeatsResult,
  MIN_SAMPLE_RATE_HZ,
  MAX_SAMPLE_RATE_HZ,
  PCG_RR_CLEAN,
  PULSE_RR_CLEAN,
  completeCycleSegments,
} from './detectBeats.js';
export { detectPcg, estimatePeriod, PCG_DEFAULTS, type PcgOptions, type PcgResult, type HeartSound } from './detectPcg.js';
export { detectPulses, PULSE_DEFAULTS, type PulseOptions, type PulseResult } from './detectPulse.js';
export { detectSignalType, type SignalTypeResult } from './signalType.js';
export { cleanRr, RR_CLEAN_DEFAULTS, type RrCleanOptions, type RrCleanResult } from './rrClean.js';
export { assessQuality, signalLevelStats, QUALITY_RULES, type Quality, type QualityInputs } from './quality.js';
export * from './validate/index.js';
export { parseRrText, type RrText, type RrTextOptions, type RrTextKind, type RrTextUnit } from './rrText.js';
