/**
 * The threaded wasm build in Node (src/node/wasmThreads.ts): it starts with 2 XNNPACK
 * threads, its training kernels agree with the `cpu` backend, and training is bit-identical to
 * the single-threaded build (same seed → same gradients, Adam step and weights). Each thread
 * count runs in its own process (test/threads-child.ts): the wasm backend starts once per process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function child(threads: number): { threads: number; digest: string; segmenterDigest: string; maxRelErrVsCpu: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/threads-child.ts', '--threads', String(threads)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

test('threaded wasm: 2 XNNPACK threads, kernels match cpu, training bit-identical to 1 thread', () => {
  const one = child(1);
  const two = child(2);
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  assert.ok(one.maxRelErrVsCpu <= 1e-5, `1 thread: max relative error vs cpu ${one.maxRelErrVsCpu}`);
  assert.ok(two.maxRelErrVsCpu <= 1e-5, `2 threads: max relative error vs cpu ${two.maxRelErrVsCpu}`);
  assert.equal(two.digest, one.digest, 'gradients/weights differ between 1 and 2 XNNPACK threads');
  assert.equal(two.segmenterDigest, one.segmenterDigest, 'segmenter weights differ between 1 and 2 XNNPACK threads');
});
