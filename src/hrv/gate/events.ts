/**
 * Beat-level evidence for the gate: the shape of the sound events at the detected beats, the
 * rhythm of the intervals, and the S1/S2 structure of each cycle. Browser-safe.
 *
 * Envelopes: RMS over 2 ms blocks (500 Hz), smoothed by a zero-phase 2nd-order 100 Hz low-pass,
 * of the signal high-passed at 20 Hz (broadband), band-passed 20–200 Hz (heart band) and
 * high-passed at 200 Hz (above the heart band). Each event (S1 beat, S2 sound) is the largest
 * broadband-envelope peak within −50 … +150 ms of its detected onset.
 */
import { bandpassFiltfilt } from '../../dsp/butterworth.js';
import { energyEnvelope } from '../../dsp/envelope.js';
import { autocorrelation } from '../../dsp/autocorrelation.js';
import { selectionMedian as median } from '../../core/select.js';

/** What the gate needs to know about a detection (a subset of the estimator seam's MethodOutput). */
export interface GateBeats {
  signalType: 'pcg' | 'pulse';
  beatTimesS: readonly number[];
  s2TimesS?: readonly number[];
  rrS: readonly number[];
  rrStartIndex: readonly number[];
}

export interface EventEvidence {
  /** Events measured. */
  nEvents: number;
  /** Median width of the events at half their height above the background, ms. */
  eventWidthMs: number;
  /** Median 20 → 80 % rise time of the events, ms. */
  riseMs: number;
  /** Heart-band (20–200 Hz) share of the energy within ±60 ms of the events. */
  eventBandFraction: number;
  /** Median event peak over the median envelope. */
  eventContrast: number;
}

export interface RhythmEvidence {
  nIntervals: number;
  meanRrS: number;
  /** SD / mean of the intervals. */
  rrCv: number;
  /** RMS of successive differences ÷ mean interval (over consecutive intervals only). */
  rmssdRel: number;
  /** Median S1→S2 ÷ RR over cycles with one S2 inside; NaN without S2. */
  systoleRatio: number;
  /** Median S1→S2, s; NaN without S2. */
  systoleS: number;
  /** Median S2 peak ÷ S1 peak (broadband envelope); NaN without S2. */
  s2OverS1: number;
  /** Autocorrelation of the heart-band envelope at half the mean interval ÷ at the mean interval. */
  halfLagRatio: number;
  /** Autocorrelation of the heart-band envelope at the mean interval. */
  periodAc: number;
  /** Mean of (−1)^i·(RR_i − RR_{i+1}) ÷ mean RR over consecutive pairs: short/long alternation. */
  alternation: number;
}

const ENV_RATE_HZ = 500;
const ENV_SMOOTH_HZ = 100;

/** Envelopes used by the gate (see the module comment). */
export interface GateEnvelopes {
  broad: Float32Array;
  low: Float32Array;
  high: Float32Array;
  rateHz: number;
}

/** The gate's broad band: the samples zero-phase high-passed at 20 Hz (the low-pass edge at Nyquist is dropped). */
export function gateBroadBand(x: ArrayLike<number>, sampleRateHz: number): Float64Array {
  return bandpassFiltfilt(x, sampleRateHz, 20, sampleRateHz / 2);
}

/**
 * @param broadBand {@link gateBroadBand} of `x`, when the caller already has it
 */
export function gateEnvelopes(x: ArrayLike<number>, sampleRateHz: number, broadBand?: Float64Array): GateEnvelopes {
  const nyq = sampleRateHz / 2;
  const o = { rateHz: ENV_RATE_HZ, smoothHz: ENV_SMOOTH_HZ };
  // one filtered copy of the signal alive at a time (long recordings), unless the caller keeps the broad band
  const b = energyEnvelope(broadBand ?? gateBroadBand(x, sampleRateHz), sampleRateHz, o);
  const low = energyEnvelope(bandpassFiltfilt(x, sampleRateHz, 20, 200), sampleRateHz, o).values;
  const high = energyEnvelope(bandpassFiltfilt(x, sampleRateHz, Math.min(200, 0.4 * sampleRateHz), nyq), sampleRateHz, o).values;
  return { broad: b.values, low, high, rateHz: b.sampleRateHz };
}

/** Event shape evidence at the S1 beats and S2 sounds. */
export function eventEvidence(env: GateEnvelopes, beats: GateBeats): EventEvidence {
  const { broad, low, high, rateHz } = env;
  const times = [...beats.beatTimesS, ...(beats.s2TimesS ?? [])];
  const base = median(broad);
  const widths: number[] = [];
  const rises: number[] = [];
  const contrasts: number[] = [];
  let lowE = 0;
  let highE = 0;
  for (const t of times) {
    const a = Math.max(0, Math.round((t - 0.05) * rateHz));
    const b = Math.min(broad.length - 1, Math.round((t + 0.15) * rateHz));
    if (b <= a) continue;
    let p = a;
    for (let i = a; i <= b; i++) if (broad[i]! > broad[p]!) p = i;
    const peak = broad[p]!;
    if (!(peak > base)) continue;
    const h = (f: number): number => base + f * (peak - base);
    let l = p;
    while (l > 0 && broad[l - 1]! > h(0.5)) l--;
    let r = p;
    while (r < broad.length - 1 && broad[r + 1]! > h(0.5)) r++;
    widths.push(((r - l + 1) / rateHz) * 1000);
    let r80 = p;
    while (r80 > 0 && broad[r80 - 1]! >= h(0.8)) r80--;
    let r20 = r80;
    while (r20 > 0 && broad[r20 - 1]! >= h(0.2)) r20--;
    rises.push(((r80 - r20) / rateHz) * 1000);
    contrasts.push(peak / Math.max(base, 1e-30));
    const w = Math.round(0.06 * rateHz);
    for (let i = Math.max(0, p - w); i <= Math.min(broad.length - 1, p + w); i++) {
      lowE += low[i]! ** 2;
      highE += high[i]! ** 2;
    }
  }
  return {
    nEvents: widths.length,
    eventWidthMs: median(widths),
    riseMs: median(rises),
    eventBandFraction: lowE + highE > 0 ? lowE / (lowE + highE) : NaN,
    eventContrast: median(contrasts),
  };
}

function peakNear(env: Float32Array, rateHz: number, t: number): number {
  const a = Math.max(0, Math.round((t - 0.05) * rateHz));
  const b = Math.min(env.length - 1, Math.round((t + 0.15) * rateHz));
  let m = 0;
  for (let i = a; i <= b; i++) m = Math.max(m, env[i]!);
  return m;
}

/** Rhythm and S1/S2 structure evidence. */
export function rhythmEvidence(env: GateEnvelopes, beats: GateBeats): RhythmEvidence {
  const rr = beats.rrS;
  const n = rr.length;
  const meanRr = n ? rr.reduce((a, b) => a + b, 0) / n : NaN;
  let ss = 0;
  for (const r of rr) ss += (r - meanRr) ** 2;
  let sd2 = 0;
  let nd = 0;
  let alt = 0;
  for (let i = 0; i + 1 < n; i++) {
    if (beats.rrStartIndex[i + 1] !== beats.rrStartIndex[i]! + 1) continue;
    const d = rr[i + 1]! - rr[i]!;
    sd2 += d * d;
    alt += (i % 2 ? 1 : -1) * d;
    nd++;
  }
  const s2 = beats.s2TimesS ?? [];
  const ratios: number[] = [];
  const sys: number[] = [];
  const amp: number[] = [];
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t0 = beats.beatTimesS[beats.rrStartIndex[i]!]!;
    const t1 = t0 + rr[i]!;
    while (j < s2.length && s2[j]! <= t0) j++;
    let k = j;
    const inside: number[] = [];
    while (k < s2.length && s2[k]! < t1) inside.push(s2[k++]!);
    if (inside.length === 1) {
      ratios.push((inside[0]! - t0) / rr[i]!);
      sys.push(inside[0]! - t0);
      const a1 = peakNear(env.broad, env.rateHz, t0);
      if (a1 > 0) amp.push(peakNear(env.broad, env.rateHz, inside[0]!) / a1);
    }
  }
  // Envelope autocorrelation at P/2 and P on a 50 Hz heart-band envelope.
  let halfLagRatio = NaN;
  let periodAc = NaN;
  if (n > 0 && env.low.length > 0) {
    const dec = Math.max(1, Math.round(env.rateHz / 50));
    const m = Math.floor(env.low.length / dec);
    const e = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let q = 0; q < dec; q++) s += env.low[i * dec + q]!;
      e[i] = s / dec;
    }
    const rate = env.rateHz / dec;
    const lagP = meanRr * rate;
    const ac = autocorrelation(e, Math.ceil(lagP * 1.1) + 2);
    const at = (lag: number, tol: number): number => {
      let best = -Infinity;
      for (let l = Math.max(1, Math.floor(lag * (1 - tol))); l <= Math.min(ac.length - 1, Math.ceil(lag * (1 + tol))); l++) best = Math.max(best, ac[l]!);
      return best;
    };
    periodAc = at(lagP, 0.05);
    const half = at(lagP / 2, 0.15);
    halfLagRatio = periodAc > 0 ? half / periodAc : NaN;
  }
  return {
    nIntervals: n,
    meanRrS: meanRr,
    rrCv: n > 1 ? Math.sqrt(ss / n) / meanRr : NaN,
    rmssdRel: nd > 0 ? Math.sqrt(sd2 / nd) / meanRr : NaN,
    systoleRatio: median(ratios),
    systoleS: median(sys),
    s2OverS1: median(amp),
    halfLagRatio,
    periodAc,
    alternation: nd > 0 ? alt / nd / meanRr : NaN,
  };
}
