/**
 * The word that names the sub-command in `argv` (process.argv form): the first argument that is
 * not an option (`help CMD` names CMD). Its own module, so that the bin's entry can tell
 * `estimate` from the other commands without loading the program (src/cli/main.ts).
 */
export function commandWord(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}
