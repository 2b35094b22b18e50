/** The page: wires the file input, the microphone, the analysis worker and the views. */
import { ANALYSIS_WORKER_URL, AnalysisClient } from './analysisClient.js';
import { enableOffline } from './offline.js';
import { decodeRecording, type DecodedRecording } from './decodeRecording.js';
import { download, resultCsv, resultJson, wavBytes, windowsCsv, type SourceInfo } from './downloads.js';
import { AVAILABLE_METHODS, type PageMethod, type PageResult } from './estimator.js';
import { LiveAnalysis } from './liveAnalysis.js';
import { MicRecorder } from './micRecorder.js';
import { playStretch, stopPlayback } from './playback.js';
import { clearResult, showHeadline, showResult } from './resultsView.js';
import { drawPoincare, drawTachogram } from './rrPlots.js';
import { WaveformView } from './waveformView.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const WINDOW_S = 10;
const HOP_S = 5;

const client = new AnalysisClient();
const wave = new WaveformView($<HTMLCanvasElement>('waveform'));
const methodSelect = $<HTMLSelectElement>('method');
for (const option of Array.from(methodSelect.options)) {
  if (!AVAILABLE_METHODS.includes(option.value as PageMethod)) {
    option.disabled = true;
    option.textContent += ' (not in this build)';
  }
}

let recording: { samples: Float32Array; sampleRateHz: number; source: SourceInfo } | undefined;
let lastResult: PageResult | undefined;

function setStatus(text: string): void {
  $('status').textContent = text;
}

function enableDownloads(on: boolean, wav: boolean): void {
  for (const id of ['dl-json', 'dl-csv', 'dl-windows']) $<HTMLButtonElement>(id).disabled = !on;
  $<HTMLButtonElement>('dl-wav').disabled = !wav;
  $<HTMLButtonElement>('play').disabled = !recording;
}

function drawRr(r: PageResult): void {
  drawTachogram($<HTMLCanvasElement>('tachogram'), r.beatTimesS, r.rrS);
  drawPoincare($<HTMLCanvasElement>('poincare'), r.rrS);
}

/** Full analysis of the current recording. */
async function analyseRecording(): Promise<void> {
  if (!recording) return;
  setStatus('analysing');
  $('timing').textContent = '';
  try {
    const method = methodSelect.value as PageMethod;
    const { result, elapsedMs } = await client.analyse(recording.samples, recording.sampleRateHz, { method, windowS: WINDOW_S, hopS: HOP_S });
    lastResult = result;
    const s = recording.source;
    showResult(result, `${s.name}: ${s.format}, ${s.channels} channel${s.channels === 1 ? '' : 's'}, ${s.sampleRateHz} Hz, ${result.durationS.toFixed(1)} s`);
    wave.setData(recording.samples, recording.sampleRateHz, { beatTimesS: result.beatTimesS, ...(result.s2TimesS ? { s2TimesS: result.s2TimesS } : {}), ...(result.states ? { states: result.states } : {}) });
    drawRr(result);
    $('timing').textContent = `(analysed in ${elapsedMs.toFixed(0)} ms)`;
    $('timing').dataset['elapsedMs'] = elapsedMs.toFixed(1);
    enableDownloads(true, true);
    setStatus('done');
  } catch (err) {
    setStatus(`error: ${(err as Error).message}`);
  }
}

async function openFile(file: File): Promise<void> {
  stopPlayback();
  setStatus('decoding');
  try {
    const d: DecodedRecording = await decodeRecording(file.name, await file.arrayBuffer());
    recording = { samples: d.samples, sampleRateHz: d.sampleRateHz, source: { name: d.name, format: d.format, channels: d.channels, sampleRateHz: d.sampleRateHz } };
  } catch (err) {
    setStatus(`error: ${(err as Error).message}`);
    return;
  }
  await analyseRecording();
}

// file pick and drop
const fileInput = $<HTMLInputElement>('file-input');
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f) void openFile(f);
});
const drop = $('drop-zone');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) void openFile(f);
});
methodSelect.addEventListener('change', () => void analyseRecording());

// waveform controls
$('zoom-in').addEventListener('click', () => wave.zoom(0.5));
$('zoom-out').addEventListener('click', () => wave.zoom(2));
$('pan-left').addEventListener('click', () => wave.pan(-0.25 * (wave.visibleRange[1] - wave.visibleRange[0])));
$('pan-right').addEventListener('click', () => wave.pan(0.25 * (wave.visibleRange[1] - wave.visibleRange[0])));
$('zoom-reset').addEventListener('click', () => wave.reset());
$('play').addEventListener('click', () => {
  if (!recording) return;
  const [t0, t1] = wave.visibleRange;
  playStretch(recording.samples, recording.sampleRateHz, t0, t1, () => undefined);
});

// downloads
const base = (): string => (recording?.source.name ?? 'recording').replace(/\.[^.]*$/, '');
$('dl-json').addEventListener('click', () => lastResult && recording && download(`${base()}.hrv.json`, resultJson(lastResult, recording.source), 'application/json'));
$('dl-csv').addEventListener('click', () => lastResult && recording && download(`${base()}.hrv.csv`, resultCsv(lastResult, recording.source), 'text/csv'));
$('dl-windows').addEventListener('click', () => lastResult && download(`${base()}.windows.csv`, windowsCsv(lastResult), 'text/csv'));
$('dl-wav').addEventListener('click', () => recording && download(`${base()}.wav`, wavBytes(recording.samples, recording.sampleRateHz), 'audio/wav'));

// microphone
let mic: MicRecorder | undefined;
let live: LiveAnalysis | undefined;
$('record').addEventListener('click', async () => {
  stopPlayback();
  mic = new MicRecorder();
  try {
    await mic.start();
  } catch (err) {
    setStatus(`error: microphone: ${(err as Error).message}`);
    return;
  }
  $<HTMLButtonElement>('record').disabled = true;
  $<HTMLButtonElement>('stop').disabled = false;
  recording = undefined;
  lastResult = undefined;
  enableDownloads(false, false);
  clearResult(`microphone at ${mic.inputRateHz} Hz, resampled to ${mic.rateHz} Hz by the library; live numbers from the last 10 s`);
  drawTachogram($<HTMLCanvasElement>('tachogram'), [], []);
  drawPoincare($<HTMLCanvasElement>('poincare'), []);
  setStatus('recording');
  live = new LiveAnalysis(mic, () => methodSelect.value as PageMethod, (update) => {
    showHeadline(update.result);
    $('timing').textContent = `(live: last ${update.windowS.toFixed(0)} s, ${update.result.nIntervals} intervals)`;
    liveMarks = update.result.beatTimesS.map((t) => t + update.offsetS);
    liveS2 = (update.result.s2TimesS ?? []).map((t) => t + update.offsetS);
  });
  live.start();
  const frame = (): void => {
    if (!mic || !live) return;
    wave.setData(mic.samples(), mic.rateHz, { beatTimesS: liveMarks, s2TimesS: liveS2 }, true);
    wave.showTail(5);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
});
let liveMarks: number[] = [];
let liveS2: number[] = [];
$('stop').addEventListener('click', async () => {
  if (!mic) return;
  live?.stop();
  live = undefined;
  const m = mic;
  mic = undefined;
  const samples = await m.stop();
  $<HTMLButtonElement>('record').disabled = false;
  $<HTMLButtonElement>('stop').disabled = true;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  recording = { samples, sampleRateHz: m.rateHz, source: { name: `recording-${stamp}.wav`, format: `microphone at ${m.inputRateHz} Hz, resampled`, channels: 1, sampleRateHz: m.rateHz } };
  if (samples.length / m.rateHz < 3) {
    setStatus('error: the recording is shorter than 3 s');
    enableDownloads(false, true);
    return;
  }
  await analyseRecording();
});

// offline after the first load (not in the dev server, where files change)
if (import.meta.env.PROD) {
  void enableOffline([ANALYSIS_WORKER_URL, 'capture-worklet.js']).catch(() => undefined);
}
