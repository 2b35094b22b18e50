/**
 * The classical method as an Estimator: the beat detector (`detectBeats`: PCG or pulse, cleaned
 * RR, quality), run over the whole recording or in overlapping segments for long ones.
 * Browser-safe.
 */
import { detectBeats, type DetectBeatsResult } from './detectBeats.js';
import { analysisRateFor } from '../../core/ratePolicy.js';
import type { SignalChoice } from '../../core/choices.js';
import type { Estimator, MethodOutput } from '../estimator.js';

/**
 * Recordings longer than SEGMENT_S + 2·SEGMENT_OVERLAP_S are detected in segments of SEGMENT_S
 * (each padded by SEGMENT_OVERLAP_S on both sides, beats kept from the unpadded core): memory
 * stays bounded for any length, and the cardiac period is estimated per segment, so slow heart-rate
 * changes over an hour are followed.
 */
export const SEGMENT_S = 300;
export const SEGMENT_OVERLAP_S = 10;

/** Most quality reasons listed for a segmented recording. */
const MAX_SEGMENT_REASONS = 12;

/**
 * `detectBeats` over the whole signal, or segment by segment for long recordings (see
 * {@link SEGMENT_S}). Segments: cores [k·L, (k+1)·L) (a remainder shorter than L/4 joins the last
 * core), each detected with SEGMENT_OVERLAP_S of context on both sides; a segment contributes the
 * beats, S2 sounds and RR intervals that start inside its core. The signal type is decided on the
 * first segment ('auto') and imposed on the others. Quality: core-duration-weighted mean score,
 * reasons tagged with their segment.
 */
export function detectSegmented(
  x: Float32Array | Float64Array,
  rateHz: number,
  signal: SignalChoice,
  returnEnvelope: boolean,
): DetectBeatsResult {
  const durationS = x.length / rateHz;
  if (durationS <= SEGMENT_S + 2 * SEGMENT_OVERLAP_S) return detectBeats(x, rateHz, { signal, returnEnvelope });
  const cores: Array<[number, number]> = [];
  for (let c0 = 0; c0 < durationS; c0 += SEGMENT_S) cores.push([c0, Math.min(durationS, c0 + SEGMENT_S)]);
  if (cores.length > 1 && cores[cores.length - 1]![1] - cores[cores.length - 1]![0] < SEGMENT_S / 4) {
    const last = cores.pop()!;
    cores[cores.length - 1]![1] = last[1];
  }
  const beatTimesS: number[] = [];
  const s2TimesS: number[] = [];
  const rrS: number[] = [];
  const rrStartIndex: number[] = [];
  const periods: number[] = [];
  const reasons: string[] = [];
  let weighted = 0;
  let type: SignalChoice = signal;
  let signalType: 'pcg' | 'pulse' = 'pcg';
  const envParts: Float32Array[] = [];
  let envRate = 0;
  for (const [c0, c1] of cores) {
    const s0 = Math.max(0, Math.floor((c0 - SEGMENT_OVERLAP_S) * rateHz));
    const s1 = Math.min(x.length, Math.ceil((c1 + SEGMENT_OVERLAP_S) * rateHz));
    const offsetS = s0 / rateHz;
    const det = detectBeats(x.subarray(s0, s1), rateHz, { signal: type, returnEnvelope });
    if (type === 'auto') type = det.signalType;
    signalType = det.signalType;
    const globalIndex = new Map<number, number>();
    det.beatTimesS.forEach((t, i) => {
      const g = t + offsetS;
      if (g >= c0 && g < c1) {
        globalIndex.set(i, beatTimesS.length);
        beatTimesS.push(g);
      }
    });
    for (const t of det.s2TimesS ?? []) if (t + offsetS >= c0 && t + offsetS < c1) s2TimesS.push(t + offsetS);
    det.rrS.forEach((r, j) => {
      const g = globalIndex.get(det.rrStartIndex[j]!);
      if (g !== undefined) {
        rrS.push(r);
        rrStartIndex.push(g);
      }
    });
    if (det.periodS !== null) periods.push(det.periodS);
    const score = Number.isFinite(det.quality.score) ? det.quality.score : 0;
    weighted += score * (c1 - c0);
    for (const reason of det.quality.reasons) reasons.push(`${c0.toFixed(0)}–${c1.toFixed(0)} s: ${reason}`);
    if (det.envelope) {
      envRate = det.envelope.sampleRateHz;
      const e0 = Math.round((c0 - offsetS) * envRate);
      const e1 = Math.round((c1 - offsetS) * envRate);
      envParts.push(det.envelope.values.subarray(Math.max(0, e0), Math.min(det.envelope.values.length, e1)));
    }
  }
  const shown = reasons.slice(0, MAX_SEGMENT_REASONS);
  if (reasons.length > shown.length) shown.push(`… and ${reasons.length - shown.length} more segment notes`);
  periods.sort((a, b) => a - b);
  const result: DetectBeatsResult = {
    beatTimesS,
    rrS,
    rrStartIndex,
    signalType,
    periodS: periods.length ? periods[periods.length >> 1]! : null,
    quality: { score: weighted / durationS, reasons: shown },
  };
  if (signalType === 'pcg') result.s2TimesS = s2TimesS;
  if (returnEnvelope && envParts.length) {
    const values = new Float32Array(envParts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of envParts) {
      values.set(p, at);
      at += p.length;
    }
    result.envelope = { values, sampleRateHz: envRate };
  }
  return result;
}

/** The classical beat detector. */
export const classicalEstimator: Estimator = {
  name: 'classical',
  analysisRateHz: analysisRateFor,
  analyse(input, options): MethodOutput {
    const det = detectSegmented(input.samples, input.sampleRateHz, options.signal, options.returnEnvelope);
    const out: MethodOutput = {
      signalType: det.signalType,
      beatTimesS: det.beatTimesS,
      rrS: det.rrS,
      rrStartIndex: det.rrStartIndex,
      periodS: det.periodS,
      quality: det.quality,
      details: {},
    };
    if (det.s2TimesS) out.s2TimesS = det.s2TimesS;
    if (det.envelope) out.envelope = det.envelope;
    return out;
  },
};
