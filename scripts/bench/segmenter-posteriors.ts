/**
 * Train the CV folds once and dump held-out posteriors (for decoder tuning without retraining):
 *   node --import tsx scripts/bench/segmenter-posteriors.ts DIR OUT.json [--folds 5] [--epochs 6] [--hidden 48,32] [--limit N]
 * Then: node --import tsx scripts/bench/segmenter-decode.ts OUT.json [decoder JSON]
 */
import { writeFileSync } from 'node:fs';
import { initNodeBackend } from '../../src/node/backend.js';
import { loadSegmentedRecordings, patientFolds } from '../../src/node/pipelines/trainSegmenter.js';
import { trainSegmenter } from '../../src/model/training/segmenterTrain.js';
import { predictPosteriors, SEGMENTER_ARCHITECTURE_DEFAULTS } from '../../src/model/architectures/segmenter.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  await initNodeBackend('wasm');
  const data = await loadSegmentedRecordings(argv[0]!, undefined, opt('limit') ? Number(opt('limit')) : Infinity);
  const K = Number(opt('folds') ?? 5);
  const seed = Number(opt('seed') ?? 42);
  const arch = { ...SEGMENTER_ARCHITECTURE_DEFAULTS, hidden: opt('hidden') ? opt('hidden')!.split(',').map(Number) : SEGMENTER_ARCHITECTURE_DEFAULTS.hidden };
  const folds = patientFolds(data.map((d) => d.rec.patientId), K, seed);
  const out: Array<{ name: string; fold: number; post: number[]; n: number; env: number[]; age: string; murmur: string; segments: unknown; durationS: number }> = [];
  for (let k = 0; k < K; k++) {
    const train = data.filter((_, i) => folds[i] !== k);
    const { model } = trainSegmenter(
      train.map((d) => ({ features: d.features.values, nFrames: d.features.nFrames, labels: d.labels })),
      arch,
      { epochs: Number(opt("epochs") ?? 6), frameStride: Number(opt("stride") ?? 2), seed, learningRate: Number(opt("lr") ?? 2e-3), stretchFactors: opt("stretch") ? opt("stretch")!.split(",").map(Number) : [] },
      (e, l, s) => console.log(`fold ${k} epoch ${e} loss ${l.toFixed(4)} ${s.toFixed(1)} s`),
    );
    data.forEach((d, i) => {
      if (folds[i] !== k) return;
      const post = predictPosteriors(model, arch, d.features.values, d.features.nFrames);
      out.push({ name: d.rec.name, fold: k, post: Array.from(post, (v) => Math.round(v * 1e4) / 1e4), n: d.features.nFrames, env: Array.from(d.features.envelope, (v) => Math.round(v * 1e4) / 1e4), age: d.rec.meta.age_group ?? '', murmur: d.rec.meta.murmur ?? '', segments: d.segments, durationS: d.durationS });
    });
    model.dispose();
  }
  writeFileSync(argv[1]!, JSON.stringify(out));
}
void main();
