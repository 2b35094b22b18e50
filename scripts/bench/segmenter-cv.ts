/**
 * Patient-level CV of the learned segmenter on a segmented folder (no final model):
 *   node --import tsx scripts/bench/segmenter-cv.ts ../shared/data/circor-train [--limit N] [--epochs E] [--folds K] [--hidden 48,32] [--out rows.json]
 */
import { writeFileSync } from 'node:fs';
import { initNodeBackend } from '../../src/node/backend.js';
import { runSegmenterTraining } from '../../src/node/pipelines/trainSegmenter.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  await initNodeBackend('wasm');
  const t0 = Date.now();
  const res = await runSegmenterTraining({
    dir: argv[0]!,
    out: null,
    cvOnly: true,
    folds: Number(opt('folds') ?? 5),
    seed: Number(opt('seed') ?? 42),
    limit: opt('limit') ? Number(opt('limit')) : undefined,
    train: { epochs: Number(opt('epochs') ?? 6), frameStride: Number(opt('stride') ?? 2) },
    architecture: opt('hidden') ? { hidden: opt('hidden')!.split(',').map(Number) } : undefined,
    log: (l) => console.log(l),
  });
  console.log(JSON.stringify(res.summary, null, 1));
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (opt('out')) writeFileSync(opt('out')!, JSON.stringify(res.rows));
}
void main();
