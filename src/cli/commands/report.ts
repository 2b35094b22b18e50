import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `report` sub-command (placeholder until implemented). */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the report command is not implemented yet');
    });
}
