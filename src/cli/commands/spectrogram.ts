/**
 * `hrv-audio spectrogram DIR [options]`: compute the spectrogram of every signal of a dataset
 * folder (scipy.signal.spectrogram semantics, the seed's settings by default) and write
 * DIR/spectrograms.npy (N × F × T float32) and DIR/spectrogram.json (axes and options).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { packageVersion } from '../version.js';
import { spectrogramBatch, type SpectrogramOptions } from '../../dsp/spectrogram.js';
import type { WindowName } from '../../dsp/windows.js';
import { DATASET_FILES, readDataset, writeSpectrograms } from '../../node/files/dataset.js';
import { parseInteger, parseNumber } from '../options.js';
import { progressReporter } from './simulate.js';

interface SpectrogramCliOptions {
  nperseg: number;
  noverlap?: number;
  nfft?: number;
  window: string;
  tukeyAlpha: number;
  detrend: string;
  scaling: string;
  db?: boolean;
  dbFloor: number;
}

const WINDOWS = ['tukey', 'hann', 'hamming', 'boxcar'];

/** Register the `spectrogram` sub-command. */
export function registerSpectrogram(program: Command): void {
  program
    .command('spectrogram')
    .description('compute the spectrogram of every signal of a dataset folder (writes spectrograms.npy)')
    .argument('<dir>', 'dataset folder written by `hrv-audio simulate`')
    .option('--nperseg <n>', 'segment length, samples', parseInteger('--nperseg'), 256)
    .option('--noverlap <n>', 'overlap between segments, samples (default nperseg / 2)', parseInteger('--noverlap'))
    .option('--nfft <n>', 'FFT length ≥ nperseg (default nperseg)', parseInteger('--nfft'))
    .option('--window <name>', `window: ${WINDOWS.join(', ')}`, 'tukey')
    .option('--tukey-alpha <a>', 'Tukey taper fraction in [0, 1]', parseNumber('--tukey-alpha'), 0.25)
    .option('--detrend <type>', "per-segment detrend: 'constant', 'linear' or 'none'", 'constant')
    .option('--scaling <type>', "'density' (V²/Hz) or 'spectrum' (V²)", 'density')
    .option('--db', 'store 10·log10(power) instead of power')
    .option('--db-floor <p>', 'smallest power kept before taking the log', parseNumber('--db-floor'), 1e-20)
    .action((dir: string, opts: SpectrogramCliOptions) => {
      if (!existsSync(join(dir, DATASET_FILES.meta))) {
        throw new UsageError(`'${dir}' is not a dataset folder (no ${DATASET_FILES.meta}); create one with \`hrv-audio simulate --out ${dir}\``);
      }
      if (!WINDOWS.includes(opts.window)) throw new UsageError(`unknown window '${opts.window}' (expected ${WINDOWS.join(', ')})`);
      if (!['constant', 'linear', 'none'].includes(opts.detrend)) {
        throw new UsageError(`unknown detrend '${opts.detrend}' (expected constant, linear or none)`);
      }
      if (opts.scaling !== 'density' && opts.scaling !== 'spectrum') {
        throw new UsageError(`unknown scaling '${opts.scaling}' (expected density or spectrum)`);
      }
      const t0 = performance.now();
      const ds = readDataset(dir);
      const sOpts: SpectrogramOptions = {
        sampleRateHz: ds.sampleRateHz,
        nperseg: opts.nperseg,
        noverlap: opts.noverlap,
        nfft: opts.nfft,
        window: opts.window as WindowName,
        tukeyAlpha: opts.tukeyAlpha,
        detrend: opts.detrend === 'none' ? false : (opts.detrend as 'constant' | 'linear'),
        scaling: opts.scaling,
      };
      const progress = progressReporter('spectrogram');
      let batch;
      try {
        batch = spectrogramBatch(ds.signals, ds.n, ds.nSamples, sOpts, {
          scale: opts.db ? 'db' : 'linear',
          dbFloor: opts.dbFloor,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      writeSpectrograms(dir, batch, { packageVersion: packageVersion() });
      const seconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `spectrogram: wrote ${batch.n} × ${batch.nFreq} × ${batch.nTime} (${batch.scale}) to ${join(dir, DATASET_FILES.spectrograms)} in ${seconds.toFixed(2)} s\n`,
      );
    });
}
