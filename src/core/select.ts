/**
 * Order statistics without a full sort (browser-safe): `selectKth` rearranges a typed array so
 * that the k-th smallest value sits at index k, everything before it ≤ it and everything after ≥
 * it (Hoare partitioning, O(n) expected). The value is the one a sort would put at index k.
 */

/**
 * The k-th smallest value of `s` (0-based), which is rearranged. The values must not be NaN
 * (see {@link kthSmallest} for arrays that may hold NaN).
 */
export function selectKth(s: Float64Array, k: number): number {
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const pivot = s[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (s[i]! < pivot) i++;
      while (s[j]! > pivot) j--;
      if (i <= j) {
        const t = s[i]!;
        s[i] = s[j]!;
        s[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return s[k]!;
  }
  return s[k]!;
}

/**
 * The value at index k of `s` sorted ascending as a Float64Array sorts (NaN last); `s` is
 * rearranged (or sorted when it holds NaN).
 */
export function kthSmallest(s: Float64Array, k: number): number {
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(s[i]!)) return s.sort()[k]!;
  }
  return selectKth(s, k);
}

/**
 * The median of `v` (the mean of the two middle values for an even count) as a sort would give
 * it, by selection; NaN for no values. `v` is copied, not rearranged. Values holding NaN fall
 * back to sorting with `(a, b) => a - b`, as the sort-based medians this replaced did.
 */
export function selectionMedian(v: ArrayLike<number>): number {
  if (!v.length) return NaN;
  const s = Float64Array.from(v);
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== s[i]) {
      const sorted = Array.from(v).sort((a, b) => a - b);
      const h = sorted.length >> 1;
      return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
    }
  }
  const m = s.length >> 1;
  const upper = selectKth(s, m);
  if (s.length % 2) return upper;
  // after selection, s[0..m) holds the m smallest values: the lower middle is their maximum
  let lower = -Infinity;
  for (let i = 0; i < m; i++) if (s[i]! > lower) lower = s[i]!;
  return (lower + upper) / 2;
}
