/**
 * Classical beats on every WAV of a folder, for decoder fusion experiments:
 *   node --import tsx scripts/bench/segmenter-classical-dump.ts DIR OUT.json
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../src/io/wav.js';
import { estimate } from '../../src/hrv/estimate.js';

const dir = process.argv[2]!;
const out: Record<string, { beatTimesS: number[]; rrS: number[]; rrStartIndex: number[]; quality: number; trusted: boolean; hrBpm: number | null }> = {};
for (const f of readdirSync(dir).filter((x) => x.endsWith('.wav')).sort()) {
  const a = readWav(join(dir, f));
  const e = estimate(a.samples, a.sampleRateHz, { signal: 'pcg' });
  out[f.replace(/\.wav$/, '')] = { beatTimesS: e.beatTimesS, rrS: e.rrS, rrStartIndex: (e as any).rrStartIndex ?? [], quality: e.quality.score, trusted: e.trusted, hrBpm: e.heartRateBpm };
}
writeFileSync(process.argv[3]!, JSON.stringify(out));
