// What batching models' kernels would gain (issue 25's design, docs/benchmarks.md): the two
// products that are most of a batch-100 step of 400-25-10 — the first layer's forward product
// x̃Θ⁽¹⁾ᵀ and its gradient δ⁽²⁾ᵀx̃ — for K models on one shared mini-batch, run as K products
// (what K fits dispatch) against one product over the K models' Θ⁽¹⁾ stacked row after row
// (K·25 rows: one dispatch, a wider product). Each element of C is summed in the same order
// whatever C's width, so the stacked product must give the K products' bits exactly: the run
// fails if one element differs.
//
//   npm run bench -- --only stacking [--quick]

import type { GpuContext } from '../src/gpu/context.js';
import { BufferUsage } from '../src/gpu/flags.js';
import { encodePass } from '../src/gpu/kernel.js';
import type { GpuMatrix } from '../src/gpu/matrix.js';
import { type MatmulOp, createMatmul } from '../src/kernels/matmul.js';
import { Random } from '../src/random.js';
import { median } from './timing.js';

export interface StackingBenchCase {
  name: string;
  unit: 'GFLOP/s';
  ours: number;
  baseline: number;
  baselineName: string;
  gflops: number;
}

const ROWS = 100;
const COLS = 401; // x̃: 400 pixels and the bias unit
const UNITS = 25;

interface Operands {
  x: GPUBuffer;
  theta: GPUBuffer;
  /** δ⁽²⁾ of the K models: as each fit keeps it (K blocks of ROWS × UNITS), and side by side (ROWS × K·UNITS). */
  delta: GPUBuffer;
  deltaWide: GPUBuffer;
  out: GPUBuffer[];
}

function operands(ctx: GpuContext, count: number): Operands {
  const rng = new Random(25);
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
  const filled = (label: string, floats: number) => ctx.upload(`stacking ${label}`, Float32Array.from(rng.floats(floats, -1, 1)));
  const delta = Float32Array.from(rng.floats(count * ROWS * UNITS, -1, 1));
  const wide = new Float32Array(delta.length);
  for (let k = 0; k < count; k++) for (let r = 0; r < ROWS; r++) for (let u = 0; u < UNITS; u++) wide[r * count * UNITS + k * UNITS + u] = delta[k * ROWS * UNITS + r * UNITS + u]!;
  return {
    x: filled('x̃', ROWS * COLS),
    theta: filled('Θ⁽¹⁾ stacked', count * UNITS * COLS),
    delta: ctx.upload('stacking δ⁽²⁾ per model', delta),
    deltaWide: ctx.upload('stacking δ⁽²⁾ side by side', wide),
    out: [['z one by one', ROWS], ['z stacked', ROWS], ['D one by one', COLS], ['D stacked', COLS]].map(([l, per]) => ctx.createBuffer(`stacking ${l}`, count * UNITS * (per as number) * 4, usage)),
  };
}

/** The K models' products one by one (model k's z: block k of ROWS × UNITS; its D: rows k·UNITS…) and the two stacked products. */
async function products(ctx: GpuContext, b: Operands, count: number): Promise<{ each: MatmulOp[]; stacked: MatmulOp[] }> {
  const x: GpuMatrix = { buffer: b.x, rows: ROWS, cols: COLS };
  const each: MatmulOp[] = [];
  for (let k = 0; k < count; k++) {
    const theta: GpuMatrix = { buffer: b.theta, rows: UNITS, cols: COLS, offset: k * UNITS * COLS, stride: COLS };
    each.push(await createMatmul(ctx, { buffer: b.out[0]!, rows: ROWS, cols: UNITS, offset: k * ROWS * UNITS, stride: UNITS }, x, theta, { transB: true }));
    const delta: GpuMatrix = { buffer: b.delta, rows: ROWS, cols: UNITS, offset: k * ROWS * UNITS, stride: UNITS };
    each.push(await createMatmul(ctx, { buffer: b.out[2]!, rows: UNITS, cols: COLS, offset: k * UNITS * COLS, stride: COLS }, delta, x, { transA: true }));
  }
  const stacked = [
    await createMatmul(ctx, { buffer: b.out[1]!, rows: ROWS, cols: count * UNITS }, x, { buffer: b.theta, rows: count * UNITS, cols: COLS }, { transB: true }),
    await createMatmul(ctx, { buffer: b.out[3]!, rows: count * UNITS, cols: COLS }, { buffer: b.deltaWide, rows: ROWS, cols: count * UNITS }, x, { transA: true }),
  ];
  return { each, stacked };
}

/** Fails the run unless the stacked products wrote the K products' bits. */
async function checkSameBits(ctx: GpuContext, b: Operands, count: number): Promise<void> {
  const [zEach, zStacked, dEach, dStacked] = await Promise.all(b.out.map((o) => ctx.read(o)));
  for (let k = 0; k < count; k++) {
    for (let r = 0; r < ROWS; r++) {
      for (let u = 0; u < UNITS; u++) {
        if (!Object.is(zEach![k * ROWS * UNITS + r * UNITS + u], zStacked![r * count * UNITS + k * UNITS + u])) throw new Error(`stacking: model ${k}'s z[${r}][${u}] differs between its own product and the stacked one`);
      }
    }
  }
  for (let i = 0; i < count * UNITS * COLS; i++) {
    if (!Object.is(dEach![i], dStacked![i])) throw new Error(`stacking: D element ${i} differs between the models' own products and the stacked one`);
  }
}

export async function runStackingBench(ctx: GpuContext, o: { quick: boolean }): Promise<StackingBenchCase[]> {
  const rows: StackingBenchCase[] = [];
  for (const count of o.quick ? [8] : [8, 64]) {
    const b = operands(ctx, count);
    const { each, stacked } = await products(ctx, b, count);
    try {
      const time = (ops: MatmulOp[]) => median(o.quick ? 1 : 5, async () => {
        await ctx.submit('stacking', (enc) => encodePass(enc, 'stacking', ops.flatMap((op) => [...op.dispatches])));
        await ctx.device.queue.onSubmittedWorkDone();
      });
      const flops = 2 * 2 * ROWS * COLS * UNITS * count;
      const one = flops / (await time(each)) / 1e9;
      const all = flops / (await time(stacked)) / 1e9;
      await checkSameBits(ctx, b, count);
      const name = `${count} models' x̃Θ⁽¹⁾ᵀ and δ⁽²⁾ᵀx̃, batch ${ROWS}`;
      rows.push({ name, unit: 'GFLOP/s', ours: all, baseline: one, baselineName: `${2 * count} products one by one`, gflops: all });
      console.log(`${name.padEnd(48)} stacked ${all.toFixed(2)} GFLOP/s  one by one ${one.toFixed(2)}  ×${(all / one).toFixed(2)}  (same bits)`);
    } finally {
      for (const op of [...each, ...stacked]) op.destroy();
      for (const buf of [b.x, b.theta, b.delta, b.deltaWide, ...b.out]) ctx.release(buf);
    }
  }
  return rows;
}
