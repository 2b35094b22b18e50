/**
 * The CLI with the `estimate` command alone: the entry of dist/bin/estimate.cjs (scripts/build-cli.ts),
 * which the bin runs for `hrv-audio estimate …` with a V8 code cache (src/cli/fastStart.ts). The
 * same program as src/cli/program.ts builds for an `estimate` command line: same options, help,
 * output and exit statuses.
 */
import { runCliWith, type CommandTable } from './program.js';

const ESTIMATE_ONLY: CommandTable = {
  estimate: async () => (await import('./commands/estimate.js')).registerEstimate,
};

/** Run `hrv-audio estimate …` (`argv` in process.argv form). Returns the exit status. */
export function runEstimateCli(argv: string[]): Promise<number> {
  return runCliWith(ESTIMATE_ONLY, argv);
}
