/**
 * The word that names the sub-command in `argv` (process.argv form): the first argument that is
 * not an option (`help CMD` names CMD). Its own module, so that the bin's entry can tell
 * `estimate` from the other commands without loading the program (src/cli/main.ts).
 */
export function commandWord(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** Whether `argv` only asks for help (`--help`, `-h`, `help CMD`): nothing is run. */
export function asksForHelp(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  return args.includes('--help') || args.includes('-h') || args.find((a) => !a.startsWith('-')) === 'help';
}
