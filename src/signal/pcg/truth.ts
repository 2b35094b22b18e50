/**
 * The simulator's truth: heart-sound states in the CirCor `.tsv` form, per-sample states, and
 * the HRV of the generated RR. Browser-safe.
 */

/** One state segment: 0 unannotated, 1 S1, 2 systole, 3 S2, 4 diastole (CirCor's codes). */
export interface StateSegment {
  startS: number;
  endS: number;
  state: 0 | 1 | 2 | 3 | 4;
}

/** One rendered cardiac cycle's event times, s. */
export interface CycleTimes {
  s1OnsetS: number;
  s1EndS: number;
  s2OnsetS: number;
  s2EndS: number;
  nextS1OnsetS: number;
}

/**
 * Segments covering [0, durationS]: 0 up to the first S1 onset ≥ 0, then S1, systole, S2,
 * diastole for every cycle that ends inside the recording, then 0 to the end (as CirCor leaves
 * incomplete cycles unannotated).
 */
export function cycleSegments(cycles: readonly CycleTimes[], durationS: number): StateSegment[] {
  const out: StateSegment[] = [];
  let at = 0;
  for (const c of cycles) {
    if (c.s1OnsetS < 0 || c.nextS1OnsetS > durationS) continue;
    if (c.s1OnsetS > at + 1e-9) out.push({ startS: at, endS: c.s1OnsetS, state: 0 });
    out.push({ startS: c.s1OnsetS, endS: c.s1EndS, state: 1 });
    out.push({ startS: c.s1EndS, endS: c.s2OnsetS, state: 2 });
    out.push({ startS: c.s2OnsetS, endS: c.s2EndS, state: 3 });
    out.push({ startS: c.s2EndS, endS: c.nextS1OnsetS, state: 4 });
    at = c.nextS1OnsetS;
  }
  if (durationS > at + 1e-9) out.push({ startS: at, endS: durationS, state: 0 });
  return out;
}

/** Format segments as a CirCor `.tsv` (start, end, state; tab-separated; 6 decimals at most). */
export function formatStatesTsv(segments: readonly StateSegment[]): string {
  const num = (x: number): string => String(Number(x.toFixed(6)));
  return segments.map((s) => `${num(s.startS)}\t${num(s.endS)}\t${s.state}\n`).join('');
}

/** Per-sample states (sample i at time i / fs), shape [nSamples]. */
export function statesPerSample(segments: readonly StateSegment[], nSamples: number, sampleRateHz: number): Uint8Array {
  const out = new Uint8Array(nSamples);
  for (const s of segments) {
    const i0 = Math.max(0, Math.ceil(s.startS * sampleRateHz - 1e-9));
    const i1 = Math.min(nSamples, Math.ceil(s.endS * sampleRateHz - 1e-9));
    out.fill(s.state, i0, i1);
  }
  return out;
}

/** HR and HRV of an RR series (population SD, ddof 0, the project's scoring convention). */
export function rrSummary(rrS: readonly number[]): { hrBpm: number | null; meanRrMs: number | null; sdnnMs: number | null; rmssdMs: number | null } {
  if (rrS.length === 0) return { hrBpm: null, meanRrMs: null, sdnnMs: null, rmssdMs: null };
  const mean = rrS.reduce((a, b) => a + b, 0) / rrS.length;
  let ss = 0;
  for (const r of rrS) ss += (r - mean) ** 2;
  let sd2 = 0;
  for (let i = 1; i < rrS.length; i++) sd2 += (rrS[i]! - rrS[i - 1]!) ** 2;
  return {
    hrBpm: 60 / mean,
    meanRrMs: mean * 1000,
    sdnnMs: rrS.length >= 2 ? Math.sqrt(ss / rrS.length) * 1000 : null,
    rmssdMs: rrS.length >= 2 ? Math.sqrt(sd2 / (rrS.length - 1)) * 1000 : null,
  };
}
