/**
 * Issue 14 (throughput): the kernels' scratch memory (src/core/wasm/ops.ts) never grows a memory
 * in place (a detached ArrayBuffer slows every typed-array access in V8 afterwards), keeps at most
 * SCRATCH_KEEP_BYTES between calls, and long signals take the JS paths with the same results.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { SCRATCH_KEEP_BYTES, scratchMemory } from '../src/core/wasm/ops.js';
import { butterworth, sosFiltfilt, sosFiltfiltPair } from '../src/dsp/butterworth.js';

test('scratch memory: reused while large enough, replaced (not grown) when not, large needs not kept', () => {
  const s = scratchMemory();
  const a = s.ensure(1000);
  const bufA = a.buffer;
  assert.equal(s.ensure(500), a);
  const b = s.ensure(200_000);
  assert.notEqual(b, a);
  assert.ok(b.buffer.byteLength >= 200_000);
  assert.equal(bufA.byteLength, 65536, 'the old buffer is not detached');
  const big = s.ensure(SCRATCH_KEEP_BYTES + 1);
  assert.ok(big.buffer.byteLength > SCRATCH_KEEP_BYTES);
  assert.equal(s.ensure(1000), b, 'a need above the keep limit does not replace the kept memory');
});

test('sosFiltfiltPair on a long signal (over the copy limit) equals two sosFiltfilt calls', () => {
  const n = 2_200_000;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.001) + ((i * 7919) % 13) / 13;
  const a = butterworth('lowpass', 2, 30, 4000);
  const b = butterworth('highpass', 2, 200, 4000);
  const [ya, yb] = sosFiltfiltPair(x, a, 400, b, 60);
  assert.deepEqual(ya, sosFiltfilt(x, a, 400));
  assert.deepEqual(yb, sosFiltfilt(x, b, 60));
});
