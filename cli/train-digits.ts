// Trains the digit classifier from DigitSettings and measures it: the one routine behind the
// command line (Node, on Dawn) and the Puppeteer runner (a page in headless Chrome), so both
// write the same model and the same metrics.

import { type AdapterSummary, type Digits, type GpuContext, NeuralNetwork } from '../src/index.js';
import { type Diverged, finished } from './fit-result.js';
import { paceMeter } from './pace.js';
import type { DigitSettings } from './options.js';
import type { Progress } from './progress.js';

export interface DigitMetrics {
  adapter: AdapterSummary;
  layers: number[];
  epochs: number;
  seconds: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** J/m on the training digits at the final Θ, with the λ penalty (what training descends). */
  finalCost: number;
  /** When training diverged (the model holds the last good epoch's Θ). */
  diverged?: Diverged;
}

export type DigitProgress = Progress;

/** Trains a fresh network on digits.train (the test digits evaluated after every epoch) and measures it. */
export async function trainDigits(
  ctx: GpuContext,
  digits: Digits,
  s: DigitSettings,
  onProgress?: (p: DigitProgress) => void,
): Promise<{ network: NeuralNetwork; metrics: DigitMetrics }> {
  const layers = [digits.train.x.cols, ...s.hidden, 10];
  const network = new NeuralNetwork(ctx, { layers, output: s.output, seed: s.seed, ...(s.activation ? { activation: s.activation } : {}) });
  try {
    const m = digits.train.x.rows;
    const t0 = performance.now();
    const pace = paceMeter(m, s.epochs);
    const run = network.fit(digits.train.x, digits.train.y, {
      epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: s.alpha, lambda: s.lambda, seed: s.seed,
      validation: digits.test,
      onEpoch: (r) => {
        const done = r.epoch + 1;
        onProgress?.({
          epoch: done, epochs: s.epochs, cost: r.cost, trainAccuracy: r.accuracy, testAccuracy: r.validation?.accuracy ?? null,
          ...pace(done),
        });
      },
    });
    const result = await finished(run);
    const seconds = (performance.now() - t0) / 1000;
    const train = await network.cost(digits.train.x, digits.train.y, { lambda: s.lambda });
    const test = await network.cost(digits.test.x, digits.test.y);
    return {
      network,
      metrics: {
        adapter: ctx.adapter, layers, epochs: result.epochs, seconds, trainAccuracy: train.accuracy!, testAccuracy: test.accuracy!, finalCost: train.mean,
        ...(result.diverged ? { diverged: result.diverged } : {}),
      },
    };
  } catch (e) {
    network.destroy();
    throw e;
  }
}
