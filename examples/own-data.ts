// The README's "your own problem" example, run as a test in Node and in Chromium
// (test/cases/embedding.cases.ts): a classifier with string labels, a validation split and early
// stopping, evaluated and saved; and a network for regression. In an app: import { … } from 'wgsl-learn'.

import { type GpuContext, NeuralNetwork, load } from '../src/index.js';

/** Flowers by two measurements (petal length, width), a tiny Iris-like set. */
export async function classifyFlowers(ctx: GpuContext, x: number[][], species: string[]) {
  const net = new NeuralNetwork(ctx, {
    layers: [2, 8, 3], activation: 'tanh', output: 'softmax',
    classes: ['setosa', 'versicolor', 'virginica'],      // y holds these labels; predict returns them
  });
  const run = await net.fit(x, species, {
    optimizer: 'adam', learningRate: 0.05, batchSize: 8, epochs: 300,
    validationSplit: 0.2,                                // a seeded fifth held out, evaluated every epoch
    earlyStopping: { patience: 20 },                     // stop when it stops improving; keep the best Θ
  });
  const report = await net.evaluate(x, species);       // accuracy, confusion matrix, per-class P/R/F1
  const json = await net.toJSON();                     // or net.save('flowers.json' | { indexedDB: 'flowers' })
  const again = (await load(ctx, json)) as NeuralNetwork<string>;
  const predicted = await again.predict([[1.4, 0.2], [4.5, 1.5], [6.0, 2.3]]);
  net.destroy();
  again.destroy();
  return { status: run.status, epochs: run.epochs, report, predicted };
}

/** A real-valued target: a network whose output is linear (squared-error cost). */
export async function fitCurve(ctx: GpuContext, x: number[][], y: number[]) {
  const net = new NeuralNetwork(ctx, { layers: [1, 16, 1], activation: 'tanh', output: 'linear', seed: 1 });
  await net.fit(x, y, { optimizer: 'adam', learningRate: 0.02, batchSize: 16, epochs: 300 });
  const { mean } = await net.cost(x, y);               // ½(h − y)² per example
  const at = await net.predict([[0.5]]);
  net.destroy();
  return { mean, at };
}
