/**
 * Shared look of every chart: the shipped DejaVu Sans font, sizes and colours. Browser-safe.
 */

/** Font family used in every chart; the PNG renderer loads the TTF from `dejavu-fonts-ttf`. */
export const CHART_FONT = 'DejaVu Sans';

/** Default plot-area width in CSS pixels (before the PNG scale factor). */
export const CHART_WIDTH_PX = 640;
/** Default plot-area height in CSS pixels. */
export const CHART_HEIGHT_PX = 240;

/** Colours: CNN, classical estimator, truth/reference, accent, validation. */
export const COLORS = {
  signal: '#1f77b4',
  truth: '#d62728',
  cnn: '#1f77b4',
  classical: '#ff7f0e',
  learned: '#2ca02c',
  validation: '#ff7f0e',
  train: '#1f77b4',
  envelope: '#ff7f0e',
  detected: '#d62728',
  annotated: '#2ca02c',
  reference: '#555555',
} as const;

/** A vega-lite `config` block with the shipped font and readable sizes. */
export function chartConfig(): Record<string, unknown> {
  return {
    font: CHART_FONT,
    background: 'white',
    padding: 8,
    title: { fontSize: 14, font: CHART_FONT, fontWeight: 'normal', anchor: 'start', offset: 8 },
    axis: {
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 'normal',
      labelFont: CHART_FONT,
      titleFont: CHART_FONT,
      grid: true,
      gridColor: '#e6e6e6',
      tickCount: 8,
    },
    legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelFont: CHART_FONT, titleFont: CHART_FONT },
    header: { labelFont: CHART_FONT, titleFont: CHART_FONT, labelFontSize: 12 },
    text: { font: CHART_FONT },
    view: { stroke: '#cccccc' },
    concat: { spacing: 24 },
  };
}

/** Vega-lite top-level spec type, loosely typed (the report builds plain JSON). */
export type VlSpec = Record<string, unknown>;

/** Wrap a chart body with the schema and the shared config. */
export function withConfig(body: VlSpec): VlSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...body, config: chartConfig() };
}
