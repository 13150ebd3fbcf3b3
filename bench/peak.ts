// The adapter's arithmetic ceiling, measured in the same run as everything it is compared
// with: bench/fma_peak.wgsl, chains of vec4 fused multiply-adds with no memory traffic, on
// enough invocations to fill the adapter (all cores of a CPU, every SM of a GPU). Every
// matmul and training row is also reported as a fraction of this figure, so "close to the
// limit" is a number on any adapter.
//
//   npm run bench -- --only peak

import peakWgsl from './fma_peak.wgsl?raw';
import type { GpuContext } from '../src/gpu/context.js';
import { BufferUsage } from '../src/gpu/flags.js';
import { encodePass } from '../src/gpu/kernel.js';

const WORKGROUP = 64;
/** Independent vec4 chains per invocation (fma_peak.wgsl): FLOPs per invocation and round = CHAINS · 4 · 2. */
const CHAINS = 8;

/** GFLOP/s of the vec4 FMA kernel: the median of `batches` timed dispatches of about `target` s each. */
export async function measurePeak(ctx: GpuContext, o: { quick: boolean }): Promise<number> {
  // A CPU adapter is full with a few thousand invocations; a GPU wants a million.
  const invocations = ctx.adapter.isFallbackAdapter ? 16_384 : 1 << 20;
  const kernel = ctx.kernel({ name: 'fma_peak', sources: [peakWgsl] });
  const pipeline = await kernel.pipeline({ WORKGROUP_SIZE: WORKGROUP });
  const out = ctx.createBuffer('fma peak out', invocations * 4, BufferUsage.STORAGE);
  const made: GPUBuffer[] = [out];
  try {
    const run = async (iterations: number): Promise<number> => {
      const params = ctx.createUniform('fma peak params', kernel.params({ iterations, x: 0.999, y: 0.001, pad: 0 }));
      made.push(params);
      const dispatch = { label: 'fma peak', pipeline, bindGroups: kernel.bindGroups({ out, params }), workgroups: [invocations / WORKGROUP, 1, 1] as [number, number, number] };
      const t0 = performance.now();
      await ctx.submit('fma peak', (enc) => encodePass(enc, 'fma peak', [dispatch]));
      await ctx.device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / 1000;
    };
    await run(16); // warm-up: the pipeline's first dispatch
    // Iterations for a dispatch of about the target length, from a short one.
    const probe = 256;
    const once = await run(probe);
    const target = o.quick ? 0.2 : 0.5;
    const iterations = Math.max(probe, Math.min(1 << 22, Math.round((probe * target) / once)));
    const samples: number[] = [];
    for (let i = 0; i < (o.quick ? 3 : 5); i++) samples.push(await run(iterations));
    samples.sort((a, b) => a - b);
    return (invocations * iterations * CHAINS * 4 * 2) / samples[Math.floor(samples.length / 2)]! / 1e9;
  } finally {
    for (const b of made) ctx.release(b);
  }
}

/**
 * Published fp32 limits (GFLOP/s) of GPUs whose measured FMA peak is only a floor: on an H200 the
 * FMA kernel reached 31.8 TFLOP/s where cuBLAS reached 51.2 and the chip's limit is ~67. Matched
 * on the adapter's description, device or architecture.
 */
const KNOWN_LIMITS: readonly [RegExp, number][] = [
  [/H200|H100/i, 67_000],
  [/A100/i, 19_500],
  [/L40S/i, 91_600],
  [/RTX 4090/i, 82_600],
];

/** The peak rows are reported against: the best of the FMA kernel's and the adapter's known limit. */
export function ceiling(measured: number, adapter: { description: string; device: string; architecture: string }): { gflops: number; source: string } {
  const text = `${adapter.description} ${adapter.device} ${adapter.architecture}`;
  const known = KNOWN_LIMITS.find(([pattern]) => pattern.test(text))?.[1];
  return known && known > measured ? { gflops: known, source: 'the adapter\'s published fp32 limit' } : { gflops: measured, source: 'the FMA kernel' };
}

/** FLOPs of one training example through a dense network of `layers` (bias units included): forward, δ of each hidden layer, and the gradients. */
export function networkFlops(layers: readonly number[]): number {
  let flops = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const weights = (layers[l]! + 1) * layers[l + 1]!;
    flops += 2 * weights; // forward: z = Θa
    flops += 2 * weights; // gradient: Δ += δ aᵀ
    if (l > 0) flops += 2 * layers[l]! * layers[l + 1]!; // backward: δ⁽ˡ⁾ = Θᵀδ⁽ˡ⁺¹⁾ (no bias row)
  }
  return flops;
}
