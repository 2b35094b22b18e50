/**
 * A seeded, realistic-looking RR-interval series for tests, benches and demos. Browser-safe.
 *
 * RR(t) = 60/HR(t) + LF(t) + HF(t) + e(t), beat by beat (t = time of the beat that starts the
 * interval):
 * - HR(t) = meanHrBpm − circadianBpm · cos(2π t / 24 h) (faster by day when t counts from midnight);
 * - LF(t) = Σ of 3 sinusoids at 0.08, 0.1, 0.12 Hz (random phases), total amplitude `lfAmpMs`;
 * - HF(t) = `hfAmpMs` · sin(2π f_resp t + φ), respiration `respHz` (default 0.25 Hz);
 * - e = AR(1) noise (φ = 0.5) with SD `noiseMs`;
 * - v = slow AR(1) drift per beat (φ = 0.995, SD `vlfMs`), a VLF / 1/f-like component.
 * Every random draw comes from FastRng(seed): same seed, same series.
 */
import { FastRng } from './rng.js';

/** Settings of {@link simulateRrSeries}. */
export interface RrSeriesOptions {
  durationS: number;
  seed: number;
  meanHrBpm?: number;
  circadianBpm?: number;
  lfAmpMs?: number;
  hfAmpMs?: number;
  respHz?: number;
  noiseMs?: number;
  vlfMs?: number;
}

export const RR_SERIES_DEFAULTS = Object.freeze({ meanHrBpm: 70, circadianBpm: 8, lfAmpMs: 30, hfAmpMs: 20, respHz: 0.25, noiseMs: 10, vlfMs: 25 });

/** RR intervals, s, covering `durationS` (the last interval may end just past it). */
export function simulateRrSeries(options: RrSeriesOptions): number[] {
  const o = { ...RR_SERIES_DEFAULTS, ...options };
  if (!(o.durationS > 0)) throw new RangeError(`durationS must be > 0, got ${o.durationS}`);
  const rng = new FastRng(o.seed);
  const lfHz = [0.08, 0.1, 0.12];
  const lfPhase = lfHz.map(() => rng.uniform(0, 2 * Math.PI));
  const hfPhase = rng.uniform(0, 2 * Math.PI);
  const rr: number[] = [];
  let t = 0;
  let e = 0;
  let v = 0;
  while (t < o.durationS) {
    const hr = o.meanHrBpm - o.circadianBpm * Math.cos((2 * Math.PI * t) / 86400);
    let lf = 0;
    for (let k = 0; k < 3; k++) lf += Math.sin(2 * Math.PI * lfHz[k]! * t + lfPhase[k]!);
    e = 0.5 * e + rng.normal(0, o.noiseMs * Math.sqrt(1 - 0.25));
    v = 0.995 * v + rng.normal(0, o.vlfMs * Math.sqrt(1 - 0.995 ** 2));
    const r = 60 / hr + ((o.lfAmpMs / Math.sqrt(3)) * lf + o.hfAmpMs * Math.sin(2 * Math.PI * o.respHz * t + hfPhase) + e + v) / 1000;
    rr.push(Math.max(0.25, r));
    t += rr[rr.length - 1]!;
  }
  return rr;
}
