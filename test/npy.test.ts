import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../src/node/files/npy.js';

const FIX = new URL('../fixtures/numpy/', import.meta.url);

test('round trip keeps dtype, shape and exact values (float64 stays float64)', () => {
  const f64 = new Float64Array([Math.PI, -0, 1e-308, 5e-324, Number.MAX_VALUE, 1 / 3]);
  const a = decodeNpy(encodeNpy(f64, [2, 3]));
  assert.equal(a.dtype, '<f8');
  assert.ok(a.data instanceof Float64Array);
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual(Array.from(a.data), Array.from(f64));
  const f32 = new Float32Array([1.5, -2.25, 3.1]);
  const b = decodeNpy(encodeNpy(f32, [3]));
  assert.equal(b.dtype, '<f4');
  assert.ok(b.data instanceof Float32Array);
  assert.deepEqual(Array.from(b.data), Array.from(f32));
  const i32 = new Int32Array([-7, 0, 2147483647, 1]);
  const c = decodeNpy(encodeNpy(i32, [2, 1, 2]));
  assert.equal(c.dtype, '<i4');
  assert.deepEqual(c.shape, [2, 1, 2]);
  assert.deepEqual(Array.from(c.data), Array.from(i32));
});

test('header is numpy format 1.0, data aligned to 64 bytes, 1-D shape written as (n,)', () => {
  const bytes = encodeNpy(new Float32Array(5), [5]);
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const hlen = bytes[8] | (bytes[9] << 8);
  assert.equal((10 + hlen) % 64, 0);
  const header = Buffer.from(bytes.subarray(10, 10 + hlen)).toString('latin1');
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(5,\), \} *\n$/);
  assert.equal(bytes.length, 10 + hlen + 20);
});

test('reads files numpy wrote (C order and Fortran order)', () => {
  const sig = readNpy(new URL('sim_default_seed42_signals.npy', FIX).pathname);
  assert.equal(sig.dtype, '<f8');
  assert.deepEqual(sig.shape, [3, 5000]);
  // numpy header saved by np.save: re-encoding the data gives the same data bytes
  const raw = readFileSync(new URL('sim_default_seed42_signals.npy', FIX));
  const ours = encodeNpy(sig.data, sig.shape);
  assert.deepEqual(Buffer.from(ours.subarray(128)), raw.subarray(raw.length - sig.data.byteLength));
});

test('writeNpy/readNpy on disk; errors for bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    const p = join(dir, 'a.npy');
    writeNpy(p, new Float64Array([1, 2, 3, 4]), [2, 2]);
    assert.deepEqual(Array.from(readNpy(p).data), [1, 2, 3, 4]);
    assert.throws(() => writeNpy(p, new Float64Array(3), [2, 2]), RangeError);
    assert.throws(() => encodeNpy(new Uint8Array(2) as never, [2]), TypeError);
    writeFileSync(join(dir, 'bad.npy'), 'hello world, not npy');
    assert.throws(() => readNpy(join(dir, 'bad.npy')), /not a \.npy file/);
    const good = encodeNpy(new Float64Array(10), [10]);
    assert.throws(() => decodeNpy(good.subarray(0, good.length - 8)), Error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
test('numpy loads our files with the right dtype, shape and values', { skip: hasNumpy ? false : 'python3 with numpy not available' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    writeNpy(join(dir, 'f8.npy'), new Float64Array([0.1, 0.2, 0.3, 1 / 3, 5, 6]), [2, 3]);
    writeNpy(join(dir, 'f4.npy'), new Float32Array([0.1, 0.2]), [2]);
    writeNpy(join(dir, 'i4.npy'), new Int32Array([-1, 2, 3]), [3, 1]);
    const py = `import numpy as np, sys
d = sys.argv[1]
a = np.load(d + '/f8.npy'); assert a.dtype == np.float64 and a.shape == (2, 3) and a[1, 0] == 1/3, a
b = np.load(d + '/f4.npy'); assert b.dtype == np.float32 and b[0] == np.float32(0.1), b
c = np.load(d + '/i4.npy'); assert c.dtype == np.int32 and c.shape == (3, 1) and c[0, 0] == -1, c
print('ok')`;
    const r = spawnSync('python3', ['-c', py, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ok');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
