// Sigmoid a = σ(z) and its derivative from the saved activation, σ'(z) = a ⊙ (1 − a), on the
// GPU: shaders/sigmoid.wgsl and shaders/sigmoid_derivative.wgsl. Float64 oracle: src/reference/sigmoid.ts.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import sigmoidLib from '../../shaders/lib/sigmoid.wgsl?raw';
import sigmoidWgsl from '../../shaders/sigmoid.wgsl?raw';
import sigmoidDerivativeWgsl from '../../shaders/sigmoid_derivative.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { type Dispatch, type KernelSpec, encodeDispatch, encodePass, grid1d } from '../gpu/kernel.js';
import { type GpuVector, checkBindable, checkDistinct, checkVector } from '../gpu/matrix.js';

export const SIGMOID: KernelSpec = { name: 'sigmoid', sources: [elementwiseLib, sigmoidLib, sigmoidWgsl] };
export const SIGMOID_DERIVATIVE: KernelSpec = { name: 'sigmoid_derivative', sources: [elementwiseLib, sigmoidDerivativeWgsl] };

const WORKGROUP_SIZE = 256;

/** An elementwise kernel bound to its buffers: build once, encode every step. */
export interface ElementwiseOp {
  readonly dispatch: Dispatch;
  encode(pass: GPUComputePassEncoder): void;
  destroy(): void;
}

/** Binds out[i] = f(x[i]) for one of the elementwise kernels; both vectors contiguous. */
async function createElementwise(
  ctx: GpuContext,
  spec: KernelSpec,
  [outName, outView]: [string, GpuVector],
  [inName, inView]: [string, GpuVector],
): Promise<ElementwiseOp> {
  const out = checkVector(outName, outView);
  const x = checkVector(inName, inView);
  if (out.stride !== 1) throw new ArgumentError(`${outName}.stride`, `must be 1 (contiguous), got ${out.stride}`);
  if (x.stride !== 1) throw new ArgumentError(`${inName}.stride`, `must be 1 (contiguous), got ${x.stride}`);
  if (out.length !== x.length) throw new ArgumentError(outName, `must have ${x.length} elements like ${inName}, got ${out.length}`);
  checkDistinct(outName, out.buffer, { [inName]: x.buffer });
  checkBindable({ [inName]: x.buffer, [outName]: out.buffer }, ctx.limits);
  const kernel = ctx.kernel(spec);
  const [inBinding, outBinding] = kernel.bindings.map((b) => b.name);
  const params = ctx.createUniform(
    `${spec.name} params`,
    kernel.params({ count: x.length, in_offset: x.offset, out_offset: out.offset }),
  );
  const dispatch: Dispatch = {
    label: spec.name,
    pipeline: await kernel.pipeline({ WORKGROUP_SIZE }),
    bindGroups: kernel.bindGroups({ [inBinding!]: x.buffer, [outBinding!]: out.buffer, params }),
    workgroups: grid1d(x.length, WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, inName),
  };
  return { dispatch, encode: (pass) => encodeDispatch(pass, dispatch), destroy: () => ctx.release(params) };
}

async function runOnce(ctx: GpuContext, op: ElementwiseOp): Promise<void> {
  try {
    await ctx.submit(op.dispatch.label, (encoder) => encodePass(encoder, op.dispatch.label, [op.dispatch]));
  } finally {
    op.destroy();
  }
}

/** Binds a = σ(z). `a` and `z` must be different buffers. */
export function createSigmoid(ctx: GpuContext, a: GpuVector, z: GpuVector): Promise<ElementwiseOp> {
  return createElementwise(ctx, SIGMOID, ['a', a], ['z', z]);
}

/** Binds g = a ⊙ (1 − a), σ'(z) from the saved activation a = σ(z). */
export function createSigmoidDerivative(ctx: GpuContext, g: GpuVector, a: GpuVector): Promise<ElementwiseOp> {
  return createElementwise(ctx, SIGMOID_DERIVATIVE, ['g', g], ['a', a]);
}

/** One-shot a = σ(z). */
export async function sigmoid(ctx: GpuContext, a: GpuVector, z: GpuVector): Promise<void> {
  await runOnce(ctx, await createSigmoid(ctx, a, z));
}

/** One-shot g = a ⊙ (1 − a). */
export async function sigmoidDerivative(ctx: GpuContext, g: GpuVector, a: GpuVector): Promise<void> {
  await runOnce(ctx, await createSigmoidDerivative(ctx, g, a));
}
