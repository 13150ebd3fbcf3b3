// The GPU cases inside the browser: the page runs every case on navigator.gpu and leaves the
// results on window for the Puppeteer side (chromium.test.ts) to collect.

import { createContext } from '../../src/gpu/context.js';
import { allCases } from '../cases/index.js';
import { runCase } from '../support/gpu.js';

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

export interface PageResults {
  adapter?: unknown;
  setupError?: string;
  results: CaseResult[];
}

declare global {
  interface Window {
    wgslLearnResults: Promise<PageResults>;
  }
}

const log = document.getElementById('log')!;

async function runAll(): Promise<PageResults> {
  let ctx;
  try {
    ctx = await createContext();
  } catch (e) {
    return { setupError: `${(e as Error).name}: ${(e as Error).message}`, results: [] };
  }
  const only = new URLSearchParams(location.search).get('only');
  const results: CaseResult[] = [];
  for (const c of allCases) {
    if (only && !c.name.includes(only)) continue;
    const t0 = performance.now();
    try {
      await runCase(ctx, c);
      results.push({ name: c.name, ok: true, ms: performance.now() - t0 });
    } catch (e) {
      results.push({ name: c.name, ok: false, error: `${(e as Error).name}: ${(e as Error).message}`, ms: performance.now() - t0 });
    }
    const r = results[results.length - 1]!;
    log.textContent += `${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.error ? ` — ${r.error}` : ''}\n`;
  }
  const adapter = ctx.adapter;
  ctx.destroy();
  return { adapter, results };
}

window.wgslLearnResults = runAll();
