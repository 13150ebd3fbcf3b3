// The digit trainer inside headless Chrome/Chromium/Edge, for machines where Node has no
// WebGPU but a browser does:
//
//   npm run train:browser -- [the options of wgsl-learn train --digits]
//
// Vite serves cli/browser/ (and the digit file); Puppeteer opens it in the system's browser
// with WebGPU enabled and calls the page's trainer, which runs the same routine as
// `npm run train` on navigator.gpu. Progress comes back as it trains; the model, the metrics
// and the ONNX file are written here, as `npm run train` writes them.

import puppeteer from 'puppeteer';
import { createServer } from 'vite';
import type { DigitProgress } from './train-digits.js';
import { formatProgress } from './progress.js';
import type { AdapterSummary } from '../src/gpu/context.js';
import { findBrowser, webgpuBrowserArgs } from '../src/node/browser.js';
import type { PageResult } from './browser/runner.js';
import { describeAdapter, describeSettings, writeOutputs } from './common.js';
import { TRAIN_USAGE, UsageError, digitSettings, parseTrainArgs } from './options.js';
import { checkOutputs } from './files.js';

export async function main(argv: string[]): Promise<number> {
  let cmd;
  let s;
  try {
    cmd = parseTrainArgs(['--digits', ...argv]);
    s = digitSettings(cmd.settings);
    checkOutputs({ '--out': cmd.out, '--metrics': cmd.metrics, '--onnx': cmd.onnx }, []);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${TRAIN_USAGE}`);
    return 2;
  }
  if (cmd.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  const root = new URL('.', import.meta.url).pathname;
  const server = await createServer({
    configFile: false,
    root: `${root}browser`,
    publicDir: `${root}../demo/public`,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [`${root}..`] } },
  });
  await server.listen();
  const executablePath = findBrowser();
  const browser = await puppeteer.launch({ executablePath, headless: true, args: webgpuBrowserArgs(), protocolTimeout: 0 });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    const tty = process.stdout.isTTY;
    await page.exposeFunction('reportProgress', (p: DigitProgress) => {
      if (tty) process.stdout.write(`\r${formatProgress(p, process.stdout.columns ?? 100)}\x1b[K`);
      else console.log(formatProgress(p));
    });
    await page.exposeFunction('reportAdapter', (a: AdapterSummary) => {
      console.log(`adapter: ${describeAdapter(a)}`);
      if (a.isFallbackAdapter) console.warn('warning: the browser gives a software (fallback) adapter: training runs on the CPU, many times slower than on a GPU');
    });
    await page.goto(server.resolvedUrls!.local[0]!, { waitUntil: 'load' });
    console.log(`browser: ${await browser.version()} (${executablePath})`);
    console.log(describeSettings([400, ...s.hidden, 10], s));
    let result: PageResult;
    try {
      result = await page.evaluate((settings, onnx) => window.trainDigitsInPage(settings, onnx), s, !!cmd.onnx);
    } catch (e) {
      console.error(`training in the browser failed: ${(e as Error).message}${problems.length ? `\n${problems.join('\n')}` : ''}`);
      return 1;
    }
    if (tty) process.stdout.write('\n');
    const m = result.metrics;
    console.log(`trained ${m.epochs} epochs in ${m.seconds.toFixed(1)} s: training accuracy ${(100 * m.trainAccuracy).toFixed(2)} %, test accuracy ${(100 * m.testAccuracy).toFixed(2)} %, J/m ${m.finalCost.toFixed(4)}`);
    const onnx = result.onnxBase64 === null ? undefined : Uint8Array.from(Buffer.from(result.onnxBase64, 'base64'));
    for (const line of await writeOutputs(cmd, { model: JSON.stringify(result.model), metrics: m, onnx })) console.log(line);
    return 0;
  } finally {
    await browser.close();
    await server.close();
  }
}
