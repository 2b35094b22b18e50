/**
 * Simulated PCG windows for the seed CNN (issue 15, part 2): `n` short recordings of the
 * physiological simulator, each labelled like the seed's signals (a {@link SimulatedSignal}), so
 * that the seed's dataset, spectrogram and training machinery take them unchanged. A CirCor-like
 * mix: `murmurFraction` of the windows carry a murmur of a random kind (CirCor: 113/637 present).
 * Browser-safe, deterministic: window i uses simulator seed `seed + i`.
 */
import { FastRng } from '../rng.js';
import type { SimulatedSignal } from '../simulate.js';
import { PCG_MURMURS, type PcgMurmur, type PcgParamRanges } from './params.js';
import { simulatePcg, type PcgTruth } from './simulatePcg.js';

/** Options of {@link simulatePcgWindows}. */
export interface PcgWindowOptions {
  /** Number of windows. */
  n: number;
  /** Seed of the murmur draw; window i is simulated with seed `seed + i`. */
  seed: number;
  /** Window length, s. Default 5 (the seed's). */
  durationS?: number;
  /** Sample rate, Hz. Default 1000 (the seed's). */
  sampleRateHz?: number;
  /** Heart-rate range drawn, bpm. Default [50, 160]. */
  hrBpm?: [number, number];
  /** Share of windows with a murmur. Default 0.18. */
  murmurFraction?: number;
  /**
   * Other simulator ranges (e.g. `edgeNoiseScale: [0, 0]` for windows without the noisy
   * lead-in and tail, like fully annotated real windows). Default: the simulator's.
   */
  params?: Partial<PcgParamRanges>;
}

/** Defaults of {@link PcgWindowOptions}. */
export const PCG_WINDOW_DEFAULTS = Object.freeze({ durationS: 5, sampleRateHz: 1000, hrBpm: Object.freeze([50, 160] as const), murmurFraction: 0.18 });

/** A simulated PCG window: the seed's labels plus the simulator's state segments. */
export interface SimulatedPcgWindow extends SimulatedSignal {
  /** CirCor-style state segments of the window (truth). */
  segments: PcgTruth['segments'];
}

/**
 * Simulate `n` PCG windows with the seed's labels: `hrBpm` = 60 / mean RR, `hrvS` = SD of the
 * RR (ddof 0), `hrCountBpm` = beats per minute counted, `snrDb` NaN (the simulator has no
 * single SNR), `hrParamBpm`/`hrvParamS` = the drawn HR and the RR SD.
 * @throws RangeError for a bad count or a bad simulator option
 */
export function simulatePcgWindows(options: PcgWindowOptions): SimulatedPcgWindow[] {
  const { n, seed } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${n}`);
  const durationS = options.durationS ?? PCG_WINDOW_DEFAULTS.durationS;
  const sampleRateHz = options.sampleRateHz ?? PCG_WINDOW_DEFAULTS.sampleRateHz;
  const hr = options.hrBpm ?? [...PCG_WINDOW_DEFAULTS.hrBpm];
  const murmurFraction = options.murmurFraction ?? PCG_WINDOW_DEFAULTS.murmurFraction;
  const pick = new FastRng(seed);
  const out: SimulatedPcgWindow[] = [];
  for (let i = 0; i < n; i++) {
    const murmur: PcgMurmur = pick.random() < murmurFraction ? PCG_MURMURS[1 + Math.floor(pick.random() * 3)]! : 'none';
    const s = simulatePcg({ seed: seed + i, durationS, sampleRateHz, murmur, params: { ...options.params, hrBpm: hr } });
    const t = s.truth;
    const nBeats = t.beatTimesS.length;
    const hrBpm = t.hrBpm ?? (nBeats * 60) / durationS;
    const hrvS = (t.sdnnMs ?? 0) / 1000;
    out.push({
      samples: Float64Array.from(s.samples),
      beatTimesS: t.beatTimesS,
      hrBpm,
      hrCountBpm: (nBeats * 60) / durationS,
      hrvS,
      nBeats,
      snrDb: Number.NaN,
      hrParamBpm: t.params.hrBpm,
      hrvParamS: hrvS,
      segments: t.segments,
    });
  }
  return out;
}
