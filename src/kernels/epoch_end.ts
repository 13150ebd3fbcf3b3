// The end of an epoch on the GPU: shaders/epoch_end.wgsl (its work shaders/lib/epoch.wgsl's,
// which ./epoch_end_stacked.ts runs for the models of a group) — J/m and accuracy into the
// history, the divergence guard and the best θ; or, EVALUATE, J and accuracy of one pass alone.
// The training state's layout comes from shaders/lib/state.wgsl. Float64 oracle: src/reference/regression.ts.

import epochLib from '../../shaders/lib/epoch.wgsl?raw';
import reduceLib from '../../shaders/lib/reduce.wgsl?raw';
import stateLib from '../../shaders/lib/state.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import epochEndWgsl from '../../shaders/epoch_end.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, withUniform } from '../gpu/kernel.js';
import { wgslConstant } from '../gpu/wgsl.js';
import type { StepTable } from '../train/step-table.js';

export const EPOCH_END: KernelSpec = { name: 'epoch_end', sources: [reduceLib, stateLib, stepLib, epochLib, epochEndWgsl], dynamic: ['step'] };

/** Indices into the training state buffer, as lib/state.wgsl declares them. */
export const STATE = {
  stopped: wgslConstant(stateLib, 'STATE_STOPPED'),
  best: wgslConstant(stateLib, 'STATE_BEST'),
  rises: wgslConstant(stateLib, 'STATE_RISES'),
  stopEpoch: wgslConstant(stateLib, 'STATE_STOP_EPOCH'),
  bestEpoch: wgslConstant(stateLib, 'STATE_BEST_EPOCH'),
  validationBest: wgslConstant(stateLib, 'STATE_VAL_BEST'),
  validationBestEpoch: wgslConstant(stateLib, 'STATE_VAL_BEST_EPOCH'),
  /** Floats in the buffer. */
  size: wgslConstant(stateLib, 'STATE_SIZE'),
} as const;

/** What state[STATE.stopped] holds once training stopped: the divergence guard, or early stopping. */
export const STOP = { diverged: wgslConstant(stateLib, 'STOP_DIVERGED'), early: wgslConstant(stateLib, 'STOP_EARLY') } as const;

/** The state a fit starts from: not stopped, best J = +∞, no epoch yet. */
export function initialState(): Float32Array<ArrayBuffer> {
  const s = new Float32Array(STATE.size);
  s[STATE.best] = Infinity;
  s[STATE.stopEpoch] = -1;
  s[STATE.bestEpoch] = -1;
  s[STATE.validationBest] = Infinity;
  s[STATE.validationBestEpoch] = -1;
  return s;
}

export interface EpochEndSettings {
  examples: number;
  /** P, the parameters the penalty and θ_good cover. */
  parameters: number;
  lambda: number;
  tolerance: number;
  patience: number;
  /** A rise counts only when J is also above the first epoch's J (noisy runs). */
  aboveFirst: boolean;
  /** EVALUATE: early stopping after this many epochs without a new best (0: off), and the fall that counts. */
  earlyPatience: number;
  minDelta: number;
  /** Epoch number of the history's first row. */
  firstEpoch: number;
  /** Floats per epoch in the history, and where this pass's [J, accuracy] sit in a row. */
  historyStride: number;
  historyOffset: number;
}

export interface EpochEndBuffers {
  loss: GPUBuffer;
  correct: GPUBuffer;
  theta: GPUBuffer;
  decay: GPUBuffer;
  thetaGood: GPUBuffer;
  history: GPUBuffer;
  state: GPUBuffer;
  steps: StepTable;
}

/**
 * Invocations of the epoch end's workgroup (lib/reduce.wgsl's REDUCE_SIZE): 64 on a GPU; 4 on a
 * software adapter, where each of the tree's barriers switches every invocation and the epoch
 * end runs twice an epoch for every fit (a small full-batch fit spent a fifth of its time there).
 * The tree is fixed either way, so a sum is the same run after run on one adapter.
 */
export function epochEndWorkgroup(ctx: GpuContext): number {
  return ctx.adapter.isFallbackAdapter ? 4 : 64;
}

/** The epoch end's pipeline: a training set's, or (`evaluate`) a validation set's; `workgroup` invocations (a power of two). */
export function epochEndPipeline(ctx: GpuContext, evaluate: boolean, workgroup = epochEndWorkgroup(ctx)): Promise<GPUComputePipeline> {
  return ctx.kernel(EPOCH_END).pipeline({ EVALUATE: evaluate, REDUCE_SIZE: workgroup });
}

/** lib/epoch.wgsl's EpochParams for `o`, field by field. */
export function epochParamValues(o: EpochEndSettings): Record<string, number> {
  return {
    examples: o.examples, count: o.parameters, lambda_over_2m: o.lambda / (2 * o.examples),
    tolerance: o.tolerance, patience: o.patience, first_epoch: o.firstEpoch,
    history_stride: o.historyStride, history_offset: o.historyOffset, above_first: o.aboveFirst ? 1 : 0,
    early_patience: o.earlyPatience, min_delta: o.minDelta,
  };
}

/** The uniform's bytes for `o` (what a kept training step rewrites for its next fit's first epoch). */
export function epochEndParams(ctx: GpuContext, o: EpochEndSettings): ArrayBuffer {
  return ctx.kernel(EPOCH_END).params(epochParamValues(o));
}

/**
 * The epoch-end reduction (EVALUATE: cost and accuracy of one pass only), writing epoch e's
 * [J, accuracy] at history[historyStride·(e − firstEpoch) + historyOffset], in one workgroup of
 * `workgroup` invocations (epochEndWorkgroup's pick). Built once; its uniform is `params` (the
 * caller frees it).
 */
export async function createEpochEnd(
  ctx: GpuContext,
  label: string,
  evaluate: boolean,
  o: EpochEndSettings,
  b: EpochEndBuffers,
  workgroup = epochEndWorkgroup(ctx),
): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const kernel = ctx.kernel(EPOCH_END);
  return withUniform(ctx, `${label} epoch end params`, epochEndParams(ctx, o), async (params) => ({
    label: `${label} epoch end`,
    pipeline: await epochEndPipeline(ctx, evaluate, workgroup),
    bindGroups: kernel.bindGroups(
      {
        loss: b.loss, correct: b.correct, theta: b.theta, decay: b.decay,
        theta_good: b.thetaGood, history: b.history, state: b.state, params, step: b.steps.binding,
      },
      `${label} epoch end`,
    ),
    workgroups: [1, 1, 1],
    dynamicGroup: kernel.dynamicGroup,
  }));
}
