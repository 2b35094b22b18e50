/** Helpers for benchmarks that time the seed's numpy/scipy code through python3. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time `fn` `repeats` times; returns the median wall-clock and the median CPU time of this
 * process (user + system, all threads), both in seconds. CPU time is the steadier figure on a
 * shared machine.
 */
export function timeRepeats(fn: (rep: number) => void, repeats: number): { wallS: number; cpuS: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(r);
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wallS: median(wall), cpuS: median(cpu) };
}

/**
 * Python prelude defining `time_repeats(fn, repeats)` → median wall and CPU (process_time)
 * seconds, after one untimed call `fn(-1)`.
 */
export const PY_TIMER = `
import time, json
def time_repeats(fn, repeats):
    fn(-1)  # untimed warm-up run, as on the JS side
    wall, cpu = [], []
    for r in range(repeats):
        c0 = time.process_time(); t0 = time.perf_counter()
        fn(r)
        wall.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
    wall.sort(); cpu.sort()
    return {'wallS': wall[len(wall) // 2], 'cpuS': cpu[len(cpu) // 2]}
`;

/**
 * Run `code` with python3 in the repository root and parse the JSON it prints last. Returns
 * `{ skipped: reason }` when python3 with numpy and scipy is not available or the run fails.
 */
export function pythonBench(code: string): Record<string, unknown> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const probe = spawnSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return { skipped: 'python3 with numpy and scipy not available' };
  const r = spawnSync('python3', ['-c', PY_TIMER + code], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { skipped: `python run failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}` };
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/** Round to 3 significant digits. */
export function sig3(x: number): number {
  return Number(x.toPrecision(3));
}
