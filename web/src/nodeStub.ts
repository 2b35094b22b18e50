/**
 * Stand-in for node:fs / node:path in the browser bundle. Only src/io/wav.ts's file-path branch
 * and its atomic writer reach these; the page decodes bytes, so calling one is a bug.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser`);
}
export const openSync = (): never => unavailable('openSync');
export const closeSync = (): never => unavailable('closeSync');
export const fstatSync = (): never => unavailable('fstatSync');
export const readSync = (): never => unavailable('readSync');
export const mkdirSync = (): never => unavailable('mkdirSync');
export const renameSync = (): never => unavailable('renameSync');
export const rmSync = (): never => unavailable('rmSync');
export const writeFileSync = (): never => unavailable('writeFileSync');
export const dirname = (): never => unavailable('dirname');
export const basename = (): never => unavailable('basename');
export const join = (): never => unavailable('join');
