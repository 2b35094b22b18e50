/**
 * Argument helpers shared by the CNN study scripts (pcg-cnn-study, pcg-cnn-floor,
 * pcg-cnn-ensemble): `--name value` options and the shared data folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The value after `--name` in `args`, or undefined. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `--data-root`, else ../shared/data or ../../shared/data from the working folder (a worktree), else `data`. */
export function sharedDataRoot(args: readonly string[]): string {
  return optionValue(args, 'data-root') ??
    [join(process.cwd(), '..', 'shared', 'data'), join(process.cwd(), '..', '..', 'shared', 'data')].find((d) => existsSync(d)) ?? 'data';
}
