/**
 * A small, deterministic, format-true run folder (layout in docs/CONTRACTS.md) for the report
 * tests, written without training: synthetic tone-burst "heartbeats", fake predictions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options of {@link writeFakeRun}. */
export interface FakeRunOptions {
  /** Signals in the dataset (default 40). */
  n?: number;
  /** Include classical estimates (default true; false → metrics.classical = null, empty columns). */
  classical?: boolean;
  /** Relative paths to leave out, e.g. ['history.json', 'history.csv']. */
  omit?: string[];
  /** Epochs of history (default 6). */
  epochs?: number;
}

/** Deterministic uniform numbers in [0, 1) (Lehmer / Park–Miller). */
export function lcg(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 48271) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/** A float32 C-order .npy file. */
export function npyBytes(data: Float32Array, shape: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

const SD = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

/** Write the fake run folder into `dir` (created). Returns facts the tests check against. */
export function writeFakeRun(dir: string, opts: FakeRunOptions = {}) {
  const n = opts.n ?? 40;
  const fs = 400;
  const durationS = 5;
  const nSamples = fs * durationS;
  const rnd = lcg(12345);
  const signals = new Float32Array(n * nSamples);
  const beats: number[][] = [];
  const labels: { hr: number; hrCount: number; hrv: number; nBeats: number; snr: number; hrParam: number; hrvParam: number }[] = [];
  for (let i = 0; i < n; i++) {
    const hrParam = 50 + 70 * rnd();
    const hrvParam = 0.005 + 0.045 * rnd();
    const snr = 5 + 20 * rnd();
    const b: number[] = [];
    let t = 0.2 * rnd();
    while (t < durationS - 0.05) {
      b.push(Math.round(t * 1e4) / 1e4);
      t += 60 / hrParam + hrvParam * (rnd() * 2 - 1);
    }
    const rr = b.slice(1).map((x, k) => x - b[k]!);
    beats.push(b);
    labels.push({ hr: 60 / (rr.reduce((a, c) => a + c, 0) / rr.length), hrCount: (b.length * 60) / durationS, hrv: SD(rr), nBeats: b.length, snr, hrParam, hrvParam });
    const noise = 10 ** (-snr / 20);
    for (let k = 0; k < nSamples; k++) {
      const tk = k / fs;
      let v = noise * (rnd() * 2 - 1);
      for (const bt of b) {
        const d = tk - bt;
        if (Math.abs(d) < 0.08) v += Math.exp(-(d * d) / (2 * 0.015 ** 2)) * Math.sin(2 * Math.PI * 50 * d);
      }
      signals[i * nSamples + k] = v;
    }
  }
  const omit = new Set(opts.omit ?? []);
  const write = (rel: string, data: string | Uint8Array) => {
    if (omit.has(rel)) return;
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, data);
  };
  mkdirSync(dir, { recursive: true });
  write('data/signals.npy', npyBytes(signals, [n, nSamples]));
  write(
    'data/labels.csv',
    'index,hr_bpm,hr_count_bpm,hrv_s,n_beats,snr_db,hr_param_bpm,hrv_param_s\n' +
      labels.map((l, i) => [i, l.hr, l.hrCount, l.hrv, l.nBeats, l.snr, l.hrParam, l.hrvParam].join(',')).join('\n') +
      '\n',
  );
  write('data/beats.json', JSON.stringify(beats));
  write(
    'data/dataset.json',
    JSON.stringify({ format: 'hrv-audio-dataset', formatVersion: 1, packageVersion: '0.1.0', n, nSamples, sampleRateHz: fs, durationS, dtype: 'float32', seed: 7, rng: 'fast', options: { n, seed: 7 }, files: {}, labelColumns: [] }),
  );
  write('data/spectrogram.json', JSON.stringify({ format: 'hrv-audio-spectrograms', n, nFreq: 65, nTime: 14, options: { sampleRateHz: fs, nperseg: 128, noverlap: 64, nfft: 128, window: 'tukey', tukeyAlpha: 0.25, detrend: 'constant', scaling: 'density' } }));
  const classical = opts.classical ?? true;
  const nTest = Math.round(n * 0.2);
  const testIdx = Array.from({ length: nTest }, (_, k) => (k * 7 + 3) % n);
  const preds = testIdx.map((i, k) => {
    const l = labels[i]!;
    return {
      index: i,
      hr_bpm: l.hr,
      hr_count_bpm: l.hrCount,
      hrv_s: l.hrv,
      snr_db: l.snr,
      hr_pred_bpm: l.hr + 10 * (rnd() - 0.5),
      hrv_pred_s: Math.max(0, l.hrv + 0.01 * (rnd() - 0.5)),
      classical_hr_bpm: classical && k % 5 !== 4 ? l.hr + 2 * (rnd() - 0.5) : null,
      classical_hrv_s: classical && k % 5 !== 4 ? l.hrv + 0.004 * (rnd() - 0.5) : null,
    };
  });
  const cols = ['index', 'hr_bpm', 'hr_count_bpm', 'hrv_s', 'snr_db', 'hr_pred_bpm', 'hrv_pred_s', 'classical_hr_bpm', 'classical_hrv_s'] as const;
  write('predictions.csv', cols.join(',') + '\n' + preds.map((p) => cols.map((c) => (p[c] === null ? '' : String(p[c]))).join(',')).join('\n') + '\n');
  const epochs = opts.epochs ?? 6;
  const history = Array.from({ length: epochs }, (_, e) => ({
    epoch: e + 1,
    seconds: 1.5 + 0.1 * rnd(),
    loss: 400 / (e + 1) + 1e-3,
    hr_output_loss: 400 / (e + 1),
    hrv_output_loss: 1e-3 / (e + 1),
    hr_output_mae: 16 / Math.sqrt(e + 1),
    hrv_output_mae: 0.02 / Math.sqrt(e + 1),
    val_loss: 450 / (e + 1) + 1.2e-3,
    val_hr_output_loss: 450 / (e + 1),
    val_hrv_output_loss: 1.2e-3 / (e + 1),
    val_hr_output_mae: 17 / Math.sqrt(e + 1),
    val_hrv_output_mae: 0.022 / Math.sqrt(e + 1),
  }));
  write('history.json', JSON.stringify(history, null, 2));
  const hcols = Object.keys(history[0]!);
  write('history.csv', hcols.join(',') + '\n' + history.map((h) => hcols.map((c) => String(h[c as keyof typeof h])).join(',')).join('\n') + '\n');
  const m = (truthKey: 'hr_bpm' | 'hr_count_bpm' | 'hrv_s', predKey: 'hr_pred_bpm' | 'hrv_pred_s' | 'classical_hr_bpm' | 'classical_hrv_s') => {
    const d = preds.filter((p) => p[predKey] !== null).map((p) => (p[predKey] as number) - p[truthKey]);
    const bias = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - bias) ** 2, 0) / (d.length - 1));
    const mae = d.reduce((a, b) => a + Math.abs(b), 0) / d.length;
    const rmse = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / d.length);
    return { mae, rmse, r: 0.9, bias, loaLow: bias - 1.96 * sd, loaHigh: bias + 1.96 * sd, n: d.length };
  };
  write(
    'metrics.json',
    JSON.stringify({
      mode: 'seed',
      backend: 'cpu',
      trainSeconds: history.reduce((a, h) => a + h.seconds, 0),
      epochs,
      nTrain: n - nTest,
      nTest,
      test: { loss: 123.4, hrMae: m('hr_bpm', 'hr_pred_bpm').mae, hrvMae: m('hrv_s', 'hrv_pred_s').mae },
      cnn: { hr_bpm: m('hr_bpm', 'hr_pred_bpm'), hr_count_bpm: m('hr_count_bpm', 'hr_pred_bpm'), hrv_s: m('hrv_s', 'hrv_pred_s') },
      classical: classical ? { hr_bpm: m('hr_bpm', 'classical_hr_bpm'), hr_count_bpm: m('hr_count_bpm', 'classical_hr_bpm'), hrv_s: m('hrv_s', 'classical_hrv_s') } : null,
      modelSummary: 'Layer (type)  Output shape  Param #\nconv2d (Conv2D)  [null,129,38,32]  320\nTotal params: 320',
      params: 320,
    }),
  );
  write('config.json', JSON.stringify({ version: '0.1.0', seed: 7, simulation: { n, sampleRateHz: fs, durationS }, training: { epochs, batchSize: 32, hrLabel: 'hr_bpm' }, mode: 'seed', backend: 'cpu' }, null, 2));
  write('model/preprocess.json', JSON.stringify({ mode: 'seed', inputShape: [65, 14, 1], hrLabel: 'hr_bpm' }));
  return { n, nSamples, fs, signals, beats, labels, preds, testIdx, history };
}
