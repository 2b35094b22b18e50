/** Web Worker: runs the library's estimate off the UI thread (file analysis and live windows). */
import { analyse, type AnalyseOptions } from './estimator.js';

export interface AnalysisRequest {
  id: number;
  samples: Float32Array;
  sampleRateHz: number;
  options: AnalyseOptions;
}

self.onmessage = async (event: MessageEvent<AnalysisRequest>): Promise<void> => {
  const { id, samples, sampleRateHz, options } = event.data;
  const t0 = performance.now();
  try {
    const result = await analyse(samples, sampleRateHz, options);
    self.postMessage({ id, ok: true, result, elapsedMs: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
