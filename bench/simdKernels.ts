/**
 * `node --import tsx bench/simdKernels.ts [repeats]`: the WebAssembly SIMD kernels of the
 * estimation pipeline (issue 14, helper thru8) against their plain-JS references, in one process,
 * alternating, on seeded inputs the size of a 30 s recording. Prints one JSON object: per kernel
 * the minimum and median ms of each side and the ratio of the medians (JS ÷ SIMD). Results are
 * bit-identical (checked here too).
 */
import { durationTables, hsmmViterbi, hsmmViterbiReference } from '../src/hrv/learned/hsmm.js';
import { denseForwardFrom, denseForwardReference } from '../src/model/denseNetwork.js';
import { loadSegmenter } from '../src/model/segmenterBundle.js';
import { folderSegmenterSource } from '../src/node/files/segmenterStore.js';
import { bandpassFiltfilt, bandpassFiltfiltPair } from '../src/dsp/butterworth.js';
import { FastRng } from '../src/signal/rng.js';

const repeats = Number(process.argv[2] ?? 25);
const rng = new FastRng(14);

function side(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function compare(name: string, js: () => unknown, simd: () => unknown, same: () => boolean): Record<string, unknown> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < repeats; r++) {
    a.push(side(js));
    b.push(side(simd));
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
  return { name, jsMinMs: Math.min(...a), simdMinMs: Math.min(...b), jsMedianMs: med(a), simdMedianMs: med(b), ratio: med(a) / med(b), identical: same() };
}

const out: Record<string, unknown>[] = [];
// HSMM: 1 350 frames (27 s at 50 Hz), one decoding per candidate period
{
  const n = 1350;
  const e = new Float64Array(n * 4).map(() => -3 * rng.random());
  const tables = [0.5, 0.8, 1.2].map((p) => durationTables(p, 50));
  const run = (f: typeof hsmmViterbi) => () => tables.map((t) => f(e, n, t));
  out.push(compare('hsmmViterbi (3 decodings of 1350 frames)', run(hsmmViterbiReference), run(hsmmViterbi), () => JSON.stringify(run(hsmmViterbiReference)()) === JSON.stringify(run(hsmmViterbi)())));
}
// the segmenter's dense layers after the FFT first layer: 1 500 frames × 48 → 32 → 4
{
  const seg = await loadSegmenter(folderSegmenterSource());
  const n = 1500;
  const x = new Float32Array(n * seg.network.layers[1]!.nIn).map(() => Math.max(0, rng.normal()));
  const js = () => denseForwardReference(seg.network, 1, x, n);
  const simd = () => denseForwardFrom(seg.network, 1, x, n);
  out.push(compare('dense layers 48→32→4, 1500 frames', js, simd, () => Buffer.from(js().buffer).equals(Buffer.from(simd().buffer))));
}
// two band-passes of one 30 s signal at 4 kHz (the gate's 20–2000 and 200–2000 Hz) and at 1 kHz (two sub-bands)
for (const [fs, bandA, bandB] of [
  [4000, [20, 2000], [200, 2000]],
  [4000, [20, 200], [20, 400]],
  [1000, [25, 45], [45, 80]],
] as Array<[number, [number, number], [number, number]]>) {
  const x = new Float64Array(fs * 30).map(() => rng.normal());
  const js = () => [bandpassFiltfilt(x, fs, ...bandA), bandpassFiltfilt(x, fs, ...bandB)];
  const simd = () => bandpassFiltfiltPair(x, fs, bandA, bandB);
  out.push(compare(`two band-passes ${bandA.join('–')} and ${bandB.join('–')} Hz at ${fs} Hz, 30 s`, js, simd, () => js().every((y, i) => Buffer.from(y.buffer, y.byteOffset, y.byteLength).equals(Buffer.from(simd()[i]!.buffer)))));
}
process.stdout.write(`${JSON.stringify({ node: process.version, date: new Date().toISOString(), repeats, kernels: out }, null, 2)}\n`);
