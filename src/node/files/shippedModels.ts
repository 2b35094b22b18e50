/**
 * Where the package's shipped models live (Node): `models/<name>/` at the package root, found
 * from this file's location (source or dist), else relative to the working directory.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder name of the shipped real-audio seed CNN (`estimate --method cnn` without `--model`). */
export const SHIPPED_CNN = 'cnn';

/** The folder of the shipped model `name`. */
export function shippedModelDir(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, 'models', name);
    dir = dirname(dir);
  }
  return resolve('models', name);
}
