/**
 * Run the classical detector and the gate on the seeded synthetic adversary set (issue 11).
 *   node --import tsx scripts/gate-adversaries.ts
 * One line per signal: baseline (quality ≥ 0.2 → trusted) and gate verdict.
 */
import { adversarySet, adversarySignal } from '../src/signal/adversaries.js';
import { detectSegmented, DEFAULT_MIN_QUALITY } from '../src/hrv/estimate.js';
import { gate } from '../src/hrv/gate/index.js';

let base = 0;
let after = 0;
const set = adversarySet();
for (const a of set) {
  const x = adversarySignal(a.kind, a.seed, a.options);
  const det = detectSegmented(x, 4000, 'auto', false);
  const hr = det.rrS.length ? (60 * det.rrS.length) / det.rrS.reduce((p, q) => p + q, 0) : null;
  const trusted = det.quality.score >= DEFAULT_MIN_QUALITY && det.rrS.length > 0;
  const g = gate(x, 4000, det);
  base += trusted ? 1 : 0;
  after += g.trusted ? 1 : 0;
  console.log(
    `${a.name.padEnd(20)} base ${trusted ? 'TRUSTED' : '-      '} hr ${hr === null ? '-' : hr.toFixed(0)} q ${det.quality.score.toFixed(2)} | gate ${g.verdict.padEnd(4)} ${g.heartRateBpm === null ? '-' : g.heartRateBpm.toFixed(0)} ${g.reasons[0] ?? ''}`,
  );
}
console.log(`trusted: baseline ${base}/${set.length}, gate ${after}/${set.length}`);
