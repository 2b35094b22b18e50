/**
 * Live heart rate while recording: once a second (after the first 5 s) the last LIVE_WINDOW_S of
 * the recording go to a Web Worker running the library's estimate; a request is skipped while the
 * previous one is still running, so the UI never queues work.
 */
import { AnalysisClient } from './analysisClient.js';
import type { PageMethod, PageResult } from './estimator.js';
import type { MicRecorder } from './micRecorder.js';

export const LIVE_WINDOW_S = 10;
export const LIVE_FIRST_S = 5;
export const LIVE_PERIOD_MS = 1000;

export interface LiveUpdate {
  result: PageResult;
  /** Start of the analysed window in the recording, s. */
  offsetS: number;
  windowS: number;
}

export class LiveAnalysis {
  private readonly client = new AnalysisClient();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly mic: MicRecorder,
    private readonly method: () => PageMethod,
    private readonly onUpdate: (u: LiveUpdate) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), LIVE_PERIOD_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const durationS = this.mic.durationS;
    if (durationS < LIVE_FIRST_S || this.client.busy) return;
    const x = this.mic.tail(LIVE_WINDOW_S);
    const windowS = x.length / this.mic.rateHz;
    const offsetS = durationS - windowS;
    this.client
      .analyse(x, this.mic.rateHz, { method: this.method() })
      .then(({ result }) => {
        if (this.timer !== undefined) this.onUpdate({ result, offsetS, windowS });
      })
      .catch(() => undefined); // a window the library refuses (too short, silent) leaves the last numbers in place
  }
}
