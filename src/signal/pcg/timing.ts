/**
 * Systole (S1 onset → A2 onset) against heart rate. Systole shortens little as HR rises;
 * diastole takes up the rest of the cycle, so at 150+ bpm the two become about equal.
 *
 * - 'weissler': Weissler, Harris & Schoenfeld, "Systolic time intervals in heart failure in man",
 *   Circulation 37:149–159 (1968): QS2 = 546 − 2.1·HR ms (men), 549 − 2.0·HR ms (women); we use
 *   the mean of the two, 547.5 − 2.05·HR, less an assumed Q-to-S1-onset delay of 50 ms
 *   (electromechanical delay before mitral closure): systole = 497.5 − 2.05·HR ms. Adults.
 * - 'circor' (default): the same linear form fitted to circor-train's annotations (10 732 cycles
 *   with a complete preceding cycle; S1 onset → S2 onset against the preceding RR's HR; mostly
 *   children): systole = 389.1 − 1.27·HR ms, residual SD 27 ms (scripts/pcg-realism.ts prints
 *   the fit again).
 * HR is the rate of the preceding interval (ejection depends on the filling time before it).
 */
import type { PcgTiming } from './params.js';

const RELATIONS: Readonly<Record<PcgTiming, { interceptMs: number; slopeMsPerBpm: number }>> = Object.freeze({
  weissler: { interceptMs: 497.5, slopeMsPerBpm: 2.05 },
  circor: { interceptMs: 389.1, slopeMsPerBpm: 1.27 },
});

/** Systole S1 onset → A2 onset, s, for heart rate `hrBpm` by `relation` (before jitter and limits). */
export function systoleS(relation: PcgTiming, hrBpm: number): number {
  const r = RELATIONS[relation];
  return (r.interceptMs - r.slopeMsPerBpm * hrBpm) / 1000;
}

/**
 * Systole for one beat: the relation at the preceding interval's HR plus a per-recording offset
 * and beat jitter, limited to [0.12 s, 0.6·RR] so that S2 and its split stay inside the cycle.
 */
export function beatSystoleS(relation: PcgTiming, prevRrS: number, rrS: number, offsetS: number, jitterS: number): number {
  const s = systoleS(relation, 60 / prevRrS) + offsetS + jitterS;
  return Math.min(Math.max(s, 0.12), 0.6 * rrS);
}
