/** The core layers (core, signal, dsp, audio, hrv, model) must run in a browser: no Node-only imports or globals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'zlib', 'crypto', 'stream', 'util', 'module'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node' ? [] : tsFiles(p); // src/model/node is the Node adapter
    return p.endsWith('.ts') ? [p] : [];
  });
}

test('src/{core,signal,dsp,audio,hrv,model} import no node: module and use no process/Buffer/require', () => {
  const files = ['core', 'signal', 'dsp', 'audio', 'hrv', 'model'].flatMap((layer) => tsFiles(join('src', layer)));
  assert.ok(files.length > 20);
  const offenders: string[] = [];
  for (const f of files) {
    const code = readFileSync(f, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1')
      .replace(/^import type [^;]*;/gm, ''); // type-only imports vanish at compile time
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || NODE_BUILTINS.includes(spec)) offenders.push(`${f}: imports ${spec}`);
      if (spec.includes('/node/') || spec.startsWith('../io/') || spec.startsWith('../cli/') || spec.startsWith('../report/')) {
        offenders.push(`${f}: imports the Node-side module ${spec}`);
      }
    }
    if (/\bprocess\.(?:env|argv|exit|stdout|stderr|cwd)\b|\bBuffer\.|\brequire\(/.test(code)) offenders.push(`${f}: uses a Node global`);
  }
  assert.deepEqual(offenders, []);
});
