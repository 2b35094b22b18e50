/** HRV measures (browser-safe): time domain, frequency domain, non-linear, the rules and the field table. */
export { DEFAULT_HRV_CONVENTION, MAD_NORMAL_SCALE, type HrvConvention } from './timeDomain.js';
export { hrvMeasures, toolboxFields, ENTROPY_MAX_INTERVALS, type HrvMeasures, type HrvMeasuresOptions, type HrvToolboxFields } from './hrvMeasures.js';
export {
  HRV_BANDS_HZ,
  FREQUENCY_DEFAULTS,
  welch,
  lombScargle,
  detrendLinear,
  welchRrSpectrum,
  lombRrSpectrum,
  bandPowers,
  type FrequencyOptions,
  type RrSpectrum,
  type BandPowers,
} from './frequency.js';
export { sampleEntropy, approximateEntropy, entropies, dfaAlpha, dfaProfile, sampleSd, ENTROPY_DEFAULTS, DFA_RANGES, type EntropyOptions } from './nonlinear.js';
export { HRV_RULES, lengthReason, countReason, type HrvRules } from './rules.js';
export { HRV_FIELDS, HRV_FIELD_KEYS, hrvField, hrvFieldUnit, hrvFieldRecord, hrvFieldsCsv, hrvFieldLines, type HrvField, type HrvFieldKey, type HrvGroup, type HrvFieldValues } from './fields.js';
export { splineResample } from './spline.js';
