import { readFileSync } from 'node:fs';

/**
 * The package version, read from this package's package.json, found by walking up from this
 * module's folder: src/node/files/ (tsx), dist/src/node/files/ (the tsc build) and dist/bin/ (the
 * CLI bundle) all lie below the package root.
 */
export function packageVersion(): string {
  let url = new URL('./package.json', import.meta.url);
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hrv-audio' && pkg.version) return pkg.version;
    } catch {
      // not here: try the folder above
    }
    url = new URL('../package.json', url);
  }
  return '0.0.0';
}
