// The confusion matrix on the GPU: shaders/confusion.wgsl counts, per true class, the classes
// predict() would give, chunk by chunk, into a C × C buffer (C = max(K, 2)) read back once. A
// classifier of more than MAX_DENSE_CLASSES classes — whose C × C matrix would take gigabytes
// — has each example's predicted class written instead (the kernel's PREDICTIONS mode) and its
// per-class counts made on the CPU, in memory proportional to m + C.

import confusionWgsl from '../../shaders/confusion.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, encodePass, withUniform } from '../gpu/kernel.js';
import { wgslConstant } from '../gpu/wgsl.js';

export const CONFUSION: KernelSpec = { name: 'confusion', sources: [confusionWgsl] };
const WORKGROUP = wgslConstant(confusionWgsl, 'WORKGROUP');

/** The most classes whose confusion matrix is made (4,096²: 128 MiB as numbers); past it, the per-class counts alone. */
export const MAX_DENSE_CLASSES = 4096;

/** Per class: its examples, the examples predicted as it, and those both (what a classifier too large for the matrix is evaluated from). */
export interface Counts {
  support: Float64Array;
  predicted: Float64Array;
  hits: Float64Array;
}

type Chunk = { h: GPUBuffer; y: GPUBuffer; rows: number };

/** Runs the kernel over every chunk into `out` (C × C counts, or with `predictions` each chunk's predicted classes into its own buffer). */
async function dispatch(ctx: GpuContext, label: string, classes: number, chunks: readonly Chunk[], out: (i: number) => GPUBuffer, predictions: boolean): Promise<void> {
  const kernel = ctx.kernel(CONFUSION);
  const n = Math.max(classes, 2);
  const uniforms: GPUBuffer[] = [];
  try {
    const dispatches: Dispatch[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const { dispatch, params } = await withUniform(ctx, `${label} confusion params ${i}`, kernel.params({ rows: chunk.rows, classes }), async (params) => ({
        label: `${label} confusion ${i}`,
        pipeline: await kernel.pipeline({ ACCUMULATE: i > 0, PREDICTIONS: predictions }),
        bindGroups: kernel.bindGroups({ h: chunk.h, y: chunk.y, counts: out(i), params }, `${label} confusion ${i}`),
        workgroups: [Math.ceil((predictions ? chunk.rows : n) / WORKGROUP), 1, 1],
      }));
      uniforms.push(params);
      dispatches.push(dispatch);
    }
    await ctx.submit(`${label} confusion`, (enc) => encodePass(enc, `${label} confusion`, dispatches));
  } finally {
    for (const b of uniforms) ctx.release(b);
  }
}

/**
 * The confusion matrix of `chunks` (`h` each chunk's outputs, rows × K; `y` its labels) — C × C,
 * row t the examples of true class t — or, past MAX_DENSE_CLASSES classes, the per-class counts.
 */
export async function confusionCounts(ctx: GpuContext, label: string, classes: number, chunks: readonly Chunk[]): Promise<number[][] | Counts> {
  const n = Math.max(classes, 2);
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC;
  if (n <= MAX_DENSE_CLASSES) {
    const matrix = ctx.createBuffer(`${label} confusion`, n * n * 4, usage);
    try {
      await dispatch(ctx, label, classes, chunks, () => matrix, false);
      const flat = await ctx.read(matrix);
      return Array.from({ length: n }, (_, t) => Array.from(flat.subarray(t * n, (t + 1) * n)));
    } finally {
      ctx.release(matrix);
    }
  }
  const counts: Counts = { support: new Float64Array(n), predicted: new Float64Array(n), hits: new Float64Array(n) };
  const made = chunks.map((c, i) => ctx.createBuffer(`${label} predicted classes ${i}`, c.rows * 4, usage));
  try {
    await dispatch(ctx, label, classes, chunks, (i) => made[i]!, true);
    for (const [i, chunk] of chunks.entries()) {
      const [p, y] = await Promise.all([ctx.read(made[i]!), ctx.read(chunk.y, 0, chunk.rows)]);
      for (let r = 0; r < chunk.rows; r++) {
        const [t, said] = [Math.min(y[r]!, n - 1), p[r]!];
        counts.support[t] = counts.support[t]! + 1;
        counts.predicted[said] = counts.predicted[said]! + 1;
        if (t === said) counts.hits[t] = counts.hits[t]! + 1;
      }
    }
  } finally {
    for (const b of made) ctx.release(b);
  }
  return counts;
}
