/**
 * Non-linear HRV measures of an RR series, written from their textbook definitions. Browser-safe.
 *
 * - **Sample entropy** (Richman & Moorman 2000): templates x_i^m = (x_i … x_{i+m−1}), i = 0..N−m−1
 *   (the same N−m templates for lengths m and m+1), Chebyshev distance, a match is d ≤ r, self
 *   matches excluded. B = matching pairs of length m, A = of length m+1; SampEn = −ln(A/B)
 *   (null when A or B is 0: undefined). Defaults m = 2, r = 0.2·SD(RR, ddof 1) (NeuroKit2's).
 * - **Approximate entropy** (Pincus 1991): C_i^m = #{j : d(x_i^m, x_j^m) ≤ r}/(N−m+1) over the
 *   N−m+1 templates, self match included; Φ^m = mean_i ln C_i^m; ApEn = Φ^m − Φ^{m+1}.
 * - **DFA** (Peng et al. 1995): y = cumsum(RR − mean RR); for each box size n, the series is cut into
 *   ⌊N/n⌋ non-overlapping boxes from the start, a least-squares line is removed in each box,
 *   F(n) = sqrt(mean of the squared residuals over all boxes); α = least-squares slope of ln F(n)
 *   against ln n over every integer n of the range: α1 over 4–16 beats, α2 over 16–64 beats (the
 *   ranges of Peng et al. 1995 and Kubios).
 *
 * Matching uses a sort on the first template value, so only pairs within r of each other in that
 * coordinate are compared (O(N·k), k the typical number of neighbours, instead of O(N²)).
 */

/** Settings of the entropies (frozen defaults). */
export interface EntropyOptions {
  /** Embedding dimension m (default 2). */
  dimension: number;
  /** Tolerance as a multiple of SD(RR, ddof 1) (default 0.2). */
  toleranceSd: number;
}

export const ENTROPY_DEFAULTS: Readonly<EntropyOptions> = Object.freeze({ dimension: 2, toleranceSd: 0.2 });

/** DFA box-size ranges, beats, inclusive. */
export const DFA_RANGES = Object.freeze({ alpha1: Object.freeze([4, 16] as const), alpha2: Object.freeze([16, 64] as const) });

/** Sample standard deviation (ddof 1). */
export function sampleSd(x: ArrayLike<number>): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Per-template neighbour counts (self excluded) of one matching pass; see {@link entropyCounts}. */
interface EntropyCounts {
  /** For templates i = 0..N−m−1: others among them within r at length m (shape [N−m]). */
  m: Int32Array;
  /** The same at length m + 1 (shape [N−m]). */
  m1: Int32Array;
  /** For the m-templates i = 0..N−m: others among all N−m+1 within r at length m (shape [N−m+1]). */
  mAll: Int32Array;
}

/**
 * One matching pass for both entropies: templates i = 0..N−m−1 sorted by their first value, each
 * compared only with the following ones within r in that value; the last m-template (i = N−m,
 * which has no m+1 extension) is compared with all the others directly.
 */
function entropyCounts(x: ArrayLike<number>, m: number, r: number): EntropyCounts {
  const n = x.length;
  const t = n - m;
  const order = Int32Array.from({ length: t }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const cm = new Int32Array(t);
  const cm1 = new Int32Array(t);
  for (let p = 0; p < t; p++) {
    const i = order[p]!;
    const xi = x[i]!;
    for (let q = p + 1; q < t; q++) {
      const j = order[q]!;
      if (x[j]! - xi > r) break;
      let ok = true;
      for (let k = 1; k < m; k++) {
        if (Math.abs(x[i + k]! - x[j + k]!) > r) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      cm[i]++;
      cm[j]++;
      if (Math.abs(x[i + m]! - x[j + m]!) <= r) {
        cm1[i]++;
        cm1[j]++;
      }
    }
  }
  const mAll = new Int32Array(t + 1);
  mAll.set(cm);
  for (let i = 0; i < t; i++) {
    let ok = true;
    for (let k = 0; k < m; k++) {
      if (Math.abs(x[i + k]! - x[t + k]!) > r) {
        ok = false;
        break;
      }
    }
    if (ok) {
      mAll[i]++;
      mAll[t]++;
    }
  }
  return { m: cm, m1: cm1, mAll };
}

function sum(v: Int32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s;
}

/** SampEn from one pass's counts; null when undefined. */
function sampEnFrom(c: EntropyCounts): number | null {
  const b = sum(c.m) / 2;
  const a = sum(c.m1) / 2;
  return a === 0 || b === 0 ? null : -Math.log(a / b);
}

/** ApEn from one pass's counts (self matches added back). */
function apEnFrom(c: EntropyCounts): number {
  const phi = (counts: Int32Array): number => {
    const t = counts.length;
    let s = 0;
    for (let i = 0; i < t; i++) s += Math.log((counts[i]! + 1) / t);
    return s / t;
  };
  return phi(c.mAll) - phi(c.m1);
}

/** Sample entropy of x with dimension m and absolute tolerance r; null when undefined. */
export function sampleEntropy(x: ArrayLike<number>, m: number, r: number): number | null {
  if (x.length <= m + 1) return null;
  return sampEnFrom(entropyCounts(x, m, r));
}

/** Approximate entropy of x with dimension m and absolute tolerance r. */
export function approximateEntropy(x: ArrayLike<number>, m: number, r: number): number | null {
  if (x.length <= m + 1) return null;
  return apEnFrom(entropyCounts(x, m, r));
}

/** Both entropies from one matching pass (what `hrvMeasures` uses). */
export function entropies(x: ArrayLike<number>, m: number, r: number): { sampEn: number | null; apEn: number | null } {
  if (x.length <= m + 1) return { sampEn: null, apEn: null };
  const c = entropyCounts(x, m, r);
  return { sampEn: sampEnFrom(c), apEn: apEnFrom(c) };
}

/** DFA fluctuation F(n) for one box size n of the profile y (non-overlapping boxes from the start). */
function fluctuation(y: Float64Array, n: number): number {
  const boxes = Math.floor(y.length / n);
  const km = (n - 1) / 2;
  let sxx = 0;
  for (let k = 0; k < n; k++) sxx += (k - km) ** 2;
  let total = 0;
  for (let b = 0; b < boxes; b++) {
    const off = b * n;
    let my = 0;
    for (let k = 0; k < n; k++) my += y[off + k]!;
    my /= n;
    let sxy = 0;
    for (let k = 0; k < n; k++) sxy += (k - km) * (y[off + k]! - my);
    const slope = sxy / sxx;
    let ss = 0;
    for (let k = 0; k < n; k++) {
      const e = y[off + k]! - my - slope * (k - km);
      ss += e * e;
    }
    total += ss / n;
  }
  return Math.sqrt(total / boxes);
}

/** The DFA profile: cumulative sum of x − mean(x). */
export function dfaProfile(x: ArrayLike<number>): Float64Array {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  const y = new Float64Array(x.length);
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    c += x[i]! - m;
    y[i] = c;
  }
  return y;
}

/**
 * DFA scaling exponent over the integer box sizes lo..hi (inclusive); null when a box size has
 * no box or F(n) is 0 (a constant series).
 */
export function dfaAlpha(x: ArrayLike<number>, lo: number, hi: number, profile: Float64Array = dfaProfile(x)): number | null {
  if (profile.length < hi) return null;
  const lx: number[] = [];
  const ly: number[] = [];
  for (let n = lo; n <= hi; n++) {
    const f = fluctuation(profile, n);
    if (!(f > 0)) return null;
    lx.push(Math.log(n));
    ly.push(Math.log(f));
  }
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  return sxy / sxx;
}
