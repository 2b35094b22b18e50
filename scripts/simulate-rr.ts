/**
 * Print a seeded, realistic RR series (ms, one per line) for examples and benches:
 *   node --import tsx scripts/simulate-rr.ts SECONDS [SEED] > rr.txt
 * (src/signal/rrSeries.ts: circadian HR, LF at 0.08–0.12 Hz, respiration at 0.25 Hz, noise, slow drift.)
 */
import { simulateRrSeries } from '../src/signal/rrSeries.js';

const seconds = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 5);
if (!(seconds > 0) || !Number.isFinite(seed)) {
  process.stderr.write('usage: scripts/simulate-rr.ts SECONDS [SEED]\n');
  process.exit(2);
}
process.stdout.write(`${simulateRrSeries({ durationS: seconds, seed }).map((r) => Math.round(r * 1000)).join('\n')}\n`);
