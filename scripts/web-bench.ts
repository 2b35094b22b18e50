/**
 * Page speed (issue 12): build the page, serve it, open a ~60 s recording (the four fixtures/pcg
 * recordings joined, 4000 Hz) in headless chromium N times; print JSON with the median analysis
 * time inside the worker, the median time from file pick to status "done", and the sizes of the
 * built files. Usage: node --import tsx scripts/web-bench.ts [N]
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav, encodeWav } from '../src/node/files/wav.js';
import { buildPage, serveFolder } from '../test/web-serve.js';

const n = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'hrv-web-bench-'));
const dist = join(dir, 'dist');
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
try {
  await buildPage(dist);
  const parts = ['68377_PV', '74420_MV', '84802_AV', '85116_TV'].map((f) => readWav(`fixtures/pcg/${f}.wav`).samples);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const joined = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  const file = join(dir, 'joined-60s.wav');
  writeFileSync(file, encodeWav(joined, 4000));
  const { origin, server } = await serveFolder(dist);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const out: Record<string, unknown>[] = [];
  for (const method of ['classical', 'learned']) {
  await page.getByTestId('method').selectOption(method);
  await page.waitForFunction(() => /^(done|error|idle)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  const workerMs: number[] = [];
  const wallMs: number[] = [];
  for (let i = 0; i < n; i++) {
    await page.evaluate(() => (document.querySelector('[data-testid=status]')!.textContent = 'idle'));
    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(file);
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'done', undefined, { timeout: 60_000 });
    wallMs.push(Date.now() - t0);
    workerMs.push(Number(await page.$eval('#timing', (el) => (el as HTMLElement).dataset['elapsedMs'])));
    await page.getByTestId('file-input').setInputFiles([]);
  }
  out.push({ method, medianWorkerMs: +median(workerMs).toFixed(1), medianPickToDoneMs: median(wallMs), workerMs, wallMs });
  }
  await browser.close();
  server.close();
  const sizes: Record<string, number> = {};
  const walk = (d: string, rel = ''): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p, `${rel}${e}/`);
      else sizes[`${rel}${e}`] = statSync(p).size;
    }
  };
  walk(dist);
  const totalBytes = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ recordingS: +(total / 4000).toFixed(2), runs: n, methods: out, distBytes: totalBytes, sizes }, null, 1));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
