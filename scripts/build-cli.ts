/**
 * The CLI bundle (issue 14, fast start): `node --import tsx scripts/build-cli.ts [OUT_DIR]`
 * (default dist/bin; `npm run build` and `prepare` run it after tsc). It bundles the `hrv-audio`
 * command and the two worker scripts from src/ with rollup (TypeScript stripped by esbuild), so
 * that `hrv-audio estimate FILE` loads 5 of our files instead of about 75 modules and 8 CommonJS
 * files (commander and fft.js are bundled too). The library (dist/src, with its .d.ts) stays as
 * tsc builds it.
 *
 * Chunks, so that each command loads only what it needs:
 * - `hrv-audio.js` and `start-*.js`: the entry (which command runs) and the loader of
 *   `estimate.cjs` (src/cli/fastStart.ts).
 * - `estimate.cjs`: the `estimate` command alone as one CommonJS file (esbuild; commander and
 *   fft.js inside), which the bin compiles with a V8 code cache: `hrv-audio estimate …` runs
 *   from it (buildEstimateBundle below). The build writes its cache by running it on a fixture.
 * - `cli-*.js` and `base-*.js`: the program and the top-level help (`--version`, `--help`), and
 *   what they share with the library (errors, the package version).
 * - `estimate-*.js` and `core-*.js`: the `estimate` command as ES modules, and the library code
 *   it needs for every method but cnn (the default learned path is included: its dynamic imports
 *   would otherwise each become a chunk of their own): the worker `estimateWorker.js` uses them,
 *   and `estimate` where there is no estimate.cjs.
 * - every other command and the heavy parts (TF.js, vega, resvg, training, the report): chunks
 *   of their own, loaded only by the commands that need them.
 * Packages stay external (resolved from node_modules at run time), except commander and fft.js.
 *
 * Everything that finds files from its own location works in dist/bin/ as in dist/src/: the
 * package root and models/ are found by walking up (node/files/shippedModels.ts,
 * segmenterStore.ts), packageVersion.ts tries `../../package.json`, packages through
 * createRequire, and workers through node/workers/startWorker.ts (`./NAME.js` next to the code
 * that starts them: the worker entries are written to the same flat folder as the chunks).
 */
import { build as esbuild, transform, type Plugin as EsbuildPlugin } from 'esbuild';
import { rollup, type GetModuleInfo, type Plugin } from 'rollup';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rollup/parseAst';
import { ESTIMATE_BUNDLE, ESTIMATE_BUNDLE_IMPORT } from '../src/cli/fastStart.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** The entries: the command (`hrv-audio.js`, the package's bin) and the worker scripts. */
export const CLI_ENTRIES: Readonly<Record<string, string>> = {
  'hrv-audio': join(SRC, 'cli/main.ts'),
  estimateWorker: join(SRC, 'node/workers/estimateWorker.ts'),
  trainWorker: join(SRC, 'node/workers/trainWorker.ts'),
};

/** Roots of the fast paths: the program (help, version) and `estimate` with its default method. */
const PROGRAM_ROOT = join(SRC, 'cli/program.ts');
const ESTIMATE_ROOTS = ['cli/commands/estimate.ts', 'node/learnedSetup.ts', 'node/files/shippedModels.ts'].map((p) => join(SRC, p));

/** The entry's decision (which command runs) and the loader of estimate.cjs: the `start` chunk. */
const START = ['cli/commandWord.ts', 'cli/fastStart.ts'].map((p) => join(SRC, p));

/** `./x.js` imports in our TypeScript sources name `./x.ts`; esbuild strips the types. */
function typescript(): Plugin {
  return {
    name: 'hrv-typescript',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const ts = resolve(dirname(importer), `${source.slice(0, -3)}.ts`);
      return existsSync(ts) ? ts : null;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = await transform(code, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: id, tsconfigRaw: { compilerOptions: { target: 'ES2022' } } });
      return { code: out.code, map: null };
    },
  };
}

/**
 * CommonJS packages on the fast paths, each turned into one ES module by esbuild (its `require`s
 * of node: built-ins go through createRequire) and put into the chunk that uses it: commander (7
 * CommonJS files otherwise) and fft.js. Node then neither loads them through its CommonJS loader
 * nor lexes them for their exports. Value: the ES module that re-exports what we import.
 */
const CJS_AS_ESM: Readonly<Record<string, { reexport: string; chunk: string }>> = {
  commander: { reexport: "export * from 'commander';", chunk: 'cli' }, // its esm.mjs names the exports
  'fft.js': { reexport: "export { default } from 'fft.js';", chunk: 'core' },
};
const CJS_PREFIX = '\0cjs-as-esm:';

/**
 * commander requires node:child_process when it loads, for sub-commands that are executables
 * (we have none); node:child_process costs a few ms of start-up (it loads net, dgram, …). It
 * gets a stand-in that loads the real module on first use.
 */
const lazyChildProcess: EsbuildPlugin = {
  name: 'hrv-lazy-child-process',
  setup(b) {
    const ns = 'hrv-lazy-child-process';
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
      if (args.namespace === ns) return { path: 'node:child_process', external: true };
      // commander's require only: our own imports of it (the batch's fork) stay as they are
      return /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'node:child_process', namespace: ns } : null;
    });
    b.onLoad({ filter: /.*/, namespace: ns }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

function cjsAsEsm(): Plugin {
  return {
    name: 'hrv-cjs-as-esm',
    resolveId: (source) => (Object.hasOwn(CJS_AS_ESM, source) ? CJS_PREFIX + source : null),
    async load(id) {
      if (!id.startsWith(CJS_PREFIX)) return null;
      const { reexport } = CJS_AS_ESM[id.slice(CJS_PREFIX.length)]!;
      const stdin = { contents: reexport, resolveDir: ROOT, sourcefile: 'entry.js' }; // resolved with the `import` condition
      const out = await esbuild({ stdin, bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, legalComments: 'inline', plugins: [lazyChildProcess] });
      return `import { createRequire as __hrvCreateRequire } from 'node:module';\nconst require = __hrvCreateRequire(import.meta.url);\n${out.outputFiles[0]!.text}`;
    },
  };
}

/** The static-import closure of `roots` (our modules only). */
function closure(roots: readonly string[], getModuleInfo: GetModuleInfo): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    const info = getModuleInfo(id);
    if (!info || info.isExternal || id.startsWith('\0')) return;
    seen.add(id);
    for (const dep of info.importedIds) visit(dep);
  };
  for (const r of roots) visit(r);
  return seen;
}

/** The chunk of a module on the fast paths (see the file comment); others: rollup decides. */
function fastPathChunks(): (id: string, api: { getModuleInfo: GetModuleInfo }) => string | undefined {
  let program: Set<string> | null = null;
  let estimate: Set<string> | null = null;
  return (id, { getModuleInfo }) => {
    program ??= closure([PROGRAM_ROOT], getModuleInfo);
    estimate ??= closure(ESTIMATE_ROOTS, getModuleInfo);
    if (id.startsWith(CJS_PREFIX)) return CJS_AS_ESM[id.slice(CJS_PREFIX.length)]!.chunk;
    if (START.includes(id)) return 'start'; // `estimate` loads neither the program nor commander
    if (!program.has(id) && !estimate.has(id)) return undefined;
    if (id.startsWith(join(SRC, 'cli/commands/'))) return 'estimate';
    if (id.startsWith(join(SRC, 'cli/'))) return 'cli';
    return program.has(id) ? 'base' : 'core';
  };
}

/**
 * The `estimate` command alone as one CommonJS file, `estimate.cjs` (src/cli/estimateOnly.ts),
 * which the bin compiles with a V8 code cache (src/cli/fastStart.ts; Node 20 has no code cache
 * for ES modules). Packages stay external (required, or imported where the sources import them
 * dynamically), except commander and fft.js; `import.meta.url` is the file's own URL, so that
 * everything found from it (package.json, models/, the worker scripts, packages) is found as from
 * the chunks in the same folder.
 */
async function buildEstimateBundle(outDir: string): Promise<string> {
  const externalPackages: EsbuildPlugin = {
    name: 'hrv-external-packages',
    setup(b) {
      // bare specifiers (packages and node built-ins): external, but for the two bundled packages
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || args.path.startsWith('node:')) return null; // built-ins: esbuild's own handling
        const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
        return name === 'commander' || name === 'fft.js' ? null : { path: args.path, external: true };
      });
    },
  };
  const out = await esbuild({
    entryPoints: [join(SRC, 'cli/estimateOnly.ts')],
    outfile: join(outDir, ESTIMATE_BUNDLE),
    write: false,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    legalComments: 'inline',
    banner: { js: "const __hrvImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__hrvImportMetaUrl' },
    plugins: [lazyChildProcess, externalPackages],
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, ESTIMATE_BUNDLE), withImportFunction(out.outputFiles[0]!.text));
  return ESTIMATE_BUNDLE;
}

/**
 * Every `import(…)` of the bundle (the audio decoders, node:child_process for ffmpeg, tfjs-node)
 * becomes a call of the function that src/cli/fastStart.ts passes in (ESTIMATE_BUNDLE_IMPORT): in
 * a script compiled by node:vm, Node 20 runs `import()` only with --experimental-vm-modules. The
 * calls are found by parsing the bundle, not by searching its text.
 */
function withImportFunction(code: string): string {
  const starts: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) visit(n);
    else if (node && typeof node === 'object') {
      if ((node as { type?: unknown }).type === 'ImportExpression') starts.push((node as { start: number }).start);
      for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v);
    }
  };
  visit(parseAst(code));
  let out = code;
  for (const start of starts.sort((a, b) => b - a)) {
    if (out.slice(start, start + 7) !== 'import(') throw new Error(`build-cli: no import( at ${start} of ${ESTIMATE_BUNDLE}`);
    out = `${out.slice(0, start)}${ESTIMATE_BUNDLE_IMPORT}(${out.slice(start + 7)}`;
  }
  return out;
}

/**
 * Write estimate.cjs's code cache (src/cli/fastStart.ts) by running `estimate` once on a fixture,
 * so that the first call after a build is as fast as the next. Where that fails (no fixture), the
 * first call writes it.
 */
function warmCodeCache(outDir: string): void {
  const fixture = join(ROOT, 'fixtures/pcg/84802_AV.wav');
  if (!existsSync(fixture)) return;
  const r = spawnSync(process.execPath, [join(outDir, 'hrv-audio.js'), 'estimate', fixture, '--json'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`build-cli: warning: the code cache was not written (${r.stderr.trim() || `exit ${r.status}`})\n`);
}

/** Bundle the CLI into `outDir` (emptied first). Returns the written file names. */
export async function buildCli(outDir: string = join(ROOT, 'dist/bin')): Promise<string[]> {
  const bundle = await rollup({
    input: { ...CLI_ENTRIES },
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !Object.hasOwn(CJS_AS_ESM, id),
    plugins: [cjsAsEsm(), typescript()],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((i) => i.includes('node_modules'))) return;
      warn(warning);
    },
  });
  rmSync(outDir, { recursive: true, force: true });
  const { output } = await bundle.write({
    dir: outDir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    manualChunks: fastPathChunks(),
  });
  await bundle.close();
  chmodSync(join(outDir, 'hrv-audio.js'), 0o755);
  const files = [...output.map((o) => o.fileName), await buildEstimateBundle(outDir)];
  warmCodeCache(outDir);
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'dist/bin'));
  const files = await buildCli(outDir);
  process.stdout.write(`build-cli: ${files.length} files in ${outDir}\n`);
}
