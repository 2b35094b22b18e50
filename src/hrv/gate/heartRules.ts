/**
 * Not-a-heartbeat rules on the event-level heart evidence (heartEvidence.ts), issue 11 §1.
 * Each rule is one question about the sound events the method called S1 and S2; thresholds sit
 * outside the range measured on real heart sounds (circor-train, the data for tuning; pcg-real and
 * pcg-ecg only checked) and were chosen against the seeded non-heart zoo
 * (src/signal/adversaryZoo.ts) with some kinds held out. Measurements: docs/gate.md.
 * Browser-safe, pure.
 */
import type { GateEvidence } from './evidence.js';
import { detectSignalType } from '../classical/signalType.js';

/**
 * Whether the samples are a pulse train of either polarity (classical/signalType.ts on x and −x):
 * the seed's synthetic pulses are a heartbeat signal with one event per beat, to which the
 * heart-sound rules (a second sound, …) do not apply.
 */
export function isPulseTrain(x: ArrayLike<number>, sampleRateHz: number): boolean {
  if (detectSignalType(x, sampleRateHz).signalType === 'pulse') return true;
  const n = Math.min(x.length, Math.round(10 * sampleRateHz));
  const neg = new Float64Array(n);
  for (let i = 0; i < n; i++) neg[i] = -x[i]!;
  return detectSignalType(neg, sampleRateHz).signalType === 'pulse';
}

/** Thresholds of the heart rules; 0 / Infinity switches a rule off. */
export const HEART_DEFAULTS = Object.freeze({
  /** Fewest events (S1 + S2) before any heart rule speaks. */
  minEvents: 8,
  /** Median event width above this, ms → slow swells (modulated noise, breathing), not heart sounds. */
  maxEventWidthMs: 90,
  /** Median S2 peak ÷ mid-diastole level below this → no second heart sound (one thump per cycle). */
  minS2Contrast: 2.5,
  /** Share of loud frames with an 80–500 Hz pitch above this → voiced, tonal or ringing sound. */
  maxHarmonicity: 0.6,
  /** Beat-to-beat S1 waveform correlation above this → the same waveform repeated by a machine. */
  maxBeatSimilarity: 0.985,
  /** Beat-to-beat S1 correlation above this together with … */
  clickSimilarity: 0.9,
  /** … an event share of 20–400 Hz below this → the same high-pitched click repeated (shutter, clock). */
  clickMaxLowShare: 0.5,
  /** S1 and S2 both this many times above the mid-diastole level → (nearly) nothing between the events (no body or microphone noise). */
  maxFloorContrast: 200,
});

export type HeartThresholds = { -readonly [K in keyof typeof HEART_DEFAULTS]: number };

/** Reasons the event-level evidence says this is not a heartbeat (empty: consistent with one). */
export function heartReasons(ev: GateEvidence, o: HeartThresholds = HEART_DEFAULTS): string[] {
  const h = ev.heart;
  if (!h || !(h.nEvents >= o.minEvents)) return [];
  const out: string[] = [];
  if (h.eventWidthMs > o.maxEventWidthMs) {
    out.push(`not heart sounds: the sound events last ${h.eventWidthMs.toFixed(0)} ms (heart sounds: tens of ms; slow swells of noise or breath are longer)`);
  }
  if (h.s2Contrast < o.minS2Contrast) {
    out.push(`not a heartbeat: no second heart sound (the sound read as S2 is ${h.s2Contrast.toFixed(1)}× the level between beats; one thump per cycle: steps, drums, bursts)`);
  }
  if (h.harmonicity > o.maxHarmonicity) {
    out.push(`not heart sounds: ${(100 * h.harmonicity).toFixed(0)} % of the loud frames have a pitch (voice, tone, music or ringing)`);
  }
  if (h.beatSimilarity > o.maxBeatSimilarity) {
    out.push(`not a heartbeat: every beat has the same waveform (correlation ${h.beatSimilarity.toFixed(3)}; a machine or a loop)`);
  }
  if (h.beatSimilarity > o.clickSimilarity && h.eventLowShare < o.clickMaxLowShare) {
    out.push(`not heart sounds: the same high-pitched click every beat (correlation ${h.beatSimilarity.toFixed(2)}, ${(100 * h.eventLowShare).toFixed(0)} % of the event energy below 400 Hz)`);
  }
  if (Math.min(h.s1Contrast, h.s2Contrast) > o.maxFloorContrast) {
    out.push(`not a recorded heartbeat: (nearly) silent between the sounds (${Math.min(h.s1Contrast, h.s2Contrast).toFixed(0)}× quieter: no body or microphone noise)`);
  }
  return out;
}
