/**
 * Benchmark: `estimateFile` on an hour-long 44.1 kHz 16-bit mono WAV (159 M samples, 318 MB),
 * generated in a temporary folder, block by block:
 * - `HRV_BENCH_LONG_SIGNAL=fixture` (default when fixtures/pcg exists): a real heart-sound
 *   recording (fixtures/pcg/84802_AV.wav, 19.8 s, 4 kHz) upsampled to 44.1 kHz and tiled;
 * - `synthetic`: heart-sound-like bursts (S1: 80 ms Hann-windowed 50 Hz tone; S2 0.3 s later:
 *   60 ms, 90 Hz, 0.6×) at ~70 bpm with beat-to-beat variability, plus white noise.
 * The estimate runs in a child process so that its peak resident memory (maxRSS, including Node
 * and tsx: ~75 MB) is measured alone; the time is split into reading + resampling and detection +
 * measures. Goal: ≤ 10 s and ≤ 300 MB.
 *
 * `run()` is the bench section entry; `HRV_BENCH_LONG_S` overrides the duration (s) and
 * `HRV_BENCH_LONG_REPEATS` the number of timed runs (default 3; the median is reported).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FastRng } from '../src/signal/rng.js';
import { readWav } from '../src/node/files/wav.js';
import { resample } from '../src/dsp/resample.js';
import { estimate } from '../src/hrv/estimate.js';

/** Real heart-sound recording tiled to the benchmark length (CirCor, ODC-By; see fixtures/pcg/README.md). */
const FIXTURE = new URL('../fixtures/pcg/84802_AV.wav', import.meta.url);

const RATE_HZ = 44100;

function wavHeader(frames: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + frames * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE_HZ, 24);
  header.writeUInt32LE(RATE_HZ * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(frames * 2, 40);
  return header;
}

/**
 * Write an hour-long 44.1 kHz 16-bit file by tiling a real recording (upsampled to 44.1 kHz).
 * Returns the classical estimate of one tile (the reference for the hour's heart rate).
 */
export function writeTiledFixtureWav(path: string, durationS: number): { tileS: number; tileHeartRateBpm: number | null } {
  const src = readWav(fileURLToPath(FIXTURE));
  const tile = resample(src.samples, src.sampleRateHz, RATE_HZ);
  const pcm = new Int16Array(tile.length);
  for (let i = 0; i < tile.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(tile[i]! * 32768)));
  const frames = Math.round(durationS * RATE_HZ);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavHeader(frames));
    for (let at = 0; at < frames; at += pcm.length) {
      const n = Math.min(pcm.length, frames - at);
      writeSync(fd, new Uint8Array(pcm.buffer, 0, n * 2));
    }
  } finally {
    closeSync(fd);
  }
  return { tileS: src.durationS, tileHeartRateBpm: estimate(src.samples, src.sampleRateHz).heartRateBpm };
}

/** Write the test recording; returns the true beat times' mean RR (s). */
export function writeLongPcgWav(path: string, durationS: number, seed = 1): { nBeats: number; heartRateBpm: number } {
  const rng = new FastRng(seed);
  const frames = Math.round(durationS * RATE_HZ);
  const beats: number[] = [];
  for (let t = 0.3; t < durationS; t += Math.max(0.4, rng.normal(60 / 70, 0.03))) beats.push(t);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavHeader(frames));
    const block = 1 << 16;
    const buf = new Int16Array(block);
    const s1Len = Math.round(0.08 * RATE_HZ);
    const s2Len = Math.round(0.06 * RATE_HZ);
    const s2Delay = Math.round(0.3 * RATE_HZ);
    const pulseLen = s2Delay + s2Len;
    const sound = (i: number): number => {
      if (i < s1Len) return 0.5 * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / s1Len)) * Math.sin((2 * Math.PI * 50 * i) / RATE_HZ);
      const j = i - s2Delay;
      if (j >= 0 && j < s2Len) return 0.3 * (0.5 - 0.5 * Math.cos((2 * Math.PI * j) / s2Len)) * Math.sin((2 * Math.PI * 90 * j) / RATE_HZ);
      return 0;
    };
    let next = 0; // index of the next beat not yet fully written
    for (let f0 = 0; f0 < frames; f0 += block) {
      const n = Math.min(block, frames - f0);
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = rng.normal(0, 0.02);
      while (next < beats.length && Math.floor(beats[next]! * RATE_HZ) + pulseLen < f0) next++;
      for (let b = next; b < beats.length; b++) {
        const start = Math.floor(beats[b]! * RATE_HZ);
        if (start >= f0 + n) break;
        for (let i = Math.max(0, f0 - start); i < pulseLen && start + i < f0 + n; i++) {
          x[start + i - f0] += sound(i);
        }
      }
      for (let i = 0; i < n; i++) buf[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32767)));
      writeSync(fd, new Uint8Array(buf.buffer, 0, n * 2));
    }
  } finally {
    closeSync(fd);
  }
  const rr = beats.slice(1).map((t, i) => t - beats[i]!);
  return { nBeats: beats.length, heartRateBpm: 60 / (rr.reduce((a, b) => a + b, 0) / rr.length) };
}

const CHILD = `
const { readForAnalysis } = await import(process.env.HRV_ESTIMATE_FILE_MODULE);
const { estimateAtAnalysisRate } = await import(process.env.HRV_ESTIMATE_MODULE);
const t0 = performance.now();
const a = await readForAnalysis(process.env.HRV_BENCH_WAV);
const t1 = performance.now();
const r = estimateAtAnalysisRate(a.samples, a.analysisRateHz, a.source.sampleRateHz, a.durationS);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ seconds: (t2 - t0) / 1000, readResampleSeconds: (t1 - t0) / 1000,
  detectSeconds: (t2 - t1) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024,
  heartRateBpm: r.heartRateBpm, nBeats: r.beatTimesS.length, sdnnMs: r.sdnnMs, quality: r.quality.score,
  signalType: r.signalType, analysisRateHz: r.analysisRateHz }));
`;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export async function run(): Promise<Record<string, unknown>> {
  const durationS = Number(process.env.HRV_BENCH_LONG_S ?? 3600);
  const repeats = Number(process.env.HRV_BENCH_LONG_REPEATS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'hrv-bench-long-'));
  try {
    const wav = join(dir, 'long.wav');
    const tg = performance.now();
    const kind = process.env.HRV_BENCH_LONG_SIGNAL ?? (existsSync(FIXTURE) ? 'fixture' : 'synthetic');
    const truth =
      kind === 'fixture'
        ? { signal: 'fixtures/pcg/84802_AV.wav tiled', ...writeTiledFixtureWav(wav, durationS) }
        : { signal: 'synthetic S1/S2 bursts', ...writeLongPcgWav(wav, durationS) };
    const generateS = (performance.now() - tg) / 1000;
    const module = new URL('../src/node/pipelines/estimateFile.ts', import.meta.url).href;
    const estimateModule = new URL('../src/hrv/estimate.ts', import.meta.url).href;
    const runs: Array<Record<string, number>> = [];
    for (let k = 0; k < repeats; k++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
        env: { ...process.env, HRV_BENCH_WAV: wav, HRV_ESTIMATE_FILE_MODULE: module, HRV_ESTIMATE_MODULE: estimateModule },
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`estimateLong child failed: ${child.stderr.split('\n').slice(-3).join(' ')}`);
      runs.push(JSON.parse(child.stdout) as Record<string, number>);
    }
    const last = runs[runs.length - 1]!;
    return {
      file: { durationS, sampleRateHz: RATE_HZ, format: 'PCM 16-bit mono', megabytes: statSync(wav).size / 2 ** 20 },
      generateSeconds: generateS,
      repeats,
      secondsMedian: median(runs.map((r) => r.seconds!)),
      secondsAll: runs.map((r) => r.seconds),
      readResampleSecondsMedian: median(runs.map((r) => r.readResampleSeconds!)),
      detectSecondsMedian: median(runs.map((r) => r.detectSeconds!)),
      maxRssMbMedian: median(runs.map((r) => r.maxRssMb!)),
      goal: { seconds: 10, maxRssMb: 300 },
      reference: truth,
      estimate: {
        heartRateBpm: last.heartRateBpm,
        nBeats: last.nBeats,
        sdnnMs: last.sdnnMs,
        quality: last.quality,
        signalType: last.signalType,
        analysisRateHz: last.analysisRateHz,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
