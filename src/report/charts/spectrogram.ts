/**
 * The seed's spectrogram plot (time vs frequency, intensity in dB, colour bar), drawn as one
 * vega-lite image mark holding a PNG encoded here (one pixel per time–frequency bin; the
 * renderer smooths it when scaling, much like the seed's `shading='gouraud'`) plus a gradient
 * legend of the same colour scheme. Browser-safe.
 */
import { applyColormap } from '../colormap.js';
import { encodePng, pngDataUri, type ZlibDeflate } from '../png.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX, type VlSpec } from '../theme.js';

/** Input of {@link spectrogramChart}. */
export interface SpectrogramChartInput {
  /** Power values, row-major [nFreq][nTime] (e.g. `spectrogram(...).sxx`); linear units unless `isDb`. */
  sxx: ArrayLike<number>;
  nFreq: number;
  nTime: number;
  /** Bin centre frequencies in Hz (length nFreq, increasing). */
  freqsHz: ArrayLike<number>;
  /** Segment centre times in seconds (length nTime, increasing). */
  timesS: ArrayLike<number>;
  /** True when `sxx` already holds dB values (default false: converted with 10·log10). */
  isDb?: boolean;
  /** Colour range below the maximum, in dB (default 100): lower values are drawn at the bottom colour. */
  dynamicRangeDb?: number;
  /** Vega continuous scheme (default 'viridis'). */
  scheme?: string;
  /** Show only bins up to this frequency in Hz (default: all). */
  maxFreqHz?: number;
  /** Title (default 'Spectrogram'). */
  title?: string;
  /** zlib compressor for the embedded PNG (Node: `zlib.deflateSync`); default stores it uncompressed. */
  deflate?: ZlibDeflate;
  widthPx?: number;
  heightPx?: number;
}

/** 10·log10 of power values with a floor of 1e-30 (so zeros give −300 dB, not −∞). */
export function powerToDb(sxx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(sxx.length);
  for (let i = 0; i < sxx.length; i++) out[i] = 10 * Math.log10(Math.max(sxx[i]!, 1e-30));
  return out;
}

function binEdges(centres: ArrayLike<number>): [number, number] {
  const n = centres.length;
  if (n === 1) return [centres[0]! - 0.5, centres[0]! + 0.5];
  const first = centres[0]! - (centres[1]! - centres[0]!) / 2;
  const last = centres[n - 1]! + (centres[n - 1]! - centres[n - 2]!) / 2;
  return [first, last];
}

/** The colour range [lo, hi] in dB used for the image and legend. */
export function dbRange(db: ArrayLike<number>, dynamicRangeDb = 100): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < db.length; i++) {
    const v = db[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  lo = Math.max(lo, hi - dynamicRangeDb);
  if (hi - lo < 1e-9) hi = lo + 1;
  return [lo, hi];
}

/** Vega-lite spec (without config) of a spectrogram in dB with a colour bar. */
export function spectrogramChart(input: SpectrogramChartInput): VlSpec {
  const { nTime } = input;
  let nFreq = input.nFreq;
  if (nFreq < 1 || nTime < 1 || input.sxx.length !== nFreq * nTime) {
    throw new RangeError(`spectrogramChart: sxx has ${input.sxx.length} values, expected nFreq×nTime = ${nFreq}×${nTime}`);
  }
  if (input.freqsHz.length !== nFreq || input.timesS.length !== nTime) {
    throw new RangeError('spectrogramChart: freqsHz/timesS lengths must equal nFreq/nTime');
  }
  if (input.maxFreqHz !== undefined) {
    let keep = 0;
    while (keep < nFreq && input.freqsHz[keep]! <= input.maxFreqHz) keep++;
    nFreq = Math.max(1, keep);
  }
  const freqsHz = Array.from(input.freqsHz).slice(0, nFreq);
  const sxx = Array.prototype.slice.call(input.sxx, 0, nFreq * nTime) as number[];
  const db = input.isDb ? Float64Array.from(sxx) : powerToDb(sxx);
  const [lo, hi] = dbRange(db, input.dynamicRangeDb ?? 100);
  const scheme = input.scheme ?? 'viridis';
  // image row 0 = highest frequency
  const flipped = new Float64Array(nFreq * nTime);
  for (let f = 0; f < nFreq; f++) flipped.set(db.subarray(f * nTime, (f + 1) * nTime), (nFreq - 1 - f) * nTime);
  const png = encodePng(applyColormap(flipped, lo, hi, scheme), nTime, nFreq, 3, input.deflate);
  const [t0, t1] = binEdges(input.timesS);
  const [f0, f1] = binEdges(freqsHz);
  const width = input.widthPx ?? CHART_WIDTH_PX;
  const height = input.heightPx ?? CHART_HEIGHT_PX + 60;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    title: input.title ?? 'Spectrogram',
    width,
    height,
    layer: [
      {
        data: { values: [{ url: pngDataUri(png) }] },
        mark: { type: 'image', aspect: false, width, height, align: 'left', baseline: 'top', aria: false },
        encoding: { x: { value: 0 }, y: { value: 0 }, url: { field: 'url', type: 'nominal' } },
      },
      {
        // invisible corner points: they carry the axes and the colour bar
        data: {
          values: [
            { tS: round(t0), fHz: round(f0), db: lo },
            { tS: round(t1), fHz: round(f1), db: hi },
          ],
        },
        mark: { type: 'point', opacity: 0 },
        encoding: {
          x: { field: 'tS', type: 'quantitative', title: 'Time [s]', scale: { domain: [round(t0), round(t1)], nice: false, zero: false } },
          y: { field: 'fHz', type: 'quantitative', title: 'Frequency [Hz]', scale: { domain: [round(f0), round(f1)], nice: false, zero: false } },
          color: {
            field: 'db',
            type: 'quantitative',
            title: 'Intensity [dB]',
            scale: { scheme, domain: [lo, hi], nice: false },
            legend: { gradientLength: height, format: '.0f', tickCount: 6 },
          },
        },
      },
    ],
  };
}
