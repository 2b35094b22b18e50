/**
 * Training speed of the seed CNN (129×38×1 input, batch 32, Adam), ours beside PyTorch's, in the
 * same run: every configuration runs in a fresh process (the wasm backend's thread count is fixed
 * per process), one after the other, `rounds` times interleaved (HRV_BENCH_TRAIN_ROUNDS, default
 * 1); medians over rounds. Configurations:
 * - ours, 1 thread (wasm, XNNPACK single-threaded build);
 * - ours, one wasm instance with 2 XNNPACK threads (the threaded build, see
 *   src/node/wasmThreads.ts);
 * - ours, 2 worker threads with a wasm instance each, exchanging gradients (DualEngine);
 * - ours with the direct convolution kernels instead of Winograd F(2×2, 3×3) (`--no-winograd`),
 *   1 thread and 2 workers: before/after in the same run;
 * - PyTorch (`/usr/bin/python3 bench/torch_train.py`, skipped when `import torch` fails), 1 and 2
 *   threads.
 * Seconds per epoch: 400 training + 100 validation samples, the median of epochs 2–4, and the CPU
 * seconds of each process per epoch (epochCpuS: less inflated by other load). Also the
 * per-kernel time of one training step (ours, 1 thread; tf.profile) with GFLOP/s per conv layer,
 * and the XNNPACK GEMM ceiling measured here (bench/gemmCeiling.ts).
 * Goal (issue 16): an epoch on 2 cores ≤ PyTorch's 2-thread epoch in the same run.
 * The same comparison for the learned segmenter's training (`segmenter`: bench/segmenterTrainProcess.ts
 * beside bench/torch_segmenter.py). HRV_BENCH_TRAIN_ONLY=cnn|segmenter runs one of the two.
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

function runTorch(script = 'bench/torch_train.py'): Json {
  if (!existsSync(TORCH_PYTHON)) return { skipped: `${TORCH_PYTHON} not found` };
  const probe = spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return { skipped: `${TORCH_PYTHON}: import torch failed` };
  const r = spawnSync(TORCH_PYTHON, [script, '--threads', '1,2'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
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
function perLayer(profile: Record<string, number> | undefined, ceilingGflops: number | null): Record<string, unknown> | null {
  if (!profile) return null;
  const flops = layerFlops();
  const rows: Record<string, unknown> = {};
  for (const [layer, f] of Object.entries(flops)) {
    if (!layer.startsWith('conv')) continue;
    const ch = layer.slice(5); // "c→f"
    const [c, o] = ch.split('→');
    // the forward conv: the fused training op (HrvConv2DBiasRelu), or a plain Conv2D
    const fwd = profile[`HrvConv2DBiasRelu ${c}→${o}`] ?? profile[`Conv2D ${c}→${o}`] ?? null;
    const bf = profile[`Conv2DBackpropFilter ${c}→${o}`] ?? null;
    const bi = profile[`Conv2DBackpropInput ${o}→${c}`] ?? null;
    const g = (ms: number | null) => (ms ? r3((32 * f) / (ms / 1000) / 1e9) : null);
    const share = (ms: number | null) => (ms && ceilingGflops ? r3((32 * f) / (ms / 1000) / 1e9 / ceilingGflops) : null);
    rows[layer] = {
      forwardMs: fwd, forwardGflops: g(fwd), forwardOfCeiling: share(fwd),
      backpropFilterMs: bf, backpropFilterGflops: g(bf), backpropFilterOfCeiling: share(bf),
      backpropInputMs: bi, backpropInputGflops: g(bi), backpropInputOfCeiling: share(bi),
    };
  }
  return rows;
}

/**
 * The learned segmenter's training (trainSegmenter, as `hrv-audio train-segmenter`), ours with 1
 * and 2 XNNPACK threads beside bench/torch_segmenter.py (nn.Linear and 1×1-conv variants, 1 and 2
 * threads), `rounds` rounds interleaved, each configuration in its own process.
 */
function runSegmenter(rounds: number): Json {
  const configs: Array<[string, string[]]> = [
    ['ours1Thread', ['bench/segmenterTrainProcess.ts', '--threads', '1']],
    ['ours2Threads', ['bench/segmenterTrainProcess.ts', '--threads', '2']],
  ];
  const ours: Record<string, Json[]> = Object.fromEntries(configs.map(([k]) => [k, []]));
  const torch: Json[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [key, args] of configs) {
      process.stderr.write(`bench train: segmenter ${key} (round ${r + 1}/${rounds})…\n`);
      ours[key].push(runNode(args));
    }
    process.stderr.write(`bench train: segmenter pytorch (round ${r + 1}/${rounds})…\n`);
    torch.push(runTorch('bench/torch_segmenter.py'));
  }
  const summary: Json = {};
  for (const [key] of configs) {
    const runs = ours[key];
    summary[key] = { epochS: r3(med(runs, 'epochS')), epochCpuS: r3(med(runs, 'epochCpuS')), stepMs: r3(med(runs, 'stepMs')), epochSecondsPerRound: runs.map((x) => x.epochS ?? x.error ?? null) };
  }
  const torchRuns = torch.filter((t) => !t.skipped);
  const keys = torchRuns.length ? Object.keys(torchRuns[0].runs as Json) : [];
  for (const k of keys) {
    const rs = torchRuns.map((t) => (t.runs as Record<string, Json>)[k]).filter(Boolean);
    summary[`pytorch ${k}`] = { epochS: r3(med(rs, 'epochS')), epochCpuS: r3(med(rs, 'epochCpuS')), stepMs: r3(med(rs, 'stepMs')), epochSecondsPerRound: rs.map((x) => x.epochS ?? x.error ?? null) };
  }
  const best = (prefix: string, threads: string) => Math.min(...Object.entries(summary)
    .filter(([k]) => k.startsWith(prefix) && k.endsWith(`:${threads}`)).map(([, v]) => num((v as Json).epochS) ?? Infinity));
  const ours2 = Math.min(num((summary.ours1Thread as Json).epochS) ?? Infinity, num((summary.ours2Threads as Json).epochS) ?? Infinity);
  const torch1 = best('pytorch', '1');
  const torch2 = best('pytorch', '2');
  return {
    note: 'segmenter MLP (51 offsets × 8 features → 48 → 32 → 4), 64 synthetic recordings × 2000 frames, batch 256, frame stride 2, Adam; seconds per epoch = median of epochs 2–4; pytorch keys are impl:threads',
    torch: torch[0]?.torch ?? torch[0]?.skipped,
    summary,
    goal: {
      text: 'an epoch on 2 cores ≤ the faster PyTorch variant with 2 threads, same run',
      ours2CoresBestEpochS: Number.isFinite(ours2) ? r3(ours2) : null,
      pytorchBest1ThreadEpochS: Number.isFinite(torch1) ? r3(torch1) : null,
      pytorchBest2ThreadsEpochS: Number.isFinite(torch2) ? r3(torch2) : null,
      ratio: Number.isFinite(ours2) && Number.isFinite(torch2) ? r3(ours2 / torch2) : null,
      // PyTorch's 2-thread runs collapse when the cores are shared: its best of 1 and 2 threads too
      // CPU seconds per epoch with 1 thread (ours / PyTorch's faster variant): the work, which
      // preemption on a shared machine does not inflate
      cpuRatio1Thread: (() => {
        const o = num((summary.ours1Thread as Json).epochCpuS);
        const t = Math.min(...Object.entries(summary).filter(([k]) => k.startsWith('pytorch') && k.endsWith(':1')).map(([, v]) => num((v as Json).epochCpuS) ?? Infinity));
        return o !== null && Number.isFinite(t) ? r3(o / t) : null;
      })(),
      ratioToPytorchBestAnyThreads: Number.isFinite(ours2) && Number.isFinite(Math.min(torch1, torch2)) ? r3(ours2 / Math.min(torch1, torch2)) : null,
    },
  };
}

export async function run(): Promise<Json> {
  const rounds = Number(process.env.HRV_BENCH_TRAIN_ROUNDS ?? 1);
  const only = process.env.HRV_BENCH_TRAIN_ONLY; // 'cnn' | 'segmenter' | undefined (both)
  const segmenter = only === 'cnn' ? { skipped: 'HRV_BENCH_TRAIN_ONLY=cnn' } : runSegmenter(rounds);
  if (only === 'segmenter') return { segmenter };
  const configs: Array<[string, string[]]> = [
    ['ours1Thread', ['bench/trainProcess.ts', '--threads', '1', '--profile']],
    ['ours2ThreadsOneInstance', ['bench/trainProcess.ts', '--threads', '2']],
    ['ours2Workers', ['bench/trainProcess.ts', '--threads', '1', '--engine', 'dual']],
    // the same without Winograd (the direct convolution kernels, main's path before issue 16's
    // Winograd round): before/after in one run
    ['ours1ThreadDirect', ['bench/trainProcess.ts', '--threads', '1', '--profile', '--no-winograd']],
    ['ours2WorkersDirect', ['bench/trainProcess.ts', '--threads', '1', '--engine', 'dual', '--no-winograd']],
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
      epochCpuS: r3(med(runs, 'epochCpuS')),
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
      ? { gemmCeilingGflops: r3(med(rs, 'gemmCeilingGflops')), epochS: r3(med(rs, 'epochS')), epochCpuS: r3(med(rs, 'epochCpuS')), forwardSamplesPerS: r3(med(rs, 'forwardSamplesPerS')), stepSamplesPerS: r3(med(rs, 'stepSamplesPerS')), stepOverForward: r3(med(rs, 'stepOverForward')), epochSecondsPerRound: rs.map((x) => x.epochS) }
      : { skipped: torch[0]?.skipped ?? 'no run' };
  }
  const best2 = Math.min(...['ours2ThreadsOneInstance', 'ours2Workers'].map((k) => num((summary[k] as Json).epochS) ?? Infinity));
  const torch2 = num((summary.pytorch2Threads as Json).epochS);
  const profile = ours.ours1Thread[0]?.profile as Record<string, number> | undefined;
  const profileDirect = ours.ours1ThreadDirect[0]?.profile as Record<string, number> | undefined;
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
    perLayer1Thread: perLayer(profile, num(ceiling.ceilingGflops)),
    perLayer1ThreadDirect: perLayer(profileDirect, num(ceiling.ceilingGflops)),
    stepProfileMs1Thread: profile ?? null,
    stepProfileMs1ThreadDirect: profileDirect ?? null,
    forwardMflopPerSample: r3(Object.values(layerFlops()).reduce((a, b) => a + b, 0) / 1e6),
    gemmCeiling: ceiling,
    segmenter,
  };
}
