/**
 * The CLI bundle (scripts/build-cli.ts, the package's bin): built into a scratch folder under
 * dist/ (at the same depth as dist/bin, so that it finds package.json, models/ and node_modules
 * the same way), then run as a user runs it. Its output must equal what the sources print, and
 * the fast paths must not load the heavy modules. No timing here: the start-up figures live in
 * `npm run bench` (bench/collection.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCli } from '../scripts/build-cli.js';
import { runEstimate } from '../src/cli/commands/estimate.js';
import { packageVersion } from '../src/node/files/packageVersion.js';

const FIXTURE = 'fixtures/pcg/84802_AV.wav';
let dir = '';

before(async () => {
  mkdirSync('dist', { recursive: true });
  dir = mkdtempSync(join(resolve('dist'), 'bin-test-'));
  await buildCli(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function bin(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(join(dir, 'hrv-audio.js'), args, { encoding: 'utf8', ...(input ? { input } : {}) });
}

/** Our files that `file` loads before running (its static imports, transitively). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(dir, file), 'utf8');
  for (const m of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('./')) staticClosure(spec.slice(2), seen);
    else seen.add(spec);
  }
  return seen;
}

test('the bin is executable and prints the version of package.json', () => {
  assert.ok((statSync(join(dir, 'hrv-audio.js')).mode & 0o111) !== 0, 'hrv-audio.js is not executable');
  const r = bin(['--version']);
  assert.equal(r.status, 0, r.stderr);
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  assert.equal(r.stdout.trim(), version);
  assert.equal(packageVersion(), version, 'the library finds package.json from src/ as from dist/');
});

test('estimate FILE --json from the bundle prints what the sources print', async () => {
  const r = bin(['estimate', FIXTURE, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const expected = await runEstimate(FIXTURE, { signal: 'auto', convention: 'heartpy', json: true });
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(expected));
  assert.ok(Math.abs((JSON.parse(r.stdout) as { heartRateBpm: number }).heartRateBpm - 84.8) < 0.5);
});

test('estimate from stdin, a bad file, and a batch with two worker threads', () => {
  const piped = bin(['estimate', '-', '--json'], readFileSync(FIXTURE));
  assert.equal(piped.status, 0, piped.stderr);
  assert.ok(Math.abs((JSON.parse(piped.stdout) as { heartRateBpm: number }).heartRateBpm - 84.8) < 0.5);
  const bad = bin(['estimate', 'no-such-file.wav']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^hrv-audio: .*no-such-file\.wav/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  const batch = bin(['estimate', 'fixtures/pcg/68377_PV.wav', FIXTURE, '--jobs', '2', '--json', '--no-progress']);
  assert.equal(batch.status, 0, batch.stderr);
  const rows = batch.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; heartRateBpm: number });
  assert.deepEqual(rows.map((r) => r.file), ['fixtures/pcg/68377_PV.wav', FIXTURE]);
  assert.ok(Math.abs(rows[1]!.heartRateBpm - 84.8) < 0.5);
});

test('a batch whose reader stops after one line ends quietly: no EPIPE stack trace from the workers', () => {
  // `| head -1` closes the pipe while the workers still estimate; a worker that answered a parent
  // already gone used to throw EPIPE on its IPC channel (a race: three tries catch it)
  for (let i = 0; i < 3; i++) {
    const r = spawnSync('sh', ['-c', `'${join(dir, 'hrv-audio.js')}' estimate fixtures --jobs 2 --json --no-progress | head -1`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.equal(r.stderr, '', 'nothing on stderr');
  }
});

test('the fast paths load none of the heavy modules', () => {
  const entry = staticClosure('hrv-audio.js');
  for (const heavy of ['@tensorflow', 'vega', '@resvg', 'cli-progress']) {
    assert.ok(![...entry].some((s) => s.startsWith(heavy)), `--version/--help load ${heavy}`);
  }
  assert.ok(![...entry].some((s) => s.startsWith('core-')), '--version loads the estimate code');
  const program = [...entry].find((f) => f.startsWith('cli-'))!;
  const commands = readFileSync(join(dir, program), 'utf8');
  const m = /import\(['"]\.\/(estimate-[^'"]+)['"]\)/.exec(commands);
  assert.ok(m, 'the estimate command is a chunk of its own');
  const estimate = staticClosure(m[1]!);
  for (const heavy of ['@tensorflow', 'vega', '@resvg', 'cli-progress']) {
    assert.ok(![...estimate].some((s) => s.startsWith(heavy)), `estimate loads ${heavy}`);
  }
  const ours = [...estimate].filter((s) => s.endsWith('.js') && !s.includes('/'));
  assert.ok(ours.length <= 5, `estimate loads ${ours.length} files of ours: ${ours.join(', ')}`);
});

test('estimate --method cnn and plot run from the bundle (TF.js, vega, resvg, fonts found)', () => {
  const cnn = bin(['estimate', FIXTURE, '--method', 'cnn', '--json']);
  assert.equal(cnn.status, 0, cnn.stderr);
  assert.equal((JSON.parse(cnn.stdout) as { method: string }).method, 'cnn');
  const png = join(dir, 'plot.png');
  const plot = bin(['plot', FIXTURE, '--out', png]);
  assert.equal(plot.status, 0, plot.stderr);
  assert.ok(statSync(png).size > 10_000);
});
