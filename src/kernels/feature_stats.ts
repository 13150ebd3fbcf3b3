// Feature normalisation statistics on the GPU: shaders/feature_stats.wgsl, μⱼ and σⱼ over every
// chunk of a training set in two passes. The statistics buffer's layout comes from
// shaders/lib/stats.wgsl. Float64 oracle: src/reference/regression.ts (featureStats).

import reduceLib from '../../shaders/lib/reduce.wgsl?raw';
import statsLib from '../../shaders/lib/stats.wgsl?raw';
import featureStatsWgsl from '../../shaders/feature_stats.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import type { Dispatch, KernelSpec } from '../gpu/kernel.js';
import { wgslConstant } from '../gpu/wgsl.js';

export const FEATURE_STATS: KernelSpec = { name: 'feature_stats', sources: [reduceLib, statsLib, featureStatsWgsl] };

/** The statistics buffer: STATS_BLOCKS blocks of n floats, μ and σ in theirs (lib/stats.wgsl). */
const BLOCKS = wgslConstant(statsLib, 'STATS_BLOCKS');
const MEAN = wgslConstant(statsLib, 'STATS_MEAN');
const STD = wgslConstant(statsLib, 'STATS_STD');

/** Floats in the statistics buffer of n features. */
export function statsFloats(n: number): number {
  return BLOCKS * n;
}

/** μ and σ out of a statistics buffer's contents for n features. */
export function normalizationOf(stats: Float32Array, n: number): { mean: Float64Array; std: Float64Array } {
  return { mean: Float64Array.from(stats.subarray(MEAN * n, (MEAN + 1) * n)), std: Float64Array.from(stats.subarray(STD * n, (STD + 1) * n)) };
}

/** A statistics buffer's contents holding μ and σ (the running sums left at 0). */
export function statsOf(mean: ArrayLike<number>, std: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const n = mean.length;
  const stats = new Float32Array(BLOCKS * n);
  stats.set(mean, MEAN * n);
  stats.set(std, STD * n);
  return stats;
}

/** The two passes' pipelines (μ, then σ). */
export function featureStatsPipelines(ctx: GpuContext): Promise<GPUComputePipeline>[] {
  const kernel = ctx.kernel(FEATURE_STATS);
  return [0, 1].map((PASS) => kernel.pipeline({ PASS }));
}

/**
 * The two passes over `chunks` (raw features, rows × n each) that write μ and σ of all m
 * examples into `stats`: pass 0 for every chunk, then pass 1. Built for one submit; every
 * uniform made is pushed to `uniforms` (the caller frees them).
 */
export async function createFeatureStats(
  ctx: GpuContext,
  label: string,
  stats: GPUBuffer,
  chunks: readonly { x: GPUBuffer; rows: number }[],
  n: number,
  uniforms: GPUBuffer[],
): Promise<Dispatch[]> {
  const kernel = ctx.kernel(FEATURE_STATS);
  const m = chunks.reduce((s, c) => s + c.rows, 0);
  const dispatches: Dispatch[] = [];
  const pipelines = featureStatsPipelines(ctx);
  for (const PASS of [0, 1]) {
    const pipeline = await pipelines[PASS]!;
    chunks.forEach((chunk, i) => {
      const params = ctx.createUniform(
        `${label} feature stats params ${PASS}.${i}`,
        kernel.params({ rows: chunk.rows, features: n, examples: m, first: i === 0 ? 1 : 0, last: i === chunks.length - 1 ? 1 : 0 }),
      );
      uniforms.push(params);
      dispatches.push({
        label: 'feature_stats',
        pipeline,
        bindGroups: kernel.bindGroups({ x: chunk.x, stats, params }, `${label} feature stats ${i}`),
        workgroups: [n, 1, 1],
      });
    });
  }
  return dispatches;
}
