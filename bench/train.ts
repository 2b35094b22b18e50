/**
 * Training speed of the seed CNN (129×38×1 input, batch 32, Adam), ours beside PyTorch's, in the
 * same run: every configuration runs in a fresh process (the wasm backend's thread count is fixed
 * per process), one after the other, `rounds` times interleaved (HRV_BENCH_TRAIN_ROUNDS, default
 * 1); medians over rounds. Configurations:
 * - ours, 1 thread (wasm, XNNPACK single-threaded build);
 * - ours, one wasm instance with 2 XNNPACK threads (the threaded build, see
 *   src/node/wasmThreads.ts);
 * - ours, 2 worker threads with a wasm instance each, exchanging gradients (DualEngine);
 * - PyTorch (`/usr/bin/python3 bench/torch_train.py`, skipped when `import torch` fails), 1 and 2
 *   threads.
 * Seconds per epoch: 400 training + 100 validation samples, the median of epochs 2–4. Also the
 * per-kernel time of one training step (ours, 1 thread; tf.profile) with GFLOP/s per conv layer,
 * and the XNNPACK GEMM ceiling measured here (bench/gemmCeiling.ts).
 * Goal (issue 16): an epoch on 2 cores ≤ PyTorch's 2-thread epoch in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './pythonBench.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TORCH_PYTHON = process.env.HRV_BENCH_TORCH_PYTHON ?? '/usr/bin/python3';

type Json = Record<string, unknown>;

function runNode(args: string[]): Json {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' | ') };
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Json;
}

function runTorch(): Json {
  if (!existsSync(TORCH_PYTHON)) return { skipped: `${TORCH_PYTHON} not found` };
  const probe = spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return { skipped: `${TORCH_PYTHON}: import torch failed` };
  const r = spawnSync(TORCH_PYTHON, ['bench/torch_train.py', '--threads', '1,2'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { skipped: `torch run failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}` };
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Json;
}

/** Multiply-adds × 2 of one sample's forward pass, per layer. */
export function layerFlops(): Record<string, number> {
  const out: Record<string, number> = {};
  let h = 129;
  let w = 38;
  let c = 1;
  for (const f of [32, 64, 128, 128]) {
    out[`conv ${c}→${f}`] = 2 * h * w * 9 * c * f;
    c = f;
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  out.dense = 2 * (h * w * c * 256 + 256 * 128 + 128 * 2);
  return out;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const r3 = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(3)));

function med(runs: Json[], key: string): number | null {
  const v = runs.map((r) => num(r[key])).filter((x): x is number => x !== null);
  return v.length ? median(v) : null;
}

/** GFLOP/s of the conv kernels of one profiled step (batch 32). */
function perLayer(profile: Record<string, number> | undefined): Record<string, unknown> | null {
  if (!profile) return null;
  const flops = layerFlops();
  const rows: Record<string, unknown> = {};
  for (const [layer, f] of Object.entries(flops)) {
    if (!layer.startsWith('conv')) continue;
    const ch = layer.slice(5); // "c→f"
    const [c, o] = ch.split('→');
    const fwd = profile[`Conv2D ${c}→${o}`] ?? null;
    const bf = profile[`Conv2DBackpropFilter ${c}→${o}`] ?? null;
    const bi = profile[`Conv2DBackpropInput ${o}→${c}`] ?? null;
    const g = (ms: number | null) => (ms ? r3((32 * f) / (ms / 1000) / 1e9) : null);
    rows[layer] = { forwardMs: fwd, forwardGflops: g(fwd), backpropFilterMs: bf, backpropFilterGflops: g(bf), backpropInputMs: bi, backpropInputGflops: g(bi) };
  }
  return rows;
}

export async function run(): Promise<Json> {
  const rounds = Number(process.env.HRV_BENCH_TRAIN_ROUNDS ?? 1);
  const configs: Array<[string, string[]]> = [
    ['ours1Thread', ['bench/trainProcess.ts', '--threads', '1', '--profile']],
    ['ours2ThreadsOneInstance', ['bench/trainProcess.ts', '--threads', '2']],
    ['ours2Workers', ['bench/trainProcess.ts', '--threads', '1', '--engine', 'dual']],
  ];
  const ours: Record<string, Json[]> = Object.fromEntries(configs.map(([k]) => [k, []]));
  const torch: Json[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [key, args] of configs) {
      process.stderr.write(`bench train: ${key} (round ${r + 1}/${rounds})…\n`);
      ours[key].push(runNode(args));
    }
    process.stderr.write(`bench train: pytorch (round ${r + 1}/${rounds})…\n`);
    torch.push(runTorch());
  }
  process.stderr.write('bench train: gemm ceiling…\n');
  const ceiling = runNode(['bench/gemmCeiling.ts']);

  const summary: Json = {};
  for (const [key] of configs) {
    const runs = ours[key];
    summary[key] = {
      epochS: r3(med(runs, 'epochS')),
      forwardSamplesPerS: r3(med(runs, 'forwardSamplesPerS')),
      stepSamplesPerS: r3(med(runs, 'stepSamplesPerS')),
      stepOverForward: r3(med(runs, 'stepOverForward')),
      epochSecondsPerRound: runs.map((x) => x.epochS ?? x.error ?? null),
      backend: runs[0]?.backend ?? runs[0]?.error,
    };
  }
  const torchRuns = torch.filter((t) => !t.skipped);
  for (const threads of ['1', '2']) {
    const rs = torchRuns.map((t) => (t.runs as Record<string, Json>)[threads]).filter(Boolean);
    summary[`pytorch${threads}Thread${threads === '1' ? '' : 's'}`] = torchRuns.length
      ? { gemmCeilingGflops: r3(med(rs, 'gemmCeilingGflops')), epochS: r3(med(rs, 'epochS')), forwardSamplesPerS: r3(med(rs, 'forwardSamplesPerS')), stepSamplesPerS: r3(med(rs, 'stepSamplesPerS')), stepOverForward: r3(med(rs, 'stepOverForward')), epochSecondsPerRound: rs.map((x) => x.epochS) }
      : { skipped: torch[0]?.skipped ?? 'no run' };
  }
  const best2 = Math.min(...['ours2ThreadsOneInstance', 'ours2Workers'].map((k) => num((summary[k] as Json).epochS) ?? Infinity));
  const torch2 = num((summary.pytorch2Threads as Json).epochS);
  const profile = ours.ours1Thread[0]?.profile as Record<string, number> | undefined;
  return {
    note: 'seed CNN, 400 train + 100 val samples of 129×38, batch 32, Adam; seconds per epoch = median of epochs 2–4; each configuration in its own process, rounds interleaved',
    rounds,
    torch: torch[0]?.torch ?? torch[0]?.skipped,
    summary,
    goal: {
      text: 'an epoch on 2 cores ≤ PyTorch 2-thread epoch, same run',
      ours2CoresBestEpochS: Number.isFinite(best2) ? r3(best2) : null,
      pytorch2ThreadsEpochS: torch2,
      ratio: torch2 && Number.isFinite(best2) ? r3(best2 / torch2) : null,
    },
    perLayer1Thread: perLayer(profile),
    stepProfileMs1Thread: profile ?? null,
    forwardMflopPerSample: r3(Object.values(layerFlops()).reduce((a, b) => a + b, 0) / 1e6),
    gemmCeiling: ceiling,
  };
}
