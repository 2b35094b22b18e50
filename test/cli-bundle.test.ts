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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  assert.equal(r.stdout, expected);
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
  const code = readFileSync(join(dir, 'hrv-audio.js'), 'utf8');
  const program = /import\(['"]\.\/(cli-[^'"]+)['"]\)/.exec(code);
  assert.ok(program, 'the program is a chunk of its own, imported by the entry');
  const versionHelp = staticClosure(program[1]!, new Set(entry));
  for (const heavy of ['@tensorflow', 'vega', '@resvg', 'cli-progress']) {
    assert.ok(![...versionHelp].some((s) => s.startsWith(heavy)), `--version/--help load ${heavy}`);
  }
  assert.ok(![...versionHelp].some((s) => s.startsWith('core-')), '--version loads the estimate code');
  // `estimate`: the entry and its start chunk (the command's choice, the code-cache loader), then estimate.cjs
  assert.ok(![...entry].some((s) => s.startsWith('cli-') || s.startsWith('core-')), `estimate loads the program: ${[...entry].join(', ')}`);
  const ours = [...entry].filter((s) => s.endsWith('.js') && !s.includes('/'));
  assert.ok(ours.length <= 2, `estimate loads ${ours.length} ES modules of ours: ${ours.join(', ')}`);
  // estimate.cjs holds the estimate command alone, and requires no heavy package when it runs (only where a method needs it: cnn)
  const cjs = readFileSync(join(dir, 'estimate.cjs'), 'utf8');
  for (const other of ['registerSimulate', 'registerTrain', 'registerPlot', 'registerReport', 'registerRun', "require('vega", 'require("vega']) {
    assert.ok(!cjs.includes(other), `estimate.cjs bundles ${other}`);
  }
  assert.ok(cjs.includes('registerEstimate'));
  const preload = join(dir, 'loaded.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));");
  const r = spawnSync(process.execPath, ['--require', preload, join(dir, 'hrv-audio.js'), 'estimate', FIXTURE, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const loaded = JSON.parse(/LOADED (.*)/.exec(r.stderr)![1]!) as string[];
  assert.deepEqual(loaded.filter((f) => /node_modules/.test(f)), [], 'estimate requires no package');
});

test('estimate.cjs: a V8 code cache named for its content, written once, and never needed', async () => {
  const { cacheFileName, loadEstimateBundle } = await import('../src/cli/fastStart.js');
  const source = readFileSync(join(dir, 'estimate.cjs'), 'utf8');
  const cache = join(dir, cacheFileName(source));
  assert.match(cacheFileName(source), /^estimate\.cjs\.[0-9a-f]{20}\.v\d+\.\d+\.\d+-\w+\.v8cache$/);
  assert.notEqual(cacheFileName(`${source} `), cacheFileName(source), 'another bundle, another cache');
  const expected = await runEstimate(FIXTURE, { signal: 'auto', convention: 'heartpy', json: true });
  const runs = (): void => {
    const r = bin(['estimate', FIXTURE, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expected, 'byte-equal to the sources');
  };
  assert.ok(statSync(cache).size > 10_000, 'the build writes the cache (a fixture run)');
  rmSync(cache, { force: true });
  assert.equal(bin(['estimate', '--help']).status, 0);
  assert.equal(bin(['estimate', 'no-such-file.wav']).status, 2);
  assert.ok(!existsSync(cache), 'help and failed calls write no cache');
  runs(); // no cache: compiles, then writes one
  assert.ok(statSync(cache).size > 10_000, 'the first call writes the cache');
  assert.equal(loadEstimateBundle(dir)?.cacheMissing, false, 'V8 accepts it');
  const written = statSync(cache).mtimeMs;
  runs(); // with the cache
  assert.equal(statSync(cache).mtimeMs, written, 'a good cache is not written again');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  writeFileSync(cache, Buffer.alloc(4096, 7)); // garbage: V8 rejects it, the call compiles and writes a good one
  assert.equal(loadEstimateBundle(dir)?.cacheMissing, true);
  runs();
  assert.equal(loadEstimateBundle(dir)?.cacheMissing, false, 'a rejected cache is replaced');
  rmSync(cache);
  mkdirSync(cache); // a cache that can be neither read nor written
  runs();
  assert.ok(statSync(cache).isDirectory());
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  rmSync(cache, { recursive: true });
  // the bundle's import() calls go through the loader (the FLAC decoder), without and with the cache
  const flac = 'fixtures/formats/68377_PV.flac';
  const flacExpected = await runEstimate(flac, { signal: 'auto', convention: 'heartpy', json: true });
  for (let i = 0; i < 2; i++) {
    const r = bin(['estimate', flac, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, flacExpected);
  }
  // the errors and the exit status come through the early exit
  const bad = bin(['estimate', 'no-such-file.wav', '--json']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, 'hrv-audio: no such file: no-such-file.wav\n');
  const usage = bin(['estimate', FIXTURE, '--signal', 'nope']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^hrv-audio: --signal/);
  const help = bin(['estimate', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: hrv-audio estimate \[options\] <inputs\.\.\.>/);
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
