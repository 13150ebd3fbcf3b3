// A layer's activation a = g(z) and its derivative from the saved activation, g′(z) from a, on
// the GPU, elementwise: shaders/activation.wgsl and shaders/activation_gradient.wgsl linked with
// one activation of the registry (src/activations.ts). Float64 oracle: src/reference/activations.ts.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import activationWgsl from '../../shaders/activation.wgsl?raw';
import activationGradientWgsl from '../../shaders/activation_gradient.wgsl?raw';
import { ACTIVATIONS, type ActivationName, NO_ACTIVATION, checkActivation } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { type Dispatch, type KernelSpec, encodeDispatch, encodePass, grid1d, withUniform } from '../gpu/kernel.js';
import { type GpuVector, checkBindable, checkDistinct, checkVector } from '../gpu/matrix.js';

/**
 * `kernel` (its file last in `sources`) linked with activation `name`: a shader module of its
 * own, named for both so a GPU error says which; with none (NO_ACTIVATION) it keeps its plain name.
 */
export function withActivation(kernel: string, sources: readonly string[], name: ActivationName): KernelSpec {
  return { name: name === NO_ACTIVATION ? kernel : `${kernel} (${name})`, sources: [...ACTIVATIONS[name].wgsl, ...sources] };
}

const ACTIVATION_KERNEL = { name: 'activation', sources: [elementwiseLib, activationWgsl] } as const;
const GRADIENT_KERNEL = { name: 'activation_gradient', sources: [elementwiseLib, activationGradientWgsl] } as const;

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
  const values = { count: x.length, in_offset: x.offset, out_offset: out.offset };
  const { dispatch, params } = await withUniform(ctx, `${spec.name} params`, kernel.params(values), async (params) => ({
    label: spec.name,
    pipeline: await kernel.pipeline({ WORKGROUP_SIZE }),
    bindGroups: kernel.bindGroups({ [inBinding!]: x.buffer, [outBinding!]: out.buffer, params }),
    workgroups: grid1d(x.length, WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, inName),
  }));
  return { dispatch, encode: (pass) => encodeDispatch(pass, dispatch), destroy: () => ctx.release(params) };
}

async function runOnce(ctx: GpuContext, op: ElementwiseOp): Promise<void> {
  try {
    await ctx.submit(op.dispatch.label, (encoder) => encodePass(encoder, op.dispatch.label, [op.dispatch]));
  } finally {
    op.destroy();
  }
}

/** Binds a = g(z) for the registered activation `activation`. `a` and `z` must be different buffers. */
export function createActivation(ctx: GpuContext, activation: ActivationName, a: GpuVector, z: GpuVector): Promise<ElementwiseOp> {
  const spec = withActivation(ACTIVATION_KERNEL.name, ACTIVATION_KERNEL.sources, checkActivation('activation', activation));
  return createElementwise(ctx, spec, ['a', a], ['z', z]);
}

/** Binds g = g′(z) from what the forward pass saved: a = g(z), or z where the registry's derivativeFrom says 'z'. */
export function createActivationGradient(ctx: GpuContext, activation: ActivationName, g: GpuVector, saved: GpuVector): Promise<ElementwiseOp> {
  const spec = withActivation(GRADIENT_KERNEL.name, GRADIENT_KERNEL.sources, checkActivation('activation', activation));
  return createElementwise(ctx, spec, ['g', g], ['saved', saved]);
}

/** One-shot a = g(z). */
export async function activate(ctx: GpuContext, activation: ActivationName, a: GpuVector, z: GpuVector): Promise<void> {
  await runOnce(ctx, await createActivation(ctx, activation, a, z));
}

/** One-shot g = g′(z) from what the forward pass saved (a = g(z), or z). */
export async function activationGradient(ctx: GpuContext, activation: ActivationName, g: GpuVector, saved: GpuVector): Promise<void> {
  await runOnce(ctx, await createActivationGradient(ctx, activation, g, saved));
}

/** Binds a = σ(z), the lecture's g. */
export function createSigmoid(ctx: GpuContext, a: GpuVector, z: GpuVector): Promise<ElementwiseOp> {
  return createActivation(ctx, 'sigmoid', a, z);
}

/** Binds g = a ⊙ (1 − a), σ'(z) from the saved activation a = σ(z). */
export function createSigmoidDerivative(ctx: GpuContext, g: GpuVector, a: GpuVector): Promise<ElementwiseOp> {
  return createActivationGradient(ctx, 'sigmoid', g, a);
}

/** One-shot a = σ(z). */
export function sigmoid(ctx: GpuContext, a: GpuVector, z: GpuVector): Promise<void> {
  return activate(ctx, 'sigmoid', a, z);
}

/** One-shot g = a ⊙ (1 − a). */
export function sigmoidDerivative(ctx: GpuContext, g: GpuVector, a: GpuVector): Promise<void> {
  return activationGradient(ctx, 'sigmoid', g, a);
}
