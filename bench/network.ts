// Neural-network training benchmark: the lecture's 400-25-10 network (sigmoid units, K
// one-vs-all sigmoid outputs, plain gradient descent) on 5,000 examples, at full batch and at
// batch 100, against @tensorflow/tfjs-backend-webgpu training the same network with SGD on the
// same adapter in the same run, and against @tensorflow/tfjs's CPU backend.
//
//   npm run bench -- --only network [--quick] [--skip-cpu] [--json results.json]
//
// Examples per second over whole epochs (higher is better), median of several timed fits after
// a warm-up fit. Each timed fit starts from host arrays and ends with the weights read back.
// tfjs runs the textbook loop: optimizer.minimize(loss) per batch, no readback until the end.

import * as tf from '@tensorflow/tfjs';
import type { GpuContext } from '../src/gpu/context.js';
import { NeuralNetwork } from '../src/models/network.js';
import { Random } from '../src/random.js';
import { networkFlops } from './peak.js';
import { median } from './timing.js';

export const LAYERS = [400, 25, 10];
const M = 5000;

export interface NetworkBenchCase {
  name: string;
  unit: 'examples/s';
  ours: number;
  /** Arithmetic done at our speed (networkFlops per example), for the fraction of the adapter's peak. */
  gflops: number;
  tfjsWebgpu: number;
  tfjsCpu: number | null;
}

export function data() {
  const rng = new Random(400);
  const x = { rows: M, cols: 400, data: Float32Array.from(rng.floats(M * 400, 0, 1)) };
  const y = Uint8Array.from({ length: M }, () => rng.int(0, 9));
  return { x, y };
}

/**
 * Examples per second of whole fits of 400-25-10 on (x, y) — the median of `runs` after a warm-up,
 * each from host arrays to Θ read back — by the descent tfjs runs: plain gradient descent
 * ('sgd'; a network's default is Adam), no checkpoints.
 */
export async function fitRate(ctx: GpuContext, x: { rows: number; cols: number; data: Float32Array }, y: Uint8Array, batch: number | 'full', epochs: number, runs: number): Promise<number> {
  const seconds = await median(runs, async () => {
    const network = new NeuralNetwork(ctx, { layers: LAYERS, seed: 1 });
    try {
      await network.fit(x, y, { learningRate: 0.5, epochs, batchSize: batch, shuffle: false, optimizer: 'sgd', checkpointEvery: 0 });
      await network.getTheta();
    } finally {
      network.destroy();
    }
  });
  return (epochs * x.rows) / seconds;
}

export async function tfjs(d: ReturnType<typeof data>, batch: number, epochs: number, runs: number): Promise<number> {
  const seconds = await median(runs, async () => {
    const X = tf.tensor2d(d.x.data, [M, 400]);
    const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(d.y), 'int32'), 10).toFloat());
    const rng = new Random(1);
    const w1 = tf.variable(tf.tensor2d(Float32Array.from(rng.floats(400 * 25, -0.12, 0.12)), [400, 25]));
    const b1 = tf.variable(tf.zeros([25]));
    const w2 = tf.variable(tf.tensor2d(Float32Array.from(rng.floats(25 * 10, -0.12, 0.12)), [25, 10]));
    const b2 = tf.variable(tf.zeros([10]));
    const optimizer = tf.train.sgd(0.5);
    try {
      for (let e = 0; e < epochs; e++) {
        for (let s = 0; s < M; s += batch) {
          const count = Math.min(batch, M - s);
          optimizer.minimize(() => {
            const xb = X.slice([s, 0], [count, 400]);
            const yb = Y.slice([s, 0], [count, 10]);
            const a2 = tf.sigmoid(tf.add(tf.matMul(xb, w1), b1));
            const z3 = tf.add(tf.matMul(a2, w2), b2);
            return tf.losses.sigmoidCrossEntropy(yb, z3) as tf.Scalar;
          });
        }
      }
      await w1.data();
    } finally {
      for (const t of [X, Y, w1, b1, w2, b2]) t.dispose();
      optimizer.dispose();
    }
  });
  return (epochs * M) / seconds;
}

export async function runNetworkBench(ctx: GpuContext, o: { quick: boolean; skipCpu: boolean }): Promise<NetworkBenchCase[]> {
  const d = data();
  const runs = o.quick ? 2 : 5;
  const rows: NetworkBenchCase[] = [];
  for (const [batch, epochs] of [[M, o.quick ? 5 : 10], [100, o.quick ? 1 : 2]] as const) {
    const name = `400-25-10, ${M} examples, batch ${batch === M ? `${M} (full)` : batch}`;
    const a = await fitRate(ctx, d.x, d.y, batch, epochs, runs);
    await tf.setBackend('webgpu');
    const b = await tfjs(d, batch, epochs, runs);
    let c: number | null = null;
    if (!o.skipCpu) {
      await tf.setBackend('cpu');
      c = await tfjs(d, batch, epochs, o.quick ? 1 : 3);
    }
    rows.push({ name, unit: 'examples/s', ours: a, gflops: (a * networkFlops(LAYERS)) / 1e9, tfjsWebgpu: b, tfjsCpu: c });
    console.log(`${name.padEnd(44)} ours ${a.toFixed(0).padStart(7)}  tfjs-webgpu ${b.toFixed(0).padStart(7)}  tfjs-cpu ${c === null ? '—' : c.toFixed(0).padStart(7)}  ×webgpu ${(a / b).toFixed(2)}${c === null ? '' : `  ×cpu ${(a / c).toFixed(2)}`}`);
  }
  await tf.setBackend('webgpu');
  return rows;
}
