/**
 * Dump the event-level heart evidence (src/hrv/gate/heartEvidence.ts) for a folder of recordings
 * or for the seeded zoo, on the learned and the classical detections, with the default pipeline's
 * verdict (issue 11 §1; not part of the package).
 *   nice -n 10 node --import tsx scripts/gate-heart-features.ts DIR|zoo [--every N] > out.jsonl
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readAudioForAnalysis } from '../src/node/files/readAudio.js';
import { estimate, estimateResolved, resolveEstimateOptions } from '../src/hrv/estimate.js';
import { prepareLearnedNode } from '../src/node/learnedSetup.js';
import { learnedEstimator } from '../src/hrv/learned/estimator.js';
import { classicalEstimator } from '../src/hrv/classical/estimator.js';
import { heartEvidence } from '../src/hrv/gate/heartEvidence.js';
import { gateEvidence } from '../src/hrv/gate/evidence.js';
import { zooSet, zooSignal } from '../src/signal/adversaryZoo.js';
import { adversarySet, adversarySignal } from '../src/signal/adversaries.js';
import { methodInputRateHz } from '../src/core/ratePolicy.js';
import { resample } from '../src/dsp/resample.js';

const args = process.argv.slice(2);
const src = args.find((a) => !a.startsWith('-'))!;
const everyI = args.indexOf('--every');
const every = everyI >= 0 ? Number(args[everyI + 1]) : 1;
await prepareLearnedNode();

async function one(name: string, kind: string, x: Float32Array | Float64Array, rateHz: number, fs: number, durationS: number): Promise<void> {
  const opts = resolveEstimateOptions({ method: 'learned' });
  const r = await estimateResolved(x, rateHz, fs, durationS, { ...opts });
  const input = { samples: x, sampleRateHz: rateHz, durationS };
  const L = await learnedEstimator.analyse(input, opts);
  const C = await classicalEstimator.analyse(input, { ...opts, method: 'classical', returnEnvelope: false });
  const hl = L.rrS.length >= 2 ? heartEvidence(x, rateHz, L, L.states) : null;
  const hc = C.rrS.length >= 2 ? heartEvidence(x, rateHz, C) : null;
  const gl = gateEvidence(x, rateHz, L);
  console.log(
    JSON.stringify({ name, kind, verdict: r.verdict, trusted: r.trusted, hr: r.heartRateBpm, q: r.quality.score, lq: L.quality.score, cq: C.quality.score, lhr: L.rrS.length ? 60 / (L.rrS.reduce((a, b) => a + b, 0) / L.rrS.length) : null, hl, hc, spec: gl.spectrum, ev: gl.events, rh: { rmssdRel: gl.rhythm.rmssdRel, systoleRatio: gl.rhythm.systoleRatio, s2OverS1: gl.rhythm.s2OverS1 } }),
  );
}

if (src === 'zoo') {
  const items: Array<{ name: string; kind: string; x: Float64Array; fs: number }> = [];
  for (const z of zooSet({ perKind: 6 })) items.push({ name: z.name, kind: z.kind, x: zooSignal(z.kind, z.seed, z.options), fs: z.options.sampleRateHz! });
  for (const a of adversarySet()) items.push({ name: `old:${a.name}`, kind: `old:${a.kind}`, x: adversarySignal(a.kind, a.seed, a.options), fs: 4000 });
  for (const it of items) {
    const rate = methodInputRateHz('learned', it.fs);
    const x = rate !== it.fs ? resample(it.x, it.fs, rate) : it.x;
    await one(it.name, it.kind, x, rate, it.fs, it.x.length / it.fs);
  }
} else {
  const names = readdirSync(src).filter((f) => f.endsWith('.wav')).sort();
  for (let i = 0; i < names.length; i += every) {
    const a = await readAudioForAnalysis(join(src, names[i]!));
    await one(names[i]!.slice(0, -4), 'real', a.samples, a.analysisRateHz, a.source.sampleRateHz, a.durationS);
  }
}
void estimate;
