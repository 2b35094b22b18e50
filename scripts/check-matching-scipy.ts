/**
 * Cross-check of `matchBeats` (src/hrv/validate/matching.ts) against scipy's
 * `linear_sum_assignment` on seeded random beat trains. Not part of the package.
 *
 *   node --import tsx scripts/check-matching-scipy.ts [N_CASES] [SEED] | python3 scripts/check_matching_scipy.py
 *
 * Each case: ~40 reference beats with jittered RR, detections = the beats with random misses,
 * timing noise and extra false detections; tolerance 50 or 100 ms. Prints one JSON object per
 * line: the case and matchBeats' pair count and summed |offset|.
 */
import { FastRng } from '../src/signal/rng.js';
import { matchBeats } from '../src/hrv/validate/matching.js';

const nCases = Number(process.argv[2] ?? 500);
const rng = new FastRng(Number(process.argv[3] ?? 1));
for (let c = 0; c < nCases; c++) {
  const truth: number[] = [];
  let t = rng.uniform(0, 1);
  const rr = rng.uniform(0.25, 1.2);
  for (let k = 0; k < 40; k++) {
    truth.push(t);
    t += rr * rng.uniform(0.8, 1.2);
  }
  const det: number[] = [];
  for (const x of truth) if (rng.random() > 0.1) det.push(x + rng.normal(0, 0.04));
  const extra = rng.int(15);
  for (let k = 0; k < extra; k++) det.push(rng.uniform(0, t));
  det.sort((a, b) => a - b);
  const tol = rng.random() < 0.5 ? 0.05 : 0.1;
  const m = matchBeats(truth, det, tol);
  const cost = m.pairs.reduce((s, p) => s + Math.abs(p.offsetS), 0);
  process.stdout.write(`${JSON.stringify({ truth, det, tol, pairs: m.pairs.length, cost })}\n`);
}
