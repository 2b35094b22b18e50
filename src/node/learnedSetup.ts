/**
 * Node set-up of the learned method: the shipped segmenter weights (models/segmenter), registered
 * once. Inference runs in plain JavaScript (model/denseNetwork.ts), so no TF.js backend is started
 * (fast start). The browser page registers its own fetch-based source.
 */
import { setSegmenterSource } from '../hrv/learned/estimator.js';
import { folderSegmenterSource } from './files/segmenterStore.js';

let ready: Promise<void> | null = null;

/** Register the shipped segmenter (idempotent). */
export function prepareLearnedNode(): Promise<void> {
  ready ??= (async () => {
    setSegmenterSource(folderSegmenterSource());
  })();
  ready.catch(() => (ready = null));
  return ready;
}
