// Opens a page of test/browser/ in headless Chrome/Chromium/Edge with WebGPU on: Vite serves
// the folder (and the repository, for imports), Puppeteer drives the system's browser.

import puppeteer, { type Browser, type Page } from 'puppeteer';
import { type ViteDevServer, createServer } from 'vite';
import { findBrowser, webgpuBrowserArgs } from '../../src/node/browser.js';

export interface TestPage {
  page: Page;
  browser: Browser;
  /** Uncaught errors of the page, and console.error messages, seen so far. */
  pageErrors: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openTestPage(path: string): Promise<TestPage> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: new URL('../browser/', import.meta.url).pathname,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [new URL('../..', import.meta.url).pathname] } },
  });
  await server.listen();
  const browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: webgpuBrowserArgs(), protocolTimeout: 900_000 });
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(`${server.resolvedUrls!.local[0]!}${path}`, { waitUntil: 'load' });
    return { page, browser, pageErrors, consoleErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}
