#!/usr/bin/env node
import { runCli } from './program.js';

// a closed pipe (`hrv-audio estimate DIR --csv | head`) ends the output quietly
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = await runCli(process.argv);
