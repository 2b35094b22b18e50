/**
 * Node-side chart rendering: vega-lite spec → vega → SVG (headless, renderer 'none') → PNG with
 * @resvg/resvg-js, using only the DejaVu fonts shipped in `dejavu-fonts-ttf` (no system fonts),
 * so the PNG bytes are the same on every machine.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { CHART_FONT, withConfig, type VlSpec } from './theme.js';

/** Options of {@link renderChart}. */
export interface RenderOptions {
  /** PNG pixels per SVG pixel (default 2, i.e. a 640 px plot becomes 1280 px wide). */
  pngScale?: number;
}

/** A rendered chart. */
export interface RenderedChart {
  /** Standalone SVG document. */
  svg: string;
  /** PNG file bytes. */
  png: Uint8Array;
  /** PNG size in pixels. */
  widthPx: number;
  heightPx: number;
  /** Warnings from vega-lite/vega (empty when the spec is clean). */
  warnings: string[];
}

let fontFiles: string[] | null = null;

/** Paths of the shipped DejaVu Sans TTF files (regular, bold, oblique, bold oblique). */
export function shippedFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) => join(dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`report: shipped font files are missing: ${missing.join(', ')}`);
  fontFiles = files;
  return files;
}

function collectingLogger(warnings: string[]): unknown {
  let level = 2; // vega.Warn
  const push = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...a: unknown[]) => {
      push(...a);
      return logger;
    },
    warn: (...a: unknown[]) => {
      push(...a);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Renumber vega's generated ids (clip paths, gradients, patterns), which come from process-wide
 * counters, in order of first appearance, so the same chart always gives the same SVG bytes.
 */
export function normalizeSvgIds(svg: string): string {
  const map = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const m of svg.matchAll(/\sid="((clip|gradient_|gradient|pattern_|pattern)\d+)"/g)) {
    const [, id, prefix] = m as unknown as [string, string, string];
    if (map.has(id)) continue;
    const k = counters.get(prefix) ?? 0;
    counters.set(prefix, k + 1);
    map.set(id, `${prefix}${k}`);
  }
  if (map.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)((?:clip|gradient_|gradient|pattern_|pattern)\d+)(?=[")])/g, (all, pre: string, id: string) => {
    const to = map.get(id);
    return to ? `${pre}${to}` : all;
  });
}

/** Compile a vega-lite chart body (config is added here) and render it to an SVG string. */
export async function renderSvg(body: VlSpec, warnings: string[] = []): Promise<string> {
  const logger = collectingLogger(warnings);
  const vgSpec = compile(withConfig(body) as never, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger: logger as never });
  try {
    return normalizeSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Rasterise an SVG string to PNG bytes with the shipped font. */
export function svgToPng(svg: string, pngScale = 2): { png: Uint8Array; widthPx: number; heightPx: number } {
  if (!(pngScale > 0)) throw new RangeError(`svgToPng: pngScale must be > 0, got ${pngScale}`);
  const resvg = new Resvg(svg, {
    font: { fontFiles: shippedFontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: 'zoom', value: pngScale },
    background: 'white',
  });
  const img = resvg.render();
  const png = new Uint8Array(img.asPng());
  return { png, widthPx: img.width, heightPx: img.height };
}

/** Render a chart body to SVG and PNG. */
export async function renderChart(body: VlSpec, opts: RenderOptions = {}): Promise<RenderedChart> {
  const warnings: string[] = [];
  const svg = await renderSvg(body, warnings);
  const { png, widthPx, heightPx } = svgToPng(svg, opts.pngScale ?? 2);
  return { svg, png, widthPx, heightPx, warnings };
}
