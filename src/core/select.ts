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
