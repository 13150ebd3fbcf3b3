// What the demo's live training costs, each against the baseline it replaces, same run and
// adapter:
//
//   npm run bench -- --only live [--quick] [--json results.json]
//
//   validation      examples/s training the demo's 400-25-10 (softmax, Adam, batch 100) on the
//                   8,000 training digits while evaluating the 2,000 test digits on the GPU
//                   after every epoch, vs the same fit without validation (the ratio is the
//                   price of the live test-accuracy curve)
//   history plot    frames/s drawing 4 line series of a 1,000-epoch history from its GPU
//                   buffer into a 760 × 460 target, vs reading that history back (the least a
//                   CPU-drawn plot needs, before drawing anything)
//   hidden units    frames/s drawing Θ⁽¹⁾'s 25 rows as 20×20 tiles (460 × 460), vs reading Θ⁽¹⁾ back
//   copy present    frames/s of the history plot when frames are copied to a 2-D canvas
//                   (PlotCanvas present: 'copy': render + frame readback), vs the same plot
//                   rendered without readback
//
// Frames are timed to the GPU's completion (queue.onSubmittedWorkDone); readbacks to the data
// on the CPU.

import { readFileSync } from 'node:fs';
import type { GpuContext } from '../src/gpu/context.js';
import { BufferUsage, MapMode, TextureUsage } from '../src/gpu/flags.js';
import { parseDigits } from '../src/data/digits.js';
import { NeuralNetwork } from '../src/models/network.js';
import { Plotter } from '../src/plot/plotter.js';
import { Random } from '../src/random.js';
import { median } from './timing.js';

export interface LiveBenchCase {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  baselineName: string;
}

/** Calls per second of `once`, over about `seconds` after a warm-up call. */
async function rate(seconds: number, once: () => Promise<void>): Promise<number> {
  await once();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || n < 3) {
    await once();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** Training with the test set evaluated every epoch (the demo's curves) against training without it. */
async function validationRow(ctx: GpuContext, o: { quick: boolean }): Promise<LiveBenchCase> {
  const digits = parseDigits(readFileSync(new URL('../demo/public/digits-20x20.bin', import.meta.url)));
  const epochs = o.quick ? 1 : 3;
  const runs = o.quick ? 1 : 3;
  const fit = (validation: boolean) =>
    median(runs, async () => {
      const network = new NeuralNetwork(ctx, { layers: [400, 25, 10], output: 'softmax', seed: 0 });
      try {
        await network.fit(digits.train.x, digits.train.y, {
          epochs, batchSize: 100, optimizer: 'adam', learningRate: 0.01, lambda: 1, ...(validation ? { validation: digits.test } : {}),
        });
      } finally {
        network.destroy();
      }
    });
  const m = digits.train.x.rows * epochs;
  const withValidation = m / (await fit(true));
  const without = m / (await fit(false));
  console.log(`validation: ${withValidation.toFixed(0)} vs ${without.toFixed(0)} examples/s`);
  return { name: 'training with validation each epoch', unit: 'examples/s', ours: withValidation, baseline: without, baselineName: 'without validation' };
}

export async function runLiveBench(ctx: GpuContext, o: { quick: boolean }): Promise<LiveBenchCase[]> {
  const rows: LiveBenchCase[] = [await validationRow(ctx, o)];
  const seconds = o.quick ? 0.5 : 2;
  const plotter = new Plotter(ctx, 'rgba8unorm');
  const rng = new Random(5);
  const history = ctx.upload('bench history', Float32Array.from(rng.floats(4000, 0, 1)));
  const network = new NeuralNetwork(ctx, { layers: [400, 25, 10], seed: 1 });
  const textures: GPUTexture[] = [];
  const target = (w: number, h: number) => {
    const t = ctx.device.createTexture({ label: 'bench plot target', size: [w, h], format: 'rgba8unorm', usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC });
    textures.push(t);
    return t;
  };
  try {
    const chart = target(760, 460);
    const lines = plotter.lines({
      rect: { x: 96, y: 16, width: 640, height: 396 }, x: [0, 1000], y: [0, 1],
      series: [0, 1, 2, 3].map((c) => ({ buffer: history, offset: c, stride: 4, count: 1000, x0: 1, color: [c / 4, 0.3, 0.6] as const, width: 4 })),
    });
    const draw = async () => {
      plotter.render(chart, [lines]);
      await ctx.device.queue.onSubmittedWorkDone();
    };
    const drawn = await rate(seconds, draw);
    const read = await rate(seconds, async () => void (await ctx.read(history)));
    rows.push({ name: 'history plot (4 × 1,000 points)', unit: 'frames/s', ours: drawn, baseline: read, baselineName: 'history readback' });

    const view = network.weightsView(1);
    const grid = target(460, 460);
    const tiles = plotter.imageGrid({ rect: { x: 0, y: 0, width: 460, height: 460 }, buffer: view.buffer, offset: 1, stride: view.cols, tiles: 25, side: 20, columns: 5, range: 'per-tile' });
    const unitsDrawn = await rate(seconds, async () => {
      plotter.render(grid, [tiles]);
      await ctx.device.queue.onSubmittedWorkDone();
    });
    const unitsRead = await rate(seconds, async () => void (await ctx.read(view.buffer, 0, view.rows * view.cols)));
    rows.push({ name: 'hidden units (25 tiles of 20×20)', unit: 'frames/s', ours: unitsDrawn, baseline: unitsRead, baselineName: 'Θ⁽¹⁾ readback' });

    const bytesPerRow = Math.ceil((760 * 4) / 256) * 256;
    const staging = ctx.device.createBuffer({ label: 'bench frame readback', size: bytesPerRow * 460, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    try {
      const copied = await rate(seconds, async () => {
        plotter.render(chart, [lines]);
        const enc = ctx.device.createCommandEncoder({ label: 'bench frame copy' });
        enc.copyTextureToBuffer({ texture: chart }, { buffer: staging, bytesPerRow }, [760, 460]);
        ctx.device.queue.submit([enc.finish()]);
        await staging.mapAsync(MapMode.READ);
        staging.unmap();
      });
      rows.push({ name: "history plot, present: 'copy'", unit: 'frames/s', ours: copied, baseline: drawn, baselineName: "present: 'webgpu' (no readback)" });
    } finally {
      staging.destroy();
    }
    for (const r of rows.slice(1)) console.log(`${r.name}: ${r.ours.toFixed(0)} vs ${r.baselineName} ${r.baseline.toFixed(0)} ${r.unit}`);
  } finally {
    for (const t of textures) t.destroy();
    network.destroy();
    ctx.release(history);
    plotter.destroy();
  }
  return rows;
}
