import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `simulate` sub-command (placeholder until implemented). */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the simulate command is not implemented yet');
    });
}
