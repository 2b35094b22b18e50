// AudioWorklet processor: forwards the first input channel to the page in blocks of ~2048 frames.
// Plain JS (loaded by audioWorklet.addModule as is). Nothing is sent anywhere but the page.
class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(2048);
    this.at = 0;
  }
  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) {
      const ch = input[0];
      for (let i = 0; i < ch.length; i++) {
        let v = 0;
        for (let c = 0; c < input.length; c++) v += input[c][i];
        this.block[this.at++] = v / input.length;
        if (this.at === this.block.length) {
          this.port.postMessage(this.block, [this.block.buffer]);
          this.block = new Float32Array(2048);
          this.at = 0;
        }
      }
    }
    return true;
  }
}
registerProcessor('capture-processor', CaptureProcessor);
