import { InputError } from '../errors.js';

/**
 * An error caused by the user's command line (bad option or argument): the CLI prints its message
 * on one line and exits with status 2, without a stack trace.
 */
export class UsageError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Ends the CLI with a given exit status and no further message (the output already says why). */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit status ${status}`);
    this.name = 'ExitStatus';
  }
}
