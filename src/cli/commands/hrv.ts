/**
 * `hrv-audio hrv FILE|- [--json | --csv] [--convention heartpy|neurokit] [--input auto|rr|beats]
 *  [--unit auto|ms|s] [--column NAME|N] [--clean] [--window S [--hop S]]`: every HRV measure from
 * RR intervals or beat times people already have (ECG, chest straps, Polar/Kubios exports), with
 * the same field names as `estimate --json`.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseNumber } from '../options.js';
import { parseRrText, type RrText } from '../../hrv/rrText.js';
import { cleanRr } from '../../hrv/classical/rrClean.js';
import { windowRows } from '../../hrv/windows.js';
import { hrvMeasures, hrvFieldLines, hrvFieldRecord, hrvFieldsCsv, type HrvConvention, type HrvMeasures } from '../../hrv/measures/index.js';
import { windowsCsv } from './estimate.js';
import { extname } from 'node:path';
import { writeChart } from '../../report/index.js';
import { hrvFigurePanels } from '../../report/hrvFigure.js';

/** Options of the hrv command. */
export interface HrvCliOptions {
  json?: boolean;
  csv?: boolean;
  convention?: string;
  input?: string;
  unit?: string;
  column?: string;
  clean?: boolean;
  window?: number;
  hop?: number;
  plot?: string;
}

function readInput(file: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  return readFileSync(file, 'utf8');
}

/** What {@link analyseHrvText} computed, for printing and plotting. */
interface HrvRun {
  printed: string;
  rrS: number[];
  rrEndTimesS: number[];
  windows: ReturnType<typeof windowRows> | undefined;
}

/** Run the command on `text` (the file's contents); returns what it prints. Exported for tests. */
export function runHrvText(text: string, source: string, opts: HrvCliOptions): string {
  return analyseHrvText(text, source, opts).printed;
}

/** Run the command, writing `--plot` when asked; returns what it prints. Exported for tests. */
export async function runHrv(text: string, source: string, opts: HrvCliOptions): Promise<string> {
  if (opts.plot !== undefined && extname(opts.plot).toLowerCase() !== '.png') throw new UsageError(`--plot must name a .png file, got '${opts.plot}'`);
  const run = analyseHrvText(text, source, opts);
  if (opts.plot === undefined) return run.printed;
  const res = await writeChart({ vconcat: hrvFigurePanels(run.rrS, run.rrEndTimesS, run.windows) }, opts.plot);
  process.stderr.write(`wrote ${res.png} (${res.widthPx}×${res.heightPx} px)\n`);
  return run.printed;
}

function analyseHrvText(text: string, source: string, opts: HrvCliOptions): HrvRun {
  const done = (printed: string): HrvRun => ({ printed, rrS, rrEndTimesS, windows });
  const convention = opts.convention ?? 'heartpy';
  if (convention !== 'heartpy' && convention !== 'neurokit') throw new UsageError(`--convention must be heartpy or neurokit, got '${convention}'`);
  const input = opts.input ?? 'auto';
  if (!['auto', 'rr', 'beats'].includes(input)) throw new UsageError(`--input must be auto, rr or beats, got '${input}'`);
  const unit = opts.unit ?? 'auto';
  if (!['auto', 'ms', 's'].includes(unit)) throw new UsageError(`--unit must be auto, ms or s, got '${unit}'`);
  if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
  if (opts.hop !== undefined && opts.window === undefined) throw new UsageError('--hop needs --window');
  if (opts.window !== undefined && !(opts.window > 0)) throw new UsageError(`--window must be > 0 s, got ${opts.window}`);
  if (opts.hop !== undefined && !(opts.hop > 0)) throw new UsageError(`--hop must be > 0 s, got ${opts.hop}`);
  const parsed: RrText = parseRrText(text, { kind: input as 'auto', unit: unit as 'auto', ...(opts.column !== undefined ? { column: opts.column } : {}) });
  // beat times: given, or the cumulative sum of the intervals (first beat at 0 s)
  let beatsS: number[];
  if (parsed.rrEndTimesS) {
    beatsS = [parsed.rrEndTimesS[0]! - parsed.rrS[0]!, ...parsed.rrEndTimesS];
  } else {
    let t = 0;
    beatsS = [0, ...parsed.rrS.map((r) => (t += r))];
  }
  let rrS = parsed.rrS;
  let startIndex = rrS.map((_, i) => i);
  let cleaned = '';
  if (opts.clean) {
    const c = cleanRr(beatsS);
    rrS = c.rrS;
    startIndex = c.startIndex;
    cleaned = `cleaned: ${c.nRejected} of ${c.nCandidates} intervals rejected (outside 0.25–2.4 s or 0.7–1.3 × the local median)`;
  }
  const rrEndTimesS = startIndex.map((s, i) => beatsS[s]! + rrS[i]!);
  const m: HrvMeasures = hrvMeasures(rrS, { convention: convention as HrvConvention, rrEndTimesS });
  const windows =
    opts.window !== undefined
      ? windowRows(
          {
            durationS: beatsS[beatsS.length - 1]! - beatsS[0]!,
            beatTimesS: beatsS.map((b) => b - beatsS[0]!),
            rrS,
            rrStartIndex: startIndex,
            qualityScore: 1,
            convention: convention as HrvConvention,
            minQuality: 0,
          },
          opts.window,
          opts.hop ?? opts.window,
        )
      : undefined;
  if (opts.json) {
    const out = {
      source: { path: source, description: parsed.description, kind: parsed.kind, unit: parsed.unit, column: parsed.column, nValues: parsed.nValues },
      convention: m.convention,
      nIntervals: m.nIntervals,
      spanS: m.spanS,
      missingFraction: m.missingFraction,
      ...hrvFieldRecord(m),
      nullReasons: m.nullReasons,
      notes: cleaned ? [cleaned, ...m.notes] : m.notes,
      ...(windows ? { windows } : {}),
    };
    return done(`${JSON.stringify(out)}\n`);
  }
  if (opts.csv) return done(windows ? windowsCsv(windows) : hrvFieldsCsv(m));
  const lines = [
    `${source}: ${parsed.nValues} values read as ${parsed.description}`,
    `${m.nIntervals} intervals spanning ${m.spanS.toFixed(1)} s${m.missingFraction > 0 ? ` (${(m.missingFraction * 100).toFixed(1)} % of the span without intervals)` : ''}; ${m.convention} convention`,
  ];
  if (cleaned) lines.push(cleaned);
  lines.push(...hrvFieldLines(m));
  for (const n of m.notes) lines.push(`note: ${n}`);
  if (windows) lines.push('', 'windows:', windowsCsv(windows).trimEnd());
  return done(`${lines.join('\n')}\n`);
}

/** Register the `hrv` sub-command. */
export function registerHrv(program: Command): void {
  program
    .command('hrv')
    .description('every HRV measure from RR intervals or beat times in a text/CSV file (ECG, chest strap, Polar/Kubios exports)')
    .argument('<file>', "text or CSV file, or '-' for standard input")
    .option('--json', 'print one JSON object (the field names of estimate --json)')
    .option('--csv', 'print the fields as one CSV row (with --window: the per-window rows)')
    .option('--convention <name>', 'time-domain definitions: heartpy (ddof 0, pNN fraction) or neurokit', 'heartpy')
    .option('--input <kind>', 'auto, rr (intervals) or beats (beat times)', 'auto')
    .option('--unit <unit>', 'auto, ms or s', 'auto')
    .option('--column <name|n>', 'the column to read (header name or 1-based number)')
    .option('--clean', 'drop implausible intervals (0.25–2.4 s, 0.7–1.3 × local median) before the measures')
    .option('--window <s>', 'per-window HR/HRV trend: window length in seconds', parseNumber('--window'))
    .option('--hop <s>', 'window hop in seconds (default: the window length)', parseNumber('--hop'))
    .option('--plot <png>', 'also write a figure: Poincaré plot, RR spectrum, and the HR/RMSSD trend with --window')
    .addHelpText(
      'after',
      '\nExamples:\n  hrv-audio hrv polar_rr.txt\n  hrv-audio hrv export.csv --column "RR-interval [ms]" --json\n' +
        '  cat beats.txt | hrv-audio hrv - --input beats --unit s\n  hrv-audio hrv holter_rr.txt --clean --window 300 --csv\n',
    )
    .action(async (file: string, opts: HrvCliOptions) => {
      process.stdout.write(await runHrv(readInput(file), file, opts));
    });
}
