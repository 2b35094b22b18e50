/**
 * Opens a generated report.html in a real browser (Debian's chromium via playwright-core):
 * the page loads from file:// with no console errors, no failed requests, and every image
 * is decoded and displayed. Skipped with a message when /usr/bin/chromium is missing
 * (install it with `apt-get install -y chromium`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../src/report/index.js';
import { writeFakeRun } from './report-fixture.js';

const CHROMIUM = process.env.HRV_AUDIO_CHROMIUM ?? '/usr/bin/chromium';

test('report.html opens in chromium with no console errors and every image displayed', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` to run this browser test`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'hrv-report-browser-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFakeRun(dir, { n: 30 });
  const reportPath = await writeReport(dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    page.on('request', (req) => requests.push(req.url()));
    const response = await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
    assert.ok(response?.ok(), 'page loaded');
    const images = await page.$$eval('img', (imgs) =>
      imgs.map((img) => ({ alt: img.alt, complete: img.complete, naturalWidth: img.naturalWidth, shownWidth: img.getBoundingClientRect().width })),
    );
    assert.equal(images.length, 6, 'six plots in the report');
    for (const img of images) {
      assert.ok(img.complete && img.naturalWidth > 0, `image '${img.alt}' decoded`);
      assert.ok(img.shownWidth > 100, `image '${img.alt}' displayed (${img.shownWidth} px wide)`);
    }
    assert.deepEqual(problems, []);
    // only the page itself and its inline data: images are requested — nothing from elsewhere
    assert.deepEqual(requests.filter((u) => !u.startsWith('data:') && u !== pathToFileURL(reportPath).href), []);
    assert.equal(await page.title(), `hrv-audio run report: ${dir.split('/').pop()}`);
  } finally {
    await browser.close();
  }
});
