/**
 * Imports run down the layers only (docs/CONTRACTS.md): core ← signal/dsp/audio ← model ← hrv ←
 * node ← report ← cli. A module may import its own layer or a lower one, never a higher one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/** Rank of each top-level folder (or root file) of src/. */
export const LAYER_RANK: Readonly<Record<string, number>> = Object.freeze({
  'errors.ts': 0,
  core: 0,
  signal: 1,
  dsp: 1,
  audio: 1,
  model: 2,
  hrv: 3,
  node: 4,
  io: 4, // legacy shims of issue 10 (src/io/annotations.ts)
  report: 5,
  cli: 6,
  'index.ts': 7, // package entry points re-export every layer
  'node.ts': 7,
});

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(path: string): string {
  return relative('src', path).split(sep)[0]!;
}

/** Every relative import/export specifier of a source text (static and literal dynamic imports). */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/** The upward imports of the files under src: "from → to" lines. */
export function upwardImports(files: readonly string[]): string[] {
  const bad: string[] = [];
  for (const f of files) {
    const from = layerOf(f);
    const rFrom = LAYER_RANK[from];
    assert.ok(rFrom !== undefined, `no layer rank for src/${from} (add it to LAYER_RANK)`);
    for (const spec of importSpecifiers(readFileSync(f, 'utf8'))) {
      const target = normalize(join(dirname(f), spec));
      if (!target.startsWith('src' + sep)) continue;
      const to = layerOf(target);
      const rTo = LAYER_RANK[to];
      if (rTo !== undefined && rTo > rFrom) bad.push(`${f} (${from}) → ${target} (${to})`);
    }
  }
  return bad;
}

test('no import runs up the layers', () => {
  const bad = upwardImports(tsFiles('src'));
  assert.deepEqual(bad, [], `upward imports:\n${bad.join('\n')}`);
});

test('the check sees an upward import (a model file importing hrv)', () => {
  assert.deepEqual(importSpecifiers("import { x } from '../hrv/estimate.js';\nexport * from './y.js';"), ['../hrv/estimate.js', './y.js']);
  const rank = (p: string) => LAYER_RANK[layerOf(p)]!;
  assert.ok(rank(join('src', 'hrv', 'estimate.ts')) > rank(join('src', 'model', 'inference.ts')));
});
