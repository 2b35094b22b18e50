import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `plot` sub-command (placeholder until implemented). */
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the plot command is not implemented yet');
    });
}
