/**
 * Saving and loading TensorFlow.js layers models as `model.json` + `weights.bin` (the standard
 * TF.js layers format, loadable in a browser with `tf.loadLayersModel`), through an IOHandler of
 * our own (tfjs-node's `file://` handler is not available), plus the preprocessing parameters in
 * `preprocess.json` next to them. Every file is written atomically.
 */
import { InputError } from '../../errors.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from './atomicWrite.js';
import { readModelArtifacts } from './modelArtifacts.js';
import { validatePreprocess, type PreprocessParams } from '../../model/preprocess.js';
import { seedCnnBundle, validateBundle, type ModelBundle } from '../../model/bundle.js';
import { packageVersion } from './packageVersion.js';

/** File names inside a model folder. */
export const MODEL_FILES = Object.freeze({ model: 'model.json', weights: 'weights.bin', preprocess: 'preprocess.json', bundle: 'bundle.json' });

function weightBytes(data: tf.io.ModelArtifacts['weightData']): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const joined = Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
  return new Uint8Array(joined);
}

/** An IOHandler that reads/writes `model.json` and `weights.bin` in folder `dir`. */
export function folderIOHandler(dir: string, generatedBy = 'hrv-audio'): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new InputError('binary model topologies are not supported');
      const bytes = weightBytes(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(join(dir, MODEL_FILES.weights), bytes);
      writeFileAtomic(join(dir, MODEL_FILES.model), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      return readModelArtifacts(dir, MODEL_FILES.model, `hrv-audio train DATA --out ${dir}`);
    },
  };
}

/**
 * Save `model` into folder `dir`, with its preprocessing parameters (preprocess.json) and the
 * bundle (bundle.json: architecture and the whole front end; default: the seed CNN's).
 */
export async function saveModel(model: tfl.LayersModel, dir: string, preprocess?: PreprocessParams, bundle?: ModelBundle): Promise<void> {
  await model.save(folderIOHandler(dir));
  if (preprocess) writeFileAtomic(join(dir, MODEL_FILES.preprocess), JSON.stringify(preprocess, null, 2) + '\n');
  const b = bundle ?? (preprocess ? seedCnnBundle(preprocess, packageVersion()) : undefined);
  if (b) writeFileAtomic(join(dir, MODEL_FILES.bundle), JSON.stringify(b, null, 2) + '\n');
}

/** A model read back from its folder. */
export interface LoadedModel {
  model: tfl.LayersModel;
  preprocess: PreprocessParams;
  /** bundle.json, or for an older folder (preprocess.json only) the seed's front end. */
  bundle: ModelBundle;
  /** False when the folder had no bundle.json (an older model; the seed front end is assumed). */
  hasBundle: boolean;
}

/**
 * Load a model folder written by {@link saveModel}. Throws a clear Error when files are missing or
 * the model's input shape does not match its preprocessing description.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const prePath = join(dir, MODEL_FILES.preprocess);
  if (!existsSync(prePath)) throw new InputError(`no ${MODEL_FILES.preprocess} in '${dir}': not an hrv-audio model folder`);
  const preprocess = validatePreprocess(JSON.parse(readFileSync(prePath, 'utf8')));
  const model = await tfl.loadLayersModel(folderIOHandler(dir));
  const inShape = model.inputs[0].shape.slice(1);
  if (inShape.join() !== preprocess.inputShape.join()) {
    throw new InputError(`model input shape [${inShape.join(', ')}] does not match preprocess.json [${preprocess.inputShape.join(', ')}]`);
  }
  const bundlePath = join(dir, MODEL_FILES.bundle);
  let bundle: ModelBundle;
  const hasBundle = existsSync(bundlePath);
  if (hasBundle) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(bundlePath, 'utf8'));
    } catch (err) {
      throw new InputError(`'${bundlePath}' is not valid JSON: ${(err as Error).message}`);
    }
    bundle = validateBundle(json, bundlePath);
    if (bundle.frontEnd.kind === 'spectrogram' && bundle.frontEnd.inputShape.join() !== preprocess.inputShape.join()) {
      throw new InputError(`${bundlePath}: front end input shape [${bundle.frontEnd.inputShape.join(', ')}] does not match preprocess.json`);
    }
  } else {
    // a model saved before bundles existed: every such model was trained on the seed's front end
    bundle = seedCnnBundle(preprocess, 'unknown');
  }
  return { model, preprocess, bundle, hasBundle };
}
