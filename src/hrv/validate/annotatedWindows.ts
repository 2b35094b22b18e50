/**
 * Fully annotated windows of a segmented recording, with HR and HRV labels from the annotation
 * (issue 15: the seed CNN's real-audio targets and its evaluation on pcg-real). Browser-safe.
 *
 * A window qualifies when it lies inside one stretch of labelled states (no state 0) and holds
 * at least {@link ANNOTATED_WINDOW_DEFAULTS.minCycles} complete cycles 1→2→3→4→1 whose S1 onsets
 * both fall inside it; its labels are HR = 60 / mean RR and HRV = SD of the RR (ddof 0, the
 * seed's) of those cycles.
 *
 * Time-stretch augmentation: a window with factor f covers f·durationS s of the recording played
 * in durationS s, so every interval shrinks by f (HR × f, SD / f).
 */
import type { Segment } from './segmentation.js';

/** Settings of {@link annotatedWindows}. */
export interface AnnotatedWindowOptions {
  /** Window length, s. Default 5 (the seed's). */
  durationS?: number;
  /** Step between window starts, s. Default = durationS (no overlap). */
  hopS?: number;
  /** Fewest complete cycles inside a window. Default 3. */
  minCycles?: number;
  /** At most this many windows. Default unlimited. */
  maxWindows?: number;
  /** Time-stretch factor of each window (called once per candidate window). Default: 1. */
  stretch?: () => number;
}

/** Defaults of {@link AnnotatedWindowOptions}. */
export const ANNOTATED_WINDOW_DEFAULTS = Object.freeze({ durationS: 5, minCycles: 3 });

/** One annotated window. */
export interface AnnotatedWindow {
  /** Start in the recording, s. */
  startS: number;
  /** Time-stretch factor (the window covers stretch·durationS s of the recording). */
  stretch: number;
  /** HR of the (stretched) window, bpm. */
  hrBpm: number;
  /** SD of its RR intervals (ddof 0), s. */
  sdnnS: number;
  /** Number of complete cycles (RR intervals). */
  nRr: number;
}

/** The fully annotated windows of one recording's segments. */
export function annotatedWindows(segments: readonly Segment[], options: AnnotatedWindowOptions = {}): AnnotatedWindow[] {
  const durationS = options.durationS ?? ANNOTATED_WINDOW_DEFAULTS.durationS;
  const hopS = options.hopS ?? durationS;
  const minCycles = options.minCycles ?? ANNOTATED_WINDOW_DEFAULTS.minCycles;
  const maxWindows = options.maxWindows ?? Infinity;
  if (!(durationS > 0) || !(hopS > 0)) throw new RangeError(`window duration and hop must be > 0 s, got ${durationS} and ${hopS}`);
  const spans: Array<[number, number]> = [];
  for (const s of segments) {
    if (s.state === 0) continue;
    const last = spans[spans.length - 1];
    if (last && Math.abs(s.startS - last[1]) < 1e-6) last[1] = s.endS;
    else spans.push([s.startS, s.endS]);
  }
  // complete cycles: [S1 onset, next S1 onset]
  const cycles: Array<[number, number]> = [];
  for (let i = 0; i + 4 < segments.length; i++) {
    const g = segments;
    if (g[i]!.state === 1 && g[i + 1]!.state === 2 && g[i + 2]!.state === 3 && g[i + 3]!.state === 4 && g[i + 4]!.state === 1) cycles.push([g[i]!.startS, g[i + 4]!.startS]);
  }
  const out: AnnotatedWindow[] = [];
  for (const [a, b] of spans) {
    for (let t = a; t + durationS <= b && out.length < maxWindows; t += hopS) {
      let f = options.stretch ? options.stretch() : 1;
      if (t + durationS * f > b) f = 1;
      const end = t + durationS * f;
      const rr = cycles.filter(([c0, c1]) => c0 >= t && c1 <= end).map(([c0, c1]) => (c1 - c0) / f);
      if (rr.length < minCycles) continue;
      const m = rr.reduce((p, q) => p + q, 0) / rr.length;
      const sd = Math.sqrt(rr.reduce((p, q) => p + (q - m) ** 2, 0) / rr.length);
      out.push({ startS: t, stretch: f, hrBpm: 60 / m, sdnnS: sd, nRr: rr.length });
    }
  }
  return out;
}

/**
 * The samples of a window: `round(durationS·sampleRateHz)` samples from `startS`, read at steps of
 * `stretch` samples by linear interpolation (f = 1: a plain copy). Outside the recording reads 0.
 */
export function windowSamples(samples: ArrayLike<number>, sampleRateHz: number, w: Pick<AnnotatedWindow, 'startS' | 'stretch'>, durationS: number = ANNOTATED_WINDOW_DEFAULTS.durationS): Float32Array {
  const n = Math.round(durationS * sampleRateHz);
  const out = new Float32Array(n);
  const i0 = Math.round(w.startS * sampleRateHz);
  if (w.stretch === 1) {
    for (let k = 0; k < n; k++) out[k] = samples[i0 + k] ?? 0;
    return out;
  }
  for (let k = 0; k < n; k++) {
    const pos = i0 + k * w.stretch;
    const j = Math.floor(pos);
    const fr = pos - j;
    out[k] = (samples[j] ?? 0) * (1 - fr) + (samples[j + 1] ?? 0) * fr;
  }
  return out;
}
