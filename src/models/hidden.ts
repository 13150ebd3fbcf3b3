// A hidden layer's activations a⁽ˡ⁾ for a set of inputs, written into the app's buffer on the
// GPU, transposed: s rows of m values, so unit j's outputs over the examples lie together (row
// j) — what a heat map of one hidden unit over a grid of points draws straight from, with no
// readback (the playground's per-unit maps). The transpose is the matmul kernel's: Aᵀ = I·Aᵀ,
// chunk by chunk into the columns of the target.

import type { GpuContext } from '../gpu/context.js';
import type { GpuMatrix } from '../gpu/matrix.js';
import { type MatmulOp, createMatmul } from '../kernels/matmul.js';

/** Where hiddenInto writes one hidden layer: a⁽ˡ⁾ᵀ into `buffer` from element `offset` (default 0). */
export interface HiddenTarget {
  layer: number;
  buffer: GPUBuffer;
  offset?: number;
}

/** One chunk of examples: its hidden layer, rows × (s + 1) with the bias unit in column 0, and where it starts. */
export interface HiddenChunk {
  hidden: GpuMatrix;
  start: number;
}

/** Writes a⁽ˡ⁾ᵀ (s × m, row-major) of the chunks into `target` from element `offset`. */
export async function copyHiddenTransposed(ctx: GpuContext, label: string, chunks: readonly HiddenChunk[], s: number, m: number, target: { buffer: GPUBuffer; offset: number }): Promise<void> {
  const identity = new Float32Array(s * s);
  for (let j = 0; j < s; j++) identity[j * s + j] = 1;
  const eye = ctx.upload(`${label} identity`, identity);
  const ops: MatmulOp[] = [];
  try {
    for (const { hidden, start } of chunks) {
      const c: GpuMatrix = { buffer: target.buffer, rows: s, cols: hidden.rows, offset: target.offset + start, stride: m };
      const units: GpuMatrix = { ...hidden, cols: s, offset: (hidden.offset ?? 0) + 1, stride: s + 1 };
      ops.push(await createMatmul(ctx, c, { buffer: eye, rows: s, cols: s }, units, { transB: true }));
    }
    await ctx.submit(`${label} hidden layer`, (enc) => {
      const pass = enc.beginComputePass({ label: `${label} hidden layer` });
      for (const op of ops) op.encode(pass);
      pass.end();
    });
  } finally {
    for (const op of ops) op.destroy();
    ctx.release(eye);
  }
}
