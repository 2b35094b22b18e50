/**
 * Write simulated PCG recordings as files: `<name>.wav` (16-bit PCM), `<name>.tsv` (CirCor
 * states) and `<name>.json` (the truth: beat times, RR, HRV, drawn parameters). Node only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicWrite.js';
import { writeWav } from './wav.js';
import { formatStatesTsv, simulatePcg, type PcgSimOptions, type SimulatedPcg } from '../../signal/pcg/index.js';

/** The truth file's JSON (numbers rounded to 1 µs / 1e-6). */
export function truthJson(sim: SimulatedPcg, packageVersion: string): string {
  const r6 = (x: number): number => Number(x.toFixed(6));
  const t = sim.truth;
  return `${JSON.stringify(
    {
      generator: 'hrv-audio simulate --model pcg',
      packageVersion,
      sampleRateHz: sim.sampleRateHz,
      nSamples: sim.samples.length,
      options: t.options,
      params: Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, r6(v)])),
      hrBpm: t.hrBpm === null ? null : r6(t.hrBpm),
      meanRrMs: t.meanRrMs === null ? null : r6(t.meanRrMs),
      sdnnMs: t.sdnnMs === null ? null : r6(t.sdnnMs),
      rmssdMs: t.rmssdMs === null ? null : r6(t.rmssdMs),
      hrvDdof: 0,
      beatTimesS: t.beatTimesS.map(r6),
      s2TimesS: t.s2TimesS.map((x) => (x === null ? null : r6(x))),
      ectopic: t.ectopic,
      rrS: t.rrS.map(r6),
    },
    null,
    1,
  )}\n`;
}

/**
 * Simulate `n` recordings with seeds seed, seed+1, … and write them into `dir` (created if
 * missing) as `pcg-0000.{wav,tsv,json}`, …. Returns the file base names.
 */
export function writePcgSimulations(dir: string, n: number, options: PcgSimOptions, packageVersion: string): string[] {
  mkdirSync(dir, { recursive: true });
  const seed0 = options.seed ?? 1;
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const sim = simulatePcg({ ...options, seed: (seed0 + i) >>> 0 });
    const name = `pcg-${String(i).padStart(4, '0')}`;
    writeWav(join(dir, `${name}.wav`), sim.samples, sim.sampleRateHz);
    writeFileAtomic(join(dir, `${name}.tsv`), formatStatesTsv(sim.truth.segments));
    writeFileAtomic(join(dir, `${name}.json`), truthJson(sim, packageVersion));
    names.push(name);
  }
  return names;
}
