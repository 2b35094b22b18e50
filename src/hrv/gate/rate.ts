/**
 * Rate ambiguity (half / single / double rate). Browser-safe.
 *
 * The classical detector can read S1+S2 as one beat pair too many: when the true S2 is missed,
 * the next S1 is taken for an S2 and the rate comes out halved (a child at 84 bpm reported as 42).
 * The physiological check: the S1→S2 interval (electromechanical systole) shortens only slowly
 * with heart rate — Weissler's QS2 ≈ 546 − 2.1·HR ms (adults, Weissler et al., Circulation 1968;
 * children are shorter) — so at a reported HR below ~70 bpm a real S1→S2 takes well under half
 * of the cycle. A "systole" of about half the cycle at a low reported rate, with the would-be S2
 * as loud as the S1, is the signature of a halved rate: the sounds at S1 and "S2" are the same
 * kind of sound, one cycle apart.
 */
import type { GateBeats } from './events.js';

/** The doubled hypothesis: S1 onsets and S2 sounds merged into one beat sequence. */
export function doubledBeats(beats: GateBeats): GateBeats {
  const s2 = beats.s2TimesS ?? [];
  const times: number[] = [];
  const rrS: number[] = [];
  const rrStartIndex: number[] = [];
  let j = 0;
  for (let i = 0; i < beats.rrS.length; i++) {
    const t0 = beats.beatTimesS[beats.rrStartIndex[i]!]!;
    const t1 = t0 + beats.rrS[i]!;
    while (j < s2.length && s2[j]! <= t0) j++;
    let k = j;
    const inside: number[] = [];
    while (k < s2.length && s2[k]! < t1) inside.push(s2[k++]!);
    if (inside.length !== 1) continue;
    const m = inside[0]!;
    const last = times.length ? times[times.length - 1]! : -Infinity;
    if (Math.abs(last - t0) > 1e-9) times.push(t0);
    rrStartIndex.push(times.length - 1);
    rrS.push(m - t0);
    times.push(m);
    rrStartIndex.push(times.length - 1);
    rrS.push(t1 - m);
    times.push(t1);
  }
  return { signalType: beats.signalType, beatTimesS: times, rrS, rrStartIndex };
}

/**
 * Evidence that a doubled beat sequence is a real heart read at half rate: the median, over the
 * doubled intervals, of the largest heart-band envelope value in the middle (25–75 %) of the
 * interval above the background, ÷ the smaller of the two beat peaks above the background. A real
 * heart read at half rate has its missed S2 there (ratio ≳ 0.2); one sound per cycle (clicks, AM
 * noise, a shutter) leaves the middle at the background (ratio ≈ 0).
 */
export function midCycleEventRatio(env: Float32Array, rateHz: number, beats: GateBeats): number {
  const sorted = Array.from(env).sort((a, b) => a - b);
  const base = sorted.length ? sorted[sorted.length >> 1]! : 0;
  const peakAt = (t: number): number => {
    let m = 0;
    for (let i = Math.max(0, Math.round((t - 0.05) * rateHz)); i <= Math.min(env.length - 1, Math.round((t + 0.15) * rateHz)); i++) m = Math.max(m, env[i]!);
    return m;
  };
  const ratios: number[] = [];
  for (let i = 0; i < beats.rrS.length; i++) {
    const t0 = beats.beatTimesS[beats.rrStartIndex[i]!]!;
    const rr = beats.rrS[i]!;
    const p = Math.min(peakAt(t0), peakAt(t0 + rr)) - base;
    if (!(p > 0)) continue;
    let mid = 0;
    for (let k = Math.round((t0 + 0.25 * rr) * rateHz); k <= Math.min(env.length - 1, Math.round((t0 + 0.75 * rr) * rateHz)); k++) mid = Math.max(mid, env[k]!);
    ratios.push(Math.max(0, mid - base) / p);
  }
  ratios.sort((a, b) => a - b);
  return ratios.length ? ratios[ratios.length >> 1]! : NaN;
}
