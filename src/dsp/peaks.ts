/**
 * Local-maximum peak picking. Browser-safe.
 */

/** Options for {@link findPeaks}. */
export interface PeakOptions {
  /** Minimum height (default −Infinity). */
  minHeight?: number;
  /** Minimum distance between kept peaks in samples (default 1); taller peaks win. */
  minDistance?: number;
}

/**
 * Indices of local maxima (x[i−1] < x[i] ≥ x[i+1]; plateaus give their first sample), at least
 * `minHeight` high; when two are closer than `minDistance`, the lower one is dropped (like
 * scipy.signal.find_peaks' `distance`). Returned in increasing index order.
 */
export function findPeaks(x: ArrayLike<number>, options: PeakOptions = {}): number[] {
  const minHeight = options.minHeight ?? -Infinity;
  const minDistance = Math.max(1, Math.floor(options.minDistance ?? 1));
  const n = x.length;
  const cand: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const v = x[i]!;
    if (v < minHeight || !(v > x[i - 1]!)) continue;
    let j = i + 1;
    while (j < n - 1 && x[j] === v) j++;
    if (v > x[j]!) cand.push(i);
    i = j - 1;
  }
  if (minDistance <= 1 || cand.length < 2) return cand;
  const order = cand.slice().sort((a, b) => x[b]! - x[a]! || a - b);
  const removed = new Uint8Array(n);
  const kept: number[] = [];
  for (const i of order) {
    if (removed[i]) continue;
    kept.push(i);
    for (let j = Math.max(0, i - minDistance + 1); j < Math.min(n, i + minDistance); j++) if (j !== i) removed[j] = 1;
  }
  return kept.sort((a, b) => a - b);
}
