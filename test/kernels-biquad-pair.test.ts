/**
 * Issue 14 (throughput): two zero-phase filterings of one signal in the two lanes of WebAssembly
 * SIMD (sosFiltfiltPair, src/dsp/biquadPairSimd.ts) equal two sosFiltfilt calls bit for bit:
 * equal and unequal paddings (either lane starting later), paddings capped by short signals,
 * 1–6 sections, typed and plain inputs. Seeded synthetic signals.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { bandpassFiltfilt, bandpassFiltfiltPair, butterworth, sosFiltfilt, sosFiltfiltPair, type Biquad } from '../src/dsp/butterworth.js';
import { biquadPairSimdFor } from '../src/dsp/biquadPairSimd.js';
import { FastRng } from '../src/signal/rng.js';

function sameBits(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${what}: sample ${i}: ${got[i]} vs ${want[i]}`);
}

test('wasm SIMD is available for the biquad pairs (Node 20)', () => {
  assert.notEqual(biquadPairSimdFor(new WebAssembly.Memory({ initial: 1 }), 4), null);
});

test('sosFiltfiltPair equals two sosFiltfilt calls bit for bit', () => {
  const rng = new FastRng(12);
  const fs = 4000;
  const cascades: Array<[Biquad[], Biquad[]]> = [
    [[...butterworth('highpass', 4, 20, fs), ...butterworth('lowpass', 4, 200, fs)], [...butterworth('highpass', 4, 20, fs), ...butterworth('lowpass', 4, 400, fs)]],
    [butterworth('highpass', 4, 20, fs), butterworth('highpass', 4, 200, fs)],
    [butterworth('lowpass', 2, 8, fs), butterworth('lowpass', 2, 30, fs)],
    [[...butterworth('highpass', 8, 45, fs), ...butterworth('lowpass', 4, 80, fs)], [...butterworth('highpass', 4, 150, fs), ...butterworth('lowpass', 8, 250, fs)]],
    [butterworth('highpass', 4, 20, fs), butterworth('lowpass', 2, 30, fs)], // 2 vs 1 sections: the JS fallback
  ];
  for (const n of [1, 2, 3, 10, 257, 5000]) {
    const x = new Float64Array(n).map((_, i) => Math.sin(i * 0.05) + 0.5 * rng.normal() + 3);
    for (const [a, b] of cascades) {
      for (const [padA, padB] of [[600, 600], [600, 60], [12, 120], [0, 7], [3, 0]]) {
        const [ya, yb] = sosFiltfiltPair(x, a, padA, b, padB);
        sameBits(ya, sosFiltfilt(x, a, padA), `n ${n} pads ${padA}/${padB} lane a`);
        sameBits(yb, sosFiltfilt(x, b, padB), `n ${n} pads ${padA}/${padB} lane b`);
      }
    }
  }
  // a plain array and a Float32Array input
  const plain = Array.from({ length: 900 }, () => rng.normal());
  const [p1, p2] = sosFiltfiltPair(plain, cascades[0]![0], 100, cascades[0]![1], 30);
  sameBits(p1, sosFiltfilt(plain, cascades[0]![0], 100), 'plain a');
  sameBits(p2, sosFiltfilt(plain, cascades[0]![1], 30), 'plain b');
  const f32 = Float32Array.from(plain);
  const [q1, q2] = sosFiltfiltPair(f32, cascades[1]![0], 50, cascades[1]![1], 80);
  sameBits(q1, sosFiltfilt(f32, cascades[1]![0], 50), 'f32 a');
  sameBits(q2, sosFiltfilt(f32, cascades[1]![1], 80), 'f32 b');
});

test('bandpassFiltfiltPair equals two bandpassFiltfilt calls bit for bit', () => {
  const rng = new FastRng(4);
  const x = new Float64Array(30000).map(() => rng.normal());
  for (const [fs, bandA, bandB] of [
    [1000, [25, 45], [45, 80]],
    [1000, [80, 150], [150, 250]],
    [4000, [20, 200], [20, 400]],
    [4000, [20, 2000], [200, 2000]],
    [2000, [20, 1000], [200, 1000]],
  ] as Array<[number, [number, number], [number, number]]>) {
    const [ya, yb] = bandpassFiltfiltPair(x, fs, bandA, bandB);
    sameBits(ya, bandpassFiltfilt(x, fs, bandA[0], bandA[1]), `${fs} ${bandA}`);
    sameBits(yb, bandpassFiltfilt(x, fs, bandB[0], bandB[1]), `${fs} ${bandB}`);
  }
});
