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

/**
 * Runs a script's entry point: an error ends it with one line on stderr (`<script>: <message>`)
 * and exit status 2, as the CLI does; HRV_AUDIO_DEBUG=1 adds the stack.
 */
export async function runScript(script: string, main: () => unknown): Promise<void> {
  try {
    await main();
  } catch (err) {
    process.stderr.write(`${script}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.HRV_AUDIO_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(2);
  }
}
