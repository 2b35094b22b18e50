import { readdirSync } from 'node:fs';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';
const dir = process.argv[2]!;
const method = process.argv[3];
let t = 0, n = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.wav')).sort()) {
  const r = await estimateFile(`${dir}/${f}`, method ? { method: method as 'learned' } : {});
  n++; if (r.trusted) t++;
  console.log(f.padEnd(22), r.method, r.verdict, r.heartRateBpm?.toFixed(0) ?? '-', (r.quality.reasons.find((s) => /^not /.test(s)) ?? r.quality.reasons.at(-1) ?? '').slice(0, 100));
}
console.log(`trusted ${t}/${n}`);
