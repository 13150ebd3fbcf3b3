// One optimiser step on every parameter on the GPU: shaders/optimizer_update.wgsl — gradient
// descent, momentum or Adam, with L2 decay sparing the bias terms; or, as 'gradient', only
// g = grad + (λ/m)·decay·θ written back for inspection. Float64 oracle: src/reference/regression.ts.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import optimizerLib from '../../shaders/lib/optimizer.wgsl?raw';
import stateLib from '../../shaders/lib/state.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import optimizerUpdateWgsl from '../../shaders/optimizer_update.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, grid1d, withUniform } from '../gpu/kernel.js';
import type { StepTable } from '../train/step-table.js';

export const OPTIMIZER_UPDATE: KernelSpec = { name: 'optimizer_update', sources: [elementwiseLib, stateLib, stepLib, optimizerLib, optimizerUpdateWgsl], dynamic: ['step'] };

const WORKGROUP_SIZE = 256;
/** Parameters per invocation (the kernel's PER_INVOCATION). */
const PER_INVOCATION = 8;

/** The optimisers a fit can use; the kernel also has 'gradient' (write g, move nothing). */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

export interface UpdateSettings {
  lambdaOverM: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface UpdateBuffers {
  /** P floats each: the parameters (updated in place) and 1/0 per weight/bias term. */
  theta: GPUBuffer;
  decay: GPUBuffer;
  /** The batch's mean gradient (overwritten with g by 'gradient'). */
  grad: GPUBuffer;
  /** P floats (momentum's v) or 2P (Adam's m, v); unused otherwise. */
  moments: GPUBuffer;
  /** The training state (lib/state.wgsl): nothing moves once it says stopped. */
  state: GPUBuffer;
  steps: StepTable;
}

/** A fit's update settings on m examples: λ/m and the optimiser's coefficients (a fit alone and a group stacked take them from here alike). */
export function updateSettings(o: { lambda: number; beta1: number; beta2: number; epsilon: number }, m: number): UpdateSettings {
  return { lambdaOverM: o.lambda / m, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon };
}

/** The update's pipeline for `method` (also what a model's warm-up compiles). */
export function optimizerPipeline(ctx: GpuContext, method: OptimizerName | 'gradient'): Promise<GPUComputePipeline> {
  const kernel = ctx.kernel(OPTIMIZER_UPDATE);
  return kernel.pipeline({ METHOD: kernel.constant(`METHOD_${method.toUpperCase()}`), WORKGROUP_SIZE, PER_INVOCATION });
}

/** The update of `count` parameters, built once; its uniform is `params` (the caller frees it). */
export async function createOptimizerUpdate(
  ctx: GpuContext,
  label: string,
  method: OptimizerName | 'gradient',
  count: number,
  o: UpdateSettings,
  b: UpdateBuffers,
): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const kernel = ctx.kernel(OPTIMIZER_UPDATE);
  const values = { count, lambda_over_m: o.lambdaOverM, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon };
  return withUniform(ctx, `${label} update params`, kernel.params(values), async (params) => ({
    label: `${label} update`,
    pipeline: await optimizerPipeline(ctx, method),
    bindGroups: kernel.bindGroups(
      { theta: b.theta, grad: b.grad, decay: b.decay, moments: b.moments, state: b.state, params, step: b.steps.binding },
      `${label} update`,
    ),
    workgroups: grid1d(Math.ceil(count / PER_INVOCATION), WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, 'parameters'),
    dynamicGroup: kernel.dynamicGroup,
  }));
}
