/**
 * Benchmark: `estimateFile` on an hour-long 44.1 kHz 16-bit mono WAV (159 M samples, 318 MB),
 * generated in a temporary folder (heart-sound-like: per beat an S1 burst — 80 ms Hann-windowed
 * 50 Hz tone — and an S2 burst 0.3 s later — 60 ms, 90 Hz, 0.6× — at ~70 bpm with beat-to-beat
 * variability, plus white noise; written block by block). The estimate runs in a child process so that
 * its peak resident memory (maxRSS) is measured alone. Goal: ≤ 10 s and ≤ 300 MB.
 *
 * `run()` is the bench section entry; `HRV_BENCH_LONG_S` overrides the duration (s) and
 * `HRV_BENCH_LONG_REPEATS` the number of timed runs (default 3; the median is reported).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FastRng } from '../src/signal/rng.js';

const RATE_HZ = 44100;

/** Write the test recording; returns the true beat times' mean RR (s). */
export function writeLongPcgWav(path: string, durationS: number, seed = 1): { beats: number; meanRrS: number } {
  const rng = new FastRng(seed);
  const frames = Math.round(durationS * RATE_HZ);
  const beats: number[] = [];
  for (let t = 0.3; t < durationS; t += Math.max(0.4, rng.normal(60 / 70, 0.03))) beats.push(t);
  const fd = openSync(path, 'w');
  try {
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
    writeSync(fd, header);
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
  return { beats: beats.length, meanRrS: rr.reduce((a, b) => a + b, 0) / rr.length };
}

const CHILD = `
const { estimateFile } = await import(process.env.HRV_ESTIMATE_FILE_MODULE);
const t0 = performance.now();
const r = await estimateFile(process.env.HRV_BENCH_WAV);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024,
  heartRateBpm: r.heartRateBpm, nBeats: r.beatTimesS.length, sdnnMs: r.sdnnMs, quality: r.quality.score,
  analysisRateHz: r.analysisRateHz }));
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
    const truth = writeLongPcgWav(wav, durationS);
    const generateS = (performance.now() - tg) / 1000;
    const module = new URL('../src/io/estimateFile.ts', import.meta.url).href;
    const runs: Array<Record<string, number>> = [];
    for (let k = 0; k < repeats; k++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
        env: { ...process.env, HRV_BENCH_WAV: wav, HRV_ESTIMATE_FILE_MODULE: module },
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
      maxRssMbMedian: median(runs.map((r) => r.maxRssMb!)),
      goal: { seconds: 10, maxRssMb: 300 },
      truth: { nBeats: truth.beats, heartRateBpm: 60 / truth.meanRrS },
      estimate: { heartRateBpm: last.heartRateBpm, nBeats: last.nBeats, sdnnMs: last.sdnnMs, quality: last.quality, analysisRateHz: last.analysisRateHz },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
