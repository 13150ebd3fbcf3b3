// The documentation's page samples (those that use `document` or `navigator`: embedding on the
// app's own device, plotting on a canvas) in headless Chromium, each on a fresh page with one
// canvas, as a `<script type="module">` would run it; their `// → claim` lines are checked. The
// Node samples, the type check and the shell commands: test/node/doc-samples.test.ts.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestPage, openTestPage } from '../support/browser.js';
import { REPOSITORY, type Sample, sampleFile, writeSampleModules } from '../support/doc-samples.js';

const out = join(REPOSITORY, 'test-results', 'doc-samples', 'chromium');
let samples: Sample[] = [];
let opened: TestPage | undefined;

beforeAll(async () => {
  samples = writeSampleModules(out).filter((s) => s.runsIn === 'chromium');
  opened = await openTestPage('doc-samples.html');
}, 300_000);

afterAll(async () => {
  await opened?.close();
});

it('docs: each page sample runs in Chromium with no error and logs what it claims', async () => {
  expect(samples.length).toBeGreaterThanOrEqual(2);
  const { page } = opened!;
  const url = page.url();
  for (const s of samples) {
    await page.goto(url, { waitUntil: 'load' });
    opened!.pageErrors.length = 0;
    opened!.consoleErrors.length = 0;
    // A string, not a function: Vitest would rewrite a function's import() for Node.
    const error = (await page.evaluate(`import(${JSON.stringify(`/@fs${join(out, sampleFile(s))}`)}).then(() => null, (e) => e instanceof Error ? e.name + ': ' + e.message : String(e))`)) as string | null;
    if (s.code.includes("querySelector('canvas')")) {
      // It drew: pixels of the page's canvas are no longer all clear.
      const painted = await page.evaluate(() => {
        const canvas = document.querySelector('canvas')!;
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        return data ? data.filter((v, i) => i % 4 === 3 && v > 0).length : -1;
      });
      expect(painted, `${s.doc}:${s.line}: painted pixels`).toBeGreaterThan(1000);
    }
    expect({ sample: `${s.doc}:${s.line}`, error, pageErrors: opened!.pageErrors, consoleErrors: opened!.consoleErrors }).toEqual({ sample: `${s.doc}:${s.line}`, error: null, pageErrors: [], consoleErrors: [] });
  }
}, 600_000);
