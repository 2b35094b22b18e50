/** RR tachogram (RR against time) and Poincaré plot (RRₙ₊₁ against RRₙ), drawn on canvases. */
import { COLOURS, prepareCanvas, tickStep } from './canvasSetup.js';

/** Place each cleaned interval at the time of its second beat (intervals follow the beats in order). */
export function rrPoints(beatTimesS: readonly number[], rrS: readonly number[]): { tS: number; rrMs: number }[] {
  const out: { tS: number; rrMs: number }[] = [];
  let b = 0;
  for (const rr of rrS) {
    while (b + 1 < beatTimesS.length && Math.abs(beatTimesS[b + 1]! - beatTimesS[b]! - rr) > 1e-6) b++;
    if (b + 1 >= beatTimesS.length) break;
    out.push({ tS: beatTimesS[b + 1]!, rrMs: rr * 1000 });
    b++;
  }
  return out;
}

function axes(ctx: CanvasRenderingContext2D, w: number, h: number, pad: number, x: [number, number], y: [number, number], xUnit: string, yUnit: string): void {
  ctx.strokeStyle = COLOURS.grid;
  ctx.fillStyle = COLOURS.axis;
  ctx.font = '11px system-ui, sans-serif';
  const xs = tickStep(x[1] - x[0], 5);
  for (let v = Math.ceil(x[0] / xs) * xs; v <= x[1]; v += xs) {
    const px = pad + ((v - x[0]) / (x[1] - x[0])) * (w - pad - 8);
    ctx.beginPath();
    ctx.moveTo(px, 6);
    ctx.lineTo(px, h - pad);
    ctx.stroke();
    ctx.fillText(`${+v.toFixed(2)}`, px - 8, h - pad + 13);
  }
  const ys = tickStep(y[1] - y[0], 4);
  for (let v = Math.ceil(y[0] / ys) * ys; v <= y[1]; v += ys) {
    const py = h - pad - ((v - y[0]) / (y[1] - y[0])) * (h - pad - 6);
    ctx.beginPath();
    ctx.moveTo(pad, py);
    ctx.lineTo(w - 8, py);
    ctx.stroke();
    ctx.fillText(`${+v.toFixed(0)}`, 2, py + 4);
  }
  ctx.fillText(xUnit, w - 8 - ctx.measureText(xUnit).width, h - 2);
  ctx.fillText(yUnit, pad + 2, 12);
}

function range(values: number[], minSpan: number): [number, number] {
  if (values.length === 0) return [0, minSpan];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < minSpan) {
    const c = (hi + lo) / 2;
    lo = c - minSpan / 2;
    hi = c + minSpan / 2;
  }
  const m = (hi - lo) * 0.08;
  return [lo - m, hi + m];
}

export function drawTachogram(canvas: HTMLCanvasElement, beatTimesS: readonly number[], rrS: readonly number[]): void {
  const { ctx, width, height } = prepareCanvas(canvas);
  const pts = rrPoints(beatTimesS, rrS);
  const pad = 34;
  const x = range(pts.map((p) => p.tS), 1);
  const y = range(pts.map((p) => p.rrMs), 100);
  axes(ctx, width, height, pad, x, y, 's', 'RR ms');
  const px = (t: number): number => pad + ((t - x[0]) / (x[1] - x[0])) * (width - pad - 8);
  const py = (v: number): number => height - pad - ((v - y[0]) / (y[1] - y[0])) * (height - pad - 6);
  ctx.strokeStyle = COLOURS.s1;
  ctx.fillStyle = COLOURS.s1;
  ctx.beginPath();
  pts.forEach((p, i) => (i === 0 ? ctx.moveTo(px(p.tS), py(p.rrMs)) : ctx.lineTo(px(p.tS), py(p.rrMs))));
  ctx.stroke();
  for (const p of pts) ctx.fillRect(px(p.tS) - 2, py(p.rrMs) - 2, 4, 4);
}

export function drawPoincare(canvas: HTMLCanvasElement, rrS: readonly number[]): void {
  const { ctx, width, height } = prepareCanvas(canvas);
  const ms = rrS.map((r) => r * 1000);
  const pad = 34;
  const r = range(ms, 100);
  axes(ctx, width, height, pad, r, r, 'RRₙ ms', 'RRₙ₊₁ ms');
  const px = (v: number): number => pad + ((v - r[0]) / (r[1] - r[0])) * (width - pad - 8);
  const py = (v: number): number => height - pad - ((v - r[0]) / (r[1] - r[0])) * (height - pad - 6);
  ctx.strokeStyle = COLOURS.axis;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(px(r[0]), py(r[0]));
  ctx.lineTo(px(r[1]), py(r[1]));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = COLOURS.s2;
  for (let i = 0; i + 1 < ms.length; i++) {
    ctx.beginPath();
    ctx.arc(px(ms[i]!), py(ms[i + 1]!), 3, 0, 2 * Math.PI);
    ctx.fill();
  }
}
