// The embedding page (test/browser/embed.html) in headless Chromium: an app that renders every
// animation frame on its own device keeps drawing while wgsl-learn trains on that device, and
// gets its device and its data back intact.

import puppeteer, { type Browser } from 'puppeteer';
import { type ViteDevServer, createServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findBrowser, webgpuBrowserArgs } from '../../src/node/browser.js';
import type { EmbedReport } from './embed.js';

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
let report: EmbedReport;
const errors: string[] = [];

beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root: new URL('.', import.meta.url).pathname,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [new URL('../..', import.meta.url).pathname] } },
  });
  await server.listen();
  browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: webgpuBrowserArgs(), protocolTimeout: 300_000 });
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${server.resolvedUrls!.local[0]!}embed.html`, { waitUntil: 'load' });
  report = await page.evaluate(() => window.embedReport);
  console.log(`[embed] ${JSON.stringify(report)}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('embed: the app keeps rendering frames on its device while the library trains on it', () => {
  expect(report.error).toBeUndefined();
  expect(errors).toEqual([]);
  expect(report.framesBefore).toBeGreaterThan(5);
  // Frames go on during training: at least one every half second on average, even on a software adapter.
  expect(report.framesDuring).toBeGreaterThanOrEqual(Math.max(3, Math.floor(report.trainingMs / 500)));
  expect(report.framesAfter).toBeGreaterThan(5);
});

it('embed: the app’s device is not lost, its data are intact, and the model it trained works', () => {
  expect(report.deviceLost).toBe(false);
  expect(report.appDataIntact).toBe(true);
  expect(report.accuracy).toBeGreaterThan(0.8);
});
