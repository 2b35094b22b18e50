/**
 * RR-interval cleaning. Browser-safe.
 *
 * Rules, applied to the intervals between consecutive detected beats (in this order):
 * 1. Never across a break: two beats in different segments (`segmentIds` differ, e.g. the
 *    detector lost the rhythm between them, or — for heart sounds — no S2 was found between two
 *    S1s, so they do not form a complete cycle) give no interval.
 * 1b. Weak beats: when beat amplitudes are given, a beat quieter than `minRelativeAmplitude`
 *    (default 0.3) × the median beat amplitude is kept as a beat but gives no interval on either
 *    side (a barely audible "beat" is often a noise peak the detector used to bridge a gap).
 * 2. Physiological range: keep only `minRrS` ≤ RR ≤ `maxRrS` (default 0.25–2.4 s, 25–240 bpm).
 * 3. Local consistency: each interval is compared with the median of the candidate intervals
 *    around it (`halfWindow` on each side, itself included); it is rejected when the ratio lies
 *    outside [`minRatio`, `maxRatio`] (default 0.7–1.3 — an extra beat splits an interval into
 *    two short ones, a missed beat doubles one; genuine sinus arrhythmia stays inside).
 * 4. Misplaced beat (off by default): two adjacent intervals a, b sharing a beat are both
 *    rejected when |a − b| > `pairDifference` × m and |a + b − 2m| < `pairSum` × m (m: the mean of
 *    their local medians) — a short–long pair adding up to two normal cycles.
 * An interval is reported between two kept beats only; rejecting an interval removes no beat.
 */

/** Options for {@link cleanRr}. */
export interface RrCleanOptions {
  minRrS?: number;
  maxRrS?: number;
  minRatio?: number;
  maxRatio?: number;
  halfWindow?: number;
  /** Per-beat amplitudes (same length as the beat times), for rule 1b. */
  amplitudes?: readonly number[];
  minRelativeAmplitude?: number;
  /** Rule 4 (misplaced beat): two adjacent intervals a, b (sharing a beat) are both rejected when
   * |a − b| > `pairDifference` × m and |a + b − 2m| < `pairSum` × m, m the local median — a
   * short–long pair that adds up to two normal cycles, the signature of one beat placed at the
   * wrong time (or a premature beat and its compensatory pause, which HRV analysis also excludes).
   * 0 = off (default); the PCG detector uses 0.3 and 0.15. */
  pairDifference?: number;
  pairSum?: number;
}

export const RR_CLEAN_DEFAULTS: Required<Omit<RrCleanOptions, 'amplitudes'>> = {
  minRrS: 0.25,
  maxRrS: 2.4,
  minRatio: 0.7,
  maxRatio: 1.3,
  halfWindow: 5,
  minRelativeAmplitude: 0.3,
  pairDifference: 0,
  pairSum: 0.15,
};

/** Result of {@link cleanRr}. */
export interface RrCleanResult {
  /** Kept intervals, s. */
  rrS: number[];
  /** For each kept interval, the index of its first beat in the input. */
  startIndex: number[];
  /** Number of candidate intervals (same segment) and of those rejected by rules 2–3. */
  nCandidates: number;
  nRejected: number;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Clean the RR intervals of a beat sequence.
 * @param beatTimesS increasing beat times, s
 * @param segmentIds optional segment id per beat (rule 1); all beats one segment when omitted
 */
export function cleanRr(beatTimesS: readonly number[], segmentIds?: readonly number[], options: RrCleanOptions = {}): RrCleanResult {
  const o = { ...RR_CLEAN_DEFAULTS, ...options };
  const cand: Array<{ rr: number; start: number }> = [];
  let weak: boolean[] | null = null;
  if (options.amplitudes && options.amplitudes.length === beatTimesS.length && beatTimesS.length > 0) {
    const amps = options.amplitudes;
    const ref = median(Array.from(amps));
    weak = Array.from(amps, (a) => !(a >= o.minRelativeAmplitude * ref));
  }
  for (let i = 1; i < beatTimesS.length; i++) {
    if (segmentIds && segmentIds[i] !== segmentIds[i - 1]) continue;
    if (weak && (weak[i] || weak[i - 1])) continue;
    const rr = beatTimesS[i]! - beatTimesS[i - 1]!;
    if (!Number.isFinite(rr)) continue;
    cand.push({ rr, start: i - 1 });
  }
  const inRange = cand.filter((c) => c.rr >= o.minRrS && c.rr <= o.maxRrS);
  const rrS: number[] = [];
  const startIndex: number[] = [];
  const localRef = inRange.map((_, k) => {
    const lo = Math.max(0, k - o.halfWindow);
    const hi = Math.min(inRange.length, k + o.halfWindow + 1);
    return median(inRange.slice(lo, hi).map((c) => c.rr));
  });
  const misplaced = new Uint8Array(inRange.length);
  if (o.pairDifference > 0) {
    for (let k = 0; k + 1 < inRange.length; k++) {
      if (inRange[k + 1]!.start !== inRange[k]!.start + 1) continue;
      const a = inRange[k]!.rr;
      const b = inRange[k + 1]!.rr;
      const m = 0.5 * (localRef[k]! + localRef[k + 1]!);
      if (Math.abs(a - b) > o.pairDifference * m && Math.abs(a + b - 2 * m) < o.pairSum * m) misplaced[k] = misplaced[k + 1] = 1;
    }
  }
  for (let k = 0; k < inRange.length; k++) {
    const ratio = inRange[k]!.rr / localRef[k]!;
    if (ratio < o.minRatio || ratio > o.maxRatio || misplaced[k]) continue;
    rrS.push(inRange[k]!.rr);
    startIndex.push(inRange[k]!.start);
  }
  return { rrS, startIndex, nCandidates: cand.length, nRejected: cand.length - rrS.length };
}
