// The embedding page (test/browser/embed.html) in headless Chromium: an app that renders every
// animation frame on its own device keeps drawing while wgsl-learn trains on that device, and
// gets its device and its data back intact.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestPage, openTestPage } from '../support/browser.js';
import type { EmbedReport } from './embed.js';

let opened: TestPage | undefined;
let report: EmbedReport;
let errors: string[] = [];

beforeAll(async () => {
  opened = await openTestPage('embed.html');
  report = await opened.page.evaluate(() => window.embedReport);
  errors = [...opened.pageErrors, ...opened.consoleErrors];
  console.log(`[embed] ${JSON.stringify(report)}`);
}, 300_000);

afterAll(async () => {
  await opened?.close();
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
