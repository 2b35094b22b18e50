/**
 * `hrv-audio plot FILE.wav --out rec.png [--svg] [--signal auto|pcg|pulse] [--annotations FILE.tsv]`:
 * one figure of a recording: waveform with the detection envelope and the detected (and
 * annotated) beats, its spectrogram in dB, the RR tachogram, and the HRV panels: Poincaré plot
 * and RR power spectrum (Welch + Lomb–Scargle, once the beats span ≥ 1 min).
 */
import type { Command } from 'commander';
import { basename, extname } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseNumber } from '../options.js';
import { readWav, WavFormatError } from '../../node/files/wav.js';
import { readSegmentation } from '../../node/files/annotations.js';
import { referenceFromSegments } from '../../hrv/validate/reference.js';
import { estimate } from '../../hrv/estimate.js';
import { SIGNAL_CHOICES, parseChoice, type SignalChoice } from '../../core/choices.js';
import { writeRecordingPlot } from '../../report/index.js';

/** Options of the plot command. */
export interface PlotCliOptions {
  out: string;
  svg?: boolean;
  signal?: string;
  annotations?: string;
  maxFreq?: number;
  width?: number;
}

/** Make the figure; returns the line the CLI prints. Exported for tests. */
export async function runPlot(file: string, opts: PlotCliOptions): Promise<string> {
  let signal: SignalChoice;
  try {
    signal = parseChoice(SIGNAL_CHOICES, opts.signal ?? 'auto', '--signal');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!opts.out) throw new UsageError('--out FILE.png is required');
  if (extname(opts.out).toLowerCase() !== '.png') throw new UsageError(`--out must name a .png file, got '${opts.out}'`);
  if (opts.maxFreq !== undefined && !(opts.maxFreq > 0)) throw new UsageError(`--max-freq must be > 0 Hz, got ${opts.maxFreq}`);
  if (opts.width !== undefined && !(opts.width >= 200 && opts.width <= 4000)) throw new UsageError(`--width must be 200–4000 px, got ${opts.width}`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no such file: ${file}`);
  let audio;
  try {
    audio = readWav(file);
  } catch (err) {
    if (err instanceof WavFormatError || err instanceof Error) throw new UsageError(`${file}: ${err.message}`);
    throw err;
  }
  let annotated: number[] | null = null;
  let spans: [number, number][] | null = null;
  if (opts.annotations) {
    if (!existsSync(opts.annotations)) throw new UsageError(`no such annotation file: ${opts.annotations}`);
    try {
      const ref = referenceFromSegments(await readSegmentation(opts.annotations));
      annotated = ref.beatTimesS;
      spans = ref.spansS;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const est = await estimate(audio.samples, audio.sampleRateHz, { signal, returnEnvelope: true });
  const hr = est.heartRateBpm !== null ? `HR ${est.heartRateBpm.toFixed(1)} bpm` : 'no trustworthy HR';
  const hrv = est.sdnnMs !== null ? `, SDNN ${est.sdnnMs.toFixed(1)} ms, RMSSD ${est.rmssdMs?.toFixed(1) ?? '—'} ms` : '';
  const title = `${basename(file)}: ${est.signalType === 'pcg' ? 'heart sounds' : 'pulses'}, ${est.beatTimesS.length} detected beats${annotated ? `, ${annotated.length} annotated` : ''} — ${hr}${hrv} (quality ${est.quality.score.toFixed(2)})`;
  const outSvg = opts.svg ? opts.out.replace(/\.png$/i, '.svg') : undefined;
  const res = await writeRecordingPlot({
    samples: audio.samples,
    sampleRateHz: audio.sampleRateHz,
    envelope: est.envelope?.values ?? null,
    envelopeRateHz: est.envelope?.sampleRateHz,
    detectedBeatsS: est.beatTimesS,
    annotatedBeatsS: annotated,
    annotatedSpansS: spans,
    title,
    maxFreqHz: opts.maxFreq,
    widthPx: opts.width,
    outPng: opts.out,
    outSvg,
    hrv: { rrS: est.rrS },
  });
  return `wrote ${res.png} (${res.widthPx}×${res.heightPx} px)${res.svg ? ` and ${res.svg}` : ''}\n`;
}

/** Register the `plot` sub-command. */
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('plot a recording: waveform, envelope, detected (and annotated) beats, spectrogram, RR tachogram, Poincaré plot, RR spectrum')
    .argument('<file>', 'WAV recording')
    .requiredOption('--out <png>', 'output PNG file')
    .option('--svg', 'also write an SVG next to the PNG (same name, .svg)')
    .option('--signal <type>', 'auto, pcg (heart sounds) or pulse (seed-style pulses)', 'auto')
    .option('--annotations <tsv>', 'segmentation file (CirCor / PhysioNet 2022 .tsv): S1 onsets drawn as annotated beats')
    .option('--max-freq <hz>', 'highest spectrogram frequency shown (default min(Nyquist, 1000) Hz)', parseNumber('--max-freq'))
    .option('--width <px>', 'plot width in CSS pixels (PNG is 2×; default 900)', parseNumber('--width'))
    .addHelpText(
      'after',
      '\nExamples:\n  hrv-audio plot recording.wav --out rec.png\n  hrv-audio plot 50001_AV.wav --annotations 50001_AV.tsv --out av.png --svg\n',
    )
    .action(async (file: string, opts: PlotCliOptions) => {
      process.stdout.write(await runPlot(file, opts));
    });
}
