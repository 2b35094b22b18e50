import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `evaluate` sub-command (placeholder until implemented). */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the evaluate command is not implemented yet');
    });
}
