/**
 * All of the gate's measurements for one recording and one detection. Browser-safe.
 */
import { heartBroadBandIsGateBroadBand, type HeartEvidence } from './heartEvidence.js';
import { spectralEvidence, type SpectralEvidence } from './spectrum.js';
import { eventEvidence, gateBroadBand, gateEnvelopes, rhythmEvidence, type EventEvidence, type GateBeats, type GateEnvelopes, type RhythmEvidence } from './events.js';

export interface LevelEvidence {
  /** Largest |x − mean|. */
  peakAbs: number;
  /** Standard deviation of the samples. */
  std: number;
}

export interface GateEvidence {
  level: LevelEvidence;
  spectrum: SpectralEvidence;
  events: EventEvidence;
  rhythm: RhythmEvidence;
  /** Event-level heart evidence (heartEvidence.ts), heart-sound (pcg) detections only. */
  heart?: HeartEvidence;
  /** Set when a half-rate reading was tested (rate.ts midCycleEventRatio). */
  midCycleEventRatio?: number;
}

export function levelEvidence(x: ArrayLike<number>): LevelEvidence {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m = n ? m / n : 0;
  let ss = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
    if (Math.abs(d) > peak) peak = Math.abs(d);
  }
  return { peakAbs: peak, std: n ? Math.sqrt(ss / n) : 0 };
}

/**
 * The detection-independent measurements of a recording (envelopes, level, spectrum): computed once
 * and shared by every detection judged on the same samples (estimate's learned path judges the
 * learned and the classical beats).
 */
export interface GateSignal {
  env: GateEnvelopes;
  level: LevelEvidence;
  spectrum: SpectralEvidence;
  /**
   * The 20 Hz high-passed samples ({@link gateBroadBand}), kept where they are also the heart
   * evidence's broad band ({@link heartBroadBandIsGateBroadBand}: rates up to 4444 Hz) so that the
   * heart rules need not filter again. A full-length copy: a caller that judges several detections
   * drops it (sets it undefined) once the heart rules have run.
   */
  broadBand?: Float64Array;
}

/** The {@link GateSignal} of samples at `sampleRateHz`. */
export function gateSignal(x: ArrayLike<number>, sampleRateHz: number): GateSignal {
  if (!heartBroadBandIsGateBroadBand(sampleRateHz)) return { env: gateEnvelopes(x, sampleRateHz), level: levelEvidence(x), spectrum: spectralEvidence(x, sampleRateHz) };
  const broadBand = gateBroadBand(x, sampleRateHz);
  return { env: gateEnvelopes(x, sampleRateHz, broadBand), level: levelEvidence(x), spectrum: spectralEvidence(x, sampleRateHz), broadBand };
}

/** Measure everything the gate looks at (see spectrum.ts and events.ts for the definitions). */
export function gateEvidence(x: ArrayLike<number>, sampleRateHz: number, beats: GateBeats, env: GateEnvelopes = gateEnvelopes(x, sampleRateHz)): GateEvidence {
  return evidenceFrom({ env, level: levelEvidence(x), spectrum: spectralEvidence(x, sampleRateHz) }, beats);
}

/** The gate's evidence for one detection from a recording's shared measurements. */
export function evidenceFrom(signal: GateSignal, beats: GateBeats): GateEvidence {
  const { env } = signal;
  return { level: { ...signal.level }, spectrum: { ...signal.spectrum }, events: eventEvidence(env, beats), rhythm: rhythmEvidence(env, beats) };
}
