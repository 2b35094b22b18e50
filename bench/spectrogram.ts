/**
 * Benchmark: spectrograms per second at N = 500 signals of 5000 samples (seed settings →
 * 129 × 38, stored float32), and the seed's scipy.signal.spectrogram loop timed in the same run
 * through python3 — skipped when python3 with numpy and scipy is not available. Medians over
 * repeats, by wall clock and by process CPU time (the steadier figure on a shared machine).
 * One untimed full-size run first on both sides.
 */
import { spectrogramBatch } from '../src/dsp/spectrogram.js';
import { simulateDataset } from '../src/signal/simulate.js';
import { pythonBench, sig3, timeRepeats } from './pythonBench.js';

const N = 500;
const REPEATS = 7;
const PY_REPEATS = 5;

export async function run(): Promise<Record<string, unknown>> {
  const sims = simulateDataset({ n: N, seed: 42 });
  const nSamples = sims[0].samples.length;
  const flat = new Float64Array(N * nSamples);
  sims.forEach((s, i) => flat.set(s.samples, i * nSamples));
  spectrogramBatch(flat, N, nSamples); // warm-up (one full run; python runs one too)
  const t = timeRepeats(() => spectrogramBatch(flat, N, nSamples), REPEATS);
  const result: Record<string, unknown> = {
    n: N,
    shape: [129, 38],
    repeats: REPEATS,
    spectrogramsPerS: Math.round(N / t.wallS),
    spectrogramsPerCpuS: Math.round(N / t.cpuS),
    cpuUsPerSpectrogram: sig3((t.cpuS / N) * 1e6),
  };
  const py = pythonBench(`
import numpy as np
from scipy.signal import spectrogram
np.random.seed(0)
signals = np.random.randn(${N}, 5000)
def seed_loop(r):
    out = []
    for signal in signals:
        f, t, Sxx = spectrogram(signal, fs=1000, nperseg=256, noverlap=128, nfft=256)
        out.append(Sxx)
    return np.array(out)
print(json.dumps(time_repeats(seed_loop, ${PY_REPEATS})))
`);
  if ('skipped' in py) {
    result.seedScipy = py;
    return result;
  }
  const pyWall = N / (py.wallS as number);
  const pyCpu = N / (py.cpuS as number);
  result.seedScipy = {
    spectrogramsPerS: Math.round(pyWall),
    spectrogramsPerCpuS: Math.round(pyCpu),
    cpuUsPerSpectrogram: sig3(((py.cpuS as number) / N) * 1e6),
    repeats: PY_REPEATS,
  };
  result.speedup = { wall: sig3(N / t.wallS / pyWall), cpu: sig3(N / t.cpuS / pyCpu) };
  return result;
}
