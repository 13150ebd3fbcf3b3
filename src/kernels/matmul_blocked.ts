// The software adapters' matrix multiply: shaders/matmul_blocked.wgsl (16 × 16 blocks of C per
// invocation in registers, branch-free loads, no workgroup memory), linked after the shared
// shaders/lib/gemm.wgsl and one activation. createMatmul (./matmul.ts) binds it when the tiling
// chooseTiling picks — or a caller forces — is BLOCKED; what it computes is matmul's, exactly.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import matmulBlockedWgsl from '../../shaders/matmul_blocked.wgsl?raw';
import type { ActivationName } from '../activations.js';
import type { KernelSpec } from '../gpu/kernel.js';
import { grid1d } from '../gpu/kernel.js';
import { withActivation } from './activation.js';

/** Rows and columns of C each invocation computes. */
export const BLOCK = 16;
/** Invocations per workgroup (the kernel's WG). */
export const BLOCKED_WORKGROUP = 4;

export function matmulBlockedKernel(activation: ActivationName): KernelSpec {
  return withActivation('matmul_blocked', [gemmLib, matmulBlockedWgsl], activation);
}

/** The dispatch grid: one invocation per 16 × 16 block of the m × n output. */
export function blockedGrid(m: number, n: number, maxPerDim: number): [number, number, number] {
  return grid1d(Math.ceil(m / BLOCK) * Math.ceil(n / BLOCK), BLOCKED_WORKGROUP, maxPerDim, 'c');
}
