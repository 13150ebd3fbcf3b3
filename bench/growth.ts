// Growth with data: training throughput of the 400-25-10 network as the training set grows from
// 1,000 to 200,000 examples, at full batch and at batch 100 — the curve the README reports, and
// how far 200k falls from 1k (the goal: within 10 %). Each point trains the same number of
// examples in all (epochs = total / m), from host arrays to Θ read back, so fixed costs weigh the
// same; the data are drawn once and sliced.
//
//   npm run bench -- --only growth [--quick]

import type { GpuContext } from '../src/gpu/context.js';
import { Random } from '../src/random.js';
import { networkFlops } from './peak.js';
import { LAYERS, fitRate } from './network.js';

const SIZES = [1_000, 10_000, 50_000, 200_000];

export interface GrowthCase {
  name: string;
  unit: 'examples/s';
  ours: number;
  gflops: number;
  /** Throughput relative to the 1k point of the same batch kind. */
  relative: number;
}

export async function runGrowthBench(ctx: GpuContext, o: { quick: boolean }): Promise<GrowthCase[]> {
  const largest = SIZES[SIZES.length - 1]!;
  const rng = new Random(400);
  const all = Float32Array.from(rng.floats(largest * 400, 0, 1));
  const labels = Uint8Array.from({ length: largest }, () => rng.int(0, 9));
  const total = o.quick ? 100_000 : 200_000;
  const rows: GrowthCase[] = [];
  for (const batch of ['full', 100] as const) {
    let first: number | undefined;
    for (const m of SIZES) {
      const x = { rows: m, cols: 400, data: all.subarray(0, m * 400) };
      const y = labels.subarray(0, m);
      const epochs = Math.max(1, Math.round(total / m));
      const rate = await fitRate(ctx, x, y, batch, epochs, o.quick ? 1 : 2);
      first ??= rate;
      const name = `400-25-10, ${m.toLocaleString('en')} examples, batch ${batch}`;
      rows.push({ name, unit: 'examples/s', ours: rate, gflops: (rate * networkFlops(LAYERS)) / 1e9, relative: rate / first });
      console.log(`${name.padEnd(46)} ${rate.toFixed(0).padStart(7)} examples/s  (${epochs} epochs)  ${(100 * (rate / first - 1)).toFixed(1)} % against 1k`);
    }
  }
  return rows;
}
