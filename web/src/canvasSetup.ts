/** Size a canvas for the device pixel ratio; returns its 2D context scaled to CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, canvas.clientWidth);
  const height = Math.max(1, canvas.clientHeight);
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/** Colours shared by the plots (readable on light backgrounds, distinct for colour-blind eyes). */
export const COLOURS = {
  wave: '#1f3b57',
  s1: '#d62728',
  s2: '#1f77b4',
  axis: '#555',
  grid: '#e3e3e3',
  states: ['#d62728', '#f2b134', '#1f77b4', '#9ecae1'] as const,
};

/** Round tick step for a span (1, 2, 5 × 10^k). */
export function tickStep(span: number, maxTicks: number): number {
  const raw = span / Math.max(1, maxTicks);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
