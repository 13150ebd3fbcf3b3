// The optimiser step of many models whose Θ is stacked in one buffer (models trained together,
// src/train/group.ts): shaders/optimizer_update_stacked.wgsl, one dispatch per optimiser among
// the models, each model with its own settings, α, t and state. Its per-parameter step is
// shaders/lib/optimizer.wgsl's, the one ./optimizer_update.ts runs for a model alone.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import optimizerLib from '../../shaders/lib/optimizer.wgsl?raw';
import stateLib from '../../shaders/lib/state.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import stackedWgsl from '../../shaders/optimizer_update_stacked.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, grid1d } from '../gpu/kernel.js';
import { packStructArray, parseUniformLayout } from '../gpu/wgsl.js';
import type { StepTable } from '../train/step-table.js';
import type { OptimizerName, UpdateSettings } from './optimizer_update.js';

export const OPTIMIZER_UPDATE_STACKED: KernelSpec = { name: 'optimizer_update_stacked', sources: [elementwiseLib, stepLib, stateLib, optimizerLib, stackedWgsl], dynamic: ['step'] };

const WORKGROUP_SIZE = 256;
/**
 * Parameters each invocation steps (the kernel's PER_INVOCATION): 32 on a software adapter, where
 * an invocation's fixed part — its model, settings and α read as per-lane gathers — was a third
 * of the update (64 models of 400-25-10: 11.3 → 7.8 ms best of 6, the same bits); 8 on a GPU,
 * whose neighbouring invocations should read neighbouring parameters.
 */
function perInvocation(ctx: GpuContext): number {
  return ctx.adapter.isFallbackAdapter ? 32 : 8;
}
/** The storage structs' layouts, read from the WGSL (every field a 4-byte scalar: an array's stride is 4 bytes a field). */
const SETTINGS = parseUniformLayout(stackedWgsl, 'ModelSettings');
const STEP_BYTES = 4 * parseUniformLayout(stackedWgsl, 'ModelStep').fields.length;

/** One model's optimiser and its settings. */
export interface StackedModel extends UpdateSettings {
  optimizer: OptimizerName;
}

/** How the models' Θ are stacked: src/train/program.ts stackedRanges. */
export interface StackedLayout {
  models: number;
  /** Parameters of each model in the side-by-side block (0: none). */
  first: number;
  /** Parameters of each model after it. */
  rest: number;
}

export class StackedUpdate {
  readonly dispatches: Dispatch[] = [];
  private readonly made: GPUBuffer[] = [];
  /** Every model's settings (ModelSettings). */
  private settings!: GPUBuffer;
  /** Every model's optimiser moments, stacked like Θ (Adam's v after every model's m). */
  moments!: GPUBuffer;
  private rates!: GPUBuffer;
  private params!: GPUBuffer;

  private constructor(
    private readonly ctx: GpuContext,
    private readonly layout: StackedLayout,
    private readonly capacity: number,
  ) {}

  /**
   * The update of the stacked `theta` from the stacked `grad`, for `models` (one entry each, in
   * stacking order), at the steps of `steps` (up to `capacity` per submit); a model whose state in
   * `state` (STATE.size floats a model, the group's epoch ends') says stopped moves no more.
   */
  static async create(
    ctx: GpuContext,
    label: string,
    layout: StackedLayout,
    models: readonly StackedModel[],
    b: { theta: GPUBuffer; grad: GPUBuffer; decay: GPUBuffer; state: GPUBuffer; steps: StepTable },
    capacity: number,
  ): Promise<StackedUpdate> {
    const self = new StackedUpdate(ctx, layout, capacity);
    try {
      await self.build(label, models, b);
      return self;
    } catch (e) {
      self.destroy();
      throw e;
    }
  }

  private make(label: string, bytes: number, usage: number): GPUBuffer {
    const buffer = this.ctx.createBuffer(label, bytes, usage);
    this.made.push(buffer);
    return buffer;
  }

  private async build(label: string, models: readonly StackedModel[], b: { theta: GPUBuffer; grad: GPUBuffer; decay: GPUBuffer; state: GPUBuffer; steps: StepTable }): Promise<void> {
    const { ctx, layout } = this;
    const kernel = ctx.kernel(OPTIMIZER_UPDATE_STACKED);
    const total = layout.models * (layout.first + layout.rest);
    const momentFloats = models.some((m) => m.optimizer === 'adam') ? 2 * total : models.some((m) => m.optimizer === 'momentum') ? total : 4;
    // Filled from each model's own moments before its first step (src/train/stack.ts).
    this.moments = this.make(`${label} stacked optimizer moments`, momentFloats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
    const settings = packSettings(kernel, models);
    this.settings = this.make(`${label} models' optimizer settings`, settings.byteLength, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    ctx.device.queue.writeBuffer(this.settings, 0, settings);
    this.rates = this.make(`${label} models' step rates`, STEP_BYTES * models.length * this.capacity, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    this.params = ctx.createUniform(`${label} stacked update params`, this.paramsFor(0));
    this.made.push(this.params);
    const bindGroups = kernel.bindGroups(
      { theta: b.theta, grad: b.grad, decay: b.decay, moments: this.moments, settings: this.settings, rates: this.rates, params: this.params, state: b.state, step: b.steps.binding },
      `${label} stacked update`,
    );
    const PER_INVOCATION = perInvocation(ctx);
    const invocations = layout.models * (Math.ceil(layout.first / PER_INVOCATION) + Math.ceil(layout.rest / PER_INVOCATION));
    const workgroups = grid1d(invocations, WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, 'parameters');
    for (const method of new Set(models.map((m) => m.optimizer))) {
      const pipeline = await kernel.pipeline({ METHOD: kernel.constant(`METHOD_${method.toUpperCase()}`), WORKGROUP_SIZE, PER_INVOCATION });
      this.dispatches.push({ label: `${label} stacked update (${method})`, pipeline, bindGroups, workgroups, dynamicGroup: kernel.dynamicGroup });
    }
  }

  /**
   * Before a submit: each model's α and t at each of its steps (`steps[k][i]`: model i at the
   * submit's step k), and the t of the step table's first record, which the kernel counts rows from.
   */
  writeSteps(firstT: number, steps: readonly (readonly { rate: number; t: number }[])[]): void {
    if (steps.length > this.capacity) throw new Error(`${steps.length} steps over a table of ${this.capacity}`);
    const bytes = new ArrayBuffer(STEP_BYTES * this.layout.models * steps.length);
    const view = new DataView(bytes);
    steps.forEach((row, k) =>
      row.forEach((s, i) => {
        const at = STEP_BYTES * (k * this.layout.models + i);
        view.setFloat32(at, s.rate, true);
        view.setUint32(at + 4, s.t, true);
      }),
    );
    const queue = this.ctx.device.queue;
    queue.writeBuffer(this.rates, 0, bytes);
    queue.writeBuffer(this.params, 0, this.paramsFor(firstT));
  }

  /** StackedParams: the stacking, and the t the rows of `rates` count from. */
  private paramsFor(firstT: number): ArrayBuffer {
    const { models, first, rest } = this.layout;
    return this.ctx.kernel(OPTIMIZER_UPDATE_STACKED).params({ models, first, rest, first_t: firstT });
  }

  destroy(): void {
    for (const buffer of this.made) this.ctx.release(buffer);
  }
}

/** The models' ModelSettings: λ/m, β₁, β₂, ε, the method's code. */
function packSettings(kernel: { constant(name: string): number }, models: readonly StackedModel[]): Uint8Array<ArrayBuffer> {
  const rows = models.map((m) => ({ lambda_over_m: m.lambdaOverM, beta1: m.beta1, beta2: m.beta2, epsilon: m.epsilon, method: kernel.constant(`METHOD_${m.optimizer.toUpperCase()}`), unused0: 0, unused1: 0, unused2: 0 }));
  return packStructArray(SETTINGS, rows, 'ModelSettings');
}
