/**
 * Benchmark section `estimate`: compute time of the classical beat detector.
 *
 * - `pcg`: `detectBeats` on 4 kHz heart-sound recordings (the fixtures in fixtures/pcg, plus the
 *   36 recordings of ../shared/data/pcg-real when present), seconds of compute per minute of
 *   audio, median over repeats, for `signal: 'pcg'` and `signal: 'auto'` (auto adds the type test
 *   on the first 10 s). Goal: ≤ 0.02 s per minute.
 * - `pulse`: `detectBeats` on the seed's 5 s, 1 kHz signals, ms per signal.
 * - `long`: the I/O half's hour-long streaming benchmark (bench/estimateLong.ts `run()`), when that
 *   module exists; skip it with HRV_BENCH_SKIP_LONG=1.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/node/files/wav.js';
import { detectBeats } from '../src/hrv/classical/detectBeats.js';
import { simulateDataset } from '../src/signal/simulate.js';

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function loadDir(dir: string): Array<{ samples: Float32Array; rate: number }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .map((f) => {
      const a = readWav(`${dir}/${f}`);
      return { samples: a.samples, rate: a.sampleRateHz };
    });
}

/** Seconds of detector compute per minute of audio (median over `repeats`). */
export function pcgSecondsPerMinute(recs: Array<{ samples: Float32Array; rate: number }>, signal: 'pcg' | 'auto', repeats = 5): number {
  const minutes = recs.reduce((a, r) => a + r.samples.length / r.rate, 0) / 60;
  for (let w = 0; w < 2; w++) for (const r of recs) detectBeats(r.samples, r.rate, { signal }); // warm-up (JIT)
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    for (const r of recs) detectBeats(r.samples, r.rate, { signal });
    times.push((performance.now() - t0) / 1000);
  }
  return median(times) / minutes;
}

export async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { goalSecondsPerMinute: 0.02 };
  const fixtures = loadDir(fileURLToPath(new URL('../fixtures/pcg', import.meta.url)));
  const shared = loadDir(fileURLToPath(new URL('../../shared/data/pcg-real', import.meta.url)));
  for (const [name, recs] of [
    ['fixtures', fixtures],
    ['pcgReal36', shared],
  ] as const) {
    if (recs.length === 0) {
      out[name] = { skipped: 'recordings not found' };
      continue;
    }
    out[name] = {
      recordings: recs.length,
      audioMinutes: recs.reduce((a, r) => a + r.samples.length / r.rate, 0) / 60,
      pcgSecondsPerMinute: pcgSecondsPerMinute(recs, 'pcg'),
      autoSecondsPerMinute: pcgSecondsPerMinute(recs, 'auto'),
    };
  }
  const sims = simulateDataset({ n: 50, seed: 1 });
  detectBeats(sims[0]!.samples, 1000);
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    for (const s of sims) detectBeats(s.samples, 1000, { signal: 'pulse' });
    times.push(performance.now() - t0);
  }
  out.pulse = { signals: sims.length, msPerSignal: median(times) / sims.length, signalS: 5, sampleRateHz: 1000 };
  const longModule = new URL('./estimateLong.ts', import.meta.url);
  if (process.env.HRV_BENCH_SKIP_LONG !== '1' && existsSync(longModule)) {
    const mod = (await import(longModule.href)) as { run: () => Promise<Record<string, unknown>> };
    out.long = await mod.run();
  }
  return out;
}
