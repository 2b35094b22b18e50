// Reference copy of templateAlignedTimes (src/hrv/learned/decode.ts) before the issue-14 throughput
// work (main 261fc92): one lag at a time. test/throughput-kernels.test.ts compares against it.
export function templateAlignedTimesReference(timesS: readonly number[], envelope: Float32Array, envelopeRateHz: number, maxLagS: number): number[] {
  const pre = Math.round(0.03 * envelopeRateHz);
  const post = Math.round(0.1 * envelopeRateHz);
  const maxLag = Math.max(1, Math.round(maxLagS * envelopeRateHz));
  const len = pre + post;
  let idx = timesS.map((t) => Math.round(t * envelopeRateHz));
  const usable = (i: number): boolean => i - pre - maxLag >= 0 && i + post + maxLag <= envelope.length;
  if (idx.filter(usable).length < 3) return timesS.slice();
  for (let pass = 0; pass < 2; pass++) {
    const tpl = new Float64Array(len);
    let n = 0;
    for (const i of idx) {
      if (!usable(i)) continue;
      // each beat normalised to unit energy, so loud beats do not dominate
      let e = 0;
      for (let j = 0; j < len; j++) e += envelope[i - pre + j]! ** 2;
      const g = e > 0 ? 1 / Math.sqrt(e) : 0;
      for (let j = 0; j < len; j++) tpl[j] += envelope[i - pre + j]! * g;
      n++;
    }
    let tm = 0;
    for (let j = 0; j < len; j++) tm += tpl[j]! / len;
    for (let j = 0; j < len; j++) tpl[j] -= tm;
    const shifts = idx.map((i) => {
      if (!usable(i)) return 0;
      let best = 0;
      let bestC = -Infinity;
      for (let lag = -maxLag; lag <= maxLag; lag++) {
        let c = 0;
        let mx = 0;
        for (let j = 0; j < len; j++) mx += envelope[i + lag - pre + j]!;
        mx /= len;
        let ee = 0;
        for (let j = 0; j < len; j++) {
          const v = envelope[i + lag - pre + j]! - mx;
          c += v * tpl[j]!;
          ee += v * v;
        }
        c = ee > 0 ? c / Math.sqrt(ee) : -Infinity;
        if (c > bestC) {
          bestC = c;
          best = lag;
        }
      }
      return best;
    });
    const sorted = shifts.slice().sort((a, b) => a - b);
    const med = sorted[sorted.length >> 1]!;
    idx = idx.map((i, k) => i + shifts[k]! - med);
    if (n === 0) break;
  }
  // keep the fraction of the original time below one sample
  return idx.map((i, k) => i / envelopeRateHz + (timesS[k]! - Math.round(timesS[k]! * envelopeRateHz) / envelopeRateHz));
}
