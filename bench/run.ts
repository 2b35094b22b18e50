/**
 * `npm run bench [-- section…]`: runs the benchmark sections and prints one JSON object.
 * Each section is a module in bench/ exporting `run(): Promise<Record<string, unknown>>`.
 * Figures are medians over repeats; the machine is shared and noisy, so compare ratios.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';

const SECTIONS = ['simulate', 'simulatePcg', 'spectrogram', 'train', 'estimate', 'report', 'hrv', 'collection'] as const;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const w of wanted) {
  if (!(SECTIONS as readonly string[]).includes(w)) {
    process.stderr.write(`bench: unknown section '${w}' (known: ${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
}
const chosen = wanted.length > 0 ? wanted : [...SECTIONS];
const result: Record<string, unknown> = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  date: new Date().toISOString(),
};
for (const name of chosen) {
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) {
    result[name] = { skipped: 'no benchmark module' };
    continue;
  }
  process.stderr.write(`bench: ${name}…\n`);
  const mod = (await import(file.href)) as { run: () => Promise<Record<string, unknown>> };
  result[name] = await mod.run();
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
