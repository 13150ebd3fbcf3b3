// Trains the digit classifier from DigitSettings and measures it: the one routine behind the
// command line (Node, on Dawn) and the Puppeteer runner (a page in headless Chrome), so both
// write the same model and the same metrics.

import { type AdapterSummary, type Digits, type GpuContext, NeuralNetwork } from '../src/index.js';
import type { DigitSettings } from './options.js';

export interface DigitMetrics {
  adapter: AdapterSummary;
  layers: number[];
  epochs: number;
  seconds: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** J/m on the training digits at the final Θ, with the λ penalty (what training descends). */
  finalCost: number;
}

export interface DigitProgress {
  epoch: number;
  epochs: number;
  cost: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  examplesPerSecond: number;
  /** Estimated from the speed so far. */
  secondsLeft: number;
}

/** Trains a fresh network on digits.train (the test digits evaluated after every epoch) and measures it. */
export async function trainDigits(
  ctx: GpuContext,
  digits: Digits,
  s: DigitSettings,
  onProgress?: (p: DigitProgress) => void,
): Promise<{ network: NeuralNetwork; metrics: DigitMetrics }> {
  const layers = [digits.train.x.cols, ...s.hidden, 10];
  const network = new NeuralNetwork(ctx, { layers, output: s.output, seed: s.seed });
  try {
    const m = digits.train.x.rows;
    const t0 = performance.now();
    const result = await network.fit(digits.train.x, digits.train.y, {
      epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: s.alpha, lambda: s.lambda, seed: s.seed,
      validation: digits.test,
      onEpoch: (r) => {
        const seconds = (performance.now() - t0) / 1000;
        const done = r.epoch + 1;
        onProgress?.({
          epoch: done, epochs: s.epochs, cost: r.cost, trainAccuracy: r.accuracy, testAccuracy: r.validation?.accuracy ?? null,
          examplesPerSecond: (done * m) / seconds, secondsLeft: (seconds / done) * (s.epochs - done),
        });
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const train = await network.cost(digits.train.x, digits.train.y, { lambda: s.lambda });
    const test = await network.cost(digits.test.x, digits.test.y);
    return {
      network,
      metrics: { adapter: ctx.adapter, layers, epochs: result.epochs, seconds, trainAccuracy: train.accuracy!, testAccuracy: test.accuracy!, finalCost: train.mean },
    };
  } catch (e) {
    network.destroy();
    throw e;
  }
}

/** One progress line: a bar when `width` is given (a terminal), else plain text. */
export function formatProgress(p: DigitProgress, width?: number): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)} %`);
  const left = p.secondsLeft >= 60 ? `${Math.floor(p.secondsLeft / 60)} min ${Math.round(p.secondsLeft % 60)} s` : `${p.secondsLeft.toFixed(0)} s`;
  const text = `epoch ${p.epoch}/${p.epochs}  J/m ${p.cost.toFixed(4)}  train ${pct(p.trainAccuracy)}  test ${pct(p.testAccuracy)}  ${Math.round(p.examplesPerSecond).toLocaleString('en')} examples/s  ${left} left`;
  if (width === undefined) return text;
  const barWidth = Math.max(10, Math.min(30, width - text.length - 4));
  const filled = Math.round((barWidth * p.epoch) / p.epochs);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${text}`;
}
