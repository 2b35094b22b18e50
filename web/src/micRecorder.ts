/**
 * Microphone capture: getUserMedia → AudioWorklet (public/capture-worklet.js) → the library's
 * streaming resampler → mono samples at the analysis rate (4000 Hz), kept in memory only.
 */
import { createResampler, ANALYSIS_RATE_HZ, type StreamResampler } from '../../src/dsp/resample.js';

export class MicRecorder {
  readonly rateHz = ANALYSIS_RATE_HZ;
  private chunks: Float32Array[] = [];
  private length = 0;
  private ctx: AudioContext | undefined;
  private stream: MediaStream | undefined;
  private resampler: StreamResampler | undefined;
  inputRateHz = 0;

  get durationS(): number {
    return this.length / this.rateHz;
  }

  async start(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser offers no microphone access here (a secure context, https or localhost, is needed)');
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
    });
    this.ctx = new AudioContext();
    this.inputRateHz = this.ctx.sampleRate;
    this.resampler = createResampler(Math.round(this.ctx.sampleRate), this.rateHz);
    await this.ctx.audioWorklet.addModule(new URL('capture-worklet.js', document.baseURI).href);
    const source = this.ctx.createMediaStreamSource(this.stream);
    const node = new AudioWorkletNode(this.ctx, 'capture-processor', { numberOfInputs: 1, numberOfOutputs: 0 });
    node.port.onmessage = (e: MessageEvent<Float32Array>): void => {
      if (this.resampler) this.append(this.resampler.push(e.data)); // blocks arriving after Stop are dropped
    };
    source.connect(node);
    this.chunks = [];
    this.length = 0;
  }

  private append(block: Float32Array): void {
    if (block.length === 0) return;
    this.chunks.push(block);
    this.length += block.length;
  }

  /** The whole recording so far, one array. */
  samples(): Float32Array {
    const out = new Float32Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [out];
    return out;
  }

  /** The last `seconds` of the recording. */
  tail(seconds: number): Float32Array {
    const all = this.samples();
    return all.subarray(Math.max(0, all.length - Math.round(seconds * this.rateHz)));
  }

  /** Stop capturing; returns the whole recording. */
  async stop(): Promise<Float32Array> {
    this.stream?.getTracks().forEach((t) => t.stop());
    await this.ctx?.close();
    if (this.resampler) this.append(this.resampler.flush());
    this.resampler = undefined;
    return this.samples();
  }
}
