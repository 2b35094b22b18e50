/**
 * Fast start for `hrv-audio estimate …` (issue 14): the bin runs the `estimate` command from
 * dist/bin/estimate.cjs (one CommonJS bundle of src/cli/estimateOnly.ts, scripts/build-cli.ts),
 * compiled with a V8 code cache, so that a call neither parses the ≈ 400 KB of the command and
 * its library code nor compiles the functions it runs (the compute's included) again.
 *
 * The cache is an optimisation only, never needed:
 * - its file, next to the bundle, is named for the bundle's content (SHA-256) and the Node.js
 *   version and architecture: `estimate.cjs.<hash>.<node>-<arch>.v8cache`; a cache of another
 *   bundle or Node.js is never read (V8 checks its own version and flags too, and rejects data
 *   that does not fit);
 * - it is written once, after a call that had none (or had one V8 rejected) and estimated (exit
 *   status 0, not a help call), with the functions that call compiled, the compute's included; to
 *   a temporary file renamed into place (atomic), and any error there (a read-only install, a
 *   full disk) is ignored: the call has already printed its output. `npm run build` writes it
 *   with a fixture (scripts/build-cli.ts); the package leaves it out (package.json `files`);
 * - without the bundle (the tsc build in dist/src, or the sources under tsx) the program runs as
 *   for every other command.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asksForHelp } from './commandWord.js';

// required when used, not imported: this module is in the bin's first chunk (--version loads it
// too), and an ES import of node:crypto builds its ES facade, which loads webcrypto
const require = createRequire(import.meta.url);

/** The bundle's file name, next to the bin. */
export const ESTIMATE_BUNDLE = 'estimate.cjs';

/**
 * The name under which the bundle calls `import()` (scripts/build-cli.ts rewrites its import
 * calls): a script compiled by node:vm may not call `import()` itself in Node 20 (only with
 * --experimental-vm-modules), so this module, an ES module in the same folder, imports for it.
 */
export const ESTIMATE_BUNDLE_IMPORT = '__hrvImport';

type RunCli = (argv: string[]) => Promise<number>;

interface LoadedBundle {
  run: RunCli;
  /** Whether this call had no usable cache (then `saveCache` writes one). */
  cacheMissing: boolean;
  saveCache: () => void;
}

/** The cache file of a bundle's source, its bytes or text (see the file comment). */
export function cacheFileName(source: Uint8Array | string): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 20);
  return `${ESTIMATE_BUNDLE}.${hash}.${process.version}-${process.arch}.v8cache`;
}

/** Load `dir/estimate.cjs` with its code cache; null where there is no bundle. */
export function loadEstimateBundle(dir: string): LoadedBundle | null {
  const file = join(dir, ESTIMATE_BUNDLE);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const source = bytes.toString('utf8');
  const cacheFile = join(dir, cacheFileName(bytes));
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // none yet
  }
  // the CommonJS wrapper on the first line: line numbers in stack traces stay those of the file
  const { Script } = require('node:vm') as typeof import('node:vm');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, ${ESTIMATE_BUNDLE_IMPORT}) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as { runEstimateCli?: RunCli } };
  // its import() calls (audio decoders, node:child_process for ffmpeg) resolve from here: the same folder
  const importFn = (specifier: string): Promise<unknown> => import(specifier);
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dir, importFn);
  const run = module.exports.runEstimateCli;
  if (typeof run !== 'function') return null;
  const cacheMissing = cachedData === undefined || script.cachedDataRejected === true;
  return {
    run,
    cacheMissing,
    saveCache: () => {
      if (!cacheMissing) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        rmSync(tmp, { force: true }); // read-only install, full disk: no cache, nothing else changes
      }
    },
  };
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve()); // callbacks run in order: after the earlier writes (an error too)
  });
}

/**
 * Run `hrv-audio estimate …` (`argv` in process.argv form) from the bundle next to this file,
 * else from the program (`runCli`). Returns the exit status; with the bundle, it ends the process
 * itself once stdout and stderr are flushed (see below) and does not return.
 */
export async function runEstimateFast(argv: string[]): Promise<number> {
  const bundle = loadEstimateBundle(dirname(fileURLToPath(import.meta.url)));
  if (!bundle) return (await import('./program.js')).runCli(argv);
  const status = await bundle.run(argv);
  // a cache holds what the call compiled: written after a call that estimated, not after help or an error
  if (status === 0 && !asksForHelp(argv)) bundle.saveCache();
  // `estimate` has finished everything when it returns (its output written, a batch's workers
  // ended, --out written synchronously); a normal exit would first wait for the V8 background
  // compile tasks still queued and tear the heap down, which nothing needs (docs/notes/issue-14-startup3.md)
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(status);
}
