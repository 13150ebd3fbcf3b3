// Mini-batch assembly on the GPU: shaders/batch_gather.wgsl copies one batch's rows, in the
// epoch's seeded order, from a chunk of the training set into the batch buffers. The order's
// TypeScript twin is src/train/shuffle.ts.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import shuffleLib from '../../shaders/lib/shuffle.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import batchGatherWgsl from '../../shaders/batch_gather.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, grid1d, withUniform } from '../gpu/kernel.js';
import { wgslConstant } from '../gpu/wgsl.js';
import type { StepTable } from '../train/step-table.js';

export const BATCH_GATHER: KernelSpec = { name: 'batch_gather', sources: [elementwiseLib, shuffleLib, stepLib, batchGatherWgsl], dynamic: ['step'] };

const WORKGROUP_SIZE = 256;
/** Columns one invocation copies, as batch_gather.wgsl declares it. */
export const GATHER_COLS = wgslConstant(batchGatherWgsl, 'GATHER_COLS');

/** batch_gather.wgsl's grid for `batch` rows of `cols` columns. */
export function gatherGrid(batch: number, cols: number, limits: GPUSupportedLimits): [number, number, number] {
  return grid1d(batch * Math.ceil(cols / GATHER_COLS), WORKGROUP_SIZE, limits.maxComputeWorkgroupsPerDimension, 'options.batchSize');
}

export interface GatherBinding {
  label: string;
  /** The chunk: its design-matrix rows, targets, first example and row count. */
  chunk: { start: number; rows: number; x: GPUBuffer; y: GPUBuffer };
  /** This part of the batch: `rows` rows from batch row `start` into xBatch and yBatch. */
  rows: number;
  start: number;
  xBatch: GPUBuffer;
  yBatch: GPUBuffer;
  /** Columns of x̃ and the training set's size m. */
  cols: number;
  examples: number;
  shuffle: boolean;
  seed: number;
  steps: StepTable;
  /** Training sets of `examples` rows one after another in the chunk (folds trained as one; default 1): each set's rows of the batch after the set before's. */
  sets?: number;
}

/** The gather's pipeline. */
export function gatherPipeline(ctx: GpuContext): Promise<GPUComputePipeline> {
  return ctx.kernel(BATCH_GATHER).pipeline({ WORKGROUP_SIZE });
}

/** One chunk's share of a batch part, built once; its uniform is `params` (the caller frees it). */
export async function createBatchGather(ctx: GpuContext, b: GatherBinding): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const kernel = ctx.kernel(BATCH_GATHER);
  const values = {
    batch: b.rows, batch_start: b.start, cols: b.cols, examples: b.examples, chunk_start: b.chunk.start, chunk_rows: b.chunk.rows,
    shuffle: b.shuffle ? 1 : 0, seed: b.seed, sets: b.sets ?? 1,
  };
  return withUniform(ctx, `${b.label} params`, kernel.params(values), async (params) => ({
    label: b.label,
    pipeline: await gatherPipeline(ctx),
    bindGroups: kernel.bindGroups({ x: b.chunk.x, y: b.chunk.y, x_batch: b.xBatch, y_batch: b.yBatch, params, step: b.steps.binding }, b.label),
    workgroups: gatherGrid(b.rows * (b.sets ?? 1), b.cols, ctx.limits),
    dynamicGroup: kernel.dynamicGroup,
  }));
}
