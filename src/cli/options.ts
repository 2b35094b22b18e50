/** Option parsers shared by every command: numbers and integers with the flag's name in the error (exit 2). */
import { UsageError } from './errors.js';

/** A commander parser for a finite number option. */
export function parseNumber(flag: string): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (value.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${flag} must be a finite number, got '${value}'`);
    return x;
  };
}

/** A commander parser for an integer option. */
export function parseInteger(flag: string): (value: string) => number {
  const asNumber = parseNumber(flag);
  return (value) => {
    const x = asNumber(value);
    if (!Number.isInteger(x)) throw new UsageError(`${flag} must be an integer, got '${value}'`);
    return x;
  };
}
