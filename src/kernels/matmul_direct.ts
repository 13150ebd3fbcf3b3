// Small products on software adapters: shaders/matmul_direct.wgsl (one invocation per element
// of C, the epilogue fused), linked after shaders/lib/gemm.wgsl and the product's activation.
// createMatmul (./matmul.ts) binds it when chooseTiling picks DIRECT (or a caller forces it);
// what it computes is matmul's, exactly. Over K = 0 with β = 1 it is the blocked kernel's
// epilogue pass (./matmul_blocked.ts): C read back and stored through bias, g or ⊙ g′.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import matmulDirectWgsl from '../../shaders/matmul_direct.wgsl?raw';
import type { ActivationName } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { type KernelSpec, grid1d } from '../gpu/kernel.js';
import { withActivation } from './activation.js';

/** What a product's epilogue does besides α and β: the overrides of its pipeline. */
export interface Epilogue {
  HAS_BIAS: boolean;
  ACTIVATE: boolean;
  /** With ACTIVATE: z stored into the saved matrix before g. */
  SAVE_Z: boolean;
  /** ⊙ g′ computed from the saved matrix. */
  GRADIENT: boolean;
}

/** Invocations per workgroup. */
const WORKGROUP_SIZE = 64;
/** Elements of C per invocation (the kernel's PER_INVOCATION) of a product: few, so a one-row product's elements are spread over lanes. */
const PER_INVOCATION = 4;
/**
 * …and of the blocked kernel's epilogue pass (K = 0), whose invocations are many and short:
 * 16 ran 100×1600 and 64 × 100×25 about a fifth faster than 4 on SwiftShader (the same
 * arithmetic per element).
 */
export const EPILOGUE_PER_INVOCATION = 16;

export function matmulDirectKernel(activation: ActivationName): KernelSpec {
  return withActivation('matmul_direct', [gemmLib, matmulDirectWgsl], activation);
}

/** The pipeline for op(A) = Aᵀ / op(B) = Bᵀ and the epilogue. */
export function directPipeline(ctx: GpuContext, activation: ActivationName, transA: boolean, transB: boolean, epilogue: Epilogue): Promise<GPUComputePipeline> {
  return ctx.kernel(matmulDirectKernel(activation)).pipeline({ WORKGROUP_SIZE, PER_INVOCATION, SUMS: true, TRANS_A: transA, TRANS_B: transB, ...epilogue });
}

/** The blocked kernel's epilogue pass (over K = 0, β = 1): no sum, EPILOGUE_PER_INVOCATION elements each. */
export function epiloguePipeline(ctx: GpuContext, activation: ActivationName, epilogue: Epilogue): Promise<GPUComputePipeline> {
  return ctx.kernel(matmulDirectKernel(activation)).pipeline({ WORKGROUP_SIZE, PER_INVOCATION: EPILOGUE_PER_INVOCATION, SUMS: false, TRANS_A: false, TRANS_B: false, ...epilogue });
}

/** One invocation per `perInvocation` elements of the m × n output. */
export function directGrid(m: number, n: number, maxPerDim: number, perInvocation = PER_INVOCATION): [number, number, number] {
  return grid1d(Math.ceil((m * n) / perInvocation), WORKGROUP_SIZE, maxPerDim, 'c');
}
