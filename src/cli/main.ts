#!/usr/bin/env node
import { commandWord } from './commandWord.js';

// a closed pipe (`hrv-audio estimate DIR --csv | head`) ends the output quietly
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// `estimate`: from its code-cached bundle where there is one (src/cli/fastStart.ts); the rest: the program
process.exitCode =
  commandWord(process.argv) === 'estimate' ? await (await import('./fastStart.js')).runEstimateFast(process.argv) : await (await import('./program.js')).runCli(process.argv);
