import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `validate` sub-command (placeholder until implemented). */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the validate command is not implemented yet');
    });
}
