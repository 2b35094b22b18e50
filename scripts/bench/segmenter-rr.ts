/**
 * Decoder variants on dumped out-of-fold CV posteriors (segmenter-posteriors.ts), scored with the
 * one scorer (src/hrv/validate): beat F1, HR, RR recovered / MAE, SDNN / RMSSD MAE, plus the
 * median detected RMSSD (timing noise adds to it: at the same beats, lower = less jitter).
 * Optional fusion with the classical detector (segmenter-classical-dump.ts):
 *   node --import tsx scripts/bench/segmenter-rr.ts POST.json '[{}, {"subFrameOnsets": true}]' [CLASSICAL.json]
 * A variant may carry "fuse": { "maxQuality": q, "minRatio": r } (use classical when learned's
 * quality < q, classical is trusted, and learned is untrusted or its HR differs by > r).
 */
import { readFileSync } from 'node:fs';
import { decodeSegmentation } from '../../src/hrv/learned/decode.js';
import { referenceFromSegments, scoreRecording, summarizeScores, type RecordingScore } from '../../src/hrv/validate/index.js';

type Dump = Array<{ name: string; fold: number; post: number[]; n: number; env: number[]; segments: any; durationS: number }>;
const dump = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Dump;
const variants: Array<Record<string, any>> = process.argv[3] ? JSON.parse(process.argv[3]) : [{}];
const classical = process.argv[4] ? (JSON.parse(readFileSync(process.argv[4], 'utf8')) as Record<string, { beatTimesS: number[]; rrS: number[]; quality: number; trusted: boolean; hrBpm: number | null }>) : null;
const cache = dump.map((d) => ({ post: Float32Array.from(d.post), env: Float32Array.from(d.env), ref: referenceFromSegments(d.segments) }));
const median = (v: number[]): number | null => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : null;
};
const f = (x: number | null | undefined, d = 1): string => (x == null ? '-' : x.toFixed(d));
for (const v of variants) {
  const { fuse, ...opts } = v;
  const rows: RecordingScore[] = [];
  let fused = 0;
  dump.forEach((d, i) => {
    const c = cache[i]!;
    const seg = decodeSegmentation(c.post, d.n, 50, c.env, 1000, opts);
    const meanRr = seg.rrS.length ? seg.rrS.reduce((a, b) => a + b, 0) / seg.rrS.length : 0;
    const trusted = seg.rrS.length >= 2 && seg.quality.score >= 0.2;
    let det = { beatTimesS: seg.beatTimesS, rrS: seg.rrS, rrStartIndex: seg.rrStartIndex, trusted, qualityScore: seg.quality.score, heartRateBpm: trusted ? 60 / meanRr : null } as any;
    if (fuse && classical) {
      const cl = classical[d.name];
      if (cl && cl.trusted && seg.quality.score < fuse.maxQuality) {
        const disagree = !trusted || cl.hrBpm === null || Math.abs(det.heartRateBpm / cl.hrBpm - 1) > fuse.minRatio;
        if (disagree && (fuse.minClassicalQuality === undefined || cl.quality >= fuse.minClassicalQuality)) {
          det = { beatTimesS: cl.beatTimesS, rrS: cl.rrS, trusted: true, qualityScore: cl.quality, heartRateBpm: cl.hrBpm };
          fused++;
        }
      }
    }
    rows.push(scoreRecording(d.name, c.ref, det));
  });
  const s = summarizeScores(rows);
  const detRmssd = median(rows.filter((r) => !r.refused && r.rmssdMs !== null).map((r) => r.rmssdMs!));
  const refRmssd = median(rows.filter((r) => !r.refused && r.rmssdMs !== null && r.refRmssdMs !== null).map((r) => r.refRmssdMs!));
  console.log(
    JSON.stringify(v),
    `F1 ${f(s.beats100.f1, 4)}/${f(s.beats50.f1, 4)} HR5 ${f(100 * (s.hr.withinShareOfAll ?? 0))}% refused ${s.refused} half/double ${s.hr.halfRate + s.hr.doubleRate}` +
      ` RRrec ${f(100 * (s.rr.recoveredShare ?? 0))}% RRmae ${f(s.rr.maeMs)} SDNN ${f(s.sdnn.mae)} RMSSD ${f(s.rmssd.mae)}` +
      ` medDetRMSSD ${f(detRmssd)} (ref ${f(refRmssd)})${fuse ? ` fused ${fused}` : ''}`,
  );
}
