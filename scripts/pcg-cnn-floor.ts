/**
 * Where is the seed CNN's floor? (issue 15, part 2, helper cnn3.) How much HR information can the
 * seed's input, a 129 × 38 spectrogram of a 5 s window at 1000 Hz (nperseg 256, hop 128 samples =
 * 128 ms), carry, measured from the annotations' true S1 onsets on the same windows the CNN is
 * scored on: the circor-train validation patients (split.json of the study's dataset) and the
 * fully annotated windows of pcg-real. Deterministic; reads ../shared/data, trains nothing.
 *
 *   node --import tsx scripts/pcg-cnn-floor.ts [--split /tmp/cnnw/circor-h1/split.json] [--json OUT]
 *
 * The label (hrv/validate/annotatedWindows): the complete cycles S1→S2→S1 whose two S1 onsets lie
 * inside [start, start + 5 s]; HR = 60 / mean(cycle length). Every oracle keeps the same cycles and
 * the same formula and only changes the beat times it feeds in:
 *   - A  (frame grid): each S1 onset rounded to the nearest frame centre (0.128 + 0.128·k s,
 *        k = 0…37), i.e. a reader that can place a beat in the right frame and nothing finer;
 *   - A-ls: the same quantised beats, HR from a least-squares slope of beat time on beat index;
 *   - B  (ideal reader of this input): per true S1, the frame-energy envelope of the 20–200 Hz bins
 *        (sum of the linear power), its maximum among the frames within [onset − 128, onset + 192]
 *        ms, refined by a parabola through the log energy of that frame and its neighbours; the
 *        onset-to-peak delay is constant within a window and cancels in the intervals;
 *   - label sensitivity: V = the label restricted to the cycles whose S1 onsets the spectrogram
 *        covers ([0.064, 4.928] s: frame centres ± half a hop); S = HR over every interval that
 *        overlaps the window, edge-straddling ones included (S1 onsets outside the window from the
 *        full annotation; time-weighted by overlap); N = the seed's count-style label
 *        60 · (#S1 onsets in the window − 1) / (last − first);
 *   - A64 / A32: oracle A on a hypothetical finer grid (hop 64 / 32 ms), what a finer front end buys.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../src/node/files/wav.js';
import { parseSegmentation, type Segment } from '../src/hrv/validate/segmentation.js';
import { annotatedWindows, windowSamples } from '../src/hrv/validate/annotatedWindows.js';
import { listSegmentedFolder } from '../src/node/files/segmentedFolder.js';
import { resample } from '../src/dsp/resample.js';
import { spectrogramBatch } from '../src/dsp/spectrogram.js';
import { optionValue, runScript, sharedDataRoot } from './lib/cliArgs.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => optionValue(args, name);
const dataRoot = (): string => sharedDataRoot(args);

const FS = 1000;
const WIN_S = 5;
const HOP_S = 0.128; // 128 samples at 1000 Hz
const FIRST_CENTRE_S = 0.128; // frame k covers samples [128k, 128k + 256)
const N_FRAMES = 38;
const LAST_CENTRE_S = FIRST_CENTRE_S + (N_FRAMES - 1) * HOP_S; // 4.864
const BAND_HZ: [number, number] = [20, 200];

interface WindowTruth {
  set: 'circor-val' | 'pcg-real';
  id: string;
  hrBpm: number;
  /** Complete cycles used by the label, [S1 onset, next S1 onset], s from the window start. */
  cycles: Array<[number, number]>;
  /** Every S1 onset of the recording, s from the window start. */
  allOnsetsS: number[];
  /** The window at 1000 Hz (4992 samples are what the spectrogram covers). */
  x: Float32Array;
}

function s1Cycles(segs: readonly Segment[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 4 < segs.length; i++) {
    const g = segs;
    if (g[i]!.state === 1 && g[i + 1]!.state === 2 && g[i + 2]!.state === 3 && g[i + 3]!.state === 4 && g[i + 4]!.state === 1) out.push([g[i]!.startS, g[i + 4]!.startS]);
  }
  return out;
}

const hrOfCycles = (c: ReadonlyArray<readonly [number, number]>): number => 60 / (c.reduce((a, [p, q]) => a + (q - p), 0) / c.length);

/** Windows of one recording, exactly as the study's data/eval build them, with their cycles. */
function recordingTruth(set: WindowTruth['set'], id: string, wavPath: string, tsvPath: string, hopS: number, resampleWhole: boolean): WindowTruth[] {
  const wav = readWav(wavPath);
  const segs = parseSegmentation(readFileSync(tsvPath, 'utf8'), tsvPath);
  const cycles = s1Cycles(segs);
  const onsets = segs.filter((s) => s.state === 1).map((s) => s.startS);
  // circor-split resamples the whole recording then cuts (scripts/pcg-cnn-study.ts); eval cuts then predictRecording resamples
  const whole = resampleWhole && wav.sampleRateHz !== FS ? resample(wav.samples, wav.sampleRateHz, FS) : undefined;
  return annotatedWindows(segs, { durationS: WIN_S, hopS }).map((w) => {
    const end = w.startS + WIN_S;
    const c = cycles.filter(([a, b]) => a >= w.startS && b <= end).map(([a, b]) => [a - w.startS, b - w.startS] as [number, number]);
    const hr = hrOfCycles(c);
    if (Math.abs(hr - w.hrBpm) > 1e-9) throw new Error(`label mismatch in ${id}@${w.startS}: ${hr} vs ${w.hrBpm}`);
    const x = whole ? windowSamples(whole, FS, w, WIN_S) : wav.sampleRateHz === FS ? windowSamples(wav.samples, FS, w, WIN_S) : resample(windowSamples(wav.samples, wav.sampleRateHz, w, WIN_S), wav.sampleRateHz, FS);
    return { set, id: `${id}@${w.startS.toFixed(2)}`, hrBpm: w.hrBpm, cycles: c, allOnsetsS: onsets.map((t) => t - w.startS), x };
  });
}

function circorValidation(splitPath: string): WindowTruth[] {
  const split = JSON.parse(readFileSync(splitPath, 'utf8')) as { testIdx: number[]; valPatients: string[]; ids: string[] };
  const dir = join(dataRoot(), 'circor-train');
  const files = [...new Set(split.testIdx.map((i) => split.ids[i]!.split('@')[0]!))].sort();
  const out = files.flatMap((f) => recordingTruth('circor-val', f, join(dir, f), join(dir, f.replace(/\.wav$/, '.tsv')), WIN_S, true));
  const want = split.testIdx.map((i) => split.ids[i]!);
  const got = out.map((w) => w.id);
  if (want.length !== got.length || want.some((id, i) => id !== got[i])) throw new Error(`circor validation windows differ from split.json (${got.length} vs ${want.length})`);
  return out;
}

function pcgReal(): WindowTruth[] {
  return listSegmentedFolder(join(dataRoot(), 'pcg-real')).flatMap((r) => recordingTruth('pcg-real', r.name, r.wavPath, r.tsvPath, WIN_S, false));
}

/** Nearest centre of a grid of hop g s whose frames (2g long, half overlapping) tile the window. */
const quantiseGrid = (t: number, g: number): number => {
  const n = Math.floor((WIN_S - 2 * g) / g) + 1;
  return g * (1 + Math.min(n - 1, Math.max(0, Math.round(t / g - 1))));
};

const quantise = (t: number): number => FIRST_CENTRE_S + HOP_S * Math.min(N_FRAMES - 1, Math.max(0, Math.round((t - FIRST_CENTRE_S) / HOP_S)));

/** HR from a least-squares slope of (distinct) beat times on beat index. */
function hrSlope(beats: readonly number[]): number {
  const n = beats.length;
  const mi = (n - 1) / 2;
  const mt = beats.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  beats.forEach((t, i) => {
    num += (i - mi) * (t - mt);
    den += (i - mi) ** 2;
  });
  return 60 / (num / den);
}

/** Frame energy of the 20–200 Hz bins, per frame (linear power). */
function bandEnvelope(x: Float32Array): Float64Array {
  const sp = spectrogramBatch(x.subarray(0, 4992), 1, 4992, { sampleRateHz: FS });
  if (sp.nTime !== N_FRAMES) throw new Error(`expected ${N_FRAMES} frames, got ${sp.nTime}`);
  if (Math.abs(sp.timesS[0]! - FIRST_CENTRE_S) > 1e-9) throw new Error(`first frame centre ${sp.timesS[0]} s`);
  const e = new Float64Array(sp.nTime);
  for (let f = 0; f < sp.nFreq; f++) {
    if (sp.freqsHz[f]! < BAND_HZ[0] || sp.freqsHz[f]! > BAND_HZ[1]) continue;
    for (let k = 0; k < sp.nTime; k++) e[k] += sp.data[f * sp.nTime + k]!;
  }
  return e;
}

function searchFrames(onsetS: number): [number, number] {
  const lo = Math.max(0, Math.ceil((onsetS - 0.128 - FIRST_CENTRE_S) / HOP_S - 1e-9));
  const hi = Math.min(N_FRAMES - 1, Math.floor((onsetS + 0.192 - FIRST_CENTRE_S) / HOP_S + 1e-9));
  return [lo, hi];
}

function peakFrame(env: Float64Array, onsetS: number): number {
  const [lo, hi] = searchFrames(onsetS);
  let k = lo;
  for (let j = lo; j <= hi; j++) if (env[j]! > env[k]!) k = j;
  return k;
}

/** Energy centroid of the peak frame and its two neighbours (oracle Bc). */
function centroidTime(env: Float64Array, onsetS: number): number {
  const k = peakFrame(env, onsetS);
  let w = 0;
  let t = 0;
  for (let j = Math.max(0, k - 1); j <= Math.min(N_FRAMES - 1, k + 1); j++) {
    w += env[j]!;
    t += env[j]! * (FIRST_CENTRE_S + j * HOP_S);
  }
  return t / w;
}

/** Sub-frame time of the S1 energy peak near a true onset (oracle B). */
function peakTime(env: Float64Array, onsetS: number): number {
  const k = peakFrame(env, onsetS);
  let d = 0;
  if (k > 0 && k < N_FRAMES - 1) {
    const y0 = Math.log(env[k - 1]! + 1e-30);
    const y1 = Math.log(env[k]! + 1e-30);
    const y2 = Math.log(env[k + 1]! + 1e-30);
    const den = y0 - 2 * y1 + y2;
    if (den < 0) d = Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / den));
  }
  return FIRST_CENTRE_S + (k + d) * HOP_S;
}

interface WindowOracles {
  label: number;
  A: number;
  Als: number;
  B: number;
  Bls: number;
  Bc: number;
  V: number | null;
  S: number;
  N: number;
  Tls: number;
  /** The first or last beat of the label lies within half a hop of the window's edge (outside the frame-centre grid ± 64 ms). */
  edge: boolean;
  /** Within-window SD (ddof 0) of (beat time − true onset) of the frame grid (A) and of the energy peak (B), ms. */
  jitterAMs: number;
  jitterBMs: number;
  /** Oracle A on a finer hypothetical frame grid (centres at g·(k + 1), half-overlapping frames of 2g): 64 and 32 ms. */
  A64: number;
  A32: number;
}

function oracles(w: WindowTruth): WindowOracles {
  const beats = [...new Set(w.cycles.flat())].sort((a, b) => a - b);
  const A = hrOfCycles(w.cycles.map(([a, b]) => [quantise(a), quantise(b)] as [number, number]));
  const Als = hrSlope([...new Set(beats.map(quantise))].sort((a, b) => a - b));
  const env = bandEnvelope(w.x);
  const B = hrOfCycles(w.cycles.map(([a, b]) => [peakTime(env, a), peakTime(env, b)] as [number, number]));
  const Bls = hrSlope(beats.map((t) => peakTime(env, t)));
  const Bc = hrOfCycles(w.cycles.map(([a, b]) => [centroidTime(env, a), centroidTime(env, b)] as [number, number]));
  const Tls = hrSlope(beats);
  const lo = FIRST_CENTRE_S - HOP_S / 2;
  const hi = LAST_CENTRE_S + HOP_S / 2;
  const vis = w.cycles.filter(([a, b]) => a >= lo && b <= hi);
  const V = vis.length > 0 ? hrOfCycles(vis) : null;
  // S: every interval between consecutive S1 onsets that overlaps [0, 5], weighted by its overlap
  let wsum = 0;
  let rrsum = 0;
  for (let i = 0; i + 1 < w.allOnsetsS.length; i++) {
    const a = w.allOnsetsS[i]!;
    const b = w.allOnsetsS[i + 1]!;
    const ov = Math.min(b, WIN_S) - Math.max(a, 0);
    if (ov <= 0 || b - a > 2.5) continue; // skip gaps (unannotated stretches between onsets)
    wsum += ov;
    rrsum += ov * (b - a);
  }
  const S = 60 / (rrsum / wsum);
  const inside = w.allOnsetsS.filter((t) => t >= 0 && t <= WIN_S);
  const N = (60 * (inside.length - 1)) / (inside[inside.length - 1]! - inside[0]!);
  const edge = beats[0]! < lo || beats[beats.length - 1]! > hi;
  const sdMs = (d: number[]): number => {
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    return 1000 * Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / d.length);
  };
  const jitterAMs = sdMs(beats.map((t) => quantise(t) - t));
  const jitterBMs = sdMs(beats.map((t) => peakTime(env, t) - t));
  const A64 = hrOfCycles(w.cycles.map(([a, b]) => [quantiseGrid(a, 0.064), quantiseGrid(b, 0.064)] as [number, number]));
  const A32 = hrOfCycles(w.cycles.map(([a, b]) => [quantiseGrid(a, 0.032), quantiseGrid(b, 0.032)] as [number, number]));
  return { label: w.hrBpm, A, Als, B, Bls, Bc, Tls, V, S, N, edge, jitterAMs, jitterBMs, A64, A32 };
}

interface Summary {
  windows: number;
  [k: string]: number | null;
}

function summarise(rows: WindowOracles[]): Record<string, Summary> {
  const groups: Record<string, WindowOracles[]> = {
    all: rows,
    '≤130': rows.filter((r) => r.label <= 130),
    '>130': rows.filter((r) => r.label > 130),
    'no edge beat': rows.filter((r) => !r.edge),
    'edge beat': rows.filter((r) => r.edge),
  };
  const out: Record<string, Summary> = {};
  for (const [g, rs] of Object.entries(groups)) {
    const s: Summary = { windows: rs.length };
    for (const k of ['A', 'Als', 'B', 'Bls', 'Bc', 'Tls', 'V', 'S', 'N', 'A64', 'A32'] as const) {
      const e = rs.filter((r) => r[k] !== null).map((r) => Math.abs(r[k]! - r.label));
      s[`${k}_mae`] = e.length ? Number((e.reduce((a, b) => a + b, 0) / e.length).toFixed(3)) : null;
      const sorted = [...e].sort((a, b) => a - b);
      s[`${k}_p90`] = sorted.length ? Number(sorted[Math.floor(0.9 * (sorted.length - 1))]!.toFixed(2)) : null;
    }
    const med = (x: number[]): number => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
    s.jitterA_median_ms = Number(med(rs.map((r) => r.jitterAMs)).toFixed(1));
    s.jitterB_median_ms = Number(med(rs.map((r) => r.jitterBMs)).toFixed(1));
    out[g] = s;
  }
  return out;
}

await runScript('pcg-cnn-floor', () => {
  const split = opt('split') ?? '/tmp/cnnw/circor-h1/split.json';
  const sets = { 'circor-val': circorValidation(split), 'pcg-real': pcgReal() };
  const result: Record<string, unknown> = {};
  const perWindow: Record<string, Array<WindowOracles & { id: string }>> = {};
  for (const [name, wins] of Object.entries(sets)) {
    const rows = wins.map((w) => ({ id: w.id, ...oracles(w) }));
    perWindow[name] = rows;
    result[name] = summarise(rows);
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (opt('json')) writeFileSync(opt('json')!, JSON.stringify({ summary: result, windows: perWindow }) + '\n');
});
