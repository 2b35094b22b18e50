/**
 * Node set-up of the learned method: the wasm backend and the shipped segmenter weights
 * (models/segmenter), registered once. The browser page registers its own fetch-based source.
 */
import { setSegmenterSource } from '../hrv/learned/estimator.js';
import { initNodeBackend } from './backend.js';
import { folderSegmenterSource } from './files/segmenterStore.js';

let ready: Promise<void> | null = null;

/** Start the wasm backend and register the shipped segmenter (idempotent). */
export function prepareLearnedNode(): Promise<void> {
  ready ??= (async () => {
    await initNodeBackend('wasm');
    setSegmenterSource(folderSegmenterSource());
  })();
  ready.catch(() => (ready = null));
  return ready;
}
