/**
 * Training speed of the learned segmenter (trainSegmenter, the code `hrv-audio train-segmenter`
 * runs) in a fresh process: `node --import tsx bench/segmenterTrainProcess.ts --threads N
 * [--epochs 4]`. Synthetic data of the shape bench/torch_segmenter.py uses: 64 recordings × 2000
 * frames of 8 standard-normal features, labels 0..4 (0 = unknown) from a seeded generator; the
 * default architecture (51 offsets × 8 features → 48 → 32 → 4) and training options (batch 256,
 * frame stride 2, Adam 2e-3). Prints one JSON line: seconds per epoch (the median of epochs 2–4),
 * steps per epoch, ms per step, labelled frames per second, and the CPU seconds per epoch (median
 * of epochs 2–4; with 1 thread a load-robust figure).
 */
import { initNodeBackend } from '../src/node/backend.js';
import { SEGMENTER_ARCHITECTURE_DEFAULTS } from '../src/model/architectures/segmenter.js';
import { trainSegmenter, SEGMENTER_TRAIN_DEFAULTS, type SegmenterExample } from '../src/model/training/segmenterTrain.js';
import { FastRng } from '../src/signal/rng.js';
import { median } from './pythonBench.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** The bench's synthetic recordings (seeded). */
export function syntheticRecordings(recordings: number, frames: number, nFeatures: number, seed: number): SegmenterExample[] {
  const rng = new FastRng(seed);
  return Array.from({ length: recordings }, () => ({
    features: Float32Array.from({ length: frames * nFeatures }, () => rng.normal()),
    nFrames: frames,
    labels: Uint8Array.from({ length: frames }, () => Math.min(4, Math.floor(rng.random() * 5))),
  }));
}

async function main(): Promise<void> {
  const threads = Number(arg('threads', '1'));
  const epochs = Number(arg('epochs', '4'));
  const backend = await initNodeBackend('wasm', { wasmThreads: threads });
  const arch = SEGMENTER_ARCHITECTURE_DEFAULTS;
  const examples = syntheticRecordings(Number(arg('recordings', '64')), Number(arg('frames', '2000')), arch.nFeatures, 7);
  const o = { ...SEGMENTER_TRAIN_DEFAULTS, epochs };
  const seconds: number[] = [];
  const cpuSeconds: number[] = []; // process CPU time (all threads): robust to preemption with 1 thread
  let t = performance.now();
  let c = process.cpuUsage();
  const { model } = trainSegmenter(examples, arch, o, () => {
    const now = performance.now();
    seconds.push((now - t) / 1000);
    const d = process.cpuUsage(c);
    cpuSeconds.push((d.user + d.system) / 1e6);
    t = now;
    c = process.cpuUsage();
  });
  model.dispose();
  let labelled = 0;
  for (const ex of examples) for (const l of ex.labels) if (l) labelled++;
  const steps = Math.floor(Math.floor(labelled / o.frameStride) / o.batchSize);
  const epochS = median(seconds.slice(1, 4));
  const out = {
    threads,
    backend: backend.description,
    epochSeconds: seconds.map((s) => Number(s.toFixed(4))),
    epochS,
    epochCpuS: median(cpuSeconds.slice(1, 4)),
    stepsPerEpoch: steps,
    stepMs: (1000 * epochS) / steps,
    framesPerS: (steps * o.batchSize) / epochS,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
