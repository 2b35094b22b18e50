/**
 * Thin a long waveform for plotting: keep the minimum and maximum of each of `maxBuckets`
 * consecutive sample runs (in time order), so peaks survive. Browser-safe.
 */

/** One plotted point: time in seconds and value. */
export interface TimePoint {
  tS: number;
  v: number;
}

/**
 * Points of a uniformly sampled signal, thinned to at most 2 × maxBuckets points.
 * @param samples the signal
 * @param sampleRateHz samples per second (> 0)
 * @param maxBuckets number of min/max buckets (default 1500); signals shorter than 2 × maxBuckets are kept whole
 * @param t0S time of the first sample in seconds (default 0)
 */
export function decimateMinMax(samples: ArrayLike<number>, sampleRateHz: number, maxBuckets = 1500, t0S = 0): TimePoint[] {
  if (!(sampleRateHz > 0)) throw new RangeError(`decimateMinMax: sampleRateHz must be > 0, got ${sampleRateHz}`);
  const n = samples.length;
  const out: TimePoint[] = [];
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  if (n <= 2 * maxBuckets) {
    for (let i = 0; i < n; i++) out.push({ tS: round(t0S + i / sampleRateHz), v: samples[i]! });
    return out;
  }
  const per = n / maxBuckets;
  for (let b = 0; b < maxBuckets; b++) {
    const start = Math.floor(b * per);
    const end = Math.min(n, Math.floor((b + 1) * per));
    let iMin = start;
    let iMax = start;
    for (let i = start + 1; i < end; i++) {
      if (samples[i]! < samples[iMin]!) iMin = i;
      if (samples[i]! > samples[iMax]!) iMax = i;
    }
    const [a, c] = iMin <= iMax ? [iMin, iMax] : [iMax, iMin];
    out.push({ tS: round(t0S + a / sampleRateHz), v: samples[a]! });
    if (c !== a) out.push({ tS: round(t0S + c / sampleRateHz), v: samples[c]! });
  }
  return out;
}
