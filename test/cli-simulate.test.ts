import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressReporter } from '../src/cli/commands/simulate.js';
import { readNpy } from '../src/node/files/npy.js';
import { readDataset, readSpectrograms } from '../src/node/files/dataset.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** Run the real CLI in a child process (not a TTY). */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'cli-sim-'));
}

test('simulate → spectrogram end to end in a child process (quiet when not a TTY)', () => {
  const root = tmp();
  try {
    const out = join(root, 'data');
    const r = cli(['simulate', '--n', '6', '--seed', '42', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one summary line, no progress bar');
    assert.match(r.stdout, /wrote 6 signals × 5000 samples/);
    const ds = readDataset(out);
    assert.equal(ds.n, 6);
    assert.ok(ds.signals instanceof Float32Array);
    assert.equal(ds.meta.seed, 42);
    assert.equal(ds.meta.rng, 'fast');
    assert.match(ds.meta.packageVersion, /^\d+\.\d+\.\d+/);
    const s = cli(['spectrogram', out]);
    assert.equal(s.status, 0, s.stderr);
    const sp = readSpectrograms(out);
    assert.deepEqual([sp.n, sp.nFreq, sp.nTime], [6, 129, 38]);
    const npy = readNpy(join(out, 'spectrograms.npy'));
    assert.deepEqual(npy.shape, [6, 129, 38]);
    assert.equal(npy.dtype, '<f4');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('simulate --rng numpy --dtype float64 reproduces the notebook fixture; same seed → same bytes', async () => {
  const root = tmp();
  try {
    const a = join(root, 'a');
    const b = join(root, 'b');
    for (const out of [a, b]) {
      const r = cli(['simulate', '--n', '3', '--seed', '42', '--rng', 'numpy', '--dtype', 'float64', '--out', out]);
      assert.equal(r.status, 0, r.stderr);
    }
    for (const f of ['signals.npy', 'labels.csv', 'beats.json', 'dataset.json']) {
      assert.deepEqual(readFileSync(join(a, f)), readFileSync(join(b, f)), f);
    }
    const ours = readNpy(join(a, 'signals.npy'));
    const ref = readNpy(fileURLToPath(new URL('../fixtures/numpy/sim_default_seed42_signals.npy', import.meta.url)));
    assert.equal(ours.dtype, '<f8');
    assert.deepEqual(ours.shape, ref.shape);
    let worst = 0;
    for (let i = 0; i < ref.data.length; i++) worst = Math.max(worst, Math.abs(ours.data[i] - ref.data[i]));
    assert.ok(worst <= 1e-12, `max error ${worst}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('spectrogram options: window, sizes, dB view', async () => {
  const root = tmp();
  try {
    const out = join(root, 'd');
    assert.equal((cli(['simulate', '--n', '2', '--duration', '2', '--out', out])).status, 0);
    const r = cli(['spectrogram', out, '--window', 'hann', '--nperseg', '128', '--noverlap', '64', '--db']);
    assert.equal(r.status, 0, r.stderr);
    const sp = readSpectrograms(out);
    assert.deepEqual([sp.nFreq, sp.nTime], [65, 30]);
    assert.equal(sp.scale, 'db');
    assert.equal(sp.options.window, 'hann');
    assert.ok(Array.from(sp.data).some((v) => v < 0), 'dB values of a small PSD are negative');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('simulate --spectrograms writes both in one go', async () => {
  const root = tmp();
  try {
    const out = join(root, 'd');
    assert.equal((cli(['simulate', '--n', '2', '--out', out, '--spectrograms'])).status, 0);
    assert.deepEqual(readNpy(join(out, 'spectrograms.npy')).shape, [2, 129, 38]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

const BAD: [string, string[], RegExp][] = [
  ['min > max', ['--hr-min', '130'], /hrMinBpm \(130\) must not exceed hrMaxBpm/],
  ['negative', ['--hrv-min', '-0.01'], /hrvMinS must be ≥ 0/],
  ['NaN', ['--duration', 'NaN'], /--duration must be a finite number/],
  ['n = 0', ['--n', '0'], /n must be an integer ≥ 1/],
  ['non-integer n', ['--n', '1.5'], /--n must be an integer/],
  ['unknown rng', ['--rng', 'mersenne'], /unknown rng 'mersenne'/],
  ['unknown dtype', ['--dtype', 'int8'], /unknown dtype 'int8'/],
  ['bad seed', ['--seed', '-3'], /seed must be an integer in \[0, 4294967295\]/],
];
for (const [what, extra, re] of BAD) {
  test(`simulate rejects ${what}: one line, exit 2, nothing written`, async () => {
    const root = tmp();
    try {
      const out = join(root, 'out');
      const args = ['simulate', '--n', '2', '--out', out, ...extra];
      const r = cli(args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.ok(!existsSync(out), 'nothing written');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('simulate refuses an output folder holding other files (child process: exit 2, one line, untouched)', () => {
  const root = tmp();
  try {
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'thesis.pdf'), 'x');
    const r = cli(['simulate', '--n', '2', '--out', join(root, 'out')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /holds other files \(thesis\.pdf\)/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.deepEqual(readdirSync(join(root, 'out')), ['thesis.pdf']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('spectrogram rejects a folder without a dataset and bad options (exit 2)', async () => {
  const root = tmp();
  try {
    let r = cli(['spectrogram', root]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a dataset folder/);
    const out = join(root, 'd');
    assert.equal((cli(['simulate', '--n', '1', '--duration', '1', '--out', out])).status, 0);
    for (const [args, re] of [
      [['--window', 'kaiser'], /unknown window/],
      [['--noverlap', '300'], /noverlap/],
      [['--nfft', '100'], /nfft/],
      [['--detrend', 'quadratic'], /unknown detrend/],
    ] as [string[], RegExp][]) {
      r = cli(['spectrogram', out, ...args]);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.ok(!existsSync(join(out, 'spectrograms.npy')));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the progress bar is only offered when stdout is a TTY', () => {
  const saved = process.stdout.isTTY;
  try {
    (process.stdout as { isTTY?: boolean }).isTTY = false;
    assert.equal(progressReporter('x').onProgress, undefined);
    (process.stdout as { isTTY?: boolean }).isTTY = true;
    const p = progressReporter('x');
    assert.equal(typeof p.onProgress, 'function');
  } finally {
    (process.stdout as { isTTY?: boolean }).isTTY = saved;
  }
});
