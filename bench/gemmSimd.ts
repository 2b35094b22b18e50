/**
 * Our wasm SIMD GEMM (src/model/kernels/gemmSimd.ts) against XNNPACK's (the wasm backend's
 * BatchMatMul, a fresh right operand every call as in the Winograd path before: operator creation
 * and packing included) on the seed CNN's Winograd plane shapes at batch 32, one thread.
 * GFLOP/s = 2·M·N·K / time (median of `--reps`, CPU time of this one-thread process and wall).
 * The XNNPACK GEMM ceiling (bench/gemmCeiling.ts) is the reference: 27.2 GFLOP/s in the last quiet run.
 * Prints one JSON line. Run: `node --import tsx bench/gemmSimd.ts [--reps 30]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { f32Offset, type WasmBackendLike } from '../src/model/kernels/heap.js';
import { backendMemory } from '../src/model/kernels/maxPoolGrad.js';
import { gemmAbFor, gemmAtBFor } from '../src/model/kernels/gemmSimd.js';
import { median } from './pythonBench.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

/** [name, layout, M, N, K]: 'ab' C = A·B (forward planes, A [M, K]); 'atb' C = Aᵀ·B (filter-gradient planes, A [K, M]). */
const SHAPES: Array<[string, 'ab' | 'atb', number, number, number]> = [
  ['fwd L2 F(2×2) [1024,32]·[32,64]', 'ab', 1024, 64, 32],
  ['dx L2 F(4×4) [1024,64]·[64,32]', 'ab', 1024, 32, 64],
  ['fwd L3 F(4×4) [768,64]·[64,128]', 'ab', 768, 128, 64],
  ['fwd L4 F(4×4) [128,128]·[128,128]', 'ab', 128, 128, 128],
  ['dw L2 [32,2048]·[2048,64]', 'atb', 32, 64, 2048],
  ['dw L3 [64,2048]·[2048,128]', 'atb', 64, 128, 2048],
  ['dw L4 [128,512]·[512,128]', 'atb', 128, 128, 512],
  ['ceiling shape [4096,288]·[288,64]', 'ab', 4096, 64, 288],
];

async function main(): Promise<void> {
  const reps = Number(arg('reps', '30'));
  await initNodeBackend('wasm');
  const be = tf.backend() as unknown as WasmBackendLike;
  const mem = backendMemory(be);
  const out: Record<string, Record<string, number>> = {};
  for (const [name, layout, M, N, K] of SHAPES) {
    const flops = 2 * M * N * K;
    const aRows = layout === 'atb' ? K : M;
    const aCols = layout === 'atb' ? M : K;
    const a = tf.randomNormal([aRows, aCols]);
    const b = tf.randomNormal([K, N]);
    const c = tf.zeros([M, N]);
    const fn = layout === 'atb' ? gemmAtBFor(mem)! : gemmAbFor(mem, aCols)!;
    const KC = 256;
    const ours = (): void => {
      const pa = f32Offset(be, a) * 4, pb = f32Offset(be, b) * 4, pc = f32Offset(be, c) * 4;
      if (layout === 'ab') fn(pa, pb, pc, M, N, K, 4, 16 * aCols, N * 4, N * 4, 0);
      else for (let k0 = 0; k0 < K; k0 += KC) fn(pa + k0 * M * 4, pb + k0 * N * 4, pc, M, N, Math.min(KC, K - k0), M * 4, 16, N * 4, N * 4, k0 > 0 ? 1 : 0);
    };
    const xa = tf.randomNormal([1, M, K]);
    const xnn = (): void => {
      const fresh = tf.randomNormal([1, K, N]);
      const t0 = performance.now();
      const y = tf.matMul(xa, fresh);
      y.dataSync();
      xnnWall.push(performance.now() - t0);
      tf.dispose([fresh, y]);
    };
    const xnnWall: number[] = [];
    const oursWall: number[] = [];
    const oursCpu: number[] = [];
    for (let r = 0; r < reps + 2; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      ours();
      const dt = performance.now() - t0;
      const dc = process.cpuUsage(c0);
      if (r >= 2) {
        oursWall.push(dt);
        oursCpu.push((dc.user + dc.system) / 1000);
      }
      xnn();
    }
    const g = (ms: number) => Number((flops / ms / 1e6).toPrecision(3));
    out[name] = {
      oursMs: Number(median(oursWall).toPrecision(3)), oursGflops: g(median(oursWall)), oursCpuGflops: g(median(oursCpu)),
      xnnpackFreshMs: Number(median(xnnWall.slice(2)).toPrecision(3)), xnnpackFreshGflops: g(median(xnnWall.slice(2))),
    };
    tf.dispose([a, b, c, xa]);
  }
  process.stdout.write(`${JSON.stringify({ reps, shapes: out })}\n`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
