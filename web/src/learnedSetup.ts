/**
 * The learned method in the page: the shipped segmenter (models/segmenter) fetched from the page's
 * own origin and run by the library's plain-JS inference (src/model/segmenterInference.ts via
 * src/hrv/learned). No TF.js and no .wasm: the weights are read straight from model.json +
 * weights.bin (src/model/denseNetwork.ts). Loaded on demand (a separate chunk), so a classical-only
 * visit does not fetch the weights.
 */
import modelUrl from '../../models/segmenter/model.json?url';
import weightsUrl from '../../models/segmenter/weights.bin?url';
import bundleUrl from '../../models/segmenter/bundle.json?url';
import { getSegmenter, setSegmenterSource } from '../../src/hrv/learned/estimator.js';
import type { SegmenterSource } from '../../src/model/segmenterBundle.js';

let ready: Promise<void> | null = null;

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url} (${res.status})`);
  return res;
}

/** model.json + weights.bin + bundle.json over fetch, shaped as the library's segmenter source. */
const fetchedSegmenter: SegmenterSource = async () => {
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
};

/** Register the shipped segmenter and load it (once); rejects (and can be retried) when a file cannot be fetched. */
export function prepareLearned(): Promise<void> {
  ready ??= (async () => {
    setSegmenterSource(fetchedSegmenter);
    await getSegmenter();
  })();
  ready.catch(() => (ready = null));
  return ready;
}
