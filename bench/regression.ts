// Training benchmark: wgsl-learn's regression models (the whole scheduler: gather, forward,
// head, backward, update, epoch end) against the same mini-batch gradient descent written with
// @tensorflow/tfjs-backend-webgpu ops, on the same adapter in the same run.
//
//   npm run bench -- --only regression [--quick] [--json results.json]
//
// Epochs per second (higher is better), median of several timed fits. Each timed fit starts
// from host arrays and ends with Θ read back, for both libraries; the first fit of each case
// (pipeline compilation) is not timed. Both visit examples in data order.

import * as tf from '@tensorflow/tfjs';
import type { GpuContext } from '../src/gpu/context.js';
import { LinearRegression } from '../src/models/linear.js';
import { SoftmaxRegression } from '../src/models/softmax.js';
import { Random } from '../src/random.js';
import { median } from './timing.js';

interface Case {
  name: string;
  head: 'linear' | 'softmax';
  m: number;
  n: number;
  K: number;
  batch: number;
  epochs: number;
}

const CASES: Case[] = [
  { name: 'softmax 5000×400, K 10, batch 100', head: 'softmax', m: 5000, n: 400, K: 10, batch: 100, epochs: 3 },
  { name: 'softmax 5000×400, K 10, full batch', head: 'softmax', m: 5000, n: 400, K: 10, batch: 5000, epochs: 10 },
  { name: 'linear 1000×20, stochastic (batch 1)', head: 'linear', m: 1000, n: 20, K: 1, batch: 1, epochs: 1 },
  { name: 'linear 5 houses, full batch', head: 'linear', m: 5, n: 2, K: 1, batch: 5, epochs: 200 },
];

function data(c: Case): { x: number[][]; y: number[] } {
  const rng = new Random(c.m + c.n);
  const x = Array.from({ length: c.m }, () => Array.from(rng.floats(c.n)));
  const y = x.map((row) => (c.head === 'softmax' ? rng.int(0, c.K - 1) : row.reduce((s, v) => s + v, 0)));
  return { x, y };
}

async function ours(ctx: GpuContext, c: Case, d: { x: number[][]; y: number[] }, runs: number): Promise<number> {
  return median(runs, async () => {
    const model = c.head === 'softmax' ? new SoftmaxRegression(ctx, { classes: c.K, normalize: false }) : new LinearRegression(ctx, { normalize: false });
    try {
      await model.fit(d.x, d.y, { learningRate: 0.01, epochs: c.epochs, batchSize: c.batch, shuffle: false });
      await model.getTheta();
    } finally {
      model.destroy();
    }
  });
}

async function tfjs(c: Case, d: { x: number[][]; y: number[] }, runs: number): Promise<number> {
  return median(runs, async () => {
    const X = tf.tidy(() => tf.concat([tf.ones([c.m, 1]), tf.tensor2d(d.x)], 1));
    const Y = tf.tidy(() => (c.head === 'softmax' ? tf.oneHot(tf.tensor1d(d.y, 'int32'), c.K).toFloat() : tf.tensor2d(d.y, [c.m, 1])));
    const theta = tf.variable(tf.zeros([c.n + 1, c.K]));
    try {
      for (let e = 0; e < c.epochs; e++) {
        for (let s = 0; s < c.m; s += c.batch) {
          const count = Math.min(c.batch, c.m - s);
          tf.tidy(() => {
            const xb = X.slice([s, 0], [count, c.n + 1]);
            const yb = Y.slice([s, 0], [count, c.K]);
            const z = tf.matMul(xb, theta);
            const h = c.head === 'softmax' ? tf.softmax(z) : z;
            const g = tf.matMul(xb, tf.sub(h, yb), true, false).div(count);
            theta.assign(tf.sub(theta, tf.mul(g, 0.01)));
          });
        }
      }
      await theta.data();
    } finally {
      X.dispose();
      Y.dispose();
      theta.dispose();
    }
  });
}

export interface RegressionBenchCase {
  name: string;
  unit: 'epochs/s';
  ours: number;
  tfjsWebgpu: number;
}

export async function runRegressionBench(ctx: GpuContext, o: { quick: boolean }): Promise<RegressionBenchCase[]> {
  const runs = o.quick ? 2 : 5;
  await tf.setBackend('webgpu');
  const rows: RegressionBenchCase[] = [];
  for (const c of CASES) {
    const d = data(c);
    const a = c.epochs / (await ours(ctx, c, d, runs));
    const b = c.epochs / (await tfjs(c, d, runs));
    rows.push({ name: c.name, unit: 'epochs/s', ours: a, tfjsWebgpu: b });
    console.log(`${c.name.padEnd(40)} ours ${a.toFixed(3).padStart(9)}  tfjs-webgpu ${b.toFixed(3).padStart(9)}  ×${(a / b).toFixed(2)}`);
  }
  return rows;
}
