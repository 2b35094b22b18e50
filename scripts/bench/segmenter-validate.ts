/**
 * Side-by-side scoring of `learned` and `classical` on a segmented folder (pcg-real,
 * circor-like: NAME.wav + NAME.tsv) or an ECG-referenced folder (pcg-ecg: NAME.wav +
 * NAME.rpeaks.csv). Until the shared scorer of src/hrv/validate/ lands this is the measurement.
 *   node --import tsx scripts/bench/segmenter-validate.ts DIR [--model models/segmenter] [--json out.json]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../src/node/files/wav.js';
import { readSegmentation } from '../../src/io/annotations.js';
import { detectBeats } from '../../src/hrv/classical/detectBeats.js';
import { matchBeats, scoreRecording, scoringHrv } from '../../src/hrv/validate.js';
import { initNodeBackend } from '../../src/node/backend.js';
import { loadSegmenter } from '../../src/model/segmenterBundle.js';
import { folderSegmenterSource } from '../../src/node/files/segmenterStore.js';
import { learnedAnalyse } from '../../src/hrv/learned/estimator.js';

interface Det {
  beatTimesS: number[];
  rrS: number[];
  rrStartIndex?: number[];
  quality?: { score: number };
}

/** ECG normal-to-normal intervals: R-R within 20 % of the median of its 11 neighbours. */
function nnIntervals(rr: number[]): number[] {
  return rr.filter((r, i) => {
    const nb = rr.slice(Math.max(0, i - 5), i + 6).sort((a, b) => a - b);
    const med = nb[nb.length >> 1]!;
    return Math.abs(r - med) <= 0.2 * med;
  });
}

function scoreEcg(rPeaks: number[], det: Det): Record<string, number | null> {
  const ecgRr = rPeaks.slice(1).map((t, i) => t - rPeaks[i]!);
  const span: Array<[number, number]> = [[-1e9, 1e9]];
  const m = matchBeats(rPeaks, det.beatTimesS, span, 0.1);
  // |RR_sound − RR_ecg| for consecutive R peaks matched by consecutive detections
  const nearest = rPeaks.map((r) => {
    let best = -1;
    let bd = 0.1;
    det.beatTimesS.forEach((b, j) => {
      if (Math.abs(b - r) <= bd) {
        bd = Math.abs(b - r);
        best = j;
      }
    });
    return best;
  });
  const rrErr: number[] = [];
  for (let i = 0; i + 1 < rPeaks.length; i++) {
    const a = nearest[i]!;
    const b = nearest[i + 1]!;
    if (a >= 0 && b === a + 1) rrErr.push(Math.abs(det.beatTimesS[b]! - det.beatTimesS[a]! - ecgRr[i]!) * 1000);
  }
  const ref = scoringHrv(nnIntervals(ecgRr));
  const refHr = 60 / (ecgRr.reduce((a, b) => a + b, 0) / ecgRr.length);
  const h = scoringHrv(det.rrS);
  return {
    refHr,
    hr: h.hrBpm,
    hrErr: h.hrBpm === null ? null : h.hrBpm - refHr,
    tp: m.truePositives,
    fp: m.falsePositives,
    fn: m.falseNegatives,
    rrErrSum: rrErr.reduce((a, b) => a + b, 0),
    rrErrN: rrErr.length,
    rrErrMedian: rrErr.length ? rrErr.sort((a, b) => a - b)[rrErr.length >> 1]! : null,
    sdnnErr: h.sdnnMs !== null && ref.sdnnMs !== null ? Math.abs(h.sdnnMs - ref.sdnnMs) : null,
    rmssdErr: h.rmssdMs !== null && ref.rmssdMs !== null ? Math.abs(h.rmssdMs - ref.rmssdMs) : null,
  };
}

const mean = (v: number[]): number | null => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dir = argv[0]!;
  const opt = (n: string): string | undefined => (argv.indexOf(`--${n}`) >= 0 ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
  await initNodeBackend('wasm');
  const seg = await loadSegmenter(folderSegmenterSource(opt('model') ?? 'models/segmenter'));
  const decoder = opt('decoder') ? JSON.parse(opt('decoder')!) : {};
  const names = readdirSync(dir).filter((f) => f.endsWith('.wav')).map((f) => f.slice(0, -4)).sort();
  const methods = ['learned', 'classical'] as const;
  const acc: Record<string, Array<Record<string, number | null>>> = { learned: [], classical: [] };
  const secs: Record<string, number> = { learned: 0, classical: 0 };
  let audioS = 0;
  for (const name of names) {
    const tsv = join(dir, `${name}.tsv`);
    const rp = join(dir, `${name}.rpeaks.csv`);
    if (!existsSync(tsv) && !existsSync(rp)) continue;
    const audio = readWav(join(dir, `${name}.wav`));
    audioS += audio.samples.length / audio.sampleRateHz;
    for (const m of methods) {
      const t0 = performance.now();
      const det: Det =
        m === 'learned'
          ? learnedAnalyse(seg, { samples: audio.samples, sampleRateHz: audio.sampleRateHz, durationS: 0 }, decoder)
          : detectBeats(audio.samples, audio.sampleRateHz, { signal: 'pcg' });
      secs[m]! += (performance.now() - t0) / 1000;
      if (existsSync(tsv)) {
        const segments = await readSegmentation(tsv);
        const r100 = scoreRecording(name, segments, det, { toleranceS: 0.1 });
        const r50 = scoreRecording(name, segments, det, { toleranceS: 0.05 });
        acc[m]!.push({ name: 0, hrErr: r100.hrErrorBpm, refHr: r100.refHrBpm, hr: r100.hrBpm, tp: r100.truePositives, fp: r100.falsePositives, fn: r100.falseNegatives, tp50: r50.truePositives, fp50: r50.falsePositives, fn50: r50.falseNegatives, sdnnErr: r100.sdnnMs !== null && r100.refSdnnMs !== null ? Math.abs(r100.sdnnMs - r100.refSdnnMs) : null, rmssdErr: r100.rmssdMs !== null && r100.refRmssdMs !== null ? Math.abs(r100.rmssdMs - r100.refRmssdMs) : null });
      } else {
        const rPeaks = readFileSync(rp, 'utf8').split(/\r?\n/).map(Number).filter((v) => Number.isFinite(v) && v > 0);
        acc[m]!.push(scoreEcg(rPeaks, det));
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const m of methods) {
    const rows = acc[m]!;
    const sum = (k: string): number => rows.reduce((a, r) => a + ((r[k] as number) ?? 0), 0);
    const f1 = (tp: number, fp: number, fn: number): number => (2 * tp) / (2 * tp + fp + fn);
    const within5 = rows.filter((r) => r.hrErr !== null && Math.abs(r.hrErr!) <= 5).length / rows.length;
    const halfDouble = rows.filter((r) => r.hr !== null && r.refHr !== null && (Math.abs(r.hr! / r.refHr! - 2) < 0.15 || Math.abs(r.hr! / r.refHr! - 0.5) < 0.075)).length;
    out[m] = {
      recordings: rows.length,
      f1At100: f1(sum('tp'), sum('fp'), sum('fn')),
      f1At50: rows[0]?.tp50 !== undefined ? f1(sum('tp50'), sum('fp50'), sum('fn50')) : undefined,
      sensitivity: sum('tp') / (sum('tp') + sum('fn')),
      ppv: sum('tp') / (sum('tp') + sum('fp')),
      hrWithin5: within5,
      noHr: rows.filter((r) => r.hrErr === null).length,
      halfOrDouble: halfDouble,
      rrAbsErrMeanMs: rows[0]?.rrErrN !== undefined ? sum('rrErrSum') / sum('rrErrN') : undefined,
      rrAbsErrMedianOfMediansMs: rows[0]?.rrErrN !== undefined ? mean(rows.filter((r) => r.rrErrMedian !== null).map((r) => r.rrErrMedian!)) : undefined,
      sdnnMaeMs: mean(rows.filter((r) => r.sdnnErr !== null).map((r) => r.sdnnErr!)),
      rmssdMaeMs: mean(rows.filter((r) => r.rmssdErr !== null).map((r) => r.rmssdErr!)),
      secondsPerMinuteOfAudio: (secs[m]! / audioS) * 60,
    };
  }
  console.log(JSON.stringify(out, null, 1));
  if (opt('json')) writeFileSync(opt('json')!, JSON.stringify(out, null, 1));
}
void main();
