/**
 * The seed CNN's weights after a short seeded training (72 + 20 random samples, batch 16, 2 epochs) on
 * one thread (LocalEngine) and with two workers (DualEngine), as SHA-256 prefixes with the epoch losses:
 * `node --import tsx bench/cnnWeightsHash.ts`. Run it on two builds to check that a change keeps
 * training's bytes (issue 16, docs/notes/issue-16-speed5.md).
 */
import { createHash } from 'node:crypto';
import { initNodeBackend } from '../src/node/backend.js';
import { buildSeedCnn } from '../src/model/architectures/seedCnn.js';
import { fitLoop, LocalEngine } from '../src/model/training/train.js';
import { DualEngine } from '../src/node/workers/dualEngine.js';
import { randomArrays } from './trainProcess.js';
await initNodeBackend('wasm', { wasmThreads: 1 });
const scaling = { hr: { label: 'hr_bpm', offset: 0, scale: 1 }, hrv: { label: 'hrv_s', offset: 0, scale: 1 } };
const train = randomArrays(72, 7);
const val = randomArrays(20, 8);
const hash = (ws: Array<{ data: Float32Array }>) => { const h = createHash('sha256'); for (const w of ws) h.update(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)); return h.digest('hex').slice(0, 16); };
const out: Record<string, string> = {};
{
  const model = buildSeedCnn([129, 38, 1], { seed: 3 });
  const engine = new LocalEngine(model, train, val);
  const fit = await fitLoop(engine, train.n, scaling, { epochs: 2, batchSize: 16, seed: 5 });
  out.local = hash((await engine.exportState()).weights) + ' loss ' + fit.history.map((h) => h.loss.toPrecision(8)).join(',');
}
{
  const model = buildSeedCnn([129, 38, 1], { seed: 3 });
  const engine = await DualEngine.start({ train, val, seed: 1, backend: 'wasm', weights: model });
  const fit = await fitLoop(engine, train.n, scaling, { epochs: 2, batchSize: 16, seed: 5 });
  out.dual = hash((await engine.exportState()).weights) + ' loss ' + fit.history.map((h) => h.loss.toPrecision(8)).join(',');
  await engine.close();
}
console.log(JSON.stringify(out));
process.exit(0);
