import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Register the `spectrogram` sub-command (placeholder until implemented). */
export function registerSpectrogram(program: Command): void {
  program
    .command('spectrogram')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new UsageError('the spectrogram command is not implemented yet');
    });
}
