import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `train` sub-command (placeholder until implemented). */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the train command is not implemented yet');
    });
}
