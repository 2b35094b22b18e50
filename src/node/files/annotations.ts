/**
 * Reading reference files for scoring: CirCor-style segmentations (`NAME.tsv`), ECG R-peak lists
 * (`NAME.rpeaks.csv`) and a dataset folder's metadata (`recordings.csv` or `manifest.csv`).
 * Node-only; the parsers are in src/hrv/validate.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { parseSegmentation, type Segment } from '../../hrv/validate/segmentation.js';
import { parseRPeaks } from '../../hrv/validate/reference.js';
import { parseMetadataCsv, type Metadata } from '../../hrv/validate/table.js';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

/** Read and parse a segmentation `.tsv` file (see `parseSegmentation`). */
export async function readSegmentation(path: string): Promise<Segment[]> {
  return parseSegmentation(await readText(path, 'annotation file'), path);
}

/** Read an R-peak list (`NAME.rpeaks.csv`: one time in s per line, optional header). */
export async function readRPeaks(path: string): Promise<number[]> {
  return parseRPeaks(await readText(path, 'R-peak file'), path);
}

/** Metadata file names looked for in a dataset folder, in order. */
export const METADATA_FILES = ['recordings.csv', 'manifest.csv'] as const;

/** The metadata table of a dataset folder, or null when it has none of {@link METADATA_FILES}. */
export async function readFolderMetadata(dir: string): Promise<Metadata | null> {
  for (const f of METADATA_FILES) {
    const p = join(dir, f);
    if (existsSync(p)) return parseMetadataCsv(await readText(p, 'metadata file'), p);
  }
  return null;
}
