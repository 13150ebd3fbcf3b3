// The GPU cases in headless Chromium: Vite serves test/browser/, Puppeteer opens it in the
// system's Chrome/Chromium/Edge with WebGPU enabled, and each case's result becomes a test here.

import puppeteer, { type Browser } from 'puppeteer';
import { type ViteDevServer, createServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findBrowser, webgpuBrowserArgs } from '../../src/node/browser.js';
import { allCases } from '../cases/index.js';
import type { PageResults } from './main.js';

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
let page: PageResults;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root: new URL('.', import.meta.url).pathname,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [new URL('../..', import.meta.url).pathname] } },
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  browser = await puppeteer.launch({
    executablePath: findBrowser(),
    headless: true,
    args: webgpuBrowserArgs(),
    protocolTimeout: 900_000,
  });
  const tab = await browser.newPage();
  tab.on('pageerror', (e) => pageErrors.push(String(e)));
  await tab.goto(url, { waitUntil: 'load' });
  page = await tab.evaluate(() => window.wgslLearnResults);
  console.log(`[chromium] ${await browser.version()} adapter: ${JSON.stringify(page.adapter)}`);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('chromium: the page found a WebGPU adapter through navigator.gpu', () => {
  expect(page.setupError).toBeUndefined();
  expect(pageErrors).toEqual([]);
  expect((page.adapter as { source: string }).source).toBe('navigator.gpu');
  expect(page.results.map((r) => r.name)).toEqual(allCases.map((c) => c.name));
});

for (const c of allCases) {
  it(`chromium: ${c.name}`, () => {
    const r = page.results.find((x) => x.name === c.name);
    if (!r) throw new Error(page.setupError ?? 'the page did not run this case');
    if (!r.ok) throw new Error(r.error);
  });
}
