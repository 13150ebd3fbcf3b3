// Split-K for hardware adapters: a product with too few tiles of C to keep a GPU busy — the
// gradient Δ = δᵀa, 25 × 401 summed over thousands of examples, makes 13 tiles of 32 × 32 — is
// cut along K into S slices. matmul.wgsl (SPLIT_K) computes the S partial products side by side
// into a scratch buffer, and shaders/matmul_split.wgsl adds them in a fixed order and
// applies the epilogue: deterministic, no float atomics. createMatmul (./matmul.ts) uses it when
// chooseSplit says so or a caller sets options.splitK.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import reduceWgsl from '../../shaders/matmul_split.wgsl?raw';
import type { ActivationName } from '../activations.js';
import { ArgumentError } from '../gpu/errors.js';
import type { KernelSpec } from '../gpu/kernel.js';
import { withActivation } from './activation.js';

/** The most slices one product is cut into (a z-dimension far below any device's 65,535 workgroups). */
export const MAX_SLICES = 64;
/** Workgroups a hardware dispatch should have before splitting stops paying (a GPU's cores, roughly). */
const TARGET_WORKGROUPS = 128;
/** Depth of K each slice should keep at least: shallower slices spend more on partials than they save. */
const MIN_SLICE = 256;

export function splitReduceKernel(activation: ActivationName): KernelSpec {
  return withActivation('matmul_split', [gemmLib, reduceWgsl], activation);
}

/**
 * S for C = op(A)·op(B) made of `tiles` workgroup tiles: 1 (no split) on software adapters, where
 * every core is already busy with one tile, and on hardware when there are tiles enough; else as
 * many slices as bring the tiles up to about TARGET_WORKGROUPS while each keeps MIN_SLICE of K.
 */
export function chooseSplit(shape: { k: number; tiles: number }, software: boolean): number {
  if (software || shape.tiles >= TARGET_WORKGROUPS / 2) return 1;
  return Math.max(1, Math.min(MAX_SLICES, Math.ceil(TARGET_WORKGROUPS / shape.tiles), Math.floor(shape.k / MIN_SLICE)));
}

/** A caller's options.splitK checked: an integer 1 … MAX_SLICES, not with the blocked kernel. */
export function checkSplit(splitK: number, untiled: boolean): number {
  if (splitK > 1 && untiled) throw new ArgumentError('options.splitK', 'needs a workgroup tiling: the blocked and direct kernels (software adapters) do not split K');
  return splitK;
}

/** Depth of each slice when K is cut into `slices` (the last may be shallower, or empty). */
export function sliceDepth(k: number, slices: number): number {
  return Math.ceil(k / slices);
}
