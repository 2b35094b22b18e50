/**
 * Training checkpoints (Node): the full trainer state after an epoch — weights, Adam state,
 * history, early-stopping bookkeeping — so `--resume` continues exactly where training stopped.
 *
 * Files in the checkpoint folder: `checkpoint-A.bin` / `checkpoint-B.bin` (alternating) and
 * `checkpoint.json`, which names the binary it belongs to and is written last. Each file is
 * written atomically, so a crash at any moment leaves the previous checkpoint readable.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicWrite.js';
import type { NamedArray, TrainerState } from '../../model/training/train.js';

export const CHECKPOINT_JSON = 'checkpoint.json';

interface Entry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** Contents of checkpoint.json. */
export interface CheckpointMeta {
  format: 'hrv-audio-checkpoint';
  formatVersion: 1;
  epoch: number;
  bin: string;
  best: number | null;
  wait: number;
  history: TrainerState['history'];
  weights: Entry[];
  optimizer: Entry[];
  /** Anything the caller wants to check on resume (options, data fingerprint). */
  run: Record<string, unknown>;
}

/** Write the checkpoint of `state` into `dir`. */
export function writeCheckpoint(dir: string, state: TrainerState, run: Record<string, unknown>): void {
  const prev = readCheckpointMeta(dir);
  const bin = prev?.bin === 'checkpoint-A.bin' ? 'checkpoint-B.bin' : 'checkpoint-A.bin';
  const all = [...state.weights, ...state.optimizer];
  const total = all.reduce((a, w) => a + w.data.length, 0);
  const data = new Float32Array(total);
  const entries: Entry[] = [];
  let off = 0;
  for (const w of all) {
    data.set(w.data, off);
    entries.push({ name: w.name, shape: w.shape, offset: off, length: w.data.length });
    off += w.data.length;
  }
  writeFileAtomic(join(dir, bin), new Uint8Array(data.buffer));
  const meta: CheckpointMeta = {
    format: 'hrv-audio-checkpoint',
    formatVersion: 1,
    epoch: state.epoch,
    bin,
    best: state.best,
    wait: state.wait,
    history: state.history,
    weights: entries.slice(0, state.weights.length),
    optimizer: entries.slice(state.weights.length),
    run,
  };
  writeFileAtomic(join(dir, CHECKPOINT_JSON), JSON.stringify(meta));
  if (prev && prev.bin !== bin) rmSync(join(dir, prev.bin), { force: true });
}

/** checkpoint.json of `dir`, or null when there is none. */
export function readCheckpointMeta(dir: string): CheckpointMeta | null {
  const path = join(dir, CHECKPOINT_JSON);
  if (!existsSync(path)) return null;
  const meta = JSON.parse(readFileSync(path, 'utf8')) as CheckpointMeta;
  if (meta.format !== 'hrv-audio-checkpoint') throw new Error(`'${path}' is not an hrv-audio checkpoint`);
  return meta;
}

/** Read the checkpoint in `dir` (null when there is none). */
export function readCheckpoint(dir: string): { state: TrainerState; run: Record<string, unknown> } | null {
  const meta = readCheckpointMeta(dir);
  if (!meta) return null;
  const buf = readFileSync(join(dir, meta.bin));
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const take = (e: Entry): NamedArray => ({ name: e.name, shape: e.shape, data: data.slice(e.offset, e.offset + e.length) });
  return {
    state: { epoch: meta.epoch, history: meta.history, best: meta.best, wait: meta.wait, weights: meta.weights.map(take), optimizer: meta.optimizer.map(take) },
    run: meta.run,
  };
}
