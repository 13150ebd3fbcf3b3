// The software adapters' matrix multiply: shaders/matmul_blocked.wgsl (16 × 16 blocks of C per
// invocation in registers, branch-free loads, no workgroup memory) writes C = α·op(A)·op(B) + β·C
// with one pipeline for every product; where the product has an epilogue, a pass after it adds
// the bias and applies g or ⊙ g′ — the direct kernel (./matmul_direct.ts) with K = 0 and β = 1,
// whose store() is that epilogue. Both link the shared shaders/lib/gemm.wgsl. createMatmul
// (./matmul.ts) binds them when the tiling chooseTiling picks — or a caller forces — is BLOCKED;
// what they compute is matmul's, exactly.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import matmulBlockedWgsl from '../../shaders/matmul_blocked.wgsl?raw';
import { type ActivationName, NO_ACTIVATION } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, grid1d } from '../gpu/kernel.js';
import { withActivation } from './activation.js';
import { EPILOGUE_PER_INVOCATION, type Epilogue, directGrid, epiloguePipeline, matmulDirectKernel } from './matmul_direct.js';
import { batchGrid } from '../gpu/strided.js';

/** Rows and columns of C each invocation computes. */
export const BLOCK = 16;
/** Invocations per workgroup (the kernel's WG). */
export const BLOCKED_WORKGROUP = 4;

/** The product, one kernel for every activation (it applies none). */
export const MATMUL_BLOCKED: KernelSpec = withActivation('matmul_blocked', [gemmLib, matmulBlockedWgsl], NO_ACTIVATION);

/** The one pipeline of the product (what a model warms first). */
export function blockedPipeline(ctx: GpuContext): Promise<GPUComputePipeline> {
  return ctx.kernel(MATMUL_BLOCKED).pipeline({ WG: BLOCKED_WORKGROUP });
}

/** The dispatch grid: one invocation per 16 × 16 block of the m × n output, of each of `count` products. */
export function blockedGrid(m: number, n: number, maxPerDim: number, count = 1): [number, number, number] {
  return grid1d(count * Math.ceil(m / BLOCK) * Math.ceil(n / BLOCK), BLOCKED_WORKGROUP, maxPerDim, 'c');
}

/** The buffers a blocked product binds (bias and saved: a placeholder when unused). */
export interface BlockedBindings {
  a: GPUBuffer;
  b: GPUBuffer;
  c: GPUBuffer;
  bias: GPUBuffer;
  saved: GPUBuffer;
}

/**
 * The product's dispatch, and the epilogue pass's when the product has one: `values` are
 * MatmulParams; the caller frees the uniforms `made` receives; `count` products of a batch.
 */
export async function blockedDispatches(
  ctx: GpuContext,
  buffers: BlockedBindings,
  values: Record<string, number>,
  activation: ActivationName,
  epilogue: Epilogue,
  made: GPUBuffer[],
  count = 1,
): Promise<Dispatch[]> {
  const maxGroups = ctx.limits.maxComputeWorkgroupsPerDimension;
  const product = ctx.kernel(MATMUL_BLOCKED);
  const params = ctx.createUniform('matmul params', product.params(values));
  made.push(params);
  const dispatches: Dispatch[] = [
    { label: 'matmul', pipeline: await blockedPipeline(ctx), bindGroups: product.bindGroups({ ...buffers, params }), workgroups: blockedGrid(values.m!, values.n!, maxGroups, count) },
  ];
  if (epilogue.HAS_BIAS || epilogue.ACTIVATE || epilogue.GRADIENT) {
    // C = act(0 + 1·C + bias) (or ⊙ g′): the direct kernel over K = 0 reads the product's C and stores it through the epilogue.
    const kernel = ctx.kernel(matmulDirectKernel(activation));
    const after = ctx.createUniform('matmul epilogue params', kernel.params({ ...values, k: 0, k_slice: 0, alpha: 1, beta: 1, trans: 0 }));
    made.push(after);
    dispatches.push({
      label: 'matmul epilogue',
      pipeline: await epiloguePipeline(ctx, activation, epilogue),
      bindGroups: kernel.bindGroups({ ...buffers, params: after }),
      workgroups: batchGrid(directGrid(values.m!, values.n!, maxGroups, EPILOGUE_PER_INVOCATION), count),
    });
  }
  return dispatches;
}
