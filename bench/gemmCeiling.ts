/**
 * The XNNPACK GEMM ceiling on this machine: GFLOP/s of the wasm backend's BatchMatMul (XNNPACK
 * f32 GEMM, SIMD) on large, cache-friendly shapes like the seed CNN's convolutions
 * (M = output pixels, K = 9·C, N = filters), fresh operands every repeat (packing included), one
 * XNNPACK thread unless `--threads N`. Prints one JSON line. Run: `node --import tsx bench/gemmCeiling.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { median } from './pythonBench.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

async function main(): Promise<void> {
  const threads = Number(arg('threads', '1'));
  await initNodeBackend('wasm', { wasmThreads: threads });
  const shapes: Array<[number, number, number]> = [[4096, 288, 64], [4096, 576, 128], [4096, 1152, 128]];
  const out: Record<string, number> = {};
  for (const [m, k, n] of shapes) {
    const times: number[] = [];
    for (let r = 0; r < 7; r++) {
      const a = tf.randomNormal([1, m, k]);
      const b = tf.randomNormal([1, k, n]);
      const t = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      times.push((performance.now() - t) / 1000);
      tf.dispose([a, b, c]);
    }
    out[`${m}x${k}x${n}`] = Number(((2 * m * k * n) / median(times.slice(2)) / 1e9).toPrecision(3));
  }
  const best = Math.max(...Object.values(out));
  process.stdout.write(`${JSON.stringify({ threads, gflopsByShape: out, ceilingGflops: best })}\n`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
