// The divergence guard stops runs that overshoot and only those: a table of healthy runs that
// must never trip it — XOR (brain.js's hello world) with Adam at α 0.01, 0.1, 0.3 and with
// plain gradient descent, softmax regression one example at a time, a network that overfits —
// and a table of truly divergent runs that must be caught within a few epochs with the best θ
// kept (the house example without normalisation, mini-batch, stochastic and momentum descent
// overshooting). Adam at a huge α is not among them: its steps are bounded by α and shrink as
// its moments adapt, so its cost falls, slowly, instead of growing.
// The digits default (Adam, batches of 100) runs without tripping it in test/node/digits.test.ts.

import { DivergenceError } from '../../src/gpu/errors.js';
import { LinearRegression } from '../../src/models/linear.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { HOUSES } from '../../src/data/houses.js';
import type { TrainOptions } from '../../src/train/options.js';
import { check } from '../support/compare.js';
import { blobs, linearData } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

const XOR = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] };

/** Fits, failing the case with the report if the guard stops a healthy run. */
async function healthy(name: string, fit: () => PromiseLike<{ history: { cost: number }[] }>): Promise<{ cost: number }[]> {
  try {
    return (await fit()).history;
  } catch (e) {
    if (e instanceof DivergenceError) throw new Error(`${name}: a healthy run was stopped: ${e.message}`);
    throw e;
  }
}

/**
 * Fits, expecting the guard to stop the run by `within` epochs with a finite θ kept, and a
 * message a person reads: every number in it at most 6 significant digits (no 90677.453125),
 * and the advice to normalise the features exactly when the model does not (`normalizes`).
 */
async function divergent(name: string, within: number, fit: () => PromiseLike<unknown>, theta: () => Promise<Float64Array>, normalizes = false): Promise<void> {
  let error: unknown;
  try {
    await fit();
  } catch (e) {
    error = e;
  }
  check(error instanceof DivergenceError, `${name}: expected a DivergenceError, got ${error === undefined ? 'a completed fit' : String(error)}`);
  const e = error as DivergenceError;
  check(e.epoch <= within, `${name}: caught at epoch ${e.epoch}, later than ${within}`);
  check((await theta()).every(Number.isFinite), `${name}: θ is not finite after the stop`);
  const long = (e.message.match(/\d+(?:\.\d+)?/g) ?? []).filter((n) => n.replace('.', '').replace(/^0+/, '').length > 6);
  check(long.length === 0, `${name}: the message shows ${long.join(', ')} to more than 6 significant digits: ${e.message}`);
  check(/normalise the features/.test(e.message) === !normalizes, `${name}: ${normalizes ? 'a model that normalises is told to normalise' : 'no advice to normalise'}: ${e.message}`);
}

const cases: GpuCase[] = [
  {
    // brain.js's README: new NeuralNetwork({ hiddenLayers: [3] }), train on the four XOR rows, run.
    name: 'XOR, brain.js’s hello world, trains to 100 % with a network’s default options (Adam, α 0.01, 1,000 epochs) and is never stopped by the guard',
    async run(gpu) {
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 3, 1] })], async (net) => {
        const result = await healthy('XOR with default options', () => net.fit(XOR.x, XOR.y));
        check(result.length === 1000, `${result.length} epochs by default`);
        const labels = await net.predict(XOR.x);
        check(labels.join() === '0,1,1,0', `XOR predicted ${labels.join()}; last J/m ${result.at(-1)!.cost}`);
        const [h00, h01, h10, h11] = await net.predictProbabilities(XOR.x);
        check(h00! < 0.2 && h01! > 0.8 && h10! > 0.8 && h11! < 0.2, `h = ${[h00, h01, h10, h11].join(', ')}`);
      });
    },
  },
  {
    name: 'divergence guard, healthy runs: XOR with Adam at α 0.01, 0.1 and 0.3 and with gradient descent, softmax regression at batch 1, a network that overfits — none is stopped',
    async run(gpu) {
      const xorRuns: [string, TrainOptions][] = [
        ['XOR, Adam α 0.01', { optimizer: 'adam', learningRate: 0.01, epochs: 400 }],
        ['XOR, Adam α 0.1', { optimizer: 'adam', learningRate: 0.1, epochs: 400 }],
        ['XOR, Adam α 0.3', { optimizer: 'adam', learningRate: 0.3, epochs: 400 }],
        ['XOR, gradient descent α 0.5', { optimizer: 'sgd', learningRate: 0.5, epochs: 400 }],
        ['XOR, Adam α 0.1, batches of 2', { optimizer: 'adam', learningRate: 0.1, epochs: 300, batchSize: 2 }],
      ];
      for (const [name, options] of xorRuns) {
        await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 1 })], async (net) => {
          await healthy(name, () => net.fit(XOR.x, XOR.y, options));
          if (options.optimizer === 'adam' && options.learningRate! >= 0.1) {
            const labels = Array.from(await net.predict(XOR.x));
            check(labels.join() === '0,1,1,0', `${name}: predicts ${labels.join()}`);
          }
        });
      }
      const three = blobs(5, [[-2, -1], [2, -1], [0, 2]], 20, 1.5);
      await using(() => [new SoftmaxRegression(gpu.ctx, { classes: 3 })], async (model) => {
        await healthy('softmax regression, batch 1', () => model.fit(three.x, three.y, { batchSize: 1, learningRate: 0.1, epochs: 30 }));
      });
      // 24 noisy examples, 32 hidden units, Adam: the training cost falls towards 0 while the
      // held-out cost rises — overfitting, which is not divergence.
      const train = blobs(8, [[-1, 0], [1, 0]], 12, 1.6);
      const held = blobs(9, [[-1, 0], [1, 0]], 12, 1.6);
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 32, 2], output: 'softmax', seed: 2 })], async (net) => {
        const history = await healthy('overfitting network', () =>
          net.fit(train.x, train.y, { optimizer: 'adam', learningRate: 0.05, epochs: 300, batchSize: 6, validation: held }));
        check(history.at(-1)!.cost < history[0]!.cost / 3, `the overfitting run did not fit its training set: ${history[0]!.cost} → ${history.at(-1)!.cost}`);
      });
    },
  },
  {
    name: 'divergence guard, divergent runs: caught within a few epochs with a finite θ — houses unnormalised, mini-batch, stochastic and momentum overshooting',
    async run(gpu) {
      await using(() => [new LinearRegression(gpu.ctx, { normalize: false })], async (model) => {
        await divergent('houses unnormalised, gradient descent', 1, () => model.fit(HOUSES.x, HOUSES.y, { learningRate: 0.1, epochs: 50 }), () => model.getTheta());
      });
      await using(() => [new LinearRegression(gpu.ctx)], async (model) => {
        await divergent('houses normalised, gradient descent α 2.5', 30, () => model.fit(HOUSES.x, HOUSES.y, { learningRate: 2.5, epochs: 60 }), () => model.getTheta(), true);
      });
      const line = linearData(4, 40, 3, 0.1);
      const runs: [string, number, TrainOptions][] = [
        ['mini-batch gradient descent α 10', 5, { learningRate: 10, batchSize: 4, epochs: 50 }],
        ['stochastic gradient descent α 10', 5, { learningRate: 10, batchSize: 1, epochs: 50 }],
        ['momentum α 5', 5, { optimizer: 'momentum', learningRate: 5, batchSize: 8, epochs: 50 }],
        ['full-batch momentum α 20', 5, { optimizer: 'momentum', learningRate: 20, epochs: 50 }],
      ];
      for (const [name, within, options] of runs) {
        await using(() => [new LinearRegression(gpu.ctx, { normalize: false })], async (model) => {
          await divergent(name, within, () => model.fit(line.x, line.y, options), () => model.getTheta());
        });
      }
    },
  },
];

export const divergenceCases: GpuCase[] = cases;
