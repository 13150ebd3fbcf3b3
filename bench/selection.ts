// Model selection's benchmark: K models of the lecture's 400-25-10 network (different λ) on 5,000
// digit-like examples, trained together by trainMany (one upload; the same batches, so their fits
// run as one: src/train/group.ts) against the same K fits one after another with fit(), and against K sequential fits of
// tfjs-webgpu and tfjs-cpu training the same network — all in this run, on this adapter.
//
//   npm run bench -- --only selection [--quick] [--skip-cpu] [--json results.json]
//
// Model-examples per second: K × epochs × m over the seconds from host arrays to every Θ read
// back (higher is better); the two are timed alternately, five times each (the median), so the
// machine's drift weighs on both alike, and each pair's ratio is printed. Memory per model: what trainMany counts a model at, and what a fit of
// one allocated at its peak (ctx.stats()).

import * as tf from '@tensorflow/tfjs';
import type { GpuContext } from '../src/gpu/context.js';
import { NeuralNetwork } from '../src/models/network.js';
import { modelBytes } from '../src/select/memory.js';
import { trainMany } from '../src/select/train-many.js';
import type { TrainOptions } from '../src/train/options.js';
import { LAYERS, data, tfjs } from './network.js';
import { pairedMedians } from './timing.js';

export interface SelectionBenchCase {
  name: string;
  unit: 'model-examples/s';
  ours: number;
  baseline: number;
  baselineName: string;
  tfjsWebgpu: number;
  tfjsCpu: number | null;
}

const BATCH = 100;

function options(k: number, epochs: number): TrainOptions {
  return { optimizer: 'sgd', learningRate: 0.5, lambda: [0, 0.01, 0.1, 1][k % 4], epochs, batchSize: BATCH, shuffle: false, checkpointEvery: 0 };
}

const networks = (ctx: GpuContext, count: number) => Array.from({ length: count }, () => new NeuralNetwork(ctx, { layers: LAYERS, seed: 1 }));

/** K models trained together, from host arrays to every Θ read back. */
async function together(ctx: GpuContext, d: ReturnType<typeof data>, count: number, epochs: number): Promise<void> {
  const models = networks(ctx, count);
  try {
    const outcomes = await trainMany(models, d.x, d.y, { train: models.map((_, k) => options(k, epochs)), memoryLimit: 8 * 2 ** 30 });
    for (const o of outcomes) if (!('result' in o)) throw o.error;
    for (const m of models) await m.getTheta();
  } finally {
    for (const m of models) m.destroy();
  }
}

/** The same K fits one after another. */
async function oneByOne(ctx: GpuContext, d: ReturnType<typeof data>, count: number, epochs: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    const [m] = networks(ctx, 1);
    try {
      await m!.fit(d.x, d.y, options(k, epochs));
      await m!.getTheta();
    } finally {
      m!.destroy();
    }
  }
}

/** What a fit of one model allocates at its peak, beside the data. */
async function measuredBytes(ctx: GpuContext, d: ReturnType<typeof data>): Promise<number> {
  const [m] = networks(ctx, 1);
  try {
    const base = ctx.stats().bytes;
    let peak = 0;
    await m!.fit(d.x, d.y, { ...options(0, 2), onEpoch: () => void (peak = Math.max(peak, ctx.stats().bytes - base)) });
    return peak - 4 * d.x.rows * (LAYERS[0]! + 2);
  } finally {
    m!.destroy();
  }
}

export async function runSelectionBench(ctx: GpuContext, o: { quick: boolean; skipCpu: boolean }): Promise<SelectionBenchCase[]> {
  const d = data();
  const m = d.x.rows;
  const epochs = 1;
  const runs = o.quick ? 1 : 5;
  const rows: SelectionBenchCase[] = [];
  const counted = modelBytes(LAYERS, { batch: BATCH, examples: m, validationRows: 0, epochs });
  console.log(`memory per model (400-25-10, batch ${BATCH}): counted ${(counted / 2 ** 20).toFixed(2)} MiB, a fit allocates ${((await measuredBytes(ctx, d)) / 2 ** 20).toFixed(2)} MiB beside the data (${((4 * m * (LAYERS[0]! + 2)) / 2 ** 20).toFixed(1)} MiB, shared)`);
  for (const count of o.quick ? [1, 8] : [1, 8, 64]) {
    const work = count * epochs * m;
    // Alternating, so the machine's drift weighs on both alike.
    const t = await pairedMedians(runs, () => together(ctx, d, count, epochs), () => oneByOne(ctx, d, count, epochs));
    const [a, b] = [work / t.a, work / t.b];
    // tfjs: one model's rate; K sequential fits take K times as long.
    await tf.setBackend('webgpu');
    const w = await tfjs(d, BATCH, epochs, runs);
    let c: number | null = null;
    if (!o.skipCpu) {
      await tf.setBackend('cpu');
      c = await tfjs(d, BATCH, epochs, 1);
    }
    const name = `${count} × 400-25-10, ${m} examples, batch ${BATCH}, ${epochs} epoch`;
    rows.push({ name, unit: 'model-examples/s', ours: a, baseline: b, baselineName: `${count} fits one by one`, tfjsWebgpu: w, tfjsCpu: c });
    console.log(`${name.padEnd(52)} together ${a.toFixed(0).padStart(7)}  one by one ${b.toFixed(0).padStart(7)}  ×${(a / b).toFixed(2)} (run by run ${t.ratios.map((r) => r.toFixed(2)).join(', ')})  tfjs-webgpu ${w.toFixed(0)}  tfjs-cpu ${c === null ? '—' : c.toFixed(0)}`);
  }
  await tf.setBackend('webgpu');
  return rows;
}
