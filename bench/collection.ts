/**
 * Issue 14's figures: start-up (ratios to a bare `node -e 0`) and a collection of recordings in
 * one `estimate DIR` call versus the numpy/scipy yardstick (bench/numpy_estimate.py; skipped when
 * python3 lacks numpy/scipy) and versus one CLI call per file. Uses the built CLI: the package's
 * bin, the bundle dist/bin/hrv-audio.js (run `npm run build` first). The collection is the first
 * HRV_BENCH_N (default 200) WAV files of HRV_BENCH_DIR (default ../shared/data/circor-train);
 * skipped when that folder is missing.
 *
 * The collection is timed HRV_BENCH_REPEATS times (default 3), node and python alternating, so
 * each pair ran under about the same load; reported: the medians, the ratio of the medians and
 * the per-pair ratios (their spread says how much the shared machine moved the figure).
 * `estimate30s`: one 30 s recording (the fixture 84802_AV tiled to 30 s) through the CLI, against
 * the in-process compute time of the same call (`estimateFile`, warmed up) and a bare node start.
 */
import { spawnSync } from 'node:child_process';
import { estimateFile } from '../src/node/pipelines/estimateFile.js';
import { readWav, writeWav } from '../src/node/files/wav.js';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './pythonBench.js';

/** The command people run: the package's bin (the CLI bundle, dist/bin/; `npm run build`). */
const CLI = resolve((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin['hrv-audio']!);

function wallS(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 3) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

function medianOf(repeats: number, f: () => number): number {
  f(); // warm-up
  return median(Array.from({ length: repeats }, f));
}

async function perFile(files: string[], jobs: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= files.length) return;
      await new Promise<void>((done) => {
        import('node:child_process').then(({ spawn }) => spawn(process.execPath, [CLI, 'estimate', files[i]!, '--json'], { stdio: 'ignore' }).on('close', () => done()));
      });
    }
  };
  await Promise.all(Array.from({ length: jobs }, one));
  return (performance.now() - t0) / 1000;
}

export async function run(): Promise<Record<string, unknown>> {
  if (!existsSync(CLI)) return { skipped: 'dist/ missing: run `npm run build` first' };
  const fixture = 'fixtures/pcg/84802_AV.wav';
  const nodeS = medianOf(7, () => wallS(process.execPath, ['-e', '0']));
  const versionS = medianOf(7, () => wallS(process.execPath, [CLI, '--version']));
  const helpS = medianOf(7, () => wallS(process.execPath, [CLI, '--help']));
  const estimateHelpS = medianOf(7, () => wallS(process.execPath, [CLI, 'estimate', '--help']));
  const estimateS = medianOf(5, () => wallS(process.execPath, [CLI, 'estimate', fixture, '--json']));
  const out: Record<string, unknown> = {
    startup: {
      nodeBareS: nodeS,
      versionS,
      versionRatio: versionS / nodeS,
      helpS,
      helpRatio: helpS / nodeS,
      estimateHelpS,
      estimateHelpRatio: estimateHelpS / nodeS,
      estimateFixtureS: estimateS,
      estimateFixture: fixture,
      estimateMinusNodeRatio: (estimateS - nodeS) / nodeS,
      estimate30s: await estimate30s(fixture, nodeS),
    },
  };
  const dir = resolve(process.env.HRV_BENCH_DIR ?? '../shared/data/circor-train');
  const n = Number(process.env.HRV_BENCH_N ?? 200);
  if (!existsSync(dir)) return { ...out, collection: { skipped: `${dir} missing` } };
  const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort().slice(0, n);
  const tmp = mkdtempSync(join(tmpdir(), 'hrv-bench-coll-'));
  try {
    for (const f of files) symlinkSync(join(dir, f), join(tmp, f));
    const paths = files.map((f) => join(tmp, f));
    const repeats = Math.max(1, Number(process.env.HRV_BENCH_REPEATS ?? 3));
    const jobs = 2;
    const py = spawnSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
    const havePython = py.status === 0;
    const nodeRuns: number[] = [];
    const pythonRuns: number[] = [];
    for (let r = 0; r < repeats; r++) {
      nodeRuns.push(wallS(process.execPath, [CLI, 'estimate', tmp, '--jobs', String(jobs), '--json']));
      if (havePython) pythonRuns.push(wallS('python3', ['bench/numpy_estimate.py', ...paths]));
    }
    const oneCallS = median(nodeRuns);
    const collection: Record<string, unknown> = { n: files.length, jobs, repeats, oneCallS, oneCallRunsS: nodeRuns };
    if (havePython) {
      const numpyScipyS = median(pythonRuns);
      const pairRatios = pythonRuns.map((p, i) => p / nodeRuns[i]!);
      Object.assign(collection, {
        numpyScipyS,
        numpyScipyRunsS: pythonRuns,
        speedupVsNumpy: numpyScipyS / oneCallS,
        speedupVsNumpyPairs: pairRatios,
        speedupVsNumpyMin: Math.min(...pairRatios),
        speedupVsNumpyMax: Math.max(...pairRatios),
      });
    } else collection.numpyScipy = 'skipped: python3 with numpy and scipy not found';
    if (process.env.HRV_BENCH_PER_FILE === '1') {
      const perFileS = await perFile(paths, 2);
      Object.assign(collection, { perFileCallsS: perFileS, speedupVsPerFile: perFileS / oneCallS });
    }
    out.collection = collection;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** A 30 s recording through the CLI vs its in-process compute time and a bare node start. */
async function estimate30s(fixture: string, nodeS: number): Promise<Record<string, number>> {
  const audio = readWav(fixture);
  const n = Math.round(30 * audio.sampleRateHz);
  const tiled = new Float32Array(n);
  for (let i = 0; i < n; i++) tiled[i] = audio.samples[i % audio.samples.length]!;
  const dir = mkdtempSync(join(tmpdir(), 'hrv-bench-30s-'));
  const file = join(dir, 'rec30s.wav');
  try {
    writeWav(file, tiled, audio.sampleRateHz);
    await estimateFile(file); // warm-up (JIT, the segmenter's weights)
    const compute: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      await estimateFile(file);
      compute.push((performance.now() - t0) / 1000);
    }
    const computeS = median(compute);
    // the same compute in a fresh process (cold JIT, weights read), timed inside it: what one CLI call computes
    const lib = pathToFileURL(resolve('dist/src/node.js')).href;
    const coldScript = `const { estimateFile } = await import(${JSON.stringify(lib)}); const t0 = performance.now(); await estimateFile(${JSON.stringify(file)}); console.log((performance.now() - t0) / 1000);`;
    const cold: number[] = [];
    for (let r = 0; r < 5; r++) {
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', coldScript], { encoding: 'utf8' });
      cold.push(Number(out.stdout.trim()));
    }
    const coldComputeS = median(cold);
    const cliS = medianOf(5, () => wallS(process.execPath, [CLI, 'estimate', file, '--json']));
    // goal: cliS ≤ compute + 2 × nodeS (compute: cold, as in a CLI call; warm shown for reference)
    return {
      cliS,
      coldComputeS,
      warmComputeS: computeS,
      nodeBareS: nodeS,
      overheadOverNodeRatio: (cliS - coldComputeS) / nodeS,
      overheadOverNodeRatioWarm: (cliS - computeS) / nodeS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
