/**
 * The waveform with the detected S1 (red) and S2 (blue) marks and, for the learned method, a band
 * of the most likely heart-sound state. Zoom (wheel, +/−, buttons) and pan (drag, arrow keys).
 */
import { COLOURS, prepareCanvas, tickStep } from './canvasSetup.js';

export interface WaveformMarks {
  beatTimesS: readonly number[];
  s2TimesS?: readonly number[];
  states?: { frameRateHz: number; posteriors: Float32Array };
}

const AXIS_PX = 18;
const STATE_BAND_PX = 10;

export class WaveformView {
  private samples: Float32Array = new Float32Array(0);
  private rateHz = 1;
  private marks: WaveformMarks = { beatTimesS: [] };
  private t0 = 0;
  private t1 = 1;
  /** Called after the visible range changes. */
  onRangeChange: ((t0S: number, t1S: number) => void) | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const at = this.t0 + ((e.clientX - rect.left) / rect.width) * (this.t1 - this.t0);
      this.zoom(e.deltaY < 0 ? 0.8 : 1.25, at);
    }, { passive: false });
    let dragX: number | null = null;
    canvas.addEventListener('pointerdown', (e) => {
      dragX = e.clientX;
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (dragX === null) return;
      const dS = ((dragX - e.clientX) / canvas.clientWidth) * (this.t1 - this.t0);
      dragX = e.clientX;
      this.pan(dS);
    });
    canvas.addEventListener('pointerup', () => (dragX = null));
    canvas.addEventListener('keydown', (e) => {
      const span = this.t1 - this.t0;
      const handled: Record<string, () => void> = {
        ArrowLeft: () => this.pan(-0.2 * span),
        ArrowRight: () => this.pan(0.2 * span),
        '+': () => this.zoom(0.5),
        '=': () => this.zoom(0.5),
        '-': () => this.zoom(2),
        Home: () => this.reset(),
      };
      const f = handled[e.key];
      if (f) {
        e.preventDefault();
        f();
      }
    });
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  get durationS(): number {
    return this.samples.length / this.rateHz;
  }

  get visibleRange(): [number, number] {
    return [this.t0, this.t1];
  }

  /** Show a recording; `keepRange` keeps the visible span (live view). */
  setData(samples: Float32Array, rateHz: number, marks: WaveformMarks, keepRange = false): void {
    this.samples = samples;
    this.rateHz = rateHz;
    this.marks = marks;
    if (!keepRange) {
      this.t0 = 0;
      this.t1 = Math.max(this.durationS, 1e-3);
    }
    this.draw();
  }

  /** Show the last `spanS` seconds (live view). */
  showTail(spanS: number): void {
    this.t1 = Math.max(this.durationS, spanS);
    this.t0 = this.t1 - spanS;
    this.draw();
  }

  reset(): void {
    this.setRange(0, this.durationS);
  }

  zoom(factor: number, centreS = (this.t0 + this.t1) / 2): void {
    const span = Math.min(this.durationS, Math.max(0.05, (this.t1 - this.t0) * factor));
    const frac = (centreS - this.t0) / (this.t1 - this.t0 || 1);
    this.setRange(centreS - frac * span, centreS - frac * span + span);
  }

  pan(deltaS: number): void {
    this.setRange(this.t0 + deltaS, this.t1 + deltaS);
  }

  private setRange(t0: number, t1: number): void {
    const span = Math.min(t1 - t0, this.durationS || t1 - t0);
    let a = Math.max(0, t0);
    if (a + span > this.durationS) a = Math.max(0, this.durationS - span);
    this.t0 = a;
    this.t1 = a + span;
    this.draw();
    this.onRangeChange?.(this.t0, this.t1);
  }

  draw(): void {
    const { ctx, width, height } = prepareCanvas(this.canvas);
    const band = this.marks.states ? STATE_BAND_PX : 0;
    const plotH = height - AXIS_PX - band;
    const span = this.t1 - this.t0 || 1;
    const xOf = (t: number): number => ((t - this.t0) / span) * width;
    // grid and time axis
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = COLOURS.axis;
    ctx.strokeStyle = COLOURS.grid;
    const step = tickStep(span, Math.max(2, Math.floor(width / 70)));
    for (let t = Math.ceil(this.t0 / step) * step; t <= this.t1; t += step) {
      const x = xOf(t);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, plotH);
      ctx.stroke();
      ctx.fillText(`${+t.toFixed(3)} s`, x + 2, height - 5);
    }
    if (this.samples.length === 0) return;
    // min/max per pixel column, scaled to the peak of the visible stretch
    const i0 = Math.max(0, Math.floor(this.t0 * this.rateHz));
    const i1 = Math.min(this.samples.length, Math.ceil(this.t1 * this.rateHz));
    let peak = 1e-9;
    for (let i = i0; i < i1; i++) peak = Math.max(peak, Math.abs(this.samples[i]!));
    const mid = plotH / 2;
    const yScale = (plotH / 2 - 2) / peak;
    ctx.strokeStyle = COLOURS.wave;
    ctx.beginPath();
    const perPx = (i1 - i0) / width;
    for (let px = 0; px < width; px++) {
      const a = i0 + Math.floor(px * perPx);
      const b = Math.min(i1, Math.max(a + 1, i0 + Math.floor((px + 1) * perPx)));
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a; i < b; i++) {
        const v = this.samples[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo === Infinity) continue;
      ctx.moveTo(px + 0.5, mid - hi * yScale);
      ctx.lineTo(px + 0.5, mid - lo * yScale + 1);
    }
    ctx.stroke();
    // beat marks
    const mark = (times: readonly number[] | undefined, colour: string, label: string): void => {
      if (!times) return;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1.5;
      for (const t of times) {
        if (t < this.t0 || t > this.t1) continue;
        const x = xOf(t);
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, plotH);
        ctx.stroke();
        if (span < 20) ctx.fillText(label, x + 2, 11);
      }
      ctx.lineWidth = 1;
    };
    mark(this.marks.s2TimesS, COLOURS.s2, 'S2');
    mark(this.marks.beatTimesS, COLOURS.s1, 'S1');
    // state band: argmax of the posteriors per frame
    const st = this.marks.states;
    if (st) {
      const nFrames = Math.floor(st.posteriors.length / 4);
      for (let px = 0; px < width; px++) {
        const f = Math.floor((this.t0 + (px / width) * span) * st.frameRateHz);
        if (f < 0 || f >= nFrames) continue;
        let best = 0;
        for (let k = 1; k < 4; k++) if (st.posteriors[f * 4 + k]! > st.posteriors[f * 4 + best]!) best = k;
        ctx.fillStyle = COLOURS.states[best]!;
        ctx.fillRect(px, plotH, 1, band);
      }
    }
  }
}
