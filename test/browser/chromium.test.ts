// The GPU cases in headless Chromium: Vite serves test/browser/, Puppeteer opens it in the
// system's Chrome/Chromium/Edge with WebGPU enabled, and each case's result becomes a test here.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { allCases } from '../cases/index.js';
import { type TestPage, openTestPage } from '../support/browser.js';
import type { PageResults } from './main.js';

let opened: TestPage | undefined;
let page: PageResults;
// Uncaught errors only: some cases provoke GPU errors on purpose, which the browser may log.
let pageErrors: string[] = [];

beforeAll(async () => {
  opened = await openTestPage('');
  page = await opened.page.evaluate(() => window.wgslLearnResults);
  pageErrors = opened.pageErrors;
  console.log(`[chromium] ${await opened.browser.version()} adapter: ${JSON.stringify(page.adapter)}`);
}, 900_000);

afterAll(async () => {
  await opened?.close();
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
