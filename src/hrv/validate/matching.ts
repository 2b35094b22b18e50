/**
 * Optimal one-to-one matching of detected beats to reference beats within a tolerance.
 * Browser-safe.
 *
 * Among all one-to-one matchings with |detected − reference| ≤ tolerance, the matching returned
 * has the most pairs and, among those, the smallest total |offset|. On a line an optimal matching
 * never crosses (uncrossing two pairs never increases the cost nor the largest offset), so a
 * dynamic programme over the two sorted lists finds it; the lists are first cut into independent
 * clusters wherever two neighbouring events are more than the tolerance apart, so the cost is
 * linear in practice. Greedy nearest-pair matching can lose pairs (see the tests).
 */

/** Slack added to the tolerance so that an offset of exactly ±tolerance in decimal seconds counts. */
export const TOLERANCE_SLACK_S = 1e-9;

/** One matched pair: indices into the (sorted) truth and detected lists. */
export interface MatchedPair {
  truth: number;
  detected: number;
  /** detected − truth, s. */
  offsetS: number;
}

/** Result of {@link matchBeats}. */
export interface BeatMatching {
  pairs: MatchedPair[];
  /** For each truth beat, the index of its detection or -1. */
  detectedOfTruth: Int32Array;
  /** For each detection, the index of its truth beat or -1. */
  truthOfDetected: Int32Array;
}

function checkSorted(x: readonly number[], what: string): void {
  for (let i = 1; i < x.length; i++) {
    if (!(x[i]! >= x[i - 1]!)) throw new RangeError(`${what} must be sorted in time (index ${i})`);
  }
}

/**
 * Match sorted `truthS` and sorted `detectedS` one to one within ±`toleranceS` (inclusive),
 * maximising the number of pairs, then minimising the summed |offset|.
 */
export function matchBeats(truthS: readonly number[], detectedS: readonly number[], toleranceS: number): BeatMatching {
  if (!(toleranceS > 0 && Number.isFinite(toleranceS))) throw new RangeError(`tolerance must be > 0 s, got ${toleranceS}`);
  checkSorted(truthS, 'reference beats');
  checkSorted(detectedS, 'detected beats');
  const tol = toleranceS + TOLERANCE_SLACK_S;
  const detectedOfTruth = new Int32Array(truthS.length).fill(-1);
  const truthOfDetected = new Int32Array(detectedS.length).fill(-1);
  const pairs: MatchedPair[] = [];
  let i = 0;
  let j = 0;
  while (i < truthS.length && j < detectedS.length) {
    // start of a cluster: the earlier of the two next events
    const i0 = i;
    const j0 = j;
    let last = Math.min(truthS[i]!, detectedS[j]!);
    for (;;) {
      const nt = i < truthS.length ? truthS[i]! : Infinity;
      const nd = j < detectedS.length ? detectedS[j]! : Infinity;
      const next = Math.min(nt, nd);
      if (next === Infinity || next - last > tol) break;
      last = next;
      if (nt <= nd) i++;
      else j++;
    }
    solveCluster(truthS, detectedS, i0, i, j0, j, tol, pairs, detectedOfTruth, truthOfDetected);
  }
  return { pairs, detectedOfTruth, truthOfDetected };
}

/** Dynamic programme on truth[i0, i1) × detected[j0, j1): most pairs, then least summed |offset|. */
function solveCluster(
  t: readonly number[],
  d: readonly number[],
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  tol: number,
  pairs: MatchedPair[],
  dOfT: Int32Array,
  tOfD: Int32Array,
): void {
  const n = i1 - i0;
  const m = j1 - j0;
  if (n === 0 || m === 0) return;
  const w = m + 1;
  // count[a·w + b], cost[a·w + b]: best over truth[i0, i0+a) × detected[j0, j0+b)
  const count = new Int32Array((n + 1) * w);
  const cost = new Float64Array((n + 1) * w);
  const move = new Uint8Array((n + 1) * w); // 0 skip truth, 1 skip detection, 2 match
  const better = (c1: number, s1: number, c2: number, s2: number): boolean => c1 > c2 || (c1 === c2 && s1 < s2 - 1e-15);
  for (let a = 0; a <= n; a++) {
    for (let b = 0; b <= m; b++) {
      const k = a * w + b;
      if (a === 0 && b === 0) continue;
      let bc = -1;
      let bs = Infinity;
      let mv = 0;
      if (a > 0) {
        bc = count[k - w]!;
        bs = cost[k - w]!;
        mv = 0;
      }
      if (b > 0 && better(count[k - 1]!, cost[k - 1]!, bc, bs)) {
        bc = count[k - 1]!;
        bs = cost[k - 1]!;
        mv = 1;
      }
      if (a > 0 && b > 0) {
        const off = Math.abs(d[j0 + b - 1]! - t[i0 + a - 1]!);
        if (off <= tol) {
          const c = count[k - w - 1]! + 1;
          const s = cost[k - w - 1]! + off;
          if (better(c, s, bc, bs)) {
            bc = c;
            bs = s;
            mv = 2;
          }
        }
      }
      count[k] = bc;
      cost[k] = bs;
      move[k] = mv;
    }
  }
  const found: MatchedPair[] = [];
  let a = n;
  let b = m;
  while (a > 0 || b > 0) {
    const mv = move[a * w + b]!;
    if (a > 0 && b > 0 && mv === 2) {
      const ti = i0 + a - 1;
      const dj = j0 + b - 1;
      found.push({ truth: ti, detected: dj, offsetS: d[dj]! - t[ti]! });
      dOfT[ti] = dj;
      tOfD[dj] = ti;
      a--;
      b--;
    } else if (a > 0 && (mv === 0 || b === 0)) a--;
    else b--;
  }
  for (let k = found.length - 1; k >= 0; k--) pairs.push(found[k]!);
}
