/**
 * Pitch-keeping heart-rate augmentation of an annotated recording (issue 15: the seed CNN's
 * training data at rates the recordings do not have). Browser-safe.
 *
 * Whole cardiac cycles are re-timed without resampling: the S1 and S2 sound samples (states 1
 * and 3) and unannotated stretches (state 0) are copied unchanged; systole (2) and diastole (4)
 * are shortened by cutting samples out of their middle, or lengthened by repeating stretches of
 * their own samples, joined by short equal-power crossfades (an overlap-add of seeded chunks).
 * The pitch and timbre of every sound stay as recorded; only the rate changes.
 *
 * Timing follows physiology (src/signal/pcg/timing.ts, the 'circor' relation fitted to
 * circor-train: S1 onset → S2 onset = 389.1 − 1.27·HR ms): for a target rate the recording's
 * cycles are scaled by r = HR0 / HR1 (HR0 = 60 / mean annotated cycle length, so the RR pattern,
 * i.e. the HRV, scales with the rate); systole moves by the relation's change, −1.27 ms per bpm
 * of the cycle's own change, and diastole takes the rest. Systole keeps at least
 * {@link RETIME_DEFAULTS.minSystoleFraction} of its length, diastole at least
 * {@link RETIME_DEFAULTS.minDiastoleS}; where a limit binds the cycle comes out longer than asked.
 * The returned segments are exact (sample-aligned), so labels computed from them by
 * annotatedWindows describe the new audio exactly.
 */
import { InputError } from '../../errors.js';
import { FastRng } from '../../signal/rng.js';
import type { Segment } from './segmentation.js';

/** Settings of {@link retimeCycles}. */
export interface RetimeOptions {
  /** Target mean heart rate, bpm (the mean annotated cycle's rate becomes this). Required. */
  hrBpm: number;
  /** Seed of the chunk placement when a segment is lengthened. Default 1. */
  seed?: number;
  /** Crossfade at each joint, s. Default 0.01. */
  crossfadeS?: number;
  /** Systole changes by −slope·ΔHR ms (S1 sound kept). Default 1.27 (the 'circor' relation). */
  systoleSlopeMsPerBpm?: number;
  /** Shortest systole, as a fraction of the recorded one. Default 0.4. */
  minSystoleFraction?: number;
  /** Shortest diastole, s. Default 0.04. */
  minDiastoleS?: number;
}

/** Defaults of {@link RetimeOptions}. */
export const RETIME_DEFAULTS = Object.freeze({ seed: 1, crossfadeS: 0.01, systoleSlopeMsPerBpm: 1.27, minSystoleFraction: 0.4, minDiastoleS: 0.04 });

/** A re-timed recording. */
export interface RetimedRecording {
  /** The new samples (same rate as the input). */
  samples: Float32Array;
  /** The new annotation, sample-aligned (times = sample index / rate). */
  segments: Segment[];
  /** Mean annotated cycle rate before and after, bpm. */
  hrBeforeBpm: number;
  hrAfterBpm: number;
}

/** Complete cycles S1→systole→S2→diastole→S1: index of each cycle's S1 segment. */
function cycleStarts(segs: readonly Segment[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 < segs.length; i++) {
    if (segs[i]!.state === 1 && segs[i + 1]!.state === 2 && segs[i + 2]!.state === 3 && segs[i + 3]!.state === 4 && segs[i + 4]!.state === 1) out.push(i);
  }
  return out;
}

/** Mean rate of the complete cycles of `segs`, bpm (NaN when there are none). */
export function meanCycleHrBpm(segs: readonly Segment[]): number {
  const c = cycleStarts(segs);
  if (c.length === 0) return NaN;
  const mean = c.reduce((s, i) => s + segs[i + 4]!.startS - segs[i]!.startS, 0) / c.length;
  return 60 / mean;
}

/**
 * Overlap-add `src` (length L0) into `dst` at `at` as `outLen` samples: chunks of `src` joined by
 * equal-power crossfades of `fade` samples; the first chunk starts at src[0] and the last ends at
 * src[L0 − 1], so both ends join their neighbours as recorded.
 */
function resizeInto(src: Float32Array, dst: Float32Array, at: number, outLen: number, fadeMax: number, rng: FastRng): void {
  const L0 = src.length;
  if (outLen === L0) {
    dst.set(src, at);
    return;
  }
  if (outLen <= 0 || L0 === 0) return; // (a zero-length source leaves zeros)
  if (L0 < 8 || outLen < 8) {
    // too short to cut: linear interpolation (a few samples of a state boundary)
    for (let k = 0; k < outLen; k++) {
      const pos = outLen === 1 ? 0 : (k * (L0 - 1)) / (outLen - 1);
      const j = Math.floor(pos);
      const fr = pos - j;
      dst[at + k] = src[j]! * (1 - fr) + (src[Math.min(j + 1, L0 - 1)] ?? 0) * fr;
    }
    return;
  }
  const fade = Math.max(1, Math.min(fadeMax, Math.floor(Math.min(L0, outLen) / 4)));
  // n chunks of ≈ equal length ℓ ≤ L0 with n·ℓ − (n − 1)·fade = outLen
  const n = Math.max(2, Math.ceil((outLen - fade) / (L0 - fade)));
  const total = outLen + (n - 1) * fade;
  const lens: number[] = [];
  for (let i = 0; i < n; i++) lens.push(Math.floor((total * (i + 1)) / n) - Math.floor((total * i) / n));
  const starts: number[] = lens.map((len, i) => (i === 0 ? 0 : i === n - 1 ? L0 - len : Math.floor(rng.random() * (L0 - len + 1))));
  let pos = at;
  for (let i = 0; i < n; i++) {
    const len = lens[i]!;
    const s0 = starts[i]!;
    for (let k = 0; k < len; k++) {
      let v = src[s0 + k]!;
      if (i > 0 && k < fade) {
        // fade in over the previous chunk's tail (already written): equal power
        const t = (k + 0.5) / fade;
        v = v * Math.sin((t * Math.PI) / 2);
        dst[pos + k] = dst[pos + k]! * Math.cos((t * Math.PI) / 2) + v;
      } else dst[pos + k] = v;
    }
    pos += len - fade;
  }
}

/**
 * Re-time a recording's annotated cycles to a new mean heart rate, keeping the sounds' pitch.
 * @param samples the recording (any rate)
 * @param sampleRateHz its rate
 * @param segments its annotation (CirCor states 0–4, time-ordered)
 * @param options target rate, seed, timing limits
 */
export function retimeCycles(samples: Float32Array, sampleRateHz: number, segments: readonly Segment[], options: RetimeOptions): RetimedRecording {
  const o = { ...RETIME_DEFAULTS, ...options };
  if (!(o.hrBpm > 0) || !Number.isFinite(o.hrBpm)) throw new InputError(`target heart rate must be a positive number of bpm, got ${o.hrBpm}`);
  if (!(sampleRateHz > 0)) throw new InputError(`sample rate must be > 0 Hz, got ${sampleRateHz}`);
  const hr0 = meanCycleHrBpm(segments);
  if (!Number.isFinite(hr0)) throw new InputError('the annotation has no complete S1→systole→S2→diastole→S1 cycle to re-time');
  const r = hr0 / o.hrBpm; // cycle length scale
  const rng = new FastRng(o.seed);
  const fade = Math.max(1, Math.round(o.crossfadeS * sampleRateHz));
  const idx = (t: number): number => Math.min(samples.length, Math.max(0, Math.round(t * sampleRateHz)));
  const starts = new Set(cycleStarts(segments));
  const meanRrS = 60 / hr0;
  // new length (samples) of each segment
  const newLen: number[] = segments.map((s) => idx(s.endS) - idx(s.startS));
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.state !== 2) continue;
    // the cycle this systole belongs to: S1 at i − 1 when complete, else the mean cycle
    const full = starts.has(i - 1);
    const rrS = full ? segments[i + 3]!.startS - segments[i - 1]!.startS : meanRrS;
    const rr1S = rrS * r;
    const dHr = 60 / rr1S - 60 / rrS;
    const sys0 = newLen[i]!;
    const sys1 = Math.max(Math.round(o.minSystoleFraction * sys0), Math.round(sys0 - (o.systoleSlopeMsPerBpm * dHr * sampleRateHz) / 1000));
    newLen[i] = sys1;
    // its diastole (i + 2) takes the rest of the cycle's change
    const d = segments[i + 2];
    if (segments[i + 1]?.state === 3 && d?.state === 4) {
      const dia0 = idx(d.endS) - idx(d.startS);
      const dRr = Math.round((rr1S - rrS) * sampleRateHz);
      newLen[i + 2] = Math.max(Math.round(o.minDiastoleS * sampleRateHz), dia0 + dRr - (sys1 - sys0));
    }
  }
  // diastoles not preceded by a systole → S2: scale with the mean cycle
  for (let i = 0; i < segments.length; i++) {
    if (segments[i]!.state === 4 && !(segments[i - 1]?.state === 3 && segments[i - 2]?.state === 2)) {
      const dia0 = idx(segments[i]!.endS) - idx(segments[i]!.startS);
      newLen[i] = Math.max(Math.round(o.minDiastoleS * sampleRateHz), dia0 + Math.round(meanRrS * (r - 1) * sampleRateHz));
    }
  }
  // samples before the first segment, the segments (with any gaps between them), after the last
  const pieces: Array<{ from: number; to: number; len: number; seg?: number }> = [];
  let cursor = 0;
  segments.forEach((s, i) => {
    const a = idx(s.startS);
    const b = idx(s.endS);
    if (a > cursor) pieces.push({ from: cursor, to: a, len: a - cursor });
    const a2 = Math.max(a, cursor);
    pieces.push({ from: a2, to: Math.max(a2, b), len: a2 === a ? newLen[i]! : Math.max(0, b - a2), seg: i });
    cursor = Math.max(cursor, b);
  });
  if (cursor < samples.length) pieces.push({ from: cursor, to: samples.length, len: samples.length - cursor });
  const out = new Float32Array(pieces.reduce((n, p) => n + p.len, 0));
  const outSegs: Segment[] = [];
  let at = 0;
  for (const p of pieces) {
    resizeInto(samples.subarray(p.from, p.to), out, at, p.len, fade, rng);
    if (p.seg !== undefined) outSegs.push({ startS: at / sampleRateHz, endS: (at + p.len) / sampleRateHz, state: segments[p.seg]!.state });
    at += p.len;
  }
  return { samples: out, segments: outSegs, hrBeforeBpm: hr0, hrAfterBpm: meanCycleHrBpm(outSegs) };
}
