/** Play a stretch of a recording through Web Audio (resampled by the library when the rate is below what AudioBuffer accepts). */
import { resample } from '../../src/dsp/resample.js';

const MIN_BUFFER_RATE_HZ = 8000;
let current: { ctx: AudioContext; source: AudioBufferSourceNode } | undefined;

export function stopPlayback(): void {
  current?.source.stop();
  void current?.ctx.close();
  current = undefined;
}

export function playStretch(samples: Float32Array, rateHz: number, t0S: number, t1S: number, onEnded: () => void): void {
  stopPlayback();
  let x = samples.subarray(Math.max(0, Math.floor(t0S * rateHz)), Math.min(samples.length, Math.ceil(t1S * rateHz)));
  let rate = rateHz;
  if (rate < MIN_BUFFER_RATE_HZ && Number.isInteger(rate)) {
    x = resample(x, rate, MIN_BUFFER_RATE_HZ);
    rate = MIN_BUFFER_RATE_HZ;
  }
  if (x.length === 0) return;
  let peak = 1e-9;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const ctx = new AudioContext();
  const buffer = ctx.createBuffer(1, x.length, rate);
  buffer.copyToChannel(x.map((v) => (0.9 * v) / peak), 0);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  source.onended = (): void => {
    if (current?.source === source) stopPlayback();
    onEnded();
  };
  source.start();
  current = { ctx, source };
}
