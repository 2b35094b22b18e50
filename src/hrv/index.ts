/** Heart-rate / HRV layer (browser-safe): beat detection, HRV measures, estimate, validation scoring. */
export * from './measures/index.js';
export * from './estimate.js';
export { ESTIMATORS, DEFAULT_METHOD, estimatorFor } from './registry.js';
export type { EstimatorModel, DirectWindow } from './estimator.js';
export { gate, GOOD_SCORE, type GateDecision, type GateOptions } from './gate/index.js';
export { classicalEstimator } from './classical/estimator.js';
export { cnnEstimator, cnnWindowQuality, CNN_QUALITY_DEFAULTS, type CnnModel } from './cnn/estimator.js';
export { windowRows, directWindowRows, type WindowInputs } from './windows.js';
export {
  detectBeats,
  type DetectBeatsOptions,
  type DetectBeatsResult,
  MIN_SAMPLE_RATE_HZ,
  MAX_SAMPLE_RATE_HZ,
  PCG_RR_CLEAN,
  PULSE_RR_CLEAN,
  completeCycleSegments,
} from './classical/detectBeats.js';
export { detectPcg, estimatePeriod, PCG_DEFAULTS, type PcgOptions, type PcgResult, type HeartSound } from './classical/detectPcg.js';
export { detectPulses, PULSE_DEFAULTS, type PulseOptions, type PulseResult } from './classical/detectPulse.js';
export { detectSignalType, type SignalTypeResult } from './classical/signalType.js';
export { cleanRr, RR_CLEAN_DEFAULTS, type RrCleanOptions, type RrCleanResult } from './classical/rrClean.js';
export { assessQuality, signalLevelStats, QUALITY_RULES, type Quality, type QualityInputs } from './classical/quality.js';
export * from './validate/index.js';
export { parseRrText, type RrText, type RrTextOptions, type RrTextKind, type RrTextUnit } from './rrText.js';
