/**
 * Benchmark: the PCG simulator against real time. One 60 s recording per repeat at 4000 Hz
 * (CirCor's rate) and at 1000 Hz, default parameters, with the circor recording profile (default) and the parametric one; medians of wall
 * and process CPU time; `realTimeFactor` = simulated seconds per CPU second.
 */
import { simulatePcg, type PcgMurmur, type PcgProfile } from '../src/signal/pcg/index.js';
import { sig3, timeRepeats } from './pythonBench.js';

const DURATION_S = 60;
const REPEATS = 5;

export async function run(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { durationS: DURATION_S, repeats: REPEATS };
  for (const [fs, murmur, profile] of [
    [4000, 'none', 'circor'],
    [4000, 'holosystolic', 'circor'],
    [1000, 'none', 'circor'],
    [4000, 'none', 'parametric'],
    [1000, 'none', 'parametric'],
  ] as Array<[number, PcgMurmur, PcgProfile]>) {
    simulatePcg({ seed: 1, durationS: DURATION_S, sampleRateHz: fs, murmur, profile }); // warm-up
    const t = timeRepeats((r) => simulatePcg({ seed: 2 + r, durationS: DURATION_S, sampleRateHz: fs, murmur, profile }), REPEATS);
    result[`${fs}Hz-${murmur}-${profile}`] = { wallS: sig3(t.wallS), cpuS: sig3(t.cpuS), realTimeFactor: Math.round(DURATION_S / t.cpuS) };
  }
  return result;
}
