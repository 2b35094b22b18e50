/**
 * Segmenter weights from a folder (Node): `model.json` + `weights.bin` + `bundle.json`, by
 * default the shipped `models/segmenter/` of this package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';
import type * as tf from '@tensorflow/tfjs-core';
import type { SegmenterSource } from '../../model/segmenterBundle.js';

/** The shipped weights' folder: `models/segmenter` at the package root. */
export function shippedSegmenterDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, 'models', 'segmenter');
    dir = dirname(dir);
  }
  return resolve('models', 'segmenter');
}

/** A source reading a segmenter folder. */
export function folderSegmenterSource(dir: string = shippedSegmenterDir()): SegmenterSource {
  return async () => {
    const bundlePath = join(dir, 'bundle.json');
    if (!existsSync(bundlePath)) throw new InputError(`no bundle.json in '${dir}': not a segmenter folder (train one with \`hrv-audio train-segmenter DIR --out ${dir}\`)`);
    return { artifacts: readModelArtifacts(dir), bundle: JSON.parse(readFileSync(bundlePath, 'utf8')) };
  };
}

/**
 * `model.json` + its weight files as TF.js model artifacts, read without loading TF.js (the
 * learned method's inference does not need it; modelStore.ts's `folderIOHandler` is the TF.js one).
 */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new InputError(`no model.json in '${dir}' (train one with \`hrv-audio train-segmenter DIR --out ${dir}\`)`);
  let json: { modelTopology: object; format?: string; generatedBy?: string; weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`'${path}' is not valid JSON: ${(err as Error).message}`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) parts.push(readFileSync(join(dir, p)));
  }
  const buf = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, weightSpecs: specs, weightData: buf.buffer };
}
