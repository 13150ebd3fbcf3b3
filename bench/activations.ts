// What an activation costs to train: 400-25-10 on 5,000 digit-like examples at batch 100, each
// registered activation's examples/s against sigmoid's, same run and adapter (sigmoid's row is
// its own baseline, 1.00×). The activations whose g′ needs z (swish, GELU, mish, softplus) keep
// the hidden layer's z in the forward epilogue and read it back in the δ epilogue: what that
// costs is the ratio here.
//
//   npm run bench -- --only activations [--quick]

import { ACTIVATION_NAMES, type ActivationName } from '../src/activations.js';
import type { GpuContext } from '../src/gpu/context.js';
import { NeuralNetwork } from '../src/models/network.js';
import { LAYERS, data } from './network.js';
import { median } from './timing.js';

export interface ActivationBenchCase {
  name: string;
  unit: 'examples/s';
  ours: number;
  baseline: number;
  baselineName: string;
}

/** Examples per second of whole fits (host arrays to Θ read back) with hidden units of `g`. */
async function rate(ctx: GpuContext, d: ReturnType<typeof data>, g: ActivationName, epochs: number, runs: number): Promise<number> {
  const seconds = await median(runs, async () => {
    const network = new NeuralNetwork(ctx, { layers: LAYERS, activation: g, seed: 1 });
    try {
      // α small enough that no activation diverges (an identity layer does at 0.5): a fit that stops early would time less work.
      await network.fit(d.x, d.y, { learningRate: 0.01, epochs, batchSize: 100, shuffle: false, optimizer: 'sgd', checkpointEvery: 0 });
      await network.getTheta();
    } finally {
      network.destroy();
    }
  });
  return (epochs * d.x.rows) / seconds;
}

export async function runActivationBench(ctx: GpuContext, o: { quick: boolean }): Promise<ActivationBenchCase[]> {
  const d = data();
  const runs = o.quick ? 2 : 5;
  const epochs = o.quick ? 1 : 2;
  const rows: ActivationBenchCase[] = [];
  // Sigmoid is measured again beside each activation: this machine's speed drifts over a run by
  // more than the differences measured here, and the ratio of two fits back to back does not.
  for (const g of ACTIVATION_NAMES) {
    const sigmoid = await rate(ctx, d, 'sigmoid', epochs, runs);
    const ours = g === 'sigmoid' ? sigmoid : await rate(ctx, d, g, epochs, runs);
    const name = `400-25-10 of ${g} units, batch 100`;
    rows.push({ name, unit: 'examples/s', ours, baseline: sigmoid, baselineName: 'sigmoid units, measured just before' });
    console.log(`${name.padEnd(40)} ${ours.toFixed(0).padStart(7)} examples/s  ×${(ours / sigmoid).toFixed(2)} of sigmoid (${sigmoid.toFixed(0)} just before)`);
  }
  return rows;
}
