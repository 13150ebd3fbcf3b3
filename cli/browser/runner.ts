// The page behind `npm run train:browser`: the runner (cli/train-browser.ts) calls
// window.trainDigitsInPage(settings) through Puppeteer; the page trains with the same routine
// as the command line (cli/train-digits.ts) on navigator.gpu, reports progress through the
// function the runner exposed, and returns the model, the metrics and the ONNX bytes (base64).

import type { DigitSettings } from '../options.js';
import { type DigitMetrics, type DigitProgress, trainDigits } from '../train-digits.js';
import { parseDigits } from '../../src/data/digits.js';
import { type AdapterSummary, createContext } from '../../src/gpu/context.js';
import type { NetworkJSON } from '../../src/models/network.js';

export interface PageResult {
  model: NetworkJSON;
  metrics: DigitMetrics;
  onnxBase64: string | null;
}

declare global {
  interface Window {
    trainDigitsInPage(settings: DigitSettings, onnx: boolean): Promise<PageResult>;
    /** Exposed by the runner (page.exposeFunction). */
    reportProgress?(p: DigitProgress): Promise<void>;
    reportAdapter?(a: AdapterSummary): Promise<void>;
  }
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

window.trainDigitsInPage = async (settings, onnx) => {
  const response = await fetch('/digits-20x20.bin');
  if (!response.ok) throw new Error(`could not fetch the digits: HTTP ${response.status}`);
  const digits = parseDigits(new Uint8Array(await response.arrayBuffer()));
  const ctx = await createContext();
  try {
    await window.reportAdapter?.(ctx.adapter);
    const { network, metrics } = await trainDigits(ctx, digits, settings, (p) => void window.reportProgress?.(p));
    try {
      return { model: await network.toJSON(), metrics, onnxBase64: onnx ? base64(await network.toONNX()) : null };
    } finally {
      network.destroy();
    }
  } finally {
    ctx.destroy();
  }
};
