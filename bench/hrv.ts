/**
 * Benchmark: every HRV measure (`hrvMeasures`) of a 24-hour RR series (~100 000 beats, seeded
 * `simulateRrSeries`), split by group: time domain, frequency (spline + Welch + Lomb–Scargle),
 * non-linear (SampEn/ApEn on the first 20 000 intervals, DFA on all). Medians of
 * `HRV_BENCH_REPEATS` (default 5) runs after one warm-up. Goal (issue 17): all measures ≤ 1 s.
 *
 *   node --import tsx bench/hrv.ts        or   npm run bench -- hrv
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { hrvMeasures, type HrvGroup } from '../src/hrv/measures/index.js';
import { simulateRrSeries } from '../src/signal/rrSeries.js';

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export async function run(): Promise<Record<string, unknown>> {
  const repeats = Number(process.env.HRV_BENCH_REPEATS ?? 5);
  const rr = simulateRrSeries({ durationS: 86400, seed: 17 });
  const time = (groups: HrvGroup[]): number => {
    hrvMeasures(rr, { groups });
    const ms: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      hrvMeasures(rr, { groups });
      ms.push(performance.now() - t0);
    }
    return Math.round(median(ms));
  };
  const all = hrvMeasures(rr);
  return {
    beats: rr.length,
    hours: 24,
    repeats,
    timeDomainMs: time(['time']),
    withFrequencyMs: time(['time', 'frequency']),
    withNonlinearMs: time(['time', 'nonlinear']),
    allMs: time(['time', 'frequency', 'nonlinear']),
    goalMs: 1000,
    values: { sdnnMs: all.sdnnMs, lfMs2: all.lfMs2, hfMs2: all.hfMs2, lfHf: all.lfHf, sampEn: all.sampEn, dfaAlpha1: all.dfaAlpha1, dfaAlpha2: all.dfaAlpha2 },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
