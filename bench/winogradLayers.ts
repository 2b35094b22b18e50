/**
 * Per-layer timing of the seed CNN's 3×3 'same' convolutions (layers 2–4), direct against
 * Winograd F(2×2, 3×3), in one process, alternating: forward (conv + bias + ReLU), input gradient
 * and filter gradient. Direct = the wasm kernels main uses (XNNPACK's FusedConv2D, our
 * Conv2DBackpropInput and Conv2DBackpropFilter with the Winograd path switched off); Winograd = src/model/kernels/winogradConv.ts.
 * Forward, input gradient and filter gradient also by F(4×4, 3×3) (`…Wino43`). Effective GFLOP/s = the direct
 * convolution's FLOPs (2·B·H·W·9·C·O) / time, for all.
 * Also the largest error of each Winograd result relative to the direct one (max |Δ| / max |direct|).
 * Wall and CPU (user + system of this one-thread process: robust to other load) medians.
 * Prints one JSON line. Run: `node --import tsx bench/winogradLayers.ts [--batch 32] [--reps 9] [--chunk forwardTiles,gradTiles]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/node/backend.js';
import { setWinogradChunkTiles, setWinogradEnabled, WINO_CHUNK_TILES, WINO_GRAD_CHUNK_TILES, WINO_PROFILE, winogradConv, winogradFilterGrad } from '../src/model/kernels/winogradConv.js';
import { median } from './pythonBench.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

const LAYERS: Array<[string, number, number, number, number]> = [
  ['32→64', 64, 19, 32, 64],
  ['64→128', 32, 9, 64, 128],
  ['128→128', 16, 4, 128, 128],
];

function maxRelDiff(a: Float32Array, ref: Float32Array): number {
  let s = 1e-30;
  for (const v of ref) s = Math.max(s, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - ref[i]!));
  return m / s;
}

async function main(): Promise<void> {
  const B = Number(arg('batch', '32'));
  const reps = Number(arg('reps', '9'));
  const [chunkF, chunkG] = arg('chunk', `${WINO_CHUNK_TILES},${WINO_GRAD_CHUNK_TILES}`).split(',').map(Number);
  setWinogradChunkTiles(chunkF!, chunkG!);
  await initNodeBackend('wasm');
  const be = tf.backend() as never;
  const mk = (info: unknown) => tf.engine().makeTensorFromTensorInfo(info as never);
  const out: Record<string, unknown> = { batch: B, reps, chunkTiles: [chunkF, chunkG] };
  for (const [name, H, W, C, O] of LAYERS) {
    const flops = 2 * B * H * W * 9 * C * O;
    const x = tf.randomNormal([B, H, W, C]) as tf.Tensor4D;
    const w = tf.mul(tf.randomNormal([3, 3, C, O]), 0.05) as tf.Tensor4D;
    const bias = tf.randomNormal([O]) as tf.Tensor1D;
    const dy = tf.randomNormal([B, H, W, O]) as tf.Tensor4D;
    const paths = {
      fwdDirect: () => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias, activation: 'relu' }),
      fwdWino: () => mk(winogradConv(be, x, w, bias, false, 2)),
      fwdWino43: () => mk(winogradConv(be, x, w, bias, false, 4)),
      dxDirect: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w } as never, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: [B, H, W, C] } as never) as tf.Tensor,
      dxWino: () => mk(winogradConv(be, dy, w, null, true, 2)),
      dxWino43: () => mk(winogradConv(be, dy, w, null, true, 4)),
      dwDirect: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy } as never, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, O] } as never) as tf.Tensor,
      dwWino: () => mk(winogradFilterGrad(be, x, dy, C, O, 2)),
      dwWino43: () => mk(winogradFilterGrad(be, x, dy, C, O, 4)),
    };
    WINO_PROFILE.enabled = true;
    WINO_PROFILE.ms = {};
    const times: Record<string, number[]> = {};
    const cpuTimes: Record<string, number[]> = {};
    const last: Record<string, Float32Array> = {};
    for (let r = 0; r < reps + 1; r++) {
      for (const [k, f] of Object.entries(paths)) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        setWinogradEnabled(!k.endsWith('Direct'));
        const y = f();
        const v = y.dataSync() as Float32Array;
        const dt = performance.now() - t0;
        const dc = process.cpuUsage(c0);
        if (r > 0) {
          (times[k] ??= []).push(dt);
          (cpuTimes[k] ??= []).push((dc.user + dc.system) / 1000);
        }
        last[k] = Float32Array.from(v);
        y.dispose();
      }
    }
    const row: Record<string, number> = {};
    for (const [k, ts] of Object.entries(times)) {
      const ms = median(ts);
      row[`${k}Ms`] = Number(ms.toPrecision(4));
      row[`${k}Gflops`] = Number((flops / ms / 1e6).toPrecision(3));
      const cms = median(cpuTimes[k]!);
      row[`${k}CpuMs`] = Number(cms.toPrecision(4));
      row[`${k}CpuGflops`] = Number((flops / cms / 1e6).toPrecision(3));
    }
    for (const p of ['fwd', 'dx', 'dw']) {
      row[`${p}Speedup`] = Number((row[`${p}DirectMs`]! / row[`${p}WinoMs`]!).toPrecision(3));
      row[`${p}CpuSpeedup`] = Number((row[`${p}DirectCpuMs`]! / row[`${p}WinoCpuMs`]!).toPrecision(3));
      row[`${p}MaxRelDiff`] = Number(maxRelDiff(last[`${p}Wino`]!, last[`${p}Direct`]!).toPrecision(3));
      row[`${p}43CpuSpeedup`] = Number((row[`${p}DirectCpuMs`]! / row[`${p}Wino43CpuMs`]!).toPrecision(3));
      row[`${p}43MaxRelDiff`] = Number(maxRelDiff(last[`${p}Wino43`]!, last[`${p}Direct`]!).toPrecision(3));
    }
    // Winograd phases, ms per call (mean over the timed and warm-up calls; fwd and dx both add to the forward phases)
    const phases: Record<string, number> = {};
    for (const [k, v] of Object.entries(WINO_PROFILE.ms)) phases[k] = Number((v / (k.startsWith('dw') ? reps + 1 : 2 * (reps + 1))).toPrecision(3));
    WINO_PROFILE.enabled = false;
    out[name] = { ...row, winoPhasesMs: phases };
    tf.dispose([x, w, bias, dy]);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
