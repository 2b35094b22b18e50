import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `run` sub-command (placeholder until implemented). */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the run command is not implemented yet');
    });
}
