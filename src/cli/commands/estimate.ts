import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `estimate` sub-command (placeholder until implemented). */
export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the estimate command is not implemented yet');
    });
}
