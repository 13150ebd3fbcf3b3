// The output layer on the GPU: shaders/output_delta.wgsl. From the last layer's z, the
// hypothesis h, each example's cost, and δ⁽ᴸ⁾ = (h − y)/count for backward (or h alone when
// predicting). Float64 oracle: the heads of src/reference/regression.ts.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import sigmoidLib from '../../shaders/lib/sigmoid.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import outputDeltaWgsl from '../../shaders/output_delta.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, grid1d, withUniform } from '../gpu/kernel.js';
import type { HeadName } from '../reference/regression.js';
import { batchGrid } from '../gpu/strided.js';
import type { StepTable } from '../train/step-table.js';

export const OUTPUT_DELTA: KernelSpec = { name: 'output_delta', sources: [elementwiseLib, sigmoidLib, stepLib, outputDeltaWgsl], dynamic: ['step'] };

/** Rows per workgroup: rows are few and each does K-wide work. */
const WORKGROUP_SIZE = 64;

export interface OutputDeltaBinding {
  label: string;
  head: HeadName;
  /** rows × K logits of the last layer (a whole buffer, or a binding's range of one). */
  z: GPUBuffer | GPUBufferBinding;
  /** The batch's targets, from element yOffset. */
  y: GPUBuffer;
  yOffset: number;
  /** rows × K: receives δ⁽ᴸ⁾ when training, h with `predict`. */
  deltaOrH: GPUBuffer | GPUBufferBinding;
  /** m floats each: every example's cost and right/wrong at its place in the epoch. */
  loss: GPUBuffer;
  correct: GPUBuffer;
  rows: number;
  classes: number;
  /** Index in the batch of the first row (a full batch's later chunks). */
  rowOffset: number;
  steps: StepTable;
  /** Write h only. */
  predict: boolean;
  /**
   * Models trained as one: `count` output layers in one dispatch, model p's z and δ (h) `rows`
   * elements after model p − 1's, its loss and correct `examples` elements after. With `sets`,
   * the models of several training sets (folds), `per` models a set: model p reads the targets of
   * set ⌊p / per⌋, `y` elements after the set before's.
   */
  batch?: { count: number; rows: number; examples: number; sets?: { per: number; y: number } };
}

/** The output layer's pipeline for `head`, training (δ, cost) or `predict` (h only). */
export function outputDeltaPipeline(ctx: GpuContext, head: HeadName, predict: boolean): Promise<GPUComputePipeline> {
  const kernel = ctx.kernel(OUTPUT_DELTA);
  return kernel.pipeline({ HEAD: kernel.constant(`HEAD_${head.toUpperCase()}`), PREDICT: predict, WORKGROUP_SIZE });
}

/** The output layer's dispatch, built once; its uniform is `params` (the caller frees it). */
export async function createOutputDelta(ctx: GpuContext, b: OutputDeltaBinding): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const kernel = ctx.kernel(OUTPUT_DELTA);
  const values = { rows: b.rows, classes: b.classes, y_offset: b.yOffset, row_offset: b.rowOffset, batch_rows: b.batch?.rows ?? 0, batch_examples: b.batch?.examples ?? 0, y_repeat: b.batch?.sets?.per ?? 1, batch_y: b.batch?.sets?.y ?? 0 };
  return withUniform(ctx, `${b.label} output params`, kernel.params(values), async (params) => ({
    label: `${b.label} output δ`,
    pipeline: await outputDeltaPipeline(ctx, b.head, b.predict),
    bindGroups: kernel.bindGroups({ z: b.z, y: b.y, delta_or_h: b.deltaOrH, loss: b.loss, correct: b.correct, params, step: b.steps.binding }, `${b.label} output δ`),
    // Past the grid's width the rows fold into y (output_delta.wgsl rebuilds the index).
    workgroups: batchGrid(grid1d(b.rows, WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, 'x'), b.batch?.count ?? 1),
    dynamicGroup: kernel.dynamicGroup,
  }));
}
