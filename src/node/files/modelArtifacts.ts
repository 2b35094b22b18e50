/**
 * `model.json` + its weight files as TF.js model artifacts, read without loading TF.js (types
 * only): the learned method's plain-JS inference does not need it, and modelStore.ts's
 * `folderIOHandler` hands the same artifacts to TF.js for the CNN.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { concatTyped } from '../../core/concat.js';
import { InputError } from '../../errors.js';

/**
 * Read `dir/modelFile` and the weight files its manifest names.
 * @param trainCommand how to make such a folder, for the message when it is missing
 * @throws InputError when the model file is missing or not JSON
 */
export function readModelArtifacts(dir: string, modelFile: string, trainCommand: string): tf.io.ModelArtifacts {
  const path = join(dir, modelFile);
  if (!existsSync(path)) throw new InputError(`no ${modelFile} in '${dir}' (train one with \`${trainCommand}\`)`);
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
  const weights = concatTyped(parts, (n) => new Uint8Array(n));
  const weightData = weights.byteOffset === 0 && weights.byteLength === weights.buffer.byteLength ? weights.buffer : new Uint8Array(weights).buffer; // a copy: Buffer.slice would share the pool
  return { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, weightSpecs: specs, weightData: weightData as ArrayBuffer };
}
