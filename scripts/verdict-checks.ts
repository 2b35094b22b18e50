/**
 * Not-heart checks of the verdict with the default method (learned for heart sounds), issue 11:
 *   node --import tsx scripts/verdict-checks.ts [NOT_HEART_DIR]
 * Runs `estimateFile` on every WAV of NOT_HEART_DIR (default /work/shared/data/not-heart) and
 * `estimate` on the seeded adversary set (src/signal/adversaries.ts); prints one line each and
 * the trusted counts (the goal is 0).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';
import { estimate } from '../src/hrv/estimate.js';
import { prepareLearnedNode } from '../src/node/learnedSetup.js';
import { adversarySet, adversarySignal } from '../src/signal/adversaries.js';

await prepareLearnedNode();
const dir = process.argv[2] ?? '/work/shared/data/not-heart';
let n = 0;
let trusted = 0;
for (const f of readdirSync(dir).filter((x) => x.endsWith('.wav')).sort()) {
  const r = await estimateFile(join(dir, f), {});
  n++;
  if (r.trusted) trusted++;
  console.log(`${f.padEnd(32)} ${r.method} ${r.verdict.padEnd(4)} hr ${r.heartRateBpm?.toFixed(0) ?? '-'} q ${r.quality.score.toFixed(2)} ${r.quality.reasons.slice(-1)[0] ?? ''}`);
}
console.log(`not-heart: trusted ${trusted}/${n}`);
let an = 0;
let at = 0;
for (const a of adversarySet()) {
  const r = await estimate(adversarySignal(a.kind, a.seed, a.options), 4000);
  an++;
  if (r.trusted) at++;
  console.log(`${a.name.padEnd(20)} ${r.method} ${r.verdict.padEnd(4)} hr ${r.heartRateBpm?.toFixed(0) ?? '-'} q ${r.quality.score.toFixed(2)} ${r.quality.reasons.slice(-1)[0] ?? ''}`);
}
console.log(`adversaries: trusted ${at}/${an}`);
