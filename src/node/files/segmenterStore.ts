/**
 * Segmenter weights from a folder (Node): `model.json` + `weights.bin` + `bundle.json`, by
 * default the shipped `models/segmenter/` of this package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';
import { readModelArtifacts } from './modelArtifacts.js';
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
    return { artifacts: readModelArtifacts(dir, 'model.json', `hrv-audio train-segmenter DIR --out ${dir}`), bundle: JSON.parse(readFileSync(bundlePath, 'utf8')) };
  };
}
