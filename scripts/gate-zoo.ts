/**
 * The full estimate() pipeline (any method, default learned) on the seeded non-heart zoo
 * (src/signal/adversaryZoo.ts) and the older adversary set; trusted counts per kind (issue 11 §1).
 *   node --import tsx scripts/gate-zoo.ts [--method learned|classical|cnn] [--per-kind 6] [--seed-base 1000] [--jsonl out.jsonl] [--kinds a,b]
 * Held-out kinds (never looked at while choosing the heart rules' thresholds) are reported
 * separately: HELD_OUT_ZOO_KINDS in src/signal/adversaryZoo.ts (docs/notes/issue-11-heart.md).
 */
import { writeFileSync } from 'node:fs';
import { estimate } from '../src/hrv/estimate.js';
import { prepareLearnedNode } from '../src/node/learnedSetup.js';
import { cnnModelFor } from '../src/node/pipelines/estimateFile.js';
import { zooSet, zooSignal, type ZooKind } from '../src/signal/adversaryZoo.js';
import { adversarySet, adversarySignal } from '../src/signal/adversaries.js';
import { HELD_OUT_ZOO_KINDS } from '../src/signal/adversaryZoo.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const method = arg('method');
const perKind = Number(arg('per-kind') ?? 6);
const seedBase = Number(arg('seed-base') ?? 1000);
const kinds = arg('kinds')?.split(',') as ZooKind[] | undefined;
const jsonl = arg('jsonl');
const withOld = !process.argv.includes('--zoo-only');

await prepareLearnedNode();
const cnn = method === 'cnn' ? await cnnModelFor() : undefined; // the shipped CNN
const rows: string[] = [];
const perKindCount = new Map<string, { n: number; trusted: number; names: string[] }>();
const items: Array<{ name: string; kind: string; make: () => Float64Array; fs: number }> = [];
for (const z of zooSet({ perKind, seedBase, ...(kinds ? { kinds } : {}) })) items.push({ name: z.name, kind: z.kind, make: () => zooSignal(z.kind, z.seed, z.options), fs: z.options.sampleRateHz! });
if (withOld && !kinds) for (const a of adversarySet()) items.push({ name: `old:${a.name}`, kind: `old:${a.kind}`, make: () => adversarySignal(a.kind, a.seed, a.options), fs: a.options.sampleRateHz ?? 4000 });
for (const it of items) {
  const x = it.make();
  const t0 = performance.now();
  const r = await estimate(x, it.fs, method ? { method: method as 'learned', ...(cnn ? { model: cnn } : {}) } : {});
  const ms = performance.now() - t0;
  const c = perKindCount.get(it.kind) ?? { n: 0, trusted: 0, names: [] };
  c.n++;
  if (r.trusted) {
    c.trusted++;
    c.names.push(`${it.name}(${r.heartRateBpm?.toFixed(0)})`);
  }
  perKindCount.set(it.kind, c);
  rows.push(JSON.stringify({ name: it.name, kind: it.kind, method: r.method, verdict: r.verdict, trusted: r.trusted, hr: r.heartRateBpm, q: r.quality.score, reason: r.quality.reasons.at(-2), ms: Math.round(ms) }));
  console.error(`${it.name.padEnd(34)} ${r.method.padEnd(9)} ${r.verdict.padEnd(4)} ${r.heartRateBpm === null ? '-' : r.heartRateBpm.toFixed(0)} q ${r.quality.score.toFixed(2)} ${r.trusted ? '' : (r.quality.reasons.at(-2) ?? '').slice(0, 90)}`);
}
if (jsonl) writeFileSync(jsonl, rows.join('\n') + '\n');
let total = 0;
let trusted = 0;
let hoN = 0;
let hoT = 0;
for (const [kind, c] of perKindCount) {
  const held = HELD_OUT_ZOO_KINDS.includes(kind as ZooKind);
  console.log(`${(held ? '[held-out] ' : '') + kind}: ${c.trusted}/${c.n} trusted ${c.names.join(' ')}`);
  total += c.n;
  trusted += c.trusted;
  if (held) {
    hoN += c.n;
    hoT += c.trusted;
  }
}
console.log(`trusted: ${trusted}/${total} (held-out kinds ${hoT}/${hoN})`);
