/**
 * The page in a real browser (issue 12): build with Vite, serve web's build on 127.0.0.1, drive
 * Debian's chromium through playwright-core. Each fixture recording and a seeded non-heart sound
 * are opened through the file input; the numbers on the page and in the JSON download equal the
 * library's estimate for the same samples. No request leaves the page's origin, no console errors,
 * analysis still works after the server is gone. The fake microphone (a fixture WAV) gives a live
 * heart rate within 3 bpm of the file's. Skipped with a message when /usr/bin/chromium is missing.
 * WEB_SCREENSHOTS=DIR also writes desktop and phone-width screenshots there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimate, resolveEstimateOptions, type EstimateResult } from '../src/hrv/estimate.js';
import { readWav, encodeWav } from '../src/node/files/wav.js';
import { resample } from '../src/dsp/resample.js';
import { HRV_FIELD_KEYS } from '../src/hrv/measures/fields.js';
import { buildPage, serveFolder } from './web-serve.js';
import { folderSegmenterSource } from '../src/node/files/segmenterStore.js';
import { setSegmenterSource } from '../src/hrv/learned/estimator.js';

const CHROMIUM = process.env.HRV_AUDIO_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = ['fixtures/pcg/68377_PV.wav', 'fixtures/pcg/74420_MV.wav', 'fixtures/pcg/84802_AV.wav', 'fixtures/pcg/85116_TV.wav', 'fixtures/pcg-ecg/a0087.wav'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A seeded non-heart sound: 8 s of LCG white noise with a slow 3 Hz hum, 4000 Hz. */
function noiseWav(path: string): void {
  const rateHz = 4000;
  const x = new Float32Array(8 * rateHz);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (1103515245 * s + 12345) % 2147483648;
    x[i] = 0.3 * (s / 2147483648 - 0.5) + 0.1 * Math.sin((2 * Math.PI * 3 * i) / rateHz);
  }
  writeFileSync(path, encodeWav(x, rateHz));
}

/** The built JS chunks a chunk imports statically, transitively (itself included): file name → text. */
function staticClosure(assets: string, entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    const text = readFileSync(join(assets, name), 'utf8');
    seen.set(name, text);
    for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]!);
  };
  visit(entry);
  return seen;
}

/** Deep equality with numbers equal to |Δ| ≤ 1e-9 (relative above 1): Chromium's V8 and Node's may differ in the last bit of Math functions. */
function assertClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${where}: ${actual} vs ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: array of ${expected.length}`);
    expected.forEach((v, i) => assertClose((actual as unknown[])[i], v, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: object`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${where}: keys`);
    for (const [k, v] of Object.entries(expected)) assertClose((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else assert.deepEqual(actual, expected, where);
}

function libraryEstimate(path: string): Promise<EstimateResult> {
  const wav = readWav(path);
  return estimate(wav.samples, wav.sampleRateHz, { method: 'classical', windowS: 10, hopS: 5 });
}

test('web page: files analysed in the browser equal the library estimate; nothing leaves the origin; live HR from a fake microphone', { timeout: 240_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) to run the page tests`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hrv-web-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dist = join(dir, 'dist');
  await buildPage(dist);
  // the learned path's lazy chunk (and what it imports) holds no TF.js, and no TF.js .wasm is built
  const assets = join(dist, 'assets');
  const built = readdirSync(assets);
  const learnedChunk = built.find((f) => /^learnedSetup-.*\.js$/.test(f));
  assert.ok(learnedChunk, `a learnedSetup chunk is built (${built.join(', ')})`);
  for (const [name, text] of staticClosure(assets, learnedChunk)) {
    assert.ok(!/_tfengine|tfjs-backend|TensorFlow\.js/.test(text), `${name} (learned path) holds no TF.js`);
  }
  assert.deepEqual(built.filter((f) => f.endsWith('.wasm')), [], 'no .wasm in the build (TF.js wasm backend gone)');
  const { origin, server } = await serveFolder(dist);
  t.after(() => server.close());
  const noise = join(dir, 'not-heart-noise.wav');
  noiseWav(noise);
  // the fake microphone plays a 48 kHz copy of a fixture (resampled by the library)
  const micWav = readWav(join(ROOT, FIXTURES[0]!));
  const micFile = join(dir, 'mic-48k.wav');
  writeFileSync(micFile, encodeWav(resample(micWav.samples, micWav.sampleRateHz, 48000), 48000));

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${micFile}`, '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(['microphone'], { origin });
  const page = await context.newPage();
  const problems: string[] = [];
  const foreign: string[] = [];
  const requested: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  context.on('request', (r) => {
    const u = r.url();
    requested.push(u);
    if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
  });
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  assert.match(await page.textContent('#privacy') ?? '', /Nothing leaves your device/);

  const status = page.getByTestId('status');
  const open = async (path: string): Promise<void> => {
    await page.getByTestId('file-input').setInputFiles(path);
    await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), undefined, { timeout: 30_000 });
  };
  const shots = process.env.WEB_SCREENSHOTS;
  for (const [k, rel] of [...FIXTURES, noise].entries()) {
    const path = rel.startsWith('/') ? rel : join(ROOT, rel);
    const want = await libraryEstimate(path);
    await open(path);
    assert.equal(await status.textContent(), 'done', `${rel}: analysed`);
    const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(1));
    assert.equal(await page.getByTestId('heart-rate').textContent(), fmt(want.heartRateBpm), `${rel}: HR shown`);
    assert.equal(await page.getByTestId('rmssd').textContent(), fmt(want.rmssdMs), `${rel}: RMSSD shown`);
    assert.equal(await page.getByTestId('sdnn').textContent(), fmt(want.sdnnMs), `${rel}: SDNN shown`);
    assert.equal(await page.getByTestId('verdict').textContent(), want.verdict, `${rel}: verdict`);
    // the JSON download: every estimate field, the same numbers (to 1e-9)
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
    const got = JSON.parse(readFileSync((await dl.path())!, 'utf8')) as Record<string, unknown>;
    const { envelope: _e, ...expected } = want;
    for (const [key, value] of Object.entries(expected)) {
      if (key === 'method') continue;
      assert.ok(key in got, `${rel}: JSON has ${key}`);
      if (typeof value === 'number') assert.ok(Math.abs((got[key] as number) - value) < 1e-9, `${rel}: ${key} ${got[key]} vs ${value}`);
      else assert.deepEqual(got[key], JSON.parse(JSON.stringify(value)), `${rel}: ${key}`);
    }
    for (const key of HRV_FIELD_KEYS) assert.ok(key in got, `${rel}: JSON has HRV field ${key}`);
    assert.equal(got['verdict'], want.verdict);
    assert.equal((got['source'] as { sampleRateHz: number }).sampleRateHz, readWav(path).sampleRateHz);
    if (k === 0) {
      assert.ok(want.trusted && want.heartRateBpm !== null, 'the first fixture is a trusted heart recording');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
      const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\n');
      assert.equal(lines.length, 2);
      assert.ok(lines[0]!.split(',').includes('heart_rate_bpm') && lines[0]!.split(',').includes('rmssd_ms'));
      if (shots) {
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'web-desktop.png'), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: join(shots, 'web-phone.png'), fullPage: true });
        await page.setViewportSize({ width: 1200, height: 900 });
      }
    }
  }

  // the learned method (the shipped segmenter, plain-JS inference in the page's worker): the page's
  // result equals the library's estimate (same samples, same options); no TF.js engine in the worker,
  // no .wasm fetched, the weights fetched from the page's origin
  setSegmenterSource(folderSegmenterSource());
  const firstPath = join(ROOT, FIXTURES[0]!);
  const first = readWav(firstPath);
  const wantLearned = await estimate(first.samples, first.sampleRateHz, { method: 'learned', windowS: 10, hopS: 5 });
  assert.equal(wantLearned.method, 'learned');
  const requestedBefore = requested.length;
  await page.getByTestId('method').selectOption('learned');
  await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  await open(firstPath);
  assert.equal(await status.textContent(), 'done', 'learned: analysed');
  const [learnedDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const learned = JSON.parse(readFileSync((await learnedDl.path())!, 'utf8')) as Record<string, unknown>;
  assert.equal(learned['method'], 'learned');
  {
    const { envelope: _e, ...expected } = wantLearned;
    for (const [key, value] of Object.entries(expected)) {
      assert.ok(key in learned, `learned: JSON has ${key}`);
      assertClose(learned[key], JSON.parse(JSON.stringify(value)), `learned: ${key}`);
    }
  }
  assert.ok(!('backend' in (learned['details'] as object)), 'learned: no TF.js backend reported');
  assert.equal(await page.getByTestId('heart-rate').textContent(), (wantLearned.heartRateBpm as number).toFixed(1));
  const learnedRequests = requested.slice(requestedBefore);
  assert.ok(learnedRequests.some((u) => /\/weights-[^/]*\.bin$/.test(u)), `learned: the weights are fetched (${learnedRequests.join(', ')})`);
  assert.deepEqual(requested.filter((u) => /\.wasm(\?|$)|tfjs/.test(u)), [], 'no TF.js or .wasm file fetched');
  const workers = page.workers();
  assert.ok(workers.length > 0, 'the analysis worker runs');
  for (const w of workers) assert.equal(await w.evaluate(() => '_tfengine' in globalThis), false, `no TF.js engine in worker ${w.url()}`);
  if (shots) {
    await page.locator('#numbers-title').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('numbers-title')!.scrollIntoView());
    await page.screenshot({ path: join(shots, 'web-learned.png') });
  }
  await page.getByTestId('method').selectOption('classical');
  await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), undefined, { timeout: 30_000 });

  // the fake microphone: a live heart rate within 3 bpm of the file's, within 15 s
  const fileHr = (await libraryEstimate(join(ROOT, FIXTURES[0]!))).heartRateBpm!;
  await page.getByTestId('record').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'recording', undefined, { timeout: 10_000 });
  await page.getByTestId('heart-rate').evaluate((el) => (el.textContent = '—'));
  await page.waitForFunction(
    (hr) => {
      const v = Number(document.querySelector('[data-testid=heart-rate]')?.textContent);
      return Number.isFinite(v) && Math.abs(v - hr) <= 3;
    },
    fileHr,
    { timeout: 15_000, polling: 250 },
  );
  if (shots) await page.screenshot({ path: join(shots, 'web-live.png') });
  await page.getByTestId('stop').click();
  await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), undefined, { timeout: 30_000 });
  assert.equal(await status.textContent(), 'done', 'the recording is analysed after Stop');
  const [wavDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-wav').click()]);
  const saved = readWav((await wavDl.path())!);
  assert.equal(saved.sampleRateHz, 4000);
  assert.ok(saved.durationS > 5, `saved recording ${saved.durationS} s`);

  // offline: once the service worker holds the page's files, the page reloads and analyses with the server gone
  await page.waitForFunction(() => document.documentElement.dataset['offline'] === 'ready', undefined, { timeout: 15_000 });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await page.reload({ waitUntil: 'load' });
  assert.equal(await status.textContent(), 'idle', 'the page reloads with the server gone');
  await open(join(ROOT, FIXTURES[1]!));
  assert.equal(await status.textContent(), 'done', 'analysis after an offline reload');
  assert.equal(await page.getByTestId('heart-rate').textContent(), (await libraryEstimate(join(ROOT, FIXTURES[1]!))).heartRateBpm!.toFixed(1));

  assert.deepEqual(foreign, [], 'no request leaves the page origin');
  assert.deepEqual(problems, [], 'no console errors');
  void context;
});
