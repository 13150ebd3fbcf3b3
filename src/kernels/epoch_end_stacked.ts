// The epoch ends of the models trained as one (src/train/group.ts): shaders/epoch_end_stacked.wgsl,
// a workgroup per model in one dispatch, each running shaders/lib/epoch.wgsl's end_epoch() — the
// work ./epoch_end.ts's kernel does for a model alone — on its model's numbers in the group's
// buffers, with its own EpochParams.

import epochLib from '../../shaders/lib/epoch.wgsl?raw';
import reduceLib from '../../shaders/lib/reduce.wgsl?raw';
import stateLib from '../../shaders/lib/state.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import stackedWgsl from '../../shaders/epoch_end_stacked.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, grid1d } from '../gpu/kernel.js';
import { packStructArray, parseUniformLayout } from '../gpu/wgsl.js';
import type { StepTable } from '../train/step-table.js';
import { type EpochEndSettings, epochEndWorkgroup, epochParamValues } from './epoch_end.js';
import type { StackedLayout } from './optimizer_update_stacked.js';

export const EPOCH_END_STACKED: KernelSpec = { name: 'epoch_end_stacked', sources: [reduceLib, stateLib, stepLib, epochLib, stackedWgsl], dynamic: ['step'] };

/** EpochParams, an element of the settings array: every field a 4-byte scalar. */
const PARAMS = parseUniformLayout(epochLib, 'EpochParams');

export interface StackedEpochEndBuffers {
  /** Every model's costs and right/wrong, `examples` floats a model. */
  loss: GPUBuffer;
  correct: GPUBuffer;
  /** The models' Θ and θ_good, stacked as `layout` says. */
  theta: GPUBuffer;
  thetaGood: GPUBuffer;
  /** One model's decay mask. */
  decay: GPUBuffer;
  /** `historyFloats` floats a model. */
  history: GPUBuffer;
  /** STATE.size floats a model. */
  state: GPUBuffer;
  steps: StepTable;
}

/**
 * The epoch ends of `settings.length` models stacked as `layout` (EVALUATE: a validation pass's),
 * model i with settings[i], in one dispatch; its two small buffers are returned for the caller to free.
 */
export async function createStackedEpochEnd(
  ctx: GpuContext,
  label: string,
  evaluate: boolean,
  layout: StackedLayout,
  settings: readonly EpochEndSettings[],
  historyFloats: number,
  b: StackedEpochEndBuffers,
): Promise<{ dispatch: Dispatch; made: GPUBuffer[] }> {
  const kernel = ctx.kernel(EPOCH_END_STACKED);
  const bytes = packStructArray(PARAMS, settings.map(epochParamValues), 'EpochParams');
  const made: GPUBuffer[] = [];
  try {
    const buffer = ctx.createBuffer(`${label} epoch end settings`, bytes.byteLength, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    made.push(buffer);
    ctx.device.queue.writeBuffer(buffer, 0, bytes);
    const stack = ctx.createUniform(`${label} epoch end stack`, kernel.params({ models: layout.models, first: layout.first, rest: layout.rest, history_floats: historyFloats }));
    made.push(stack);
    const dispatch: Dispatch = {
      label: `${label} epoch ends`,
      pipeline: await kernel.pipeline({ EVALUATE: evaluate, REDUCE_SIZE: epochEndWorkgroup(ctx) }),
      bindGroups: kernel.bindGroups(
        { loss: b.loss, correct: b.correct, theta: b.theta, decay: b.decay, theta_good: b.thetaGood, history: b.history, state: b.state, settings: buffer, stack, step: b.steps.binding },
        `${label} epoch ends`,
      ),
      workgroups: grid1d(layout.models, 1, ctx.limits.maxComputeWorkgroupsPerDimension, 'models'),
      dynamicGroup: kernel.dynamicGroup,
    };
    return { dispatch, made };
  } catch (e) {
    for (const buffer of made) ctx.release(buffer);
    throw e;
  }
}
