/**
 * The learned method in the page: the TF.js wasm backend with its .wasm files bundled by Vite (no
 * CDN), and the shipped segmenter (models/segmenter) fetched from the page's own origin.
 * Loaded on demand (a separate chunk), so the classical page stays small.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import modelUrl from '../../models/segmenter/model.json?url';
import weightsUrl from '../../models/segmenter/weights.bin?url';
import bundleUrl from '../../models/segmenter/bundle.json?url';
import { initBackend } from '../../src/model/backend.js';
import { setSegmenterSource } from '../../src/hrv/learned/estimator.js';

let ready: Promise<string> | null = null;

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url} (${res.status})`);
  return res;
}

/** Start the wasm backend and register the shipped segmenter (once). Resolves to the backend's description. */
export function prepareLearned(): Promise<string> {
  ready ??= (async () => {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    });
    const info = await initBackend('wasm');
    setSegmenterSource(async () => {
      const [modelJson, weightData, bundle] = await Promise.all([
        fetchOk(modelUrl).then((r) => r.json()),
        fetchOk(weightsUrl).then((r) => r.arrayBuffer()),
        fetchOk(bundleUrl).then((r) => r.json()),
      ]);
      const m = modelJson as { modelTopology: object; weightsManifest: { weights: unknown[] }[] };
      return {
        artifacts: { modelTopology: m.modelTopology, weightSpecs: m.weightsManifest.flatMap((g) => g.weights) as never, weightData },
        bundle,
      };
    });
    return info.description;
  })();
  ready.catch(() => (ready = null));
  return ready;
}
