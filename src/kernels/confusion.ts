// The confusion matrix on the GPU: shaders/confusion.wgsl counts, per true class, the classes
// predict() would give, chunk by chunk, into a C × C buffer (C = max(K, 2)) read back once.

import confusionWgsl from '../../shaders/confusion.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, encodePass, withUniform } from '../gpu/kernel.js';
import { wgslConstant } from '../gpu/wgsl.js';

export const CONFUSION: KernelSpec = { name: 'confusion', sources: [confusionWgsl] };
const WORKGROUP = wgslConstant(confusionWgsl, 'WORKGROUP');

/**
 * counts[t][p] over every chunk: `outputs[i]` holds chunk i's h (rows × K), `labels[i]` its
 * labels. Returns the C × C counts, C = max(K, 2), row t the examples of true class t.
 */
export async function confusionMatrix(ctx: GpuContext, label: string, classes: number, chunks: readonly { h: GPUBuffer; y: GPUBuffer; rows: number }[]): Promise<number[][]> {
  const n = Math.max(classes, 2);
  const kernel = ctx.kernel(CONFUSION);
  const counts = ctx.createBuffer(`${label} confusion`, n * n * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
  const uniforms: GPUBuffer[] = [];
  try {
    const dispatches: Dispatch[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const { dispatch, params } = await withUniform(ctx, `${label} confusion params ${i}`, kernel.params({ rows: chunk.rows, classes }), async (params) => ({
        label: `${label} confusion ${i}`,
        pipeline: await kernel.pipeline({ ACCUMULATE: i > 0 }),
        bindGroups: kernel.bindGroups({ h: chunk.h, y: chunk.y, counts, params }, `${label} confusion ${i}`),
        workgroups: [Math.ceil(n / WORKGROUP), 1, 1],
      }));
      uniforms.push(params);
      dispatches.push(dispatch);
    }
    await ctx.submit(`${label} confusion`, (enc) => encodePass(enc, `${label} confusion`, dispatches));
    const flat = await ctx.read(counts);
    return Array.from({ length: n }, (_, t) => Array.from(flat.subarray(t * n, (t + 1) * n)));
  } finally {
    for (const b of [counts, ...uniforms]) ctx.release(b);
  }
}
