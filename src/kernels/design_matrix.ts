// The design matrix on the GPU: shaders/design_matrix.wgsl, x̃ = [1, (x − μ)/σ] (or [1, x]) from
// raw features and a statistics buffer (shaders/lib/stats.wgsl). Float64 oracle:
// src/reference/regression.ts (designMatrix).

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import statsLib from '../../shaders/lib/stats.wgsl?raw';
import designMatrixWgsl from '../../shaders/design_matrix.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { type Dispatch, type KernelSpec, grid1d } from '../gpu/kernel.js';

export const DESIGN_MATRIX: KernelSpec = { name: 'design_matrix', sources: [elementwiseLib, statsLib, designMatrixWgsl] };

const WORKGROUP_SIZE = 256;
/** Elements of x̃ per invocation (the shader's RUN). */
const RUN = 16;

export interface DesignBinding {
  label: string;
  /** rows × n raw features. */
  x: GPUBuffer;
  stats: GPUBuffer;
  /** rows × (n + 1): receives x̃. */
  design: GPUBuffer;
  rows: number;
  features: number;
  normalize: boolean;
}

/** The design matrix's pipeline. */
export function designPipeline(ctx: GpuContext): Promise<GPUComputePipeline> {
  return ctx.kernel(DESIGN_MATRIX).pipeline({ WORKGROUP_SIZE, RUN });
}

/** x̃ for one chunk, built for one submit; its uniform is pushed to `uniforms` (the caller frees them). */
export async function createDesignMatrix(ctx: GpuContext, b: DesignBinding, uniforms: GPUBuffer[]): Promise<Dispatch> {
  const kernel = ctx.kernel(DESIGN_MATRIX);
  const params = ctx.createUniform(`${b.label} params`, kernel.params({ rows: b.rows, features: b.features, normalize: b.normalize ? 1 : 0 }));
  uniforms.push(params);
  return {
    label: 'design_matrix',
    pipeline: await designPipeline(ctx),
    bindGroups: kernel.bindGroups({ x: b.x, stats: b.stats, design: b.design, params }, b.label),
    workgroups: grid1d(b.rows * Math.ceil((b.features + 1) / RUN), WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, 'x'),
  };
}
