/**
 * An error caused by the user's input (bad option, bad file): the CLI prints its message on one
 * line and exits with status 2, without a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
