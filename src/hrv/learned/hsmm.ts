/**
 * Duration-aware decoding of per-frame state posteriors (browser-safe): a hidden semi-Markov
 * model over the cycle S1 → systole → S2 → diastole → S1, Viterbi-decoded, with state durations
 * that depend on the heart period. Durations come from a linear model of each state's length
 * against the RR interval, fitted on circor-train's complete cycles (11 405 cycles):
 *   S1 = 0.066 + 0.087·T, S2 = 0.059 + 0.075·T, S1 onset → S2 onset = 0.112 + 0.243·T (s),
 *   diastole = the rest of the period; standard deviations 0.022, 0.021, 0.026 and 0.02 + 0.06·T.
 * The first and last segments may be cut by the recording's ends (survival probabilities).
 */
import { hsmmForwardSimd, type HsmmForward } from './hsmmSimd.js';

/** Number of states; indices 0 S1, 1 systole, 2 S2, 3 diastole. */
export const HSMM_STATES = 4;

/** Duration model of the decoder (s, as linear functions of the period T in s). */
export interface DurationModel {
  s1: [number, number];
  s2: [number, number];
  /** S1 onset → S2 onset (S1 + systole). */
  systolicInterval: [number, number];
  sd: { s1: number; systole: number; s2: number; diastole: [number, number] };
}

/** Duration model fitted on circor-train (frozen). */
export const DURATION_MODEL_DEFAULTS: Readonly<DurationModel> = Object.freeze({
  s1: [0.066, 0.087] as [number, number],
  s2: [0.059, 0.075] as [number, number],
  systolicInterval: [0.112, 0.243] as [number, number],
  sd: { s1: 0.022, systole: 0.026, s2: 0.021, diastole: [0.02, 0.06] as [number, number] },
});

/** Log duration pmf and log survival of each state, index d = 1 … maxFrames (index 0 unused). */
export interface DurationTables {
  logPmf: Float64Array[];
  logSurvival: Float64Array[];
  maxFrames: number[];
}

/**
 * Duration tables for a period.
 * @param periodS heart period, s
 * @param frameRateHz frame rate, Hz
 * @param systoleScale multiplies the systolic interval (candidate systole lengths)
 */
export function durationTables(periodS: number, frameRateHz: number, model: Readonly<DurationModel> = DURATION_MODEL_DEFAULTS, systoleScale = 1): DurationTables {
  const T = periodS;
  const s1 = model.s1[0] + model.s1[1] * T;
  const s2 = model.s2[0] + model.s2[1] * T;
  const sysInt = (model.systolicInterval[0] + model.systolicInterval[1] * T) * systoleScale;
  const minS = 1.5 / frameRateHz;
  const means = [s1, Math.max(minS, sysInt - s1), s2, Math.max(minS, T - sysInt - s2)];
  const sds = [model.sd.s1, model.sd.systole, model.sd.s2, model.sd.diastole[0] + model.sd.diastole[1] * T];
  const logPmf: Float64Array[] = [];
  const logSurvival: Float64Array[] = [];
  const maxFrames: number[] = [];
  for (let s = 0; s < HSMM_STATES; s++) {
    const mu = means[s]! * frameRateHz;
    const sd = Math.max(1, sds[s]! * frameRateHz);
    const dMax = Math.max(2, Math.ceil(mu + 4 * sd));
    const p = new Float64Array(dMax + 1);
    let z = 0;
    for (let d = 1; d <= dMax; d++) {
      p[d] = Math.exp(-((d - mu) ** 2) / (2 * sd * sd)) + 1e-12;
      z += p[d]!;
    }
    const lp = new Float64Array(dMax + 1);
    const ls = new Float64Array(dMax + 1);
    let tail = 1;
    for (let d = 1; d <= dMax; d++) {
      lp[d] = Math.log(p[d]! / z);
      ls[d] = Math.log(Math.max(tail, 1e-12));
      tail -= p[d]! / z;
    }
    logPmf.push(lp);
    logSurvival.push(ls);
    maxFrames.push(dMax);
  }
  return { logPmf, logSurvival, maxFrames };
}

/** A decoded state sequence. */
export interface HsmmPath {
  /** State per frame, 0 S1 … 3 diastole. */
  states: Uint8Array;
  /** Log score of the best path. */
  logScore: number;
}

/** The forward pass in plain JS: cumulative emissions, best segment scores and durations. */
function forwardJs(logEmission: Float64Array, nFrames: number, tables: DurationTables, logInit: number): HsmmForward {
  const S = HSMM_STATES;
  const T = nFrames;
  // cumulative emissions per state: C[s][t] = sum_{u<t} e[u][s]
  const C: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const c = new Float64Array(T + 1);
    for (let t = 0; t < T; t++) c[t + 1] = c[t]! + logEmission[t * S + s]!;
    C.push(c);
  }
  // delta[s][t]: best log score of a path whose segment in state s ends at frame t
  const delta: Float64Array[] = [];
  const back: Int32Array[] = [];
  for (let s = 0; s < S; s++) {
    delta.push(new Float64Array(T).fill(-Infinity));
    back.push(new Int32Array(T));
  }
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      const dPrev = delta[(s + S - 1) % S]!;
      const c = C[s]!;
      const ct1 = c[t + 1]!;
      const lp = tables.logPmf[s]!;
      const dMax = Math.min(tables.maxFrames[s]!, t + 1);
      let best = -Infinity;
      let arg = 1;
      // segments starting after frame 0 (d ≤ t), then the one starting at frame 0 (d = t + 1)
      const dInner = Math.min(dMax, t);
      // four durations per pass: the same scores, compared in the same order (one branch when none wins)
      let d = 1;
      for (; d + 3 <= dInner; d += 4) {
        const k = t - d; // the segment of duration d starts at k + 1
        const v0 = dPrev[k]! + lp[d]! + (ct1 - c[k + 1]!);
        const v1 = dPrev[k - 1]! + lp[d + 1]! + (ct1 - c[k]!);
        const v2 = dPrev[k - 2]! + lp[d + 2]! + (ct1 - c[k - 1]!);
        const v3 = dPrev[k - 3]! + lp[d + 3]! + (ct1 - c[k - 2]!);
        if (v0 > best || v1 > best || v2 > best || v3 > best) {
          if (v0 > best) {
            best = v0;
            arg = d;
          }
          if (v1 > best) {
            best = v1;
            arg = d + 1;
          }
          if (v2 > best) {
            best = v2;
            arg = d + 2;
          }
          if (v3 > best) {
            best = v3;
            arg = d + 3;
          }
        }
      }
      for (; d <= dInner; d++) {
        const k = t - d;
        const v = dPrev[k]! + lp[d]! + (ct1 - c[k + 1]!);
        if (v > best) {
          best = v;
          arg = d;
        }
      }
      if (dMax === t + 1) {
        const v = logInit + tables.logSurvival[s]![t + 1]! + (ct1 - c[0]!);
        if (v > best) {
          best = v;
          arg = t + 1;
        }
      }
      // a first segment longer than the table: allowed (cut by the recording's start), flat score
      if (t + 1 > tables.maxFrames[s]! && t + 1 <= 4 * tables.maxFrames[s]!) {
        const v = logInit + Math.log(1e-6) + ct1;
        if (v > best) {
          best = v;
          arg = t + 1;
        }
      }
      delta[s]![t] = best;
      back[s]![t] = arg;
    }
  }
  return { C, delta, back };
}

/**
 * Viterbi decoding of the semi-Markov chain (the forward pass in WebAssembly SIMD where available,
 * bit-identical to {@link hsmmViterbiReference}).
 * @param logEmission nFrames × 4 row-major log emission scores
 * @param nFrames number of frames
 * @param tables duration tables (see {@link durationTables})
 */
export function hsmmViterbi(logEmission: Float64Array, nFrames: number, tables: DurationTables): HsmmPath {
  return viterbi(logEmission, nFrames, tables, true);
}

/** {@link hsmmViterbi} in plain JS (the reference of the SIMD forward pass). */
export function hsmmViterbiReference(logEmission: Float64Array, nFrames: number, tables: DurationTables): HsmmPath {
  return viterbi(logEmission, nFrames, tables, false);
}

function viterbi(logEmission: Float64Array, nFrames: number, tables: DurationTables, simd: boolean): HsmmPath {
  const S = HSMM_STATES;
  const T = nFrames;
  const states = new Uint8Array(T);
  if (T === 0) return { states, logScore: 0 };
  const logInit = Math.log(1 / S);
  const fwd = (simd ? hsmmForwardSimd(logEmission, T, tables.logPmf, tables.logSurvival, tables.maxFrames, logInit) : null) ?? forwardJs(logEmission, T, tables, logInit);
  const { C, delta, back } = fwd;
  // the last segment may be cut by the recording's end: use survival instead of the pmf
  let bestScore = -Infinity;
  let bestS = 0;
  let bestD = 1;
  for (let s = 0; s < S; s++) {
    const prev = (s + S - 1) % S;
    const c = C[s]!;
    const dMax = Math.min(tables.maxFrames[s]!, T);
    for (let d = 1; d <= dMax; d++) {
      const start = T - d;
      const em = c[T]! - c[start]!;
      const v = start === 0 ? logInit + tables.logSurvival[s]![d]! + em : delta[prev]![start - 1]! + tables.logSurvival[s]![d]! + em;
      if (v > bestScore) {
        bestScore = v;
        bestS = s;
        bestD = d;
      }
    }
    if (delta[s]![T - 1]! > bestScore && back[s]![T - 1]! === T) {
      bestScore = delta[s]![T - 1]!;
      bestS = s;
      bestD = T;
    }
  }
  // backtrack
  let t = T - 1;
  let s = bestS;
  let d = bestD;
  for (;;) {
    const start = t - d + 1;
    states.fill(s, start, t + 1);
    if (start <= 0) break;
    t = start - 1;
    s = (s + S - 1) % S;
    d = back[s]![t]!;
  }
  return { states, logScore: bestScore };
}
