/**
 * The PCG simulator's parameters: every physical parameter is a range `[low, high]`; each
 * recording draws its value uniformly from the range with the recording's seed (a range with
 * low = high fixes the value). {@link PCG_PARAM_DEFAULTS} documents the default ranges and units.
 * Browser-safe.
 */

/** A closed range [low, high] (low ≤ high). */
export type Range = readonly [number, number];

/** The drawn physical parameters (units in the names). */
export interface PcgParamRanges {
  /** Mean heart rate, bpm. CirCor-train's cycles span 77–142 bpm (5th–95th percentile). */
  hrBpm: Range;
  /** Total RR variability as a fraction of the mean RR (≈ SDNN / mean RR) for sinus rhythm. */
  rrCv: Range;
  /** Share of the RR variance in the LF band (~0.1 Hz); the rest is RSA at the breathing rate. */
  lfShare: Range;
  /** Centre of the LF (Mayer-wave) band, Hz (ECGSYN: 0.1 Hz). */
  lfHz: Range;
  /** Breathing rate, Hz (RSA, A2–P2 split, breath noise and amplitude follow it). */
  breathingHz: Range;
  /** Probability that a beat is a premature (ectopic) beat with a compensatory pause. */
  ectopicProbability: Range;
  /** Coupling of an ectopic beat: its interval as a fraction of the sinus RR. */
  ectopicCoupling: Range;
  /** AF-like irregularity: coefficient of variation of i.i.d. RR (used when rhythm = 'af'). */
  afRrCv: Range;
  /** Offset of the systole (S1 onset → A2 onset) from the timing relation, s (per recording). */
  systoleOffsetS: Range;
  /** Beat-to-beat jitter of the systole, s (standard deviation). */
  systoleJitterS: Range;
  /** Duration of one S1 component (M1 or T1), s. */
  s1ComponentS: Range;
  /** Delay of T1 after M1, s. */
  m1t1DelayS: Range;
  /** Centre frequency of S1's oscillation, Hz. */
  s1Hz: Range;
  /** Duration of one S2 component (A2 or P2), s. */
  s2ComponentS: Range;
  /** Centre frequency of S2's oscillation, Hz. */
  s2Hz: Range;
  /** A2–P2 split at end-expiration, s. */
  splitExpirationS: Range;
  /** Extra A2–P2 split at peak inspiration, s. */
  splitInspirationS: Range;
  /** P2 amplitude relative to A2. */
  p2Ratio: Range;
  /** T1 amplitude relative to M1. */
  t1Ratio: Range;
  /** S2 amplitude relative to S1. */
  s2Ratio: Range;
  /** Beat-to-beat amplitude jitter (relative standard deviation). */
  amplitudeJitter: Range;
  /** Respiratory amplitude modulation depth (sounds fainter at inspiration). */
  respiratoryAmplitudeDepth: Range;
  /** Share of the sounds' energy that is noise-like rather than tonal (0..1). */
  soundNoiseShare: Range;
  /** S3 amplitude relative to S1 (0 = no S3). */
  s3Ratio: Range;
  /** S4 amplitude relative to S1 (0 = no S4). */
  s4Ratio: Range;
  /** Murmur amplitude (RMS) relative to the S1 peak amplitude (used when a murmur is chosen). */
  murmurRatio: Range;
  /** Murmur band centre frequency, Hz. */
  murmurHz: Range;
  /** Chest wall low-pass corner, Hz (2nd order). */
  chestLowpassHz: Range;
  /** Sensor high-pass corner, Hz (2nd order). */
  sensorHighpassHz: Range;
  /** Sensor low-pass corner, Hz (2nd order, clipped below Nyquist). */
  sensorLowpassHz: Range;
  /** Heart-sound power over ambient-noise power, dB. */
  snrDb: Range;
  /** Colour c of the ambient noise, power ∝ 1/f^c (0 white, 1 pink, 2 brown). */
  ambientColour: Range;
  /** Slow amplitude modulation of the ambient noise (log-normal, SD in nepers; 0 = stationary). */
  ambientModulation: Range;
  /** Low-frequency rumble (handling, muscle; noise low-passed at 20 Hz) over heart-sound power, dB. */
  rumbleDb: Range;
  /** Breath-sound power over heart-sound power, dB. */
  breathNoiseDb: Range;
  /** Friction / handling spikes per second (Poisson rate). */
  frictionPerS: Range;
  /** Friction spike peak relative to the S1 peak. */
  frictionRatio: Range;
  /** White noise floor after the sensor filter (converter, electronics) over the mix's power, dB. */
  floorDb: Range;
  /** Peak level of the output (full scale 1). */
  peakLevel: Range;
  /**
   * Profile 'circor' only: scale of the drawn durations of the noisy lead-in and tail (the
   * unannotated, handling-dominated start and end of real recordings); 0 = none.
   */
  edgeNoiseScale: Range;
}

/** Default ranges. Frozen. Sources and calibration: docs/simulator.md. */
export const PCG_PARAM_DEFAULTS: Readonly<Record<keyof PcgParamRanges, Range>> = Object.freeze({
  hrBpm: [70, 140],
  rrCv: [0.01, 0.06],
  lfShare: [0.2, 0.6],
  lfHz: [0.08, 0.12],
  breathingHz: [0.2, 0.45],
  ectopicProbability: [0, 0],
  ectopicCoupling: [0.55, 0.75],
  afRrCv: [0.12, 0.25],
  systoleOffsetS: [-0.03, 0.03],
  systoleJitterS: [0.004, 0.012],
  s1ComponentS: [0.07, 0.11],
  m1t1DelayS: [0.015, 0.035],
  s1Hz: [30, 100],
  s2ComponentS: [0.05, 0.085],
  s2Hz: [45, 150],
  splitExpirationS: [0.01, 0.03],
  splitInspirationS: [0.01, 0.04],
  p2Ratio: [0.3, 0.8],
  t1Ratio: [0.3, 0.8],
  s2Ratio: [0.5, 1.3],
  amplitudeJitter: [0.05, 0.2],
  respiratoryAmplitudeDepth: [0, 0.3],
  soundNoiseShare: [0.2, 0.6],
  s3Ratio: [0, 0],
  s4Ratio: [0, 0],
  murmurRatio: [0.05, 0.3],
  murmurHz: [100, 300],
  chestLowpassHz: [200, 500],
  sensorHighpassHz: [3, 20],
  sensorLowpassHz: [600, 1600],
  snrDb: [-12, 22],
  ambientColour: [0.2, 1.6],
  ambientModulation: [0, 1.5],
  rumbleDb: [-30, -5],
  breathNoiseDb: [-35, -12],
  frictionPerS: [0, 3],
  frictionRatio: [0.5, 4],
  floorDb: [-45, -30],
  peakLevel: [0.3, 0.9],
  edgeNoiseScale: [1, 1],
} satisfies Record<keyof PcgParamRanges, Range>);

/** Names of the drawn parameters, in draw order. */
export const PCG_PARAM_NAMES = Object.freeze(Object.keys(PCG_PARAM_DEFAULTS) as Array<keyof PcgParamRanges>);

/** Bounds a parameter's range must lie within (validation). */
const PARAM_BOUNDS: Readonly<Record<keyof PcgParamRanges, Range>> = {
  hrBpm: [20, 250],
  rrCv: [0, 0.3],
  lfShare: [0, 1],
  lfHz: [0.02, 0.2],
  breathingHz: [0.05, 1.5],
  ectopicProbability: [0, 0.5],
  ectopicCoupling: [0.4, 0.95],
  afRrCv: [0, 0.5],
  systoleOffsetS: [-0.1, 0.1],
  systoleJitterS: [0, 0.05],
  s1ComponentS: [0.02, 0.2],
  m1t1DelayS: [0, 0.06],
  s1Hz: [10, 400],
  s2ComponentS: [0.02, 0.2],
  s2Hz: [10, 400],
  splitExpirationS: [0, 0.08],
  splitInspirationS: [0, 0.08],
  p2Ratio: [0, 2],
  t1Ratio: [0, 2],
  s2Ratio: [0, 5],
  amplitudeJitter: [0, 0.5],
  respiratoryAmplitudeDepth: [0, 0.9],
  soundNoiseShare: [0, 1],
  s3Ratio: [0, 2],
  s4Ratio: [0, 2],
  murmurRatio: [0, 3],
  murmurHz: [20, 1000],
  chestLowpassHz: [50, 5000],
  sensorHighpassHz: [1, 100],
  sensorLowpassHz: [100, 20000],
  snrDb: [-20, 80],
  ambientColour: [0, 2],
  ambientModulation: [0, 2],
  rumbleDb: [-80, 20],
  breathNoiseDb: [-80, 20],
  frictionPerS: [0, 5],
  frictionRatio: [0, 10],
  floorDb: [-120, 0],
  peakLevel: [0.01, 1],
  edgeNoiseScale: [0, 3],
};

/** Rhythm: sinus (IPFM with RSA and LF, optional ectopics) or AF-like irregular RR. */
export const PCG_RHYTHMS = ['sinus', 'af'] as const;
export type PcgRhythm = (typeof PCG_RHYTHMS)[number];
/** Murmur kinds; 'none' for no murmur. */
export const PCG_MURMURS = ['none', 'ejection', 'holosystolic', 'diastolic'] as const;
export type PcgMurmur = (typeof PCG_MURMURS)[number];
/** Systole-vs-HR relations (see timing.ts). */
export const PCG_TIMINGS = ['circor', 'weissler'] as const;
export type PcgTiming = (typeof PCG_TIMINGS)[number];

/**
 * Recording profile: 'circor' (default) draws the noise spectrum, the heart sounds' spectrum and
 * their loudness over the noise per recording from a fit to circor-train (recordingProfiles.ts);
 * 'parametric' uses only the parameter ranges (1/f^c ambient noise, sensor filters, snrDb).
 */
export const PCG_PROFILES = ['circor', 'parametric'] as const;
export type PcgProfile = (typeof PCG_PROFILES)[number];

/** Options of `simulatePcg`. All optional. */
export interface PcgSimOptions {
  /** Seed, integer in [0, 2^32 − 1]. Default 1. */
  seed?: number;
  /** Sampling rate, Hz (≥ 200). Default 4000 (CirCor's rate). */
  sampleRateHz?: number;
  /** Duration, s (> 0, ≤ 3600). Default 20. */
  durationS?: number;
  /** Default 'sinus'. */
  rhythm?: PcgRhythm;
  /** Default 'none'. */
  murmur?: PcgMurmur;
  /** Systole relation. Default 'circor'. */
  timing?: PcgTiming;
  /** Recording profile. Default 'circor'. */
  profile?: PcgProfile;
  /** Replace any default range (a number fixes the value). */
  params?: Partial<Record<keyof PcgParamRanges, Range | number>>;
}

/** Options with defaults filled in and validated. */
export interface ResolvedPcgSimOptions {
  seed: number;
  sampleRateHz: number;
  durationS: number;
  rhythm: PcgRhythm;
  murmur: PcgMurmur;
  timing: PcgTiming;
  profile: PcgProfile;
  /** Parameters given in `params` (with profile 'circor', an explicit snrDb replaces the profile's). */
  explicitParams: Array<keyof PcgParamRanges>;
  ranges: Record<keyof PcgParamRanges, Range>;
}

/** Defaults of the non-range options. Frozen. */
export const PCG_SIM_DEFAULTS = Object.freeze({
  seed: 1,
  sampleRateHz: 4000,
  durationS: 20,
  rhythm: 'sinus' as PcgRhythm,
  murmur: 'none' as PcgMurmur,
  timing: 'circor' as PcgTiming,
  profile: 'circor' as PcgProfile,
});

function oneOf<T extends string>(choices: readonly T[], value: unknown, what: string): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new RangeError(`${what} must be one of ${choices.join(', ')}; got '${String(value)}'`);
}

/** Fill in defaults and validate; throws RangeError with a one-line message. */
export function resolvePcgOptions(options: PcgSimOptions = {}): ResolvedPcgSimOptions {
  const seed = options.seed ?? PCG_SIM_DEFAULTS.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
  const sampleRateHz = options.sampleRateHz ?? PCG_SIM_DEFAULTS.sampleRateHz;
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz >= 200 && sampleRateHz <= 384000)) {
    throw new RangeError(`sampleRateHz must be a number in [200, 384000], got ${sampleRateHz}`);
  }
  const durationS = options.durationS ?? PCG_SIM_DEFAULTS.durationS;
  if (!(Number.isFinite(durationS) && durationS > 0 && durationS <= 3600)) throw new RangeError(`durationS must be in (0, 3600], got ${durationS}`);
  const rhythm = oneOf(PCG_RHYTHMS, options.rhythm ?? PCG_SIM_DEFAULTS.rhythm, 'rhythm');
  const murmur = oneOf(PCG_MURMURS, options.murmur ?? PCG_SIM_DEFAULTS.murmur, 'murmur');
  const timing = oneOf(PCG_TIMINGS, options.timing ?? PCG_SIM_DEFAULTS.timing, 'timing');
  const profile = oneOf(PCG_PROFILES, options.profile ?? PCG_SIM_DEFAULTS.profile, 'profile');
  const ranges = { ...PCG_PARAM_DEFAULTS } as Record<keyof PcgParamRanges, Range>;
  for (const [key, value] of Object.entries(options.params ?? {})) {
    if (!(key in PCG_PARAM_DEFAULTS)) throw new RangeError(`unknown simulator parameter '${key}' (known: ${PCG_PARAM_NAMES.join(', ')})`);
    const name = key as keyof PcgParamRanges;
    const range: Range = typeof value === 'number' ? [value, value] : (value as Range);
    if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new RangeError(`${name} must be a number or a [low, high] pair of finite numbers, got ${JSON.stringify(value)}`);
    }
    const [lo, hi] = range;
    if (lo > hi) throw new RangeError(`${name}: low (${lo}) must not exceed high (${hi})`);
    const [bLo, bHi] = PARAM_BOUNDS[name];
    if (lo < bLo || hi > bHi) throw new RangeError(`${name} must lie within [${bLo}, ${bHi}], got [${lo}, ${hi}]`);
    ranges[name] = [lo, hi];
  }
  return { seed, sampleRateHz, durationS, rhythm, murmur, timing, profile, explicitParams: Object.keys(options.params ?? {}) as Array<keyof PcgParamRanges>, ranges };
}

/** One recording's drawn parameter values. */
export type PcgParams = Record<keyof PcgParamRanges, number>;

/** Draw every parameter (always all of them, in {@link PCG_PARAM_NAMES} order) with `uniform`. */
export function drawParams(ranges: Record<keyof PcgParamRanges, Range>, uniform: (lo: number, hi: number) => number): PcgParams {
  const out = {} as PcgParams;
  for (const name of PCG_PARAM_NAMES) {
    const [lo, hi] = ranges[name];
    const u = uniform(0, 1);
    out[name] = lo === hi ? lo : lo + (hi - lo) * u;
  }
  return out;
}
