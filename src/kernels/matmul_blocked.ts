// The software adapters' matrix multiply: shaders/matmul_blocked.wgsl (16 × 16 blocks of C per
// invocation in registers, branch-free loads, no workgroup memory) writes C = α·op(A)·op(B) + β·C
// with one pipeline for every product, and shaders/matmul_epilogue.wgsl, a pass after it, adds
// the bias and applies g or ⊙ g′ where the product has an epilogue. Both link the shared
// shaders/lib/gemm.wgsl. createMatmul (./matmul.ts) binds them when the tiling chooseTiling
// picks — or a caller forces — is BLOCKED; what they compute is matmul's, exactly.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import matmulBlockedWgsl from '../../shaders/matmul_blocked.wgsl?raw';
import matmulEpilogueWgsl from '../../shaders/matmul_epilogue.wgsl?raw';
import { type ActivationName, NO_ACTIVATION } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, grid1d } from '../gpu/kernel.js';
import { withActivation } from './activation.js';

/** Rows and columns of C each invocation computes. */
export const BLOCK = 16;
/** Invocations per workgroup (the kernel's WG). */
export const BLOCKED_WORKGROUP = 4;
/** Invocations per workgroup of the epilogue pass. */
const EPILOGUE_WORKGROUP = 256;

/** The product, one kernel for every activation (it applies none). */
export const MATMUL_BLOCKED: KernelSpec = withActivation('matmul_blocked', [gemmLib, matmulBlockedWgsl], NO_ACTIVATION);

/** The epilogue pass linked with `activation`. */
export function matmulEpilogueKernel(activation: ActivationName): KernelSpec {
  return withActivation('matmul_epilogue', [gemmLib, matmulEpilogueWgsl], activation);
}

/** The one pipeline of the product (what a model warms first). */
export function blockedPipeline(ctx: GpuContext): Promise<GPUComputePipeline> {
  return ctx.kernel(MATMUL_BLOCKED).pipeline({ WG: BLOCKED_WORKGROUP });
}

/** What the epilogue pass does: the overrides of its pipeline. */
export interface Epilogue {
  HAS_BIAS: boolean;
  ACTIVATE: boolean;
  GATE: boolean;
}

/** The epilogue pass's pipeline for g = `activation` and `epilogue`. */
export function epiloguePipeline(ctx: GpuContext, activation: ActivationName, epilogue: Epilogue): Promise<GPUComputePipeline> {
  return ctx.kernel(matmulEpilogueKernel(activation)).pipeline({ WORKGROUP_SIZE: EPILOGUE_WORKGROUP, ...epilogue });
}

/** The dispatch grid: one invocation per 16 × 16 block of the m × n output. */
export function blockedGrid(m: number, n: number, maxPerDim: number): [number, number, number] {
  return grid1d(Math.ceil(m / BLOCK) * Math.ceil(n / BLOCK), BLOCKED_WORKGROUP, maxPerDim, 'c');
}

/** The buffers a blocked product binds (bias and gate: a placeholder when unused). */
export interface BlockedBindings {
  a: GPUBuffer;
  b: GPUBuffer;
  c: GPUBuffer;
  bias: GPUBuffer;
  gate: GPUBuffer;
}

/**
 * The product's dispatch, and the epilogue pass's when the product has one: `values` are
 * MatmulParams; the caller frees the uniforms `made` receives.
 */
export async function blockedDispatches(
  ctx: GpuContext,
  buffers: BlockedBindings,
  values: Record<string, number>,
  activation: ActivationName,
  epilogue: Epilogue,
  made: GPUBuffer[],
): Promise<Dispatch[]> {
  const maxGroups = ctx.limits.maxComputeWorkgroupsPerDimension;
  const product = ctx.kernel(MATMUL_BLOCKED);
  const params = ctx.createUniform('matmul params', product.params(values));
  made.push(params);
  const dispatches: Dispatch[] = [
    { label: 'matmul', pipeline: await blockedPipeline(ctx), bindGroups: product.bindGroups({ ...buffers, params }), workgroups: blockedGrid(values.m!, values.n!, maxGroups) },
  ];
  if (epilogue.HAS_BIAS || epilogue.ACTIVATE || epilogue.GATE) {
    const kernel = ctx.kernel(matmulEpilogueKernel(activation));
    const after = ctx.createUniform('matmul epilogue params', kernel.params({ ...values, alpha: 1, beta: 0 }));
    made.push(after);
    dispatches.push({
      label: 'matmul epilogue',
      pipeline: await epiloguePipeline(ctx, activation, epilogue),
      bindGroups: kernel.bindGroups({ ...buffers, params: after }),
      workgroups: grid1d(values.m! * values.n!, EPILOGUE_WORKGROUP, maxGroups, 'c'),
    });
  }
  return dispatches;
}
