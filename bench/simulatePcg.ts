/**
 * Benchmark: the PCG simulator against real time. One 60 s recording per repeat at 4000 Hz
 * (CirCor's rate) and at 1000 Hz, default parameters, each murmur setting once; medians of wall
 * and process CPU time; `realTimeFactor` = simulated seconds per CPU second.
 */
import { simulatePcg, type PcgMurmur } from '../src/signal/pcg/index.js';
import { sig3, timeRepeats } from './pythonBench.js';

const DURATION_S = 60;
const REPEATS = 5;

export async function run(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { durationS: DURATION_S, repeats: REPEATS };
  for (const [fs, murmur] of [
    [4000, 'none'],
    [4000, 'holosystolic'],
    [1000, 'none'],
  ] as Array<[number, PcgMurmur]>) {
    simulatePcg({ seed: 1, durationS: DURATION_S, sampleRateHz: fs, murmur }); // warm-up
    const t = timeRepeats((r) => simulatePcg({ seed: 2 + r, durationS: DURATION_S, sampleRateHz: fs, murmur }), REPEATS);
    result[`${fs}Hz-${murmur}`] = { wallS: sig3(t.wallS), cpuS: sig3(t.cpuS), realTimeFactor: Math.round(DURATION_S / t.cpuS) };
  }
  return result;
}
