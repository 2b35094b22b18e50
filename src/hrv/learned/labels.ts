/**
 * Per-frame state labels from a segmentation (browser-safe): frame k gets the state of the
 * segment containing its centre time (k + 0.5) / frameRateHz; 0 (unknown) outside every segment.
 */
import type { Segment } from '../validate/segmentation.js';

export function frameLabels(segments: readonly Segment[], nFrames: number, frameRateHz: number): Uint8Array {
  const out = new Uint8Array(nFrames);
  let j = 0;
  for (let k = 0; k < nFrames; k++) {
    const t = (k + 0.5) / frameRateHz;
    while (j < segments.length && segments[j]!.endS <= t) j++;
    if (j >= segments.length) break;
    const s = segments[j]!;
    if (t >= s.startS) out[k] = s.state;
  }
  return out;
}
