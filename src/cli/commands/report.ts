/**
 * `hrv-audio report RUNDIR`: (re)build `RUNDIR/plots/*.png|svg` and the self-contained
 * `RUNDIR/report.html` from a run folder written by `hrv-audio run --out RUNDIR`.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { NotARunFolderError, writeReport } from '../../report/index.js';

/** Build the report of `runDir`; returns the line the CLI prints. Exported for tests. */
export async function runReport(runDir: string, opts: { quiet?: boolean } = {}): Promise<string> {
  const t0 = performance.now();
  let path: string;
  try {
    path = await writeReport(runDir);
  } catch (err) {
    if (err instanceof NotARunFolderError) throw new UsageError(err.message);
    throw err;
  }
  const seconds = (performance.now() - t0) / 1000;
  return opts.quiet ? `${path}\n` : `wrote ${path} (plots in ${path.replace(/report\.html$/, 'plots/')}, ${seconds.toFixed(1)} s)\n`;
}

/** Register the `report` sub-command. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write the plots (PNG + SVG) and a self-contained report.html for a run folder')
    .argument('<rundir>', 'run folder written by `hrv-audio run --out DIR`')
    .option('-q, --quiet', 'print only the path of report.html')
    .addHelpText('after', '\nExamples:\n  hrv-audio report runs/seed\n  open runs/seed/report.html\n')
    .action(async (runDir: string, opts: { quiet?: boolean }) => {
      process.stdout.write(await runReport(runDir, opts));
    });
}
