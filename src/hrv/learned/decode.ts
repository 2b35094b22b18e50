/**
 * From per-frame state posteriors to beats (browser-safe): heart-period candidates from the
 * autocorrelation of the S1 and S2 posteriors over 30–220 bpm (each peak, its half and its
 * double), one HSMM Viterbi pass per candidate, the candidate with the highest decoder score
 * wins; then S1 onsets refined at the audio rate, RR intervals within confident stretches only,
 * and a quality score from the posteriors' agreement with the decoded path.
 */
import { autocorrelation } from '../../dsp/autocorrelation.js';
import { durationTables, hsmmViterbi, HSMM_STATES, DURATION_MODEL_DEFAULTS, type DurationModel } from './hsmm.js';

/** Decoder settings (recorded with the model). */
export interface DecoderOptions {
  /** Heart-rate search range, bpm. */
  minHrBpm: number;
  maxHrBpm: number;
  /** Autocorrelation peaks tried (each with its half and double). */
  maxCandidates: number;
  /** Systolic-interval scales tried for the best period. */
  systoleScales: number[];
  /** A cycle whose mean posterior of the decoded states is below this is not trusted. */
  minCycleConfidence: number;
  /** State priors dividing the posteriors (scaled likelihoods); null = uniform. Default: the share of annotated time in each state in circor-train. */
  statePriors: number[] | null;
  /** Multiplies the log emissions against the duration model (≥ 1 trusts the network more). */
  emissionWeight: number;
  /** Drop an RR interval further than this fraction from the median of its 11 neighbours (a missed or extra beat). */
  rrOutlierFraction: number;
  /** Decode in overlapping windows of this length when the recording is longer (0: never), s. */
  windowS: number;
  /** Search window around a frame-level S1 onset for audio-rate refinement, s (0: frame-level onsets). */
  refineWindowS: number;
  /** Sub-frame S1 onsets: the time at which P(S1) crosses `subFrameLevel` between frame centres, next to the decoded onset (false: frame-level onsets). */
  subFrameOnsets: boolean;
  /** Template alignment of S1 onsets at the audio rate: each beat's envelope (onset − 30 ms … + 100 ms) is aligned to the recording's mean S1 envelope within ± this, s (0: off). The mean shift is removed, so only the beat-to-beat jitter changes. */
  templateAlignS: number;
  /** Crossing level of {@link subFrameOnsets}. */
  subFrameLevel: number;
  /** An RR interval only from a cycle whose mean posterior of the decoded states is at least this (beats still use `minCycleConfidence`). */
  rrMinCycleConfidence: number;
  /** Misplaced-beat rule: two adjacent intervals a, b are both dropped when |a − b| > this × m and |a + b − 2m| < `rrPairSum` × m (m the local median): a short–long pair adding up to two cycles. 0 = off. */
  rrPairDifference: number;
  rrPairSum: number;
  durations: DurationModel;
}

/** Defaults (frozen). */
export const DECODER_DEFAULTS: Readonly<DecoderOptions> = Object.freeze({
  minHrBpm: 30,
  maxHrBpm: 220,
  maxCandidates: 5,
  systoleScales: [0.85, 1, 1.15],
  minCycleConfidence: 0.5,
  statePriors: [0.2, 0.233, 0.175, 0.393],
  emissionWeight: 0.7,
  windowS: 20,
  rrOutlierFraction: 0.3,
  refineWindowS: 0,
  subFrameOnsets: false,
  templateAlignS: 0.02,
  subFrameLevel: 0.5,
  rrMinCycleConfidence: 0.5,
  rrPairDifference: 0.3,
  rrPairSum: 0.15,
  durations: DURATION_MODEL_DEFAULTS,
});

/** The decoder's result. */
export interface SegmentationResult {
  /** Decoded state per frame (0 S1, 1 systole, 2 S2, 3 diastole). */
  states: Uint8Array;
  beatTimesS: number[];
  s2TimesS: number[];
  rrS: number[];
  rrStartIndex: number[];
  periodS: number | null;
  quality: { score: number; reasons: string[] };
  details: {
    candidatesBpm: number[];
    scores: number[];
    chosenBpm: number | null;
    systoleScale: number;
    meanConfidence: number;
    confidentCycles: number;
    cycles: number;
  };
}

/** Heart-period candidates (s) from the posteriors' autocorrelation. */
export function periodCandidates(posteriors: Float32Array, nFrames: number, frameRateHz: number, o: Readonly<DecoderOptions>): number[] {
  const minLag = Math.max(2, Math.floor((60 / o.maxHrBpm) * frameRateHz));
  const maxLag = Math.ceil((60 / o.minHrBpm) * frameRateHz);
  const sig = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) sig[t] = posteriors[t * HSMM_STATES]! + 0.5 * posteriors[t * HSMM_STATES + 2]!;
  const r = autocorrelation(sig, Math.min(maxLag + 1, nFrames - 1));
  const peaks: Array<[number, number]> = [];
  for (let k = minLag; k < r.length - 1; k++) {
    if (r[k]! > r[k - 1]! && r[k]! >= r[k + 1]!) {
      const a = r[k - 1]!;
      const b = r[k]!;
      const c = r[k + 1]!;
      const den = a - 2 * b + c;
      const shift = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
      peaks.push([k + shift, b]);
    }
  }
  peaks.sort((x, y) => y[1] - x[1]);
  const lagsF: number[] = [];
  const add = (lag: number): void => {
    const bpm = (60 * frameRateHz) / lag;
    if (bpm < o.minHrBpm * 0.98 || bpm > o.maxHrBpm * 1.02) return;
    if (lagsF.some((l) => Math.abs(l - lag) / l < 0.06)) return;
    lagsF.push(lag);
  };
  for (const [lag] of peaks.slice(0, o.maxCandidates)) {
    add(lag);
    add(lag / 2);
    add(lag * 2);
  }
  if (lagsF.length === 0) lagsF.push(frameRateHz); // 60 bpm when nothing periodic is found
  return lagsF.map((l) => l / frameRateHz);
}

/** Log emission scores from posteriors: log p − log prior. */
function logEmissions(posteriors: Float32Array, nFrames: number, priors: number[] | null, weight: number): Float64Array {
  const e = new Float64Array(nFrames * HSMM_STATES);
  for (let t = 0; t < nFrames; t++) {
    for (let s = 0; s < HSMM_STATES; s++) {
      const p = posteriors[t * HSMM_STATES + s]!;
      e[t * HSMM_STATES + s] = weight * (Math.log(p + 1e-5) - (priors ? Math.log(priors[s]!) : 0));
    }
  }
  return e;
}

/** Audio-rate S1 times: envelope peak inside each S1 segment, minus the recording's median peak lag. */
function refineOnsets(
  onsetFrames: number[],
  endFrames: number[],
  frameRateHz: number,
  envelope: Float32Array | null,
  envelopeRateHz: number,
  windowS: number,
): number[] {
  const coarse = onsetFrames.map((f) => f / frameRateHz);
  if (!envelope || envelope.length === 0 || coarse.length === 0 || !(windowS > 0)) return coarse;
  const peaks: number[] = [];
  for (let i = 0; i < onsetFrames.length; i++) {
    const a = Math.max(0, Math.floor((onsetFrames[i]! / frameRateHz - windowS) * envelopeRateHz));
    const b = Math.min(envelope.length - 1, Math.ceil((endFrames[i]! / frameRateHz + windowS * 0.5) * envelopeRateHz));
    let arg = a;
    for (let j = a; j <= b; j++) if (envelope[j]! > envelope[arg]!) arg = j;
    peaks.push(arg / envelopeRateHz);
  }
  const lags = peaks.map((p, i) => p - coarse[i]!).sort((x, y) => x - y);
  const median = lags[lags.length >> 1]!;
  return peaks.map((p, i) => {
    const r = p - median;
    // keep the frame-level onset when the peak search strays (a weak S1 beside a louder S2)
    return Math.abs(r - coarse[i]!) <= windowS ? r : coarse[i]!;
  });
}

/** Best HSMM path over frames [a, b) across heart-period candidates (own candidates when null). */
function decodeWindow(
  logE: Float64Array,
  posteriors: Float32Array,
  a: number,
  b: number,
  frameRateHz: number,
  o: Readonly<DecoderOptions>,
  candidates: number[] | null,
  scores: number[] | null,
): { states: Uint8Array; periodS: number; scale: number; score: number } {
  const n = b - a;
  const e = logE.subarray(a * HSMM_STATES, b * HSMM_STATES);
  const cands = candidates ?? periodCandidates(posteriors.subarray(a * HSMM_STATES, b * HSMM_STATES), n, frameRateHz, o);
  let best = { score: -Infinity, states: new Uint8Array(n), periodS: cands[0]!, scale: 1 };
  for (const p of cands) {
    const path = hsmmViterbi(e, n, durationTables(p, frameRateHz, o.durations));
    scores?.push(path.logScore);
    if (path.logScore > best.score) best = { score: path.logScore, states: path.states as Uint8Array<ArrayBuffer>, periodS: p, scale: 1 };
  }
  for (const scale of o.systoleScales) {
    if (scale === 1) continue;
    const path = hsmmViterbi(e, n, durationTables(best.periodS, frameRateHz, o.durations, scale));
    if (path.logScore > best.score) best = { ...best, score: path.logScore, states: path.states as Uint8Array<ArrayBuffer>, scale };
  }
  return best;
}

/** Remove (in place) intervals further than `fraction` from the median of their 11 neighbours. */
export function dropRrOutliers(rrS: number[], rrStartIndex: number[], fraction: number): void {
  if (!(fraction > 0) || rrS.length < 3) return;
  const keep = rrS.map((r, i) => {
    const nb = rrS.slice(Math.max(0, i - 5), i + 6).sort((a, b) => a - b);
    const med = nb[nb.length >> 1]!;
    return Math.abs(r - med) <= fraction * med;
  });
  let j = 0;
  for (let i = 0; i < rrS.length; i++) {
    if (!keep[i]) continue;
    rrS[j] = rrS[i]!;
    rrStartIndex[j] = rrStartIndex[i]!;
    j++;
  }
  rrS.length = j;
  rrStartIndex.length = j;
}

/** Local median of each interval over its 11 neighbours (itself included). */
function localMedians(rrS: readonly number[]): number[] {
  return rrS.map((_, i) => {
    const nb = rrS.slice(Math.max(0, i - 5), i + 6).sort((a, b) => a - b);
    return nb[nb.length >> 1]!;
  });
}

/**
 * Remove (in place) misplaced-beat pairs: adjacent intervals a, b (sharing a beat) with
 * |a − b| > `difference` × m and |a + b − 2m| < `sum` × m, m the mean of their local medians.
 */
export function dropMisplacedPairs(rrS: number[], rrStartIndex: number[], difference: number, sum: number): void {
  if (!(difference > 0) || rrS.length < 2) return;
  const med = localMedians(rrS);
  const drop = new Uint8Array(rrS.length);
  for (let k = 0; k + 1 < rrS.length; k++) {
    if (rrStartIndex[k + 1] !== rrStartIndex[k]! + 1) continue;
    const a = rrS[k]!;
    const b = rrS[k + 1]!;
    const m = 0.5 * (med[k]! + med[k + 1]!);
    if (Math.abs(a - b) > difference * m && Math.abs(a + b - 2 * m) < sum * m) drop[k] = drop[k + 1] = 1;
  }
  let j = 0;
  for (let i = 0; i < rrS.length; i++) {
    if (drop[i]) continue;
    rrS[j] = rrS[i]!;
    rrStartIndex[j] = rrStartIndex[i]!;
    j++;
  }
  rrS.length = j;
  rrStartIndex.length = j;
}

/**
 * Sub-frame S1 onsets from the posteriors: frame k's posterior describes its centre (k + ½)/rate
 * (the labels give a frame the state of the segment holding its centre), so the onset is where
 * P(S1) rises through `level` between two frame centres. Searched from one frame before the
 * decoded onset to the frame after it; the frame-level onset is kept when there is no crossing.
 */
export function subFrameOnsetTimes(onsetFrames: readonly number[], posteriors: Float32Array, nFrames: number, frameRateHz: number, level: number): number[] {
  return onsetFrames.map((f) => {
    const p = (k: number): number => posteriors[k * HSMM_STATES]!;
    let best: number | null = null;
    for (let k = Math.max(0, f - 2); k <= Math.min(nFrames - 2, f); k++) {
      const a = p(k);
      const b = p(k + 1);
      if (a < level && b >= level) {
        const x = k + 0.5 + (level - a) / (b - a);
        if (best === null || Math.abs(x - f) < Math.abs(best - f)) best = x;
      }
    }
    return (best ?? f) / frameRateHz;
  });
}

/**
 * The lag in −maxLag … maxLag (the first of equals) that maximises the correlation of the
 * mean-removed envelope at `base + lag` with the (zero-mean) template `tpl`, normalised by the
 * envelope's energy. The template has zero mean, so the window's mean drops out of the correlation
 * (Σ (e − m)·t = Σ e·t); the window's sum and sum of squares slide from one lag to the next
 * (energy = Σe² − (Σe)²/len), leaving one dot product per lag.
 */
function bestTemplateLag(envelope: Float32Array, base: number, tpl: Float64Array, maxLag: number): number {
  const len = tpl.length;
  let best = 0;
  let bestC = -Infinity;
  let o = base - maxLag;
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < len; j++) {
    const v = envelope[o + j]!;
    s1 += v;
    s2 += v * v;
  }
  for (let lag = -maxLag; lag <= maxLag; lag++, o++) {
    if (lag > -maxLag) {
      const out = envelope[o - 1]!;
      const inc = envelope[o + len - 1]!;
      s1 += inc - out;
      s2 += inc * inc - out * out;
    }
    let c = 0;
    for (let j = 0; j < len; j++) c += envelope[o + j]! * tpl[j]!;
    const ee = s2 - (s1 * s1) / len;
    const sc = ee > 0 ? c / Math.sqrt(ee) : -Infinity;
    if (sc > bestC) {
      bestC = sc;
      best = lag;
    }
  }
  return best;
}

/**
 * Align beat times to the recording's mean S1 envelope (audio rate): the template is the mean of
 * the envelope from 30 ms before to 100 ms after each onset, each beat is shifted by the lag
 * (within ± `maxLagS`) that maximises its correlation with the template, twice; the median
 * shift is removed so that the times keep their frame-level reference point.
 */
export function templateAlignedTimes(timesS: readonly number[], envelope: Float32Array, envelopeRateHz: number, maxLagS: number): number[] {
  const pre = Math.round(0.03 * envelopeRateHz);
  const post = Math.round(0.1 * envelopeRateHz);
  const maxLag = Math.max(1, Math.round(maxLagS * envelopeRateHz));
  const len = pre + post;
  let idx = timesS.map((t) => Math.round(t * envelopeRateHz));
  const usable = (i: number): boolean => i - pre - maxLag >= 0 && i + post + maxLag <= envelope.length;
  if (idx.filter(usable).length < 3) return timesS.slice();
  for (let pass = 0; pass < 2; pass++) {
    const tpl = new Float64Array(len);
    let n = 0;
    for (const i of idx) {
      if (!usable(i)) continue;
      // each beat normalised to unit energy, so loud beats do not dominate
      let e = 0;
      for (let j = 0; j < len; j++) e += envelope[i - pre + j]! ** 2;
      const g = e > 0 ? 1 / Math.sqrt(e) : 0;
      for (let j = 0; j < len; j++) tpl[j] += envelope[i - pre + j]! * g;
      n++;
    }
    let tm = 0;
    for (let j = 0; j < len; j++) tm += tpl[j]! / len;
    for (let j = 0; j < len; j++) tpl[j] -= tm;
    const shifts = idx.map((i) => (usable(i) ? bestTemplateLag(envelope, i - pre, tpl, maxLag) : 0));
    const sorted = shifts.slice().sort((a, b) => a - b);
    const med = sorted[sorted.length >> 1]!;
    idx = idx.map((i, k) => i + shifts[k]! - med);
    if (n === 0) break;
  }
  // keep the fraction of the original time below one sample
  return idx.map((i, k) => i / envelopeRateHz + (timesS[k]! - Math.round(timesS[k]! * envelopeRateHz) / envelopeRateHz));
}

/**
 * Decode posteriors into beats.
 * @param posteriors nFrames × 4 row-major (S1, systole, S2, diastole)
 * @param envelope optional audio-rate envelope for refining S1 times
 */
export function decodeSegmentation(
  posteriors: Float32Array,
  nFrames: number,
  frameRateHz: number,
  envelope: Float32Array | null = null,
  envelopeRateHz = 1000,
  options: Partial<DecoderOptions> = {},
): SegmentationResult {
  const o = { ...DECODER_DEFAULTS, ...options };
  const empty = (reason: string): SegmentationResult => ({
    states: new Uint8Array(nFrames),
    beatTimesS: [],
    s2TimesS: [],
    rrS: [],
    rrStartIndex: [],
    periodS: null,
    quality: { score: 0, reasons: [reason] },
    details: { candidatesBpm: [], scores: [], chosenBpm: null, systoleScale: 1, meanConfidence: 0, confidentCycles: 0, cycles: 0 },
  });
  if (nFrames < frameRateHz * 1.5) return empty('recording too short for the segmenter');
  const logE = logEmissions(posteriors, nFrames, o.statePriors, o.emissionWeight);
  const cands = periodCandidates(posteriors, nFrames, frameRateHz, o);
  const scores: number[] = [];
  const whole = decodeWindow(logE, posteriors, 0, nFrames, frameRateHz, o, cands, scores);
  const best = { periodS: whole.periodS, scale: whole.scale, states: whole.states };
  const win = Math.round(o.windowS * frameRateHz);
  if (win > 0 && nFrames > win * 1.25) {
    // long recordings: decode overlapping windows (the rate may drift) and stitch them in
    // diastole where neighbouring windows agree
    const hop = Math.round(win * 0.75);
    const stitched = new Uint8Array(nFrames);
    let filledTo = 0;
    let prev: { a: number; states: Uint8Array } | null = null;
    for (let a = 0; a < nFrames; a += hop) {
      const b = Math.min(nFrames, a + win);
      const start = b - a < win && a > 0 ? Math.max(0, b - win) : a;
      const local = decodeWindow(logE, posteriors, start, b, frameRateHz, o, null, null);
      let cut = start;
      if (prev) {
        const lo = start + Math.round((filledTo - start) * 0.25);
        cut = Math.round((start + filledTo) / 2);
        for (let t = Math.max(lo, start + 1); t < filledTo - 1; t++) {
          if (prev.states[t - prev.a] === 3 && local.states[t - start] === 3 && prev.states[t + 1 - prev.a] === 3 && local.states[t + 1 - start] === 3) {
            cut = t;
            break;
          }
        }
      }
      stitched.set(local.states.subarray(cut - start), cut);
      filledTo = b;
      prev = { a: start, states: local.states };
      if (b >= nFrames) break;
    }
    best.states = stitched;
  }
  const states = best.states;
  // segments
  const segs: Array<{ s: number; a: number; b: number }> = [];
  for (let t = 0; t < nFrames; ) {
    let u = t;
    while (u < nFrames && states[u] === states[t]) u++;
    segs.push({ s: states[t]!, a: t, b: u });
    t = u;
  }
  // S1 segments with a real onset (not cut by the start) and complete (not cut by the end)
  const s1: Array<{ a: number; b: number; idx: number }> = [];
  segs.forEach((g, idx) => {
    if (g.s === 0 && g.a > 0 && g.b < nFrames) s1.push({ a: g.a, b: g.b, idx });
  });
  const s2TimesS = segs.filter((g) => g.s === 2 && g.a > 0).map((g) => g.a / frameRateHz);
  // confidence of each cycle: mean posterior of the decoded state over S1 onset → next S1 onset
  const conf = (a: number, b: number): number => {
    let acc = 0;
    for (let t = a; t < b; t++) acc += posteriors[t * HSMM_STATES + states[t]!]!;
    return b > a ? acc / (b - a) : 0;
  };
  let total = 0;
  for (let t = 0; t < nFrames; t++) total += posteriors[t * HSMM_STATES + states[t]!]!;
  const meanConfidence = total / nFrames;
  const cycleConf: number[] = [];
  for (let i = 0; i + 1 < s1.length; i++) cycleConf.push(conf(s1[i]!.a, s1[i + 1]!.a));
  // keep S1 onsets that border at least one confident cycle
  const keep: boolean[] = s1.map((_, i) => (cycleConf[i - 1] ?? 0) >= o.minCycleConfidence || (cycleConf[i] ?? 0) >= o.minCycleConfidence);
  const keptIdx = s1.map((_, i) => i).filter((i) => keep[i]);
  const times0 = o.subFrameOnsets
    ? subFrameOnsetTimes(keptIdx.map((i) => s1[i]!.a), posteriors, nFrames, frameRateHz, o.subFrameLevel)
    : refineOnsets(
    keptIdx.map((i) => s1[i]!.a),
    keptIdx.map((i) => s1[i]!.b),
    frameRateHz,
    envelope,
    envelopeRateHz,
    o.refineWindowS,
  );
  const times = o.templateAlignS > 0 && envelope && envelope.length > 0 ? templateAlignedTimes(times0, envelope, envelopeRateHz, o.templateAlignS) : times0;
  const rrS: number[] = [];
  const rrStartIndex: number[] = [];
  for (let k = 0; k + 1 < keptIdx.length; k++) {
    const i = keptIdx[k]!;
    if (keptIdx[k + 1] === i + 1 && cycleConf[i]! >= Math.max(o.minCycleConfidence, o.rrMinCycleConfidence)) {
      rrS.push(times[k + 1]! - times[k]!);
      rrStartIndex.push(k);
    }
  }
  dropRrOutliers(rrS, rrStartIndex, o.rrOutlierFraction);
  dropMisplacedPairs(rrS, rrStartIndex, o.rrPairDifference, o.rrPairSum);
  const confident = cycleConf.filter((c) => c >= o.minCycleConfidence).length;
  const reasons: string[] = [];
  if (confident === 0) {
    const r = empty('no confident cardiac cycle found');
    r.details = { candidatesBpm: cands.map((p) => 60 / p), scores, chosenBpm: 60 / best.periodS, systoleScale: best.scale, meanConfidence, confidentCycles: 0, cycles: cycleConf.length };
    r.states = states;
    return r;
  }
  const fraction = confident / Math.max(1, cycleConf.length);
  if (fraction < 0.5) reasons.push(`only ${confident} of ${cycleConf.length} cycles are confident`);
  if (meanConfidence < 0.6) reasons.push(`low posterior confidence (${meanConfidence.toFixed(2)})`);
  if (rrS.length < 2) reasons.push('fewer than 2 RR intervals');
  const sorted = rrS.slice().sort((x, y) => x - y);
  const periodS = sorted.length ? sorted[sorted.length >> 1]! : best.periodS;
  const score = Math.max(0, Math.min(1, meanConfidence * Math.sqrt(fraction) * (rrS.length >= 2 ? 1 : 0.5)));
  return {
    states,
    beatTimesS: times,
    s2TimesS,
    rrS,
    rrStartIndex,
    periodS,
    quality: { score, reasons },
    details: { candidatesBpm: cands.map((p) => 60 / p), scores, chosenBpm: 60 / best.periodS, systoleScale: best.scale, meanConfidence, confidentCycles: confident, cycles: cycleConf.length },
  };
}
