/**
 * Per-window HR error of `estimate --method cnn --json` against ECG R peaks (issue 15).
 *
 *   node dist/src/cli/main.js estimate ../shared/data/pcg-ecg --method cnn --json > cnn.jsonl
 *   node --import tsx scripts/cnn-ecg-windows.ts cnn.jsonl [more.jsonl …]
 *
 * Each recording's CNN windows (`details.windows`: startS, endS, heartRateBpm) are scored against
 * the rate of the R peaks inside the same window, 60 · (n − 1) / (last − first), for windows
 * holding at least 3 R peaks (NAME.rpeaks.csv beside each recording, read by `readRPeaks`). The
 * gate's verdict is ignored: this scores the network's own per-window numbers.
 */
import { readFileSync } from 'node:fs';
import { readRPeaks } from '../src/node/files/annotations.js';
import { mean, median } from '../src/core/stats.js';
import { runScript } from './lib/cliArgs.js';

interface Row {
  file: string;
  error?: string;
  details?: { windows?: Array<{ startS: number; endS: number; heartRateBpm: number }> };
}

async function score(jsonlPath: string): Promise<void> {
  const errors: number[] = [];
  for (const line of readFileSync(jsonlPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Row;
    if (row.error) continue;
    const peaks = await readRPeaks(row.file.replace(/\.wav$/i, '.rpeaks.csv'));
    for (const w of row.details?.windows ?? []) {
      const inside = peaks.filter((t) => t >= w.startS && t <= w.endS);
      if (inside.length < 3) continue;
      const truthBpm = (60 * (inside.length - 1)) / (inside[inside.length - 1]! - inside[0]!);
      errors.push(Math.abs(w.heartRateBpm - truthBpm));
    }
  }
  if (errors.length === 0) throw new Error(`${jsonlPath}: no CNN window with ≥ 3 R peaks (was it made with --method cnn --json?)`);
  const within5 = errors.filter((e) => e <= 5).length / errors.length;
  const over10 = errors.filter((e) => e > 10).length;
  process.stdout.write(
    `${jsonlPath}: ${errors.length} windows, HR MAE ${mean(errors)!.toFixed(2)} bpm, median ${median(errors)!.toFixed(2)}, within 5 bpm ${(100 * within5).toFixed(1)} %, > 10 bpm ${over10}\n`,
  );
}

await runScript('cnn-ecg-windows.ts', async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: cnn-ecg-windows.ts CNN.jsonl [more.jsonl …]');
  for (const f of files) await score(f);
});
