/**
 * SHA-256 of the segmenter's weights after a short seeded training on the bench's synthetic data
 * (wasm backend, `--threads N`): compare two builds' outputs to check that a speed change left
 * training bit-identical. `node --import tsx bench/segmenterWeightsHash.ts [--threads 1]`.
 */
import { createHash } from 'node:crypto';
import { initNodeBackend } from '../src/node/backend.js';
import { SEGMENTER_ARCHITECTURE_DEFAULTS } from '../src/model/architectures/segmenter.js';
import { trainSegmenter, type SegmenterExample } from '../src/model/training/segmenterTrain.js';
import { FastRng } from '../src/signal/rng.js';

function syntheticRecordings(recordings: number, frames: number, nFeatures: number, seed: number): SegmenterExample[] {
  const rng = new FastRng(seed);
  return Array.from({ length: recordings }, () => ({
    features: Float32Array.from({ length: frames * nFeatures }, () => rng.normal()),
    nFrames: frames,
    labels: Uint8Array.from({ length: frames }, () => Math.min(4, Math.floor(rng.random() * 5))),
  }));
}

const i = process.argv.indexOf('--threads');
await initNodeBackend('wasm', { wasmThreads: i >= 0 ? Number(process.argv[i + 1]) : 1 });
const arch = SEGMENTER_ARCHITECTURE_DEFAULTS;
const { model, losses } = trainSegmenter(syntheticRecordings(8, 1500, arch.nFeatures, 3), arch, { epochs: 2, seed: 5 });
const h = createHash('sha256');
for (const w of model.getWeights()) h.update(Buffer.from((w.dataSync() as Float32Array).buffer));
process.stdout.write(`${JSON.stringify({ sha256: h.digest('hex'), losses })}\n`);
