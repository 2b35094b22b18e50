/**
 * Benchmark: simulated signals per second at N = 500 (seed defaults: 5 s at 1000 Hz) for the
 * fast and numpy rng modes, and the seed notebook's numpy code (scripts/make_numpy_fixtures.py,
 * the notebook's loop after np.random.seed) timed in the same run through python3 — skipped
 * when python3 with numpy and scipy is not available. Medians over repeats, by wall clock and
 * by process CPU time (the steadier figure on a shared machine). One untimed full-size run
 * first on both sides (steady-state throughput: JIT warmed up, memory pools in use).
 */
import { simulateDataset, type RngMode } from '../src/signal/simulate.js';
import { pythonBench, sig3, timeRepeats } from './pythonBench.js';

const N = 500;
const REPEATS = 7;
const PY_REPEATS = 5;

export async function run(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { n: N, repeats: REPEATS };
  const perS: Record<string, { wall: number; cpu: number }> = {};
  for (const rng of ['fast', 'numpy'] as RngMode[]) {
    simulateDataset({ n: N, seed: 1, rng }); // warm-up (one full run; python runs one too)
    const t = timeRepeats((r) => simulateDataset({ n: N, seed: 42 + r, rng }), REPEATS);
    perS[rng] = { wall: N / t.wallS, cpu: N / t.cpuS };
    result[rng] = { signalsPerS: Math.round(N / t.wallS), signalsPerCpuS: Math.round(N / t.cpuS), cpuUsPerSignal: sig3((t.cpuS / N) * 1e6) };
  }
  const py = pythonBench(`
import sys
sys.path.insert(0, 'scripts')
from make_numpy_fixtures import simulate
print(json.dumps(time_repeats(lambda r: simulate(42 + r, ${N}), ${PY_REPEATS})))
`);
  if ('skipped' in py) {
    result.seedNumpy = py;
    return result;
  }
  const pyWall = N / (py.wallS as number);
  const pyCpu = N / (py.cpuS as number);
  result.seedNumpy = {
    signalsPerS: Math.round(pyWall),
    signalsPerCpuS: Math.round(pyCpu),
    cpuUsPerSignal: sig3(((py.cpuS as number) / N) * 1e6),
    repeats: PY_REPEATS,
  };
  result.speedup = {
    fast: { wall: sig3(perS.fast.wall / pyWall), cpu: sig3(perS.fast.cpu / pyCpu) },
    numpyMode: { wall: sig3(perS.numpy.wall / pyWall), cpu: sig3(perS.numpy.cpu / pyCpu) },
  };
  return result;
}
