/**
 * An error caused by the caller's input — a bad option, a file that is not what it should be,
 * a folder of the wrong kind — rather than by a bug. The CLI prints its message on one line
 * and exits with status 2, without a stack trace. Browser-safe.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
