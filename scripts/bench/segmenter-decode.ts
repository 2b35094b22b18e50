/** Decode dumped posteriors with decoder options and score (see segmenter-posteriors.ts). */
import { readFileSync } from 'node:fs';
import { decodeSegmentation } from '../../src/hrv/learned/decode.js';
import { scoreRecording } from '../../src/hrv/validate.js';
import { summariseCv, type CvRow } from '../../src/node/pipelines/trainSegmenter.js';

const dump = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Array<{ name: string; fold: number; post: number[]; n: number; env: number[]; age: string; murmur: string; segments: any; durationS: number }>;
const variants: Array<Record<string, unknown>> = process.argv[3] ? JSON.parse(process.argv[3]) : [{}];
for (const v of variants) {
  const t0 = Date.now();
  const rows: CvRow[] = [];
  const rows50 = [];
  for (const d of dump) {
    const post = Float32Array.from(d.post);
    const useEnv = v.noRefine ? null : Float32Array.from(d.env);
    const seg = decodeSegmentation(post, d.n, 50, useEnv, 1000, v as any);
    const base = scoreRecording(d.name, d.segments, seg, { toleranceS: 0.1, durationS: d.durationS });
    rows50.push(scoreRecording(d.name, d.segments, seg, { toleranceS: 0.05, durationS: d.durationS }));
    rows.push({ ...base, fold: d.fold, ageGroup: d.age, murmur: d.murmur, sensitivity50: null, ppv50: null, chosenBpm: seg.details.chosenBpm, frameAccuracy: null });
  }
  const s = summariseCv(rows, rows50);
  console.log(JSON.stringify(v), `F1 ${s.f1At100?.toFixed(4)} / ${s.f1At50?.toFixed(4)} HR5 ${(100 * s.within5BpmShare).toFixed(1)} hd ${s.halfOrDoubleRate} sdnn ${s.sdnnMaeMs?.toFixed(1)} rmssd ${s.rmssdMaeMs?.toFixed(1)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  if (process.argv[4]) {
    for (const r of rows) if (r.hrErrorBpm === null || Math.abs(r.hrErrorBpm) > 5) console.log(r.name, r.ageGroup, r.refHrBpm?.toFixed(1), r.hrBpm?.toFixed(1), r.chosenBpm?.toFixed(1), r.refIntervals, r.intervals, r.sensitivity?.toFixed(2), r.ppv?.toFixed(2));
  }
}
