/**
 * Continuous colour maps as 256-entry lookup tables, taken from vega's own schemes so an image
 * coloured here matches the gradient legend vega draws for the same scheme. Browser-safe.
 */
import { scheme } from 'vega';

const cache = new Map<string, Uint8Array>();

function parseColor(css: string): [number, number, number] {
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  throw new Error(`colormap: cannot parse colour '${css}'`);
}

/**
 * A 256 × RGB lookup table for a vega continuous scheme (e.g. 'viridis', 'magma', 'blues').
 * @throws Error for an unknown or non-continuous scheme name
 */
export function colormapTable(name = 'viridis'): Uint8Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const interp = scheme(name) as unknown;
  if (typeof interp !== 'function') throw new Error(`colormap: '${name}' is not a continuous vega scheme`);
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = parseColor(String((interp as (t: number) => string)(i / 255)));
    table[i * 3] = Math.round(r);
    table[i * 3 + 1] = Math.round(g);
    table[i * 3 + 2] = Math.round(b);
  }
  cache.set(name, table);
  return table;
}

/**
 * Map values to RGB bytes: `lo` → first colour, `hi` → last colour, clamped; NaN → grey.
 * @returns Uint8Array of length 3 × values.length
 */
export function applyColormap(values: ArrayLike<number>, lo: number, hi: number, name = 'viridis'): Uint8Array {
  const table = colormapTable(name);
  const out = new Uint8Array(values.length * 3);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = 128;
      continue;
    }
    const k = Math.max(0, Math.min(255, Math.round(((v - lo) / span) * 255)));
    out[i * 3] = table[k * 3]!;
    out[i * 3 + 1] = table[k * 3 + 1]!;
    out[i * 3 + 2] = table[k * 3 + 2]!;
  }
  return out;
}
