import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { setFilterGradChunkRows } from '../src/model/kernels/conv2dBackpropFilter.js';
import { setWinogradChunkTiles, WINO_CHUNK_TILES } from '../src/model/kernels/winogradConv.js';
await initNodeBackend('wasm', { wasmThreads: 1 });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const [B, H, W, C, O, kind] of [[16, 64, 19, 32, 64, 'direct'], [16, 32, 9, 64, 128, 'wino']] as const) {
  const x = tf.randomNormal([B, H, W, C]) as tf.Tensor4D;
  const dy = tf.randomNormal([B, H, W, O]) as tf.Tensor4D;
  const sizes = [512, 1024, 2048, 4096];
  const res: Record<number, number[]> = {};
  for (let r = 0; r < 9; r++) for (const s of sizes) {
    if (kind === 'direct') setFilterGradChunkRows(s); else setWinogradChunkTiles(WINO_CHUNK_TILES, s);
    const t = cpu();
    const g = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy } as never, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, C, O] } as never) as tf.Tensor;
    g.dataSync(); g.dispose();
    if (r > 0) (res[s] ??= []).push(cpu() - t);
  }
  const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
  console.log(kind, B, H, W, C, O, sizes.map((s) => `${s}: ${med(res[s]).toFixed(1)}`).join('  '));
}
