// The epoch ends of the models trained as one (./group.ts): every model's in one dispatch after
// the batch's passes (J, accuracy, the divergence guard, θ_good), and, with the validation set
// they share, every model's validation epoch end in one dispatch after the update — each model's
// exactly as its fit alone computes it (src/kernels/epoch_end_stacked.ts). Their histories,
// states and θ_good live in buffers of the group's, read in place by the stacked update (a
// stopped model moves no more) and copied into each model's own fit where it reads them: at the
// end of each command buffer (its history readback, a divergence's restore) and before its
// checkpoints. A model's own epoch end and copies around it, twice an epoch, were most of the
// time of a group of small full-batch models.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, encodeDispatch } from '../gpu/kernel.js';
import { type EpochEndSettings, STATE, initialState } from '../kernels/epoch_end.js';
import { createStackedEpochEnd } from '../kernels/epoch_end_stacked.js';
import type { StackedLayout } from '../kernels/optimizer_update_stacked.js';
import type { FitLoop } from './fit-loop.js';
import { HISTORY_STRIDE } from './history.js';
import { type Stacking, copyStacked } from './program.js';
import type { StepTable } from './step-table.js';
import { trainingEndSettings, validationEndSettings } from './training-step.js';

/** What the group's epoch ends read: the stacked Θ, the batch's costs and steps, and the shared validation pass's. */
export interface EpochEndInputs {
  theta: GPUBuffer;
  decay: GPUBuffer;
  layout: StackedLayout;
  training: { stacking: Stacking; steps: StepTable };
  validation?: { stacking: Stacking; steps: StepTable };
}

export class GroupEpochEnds {
  private readonly made: GPUBuffer[] = [];
  /** Every model's training state, STATE.size floats a model (the stacked update reads it). */
  state!: GPUBuffer;
  private history!: GPUBuffer;
  /** Floats of each model's history in it (the same epochs for every model of a group). */
  private historyFloats = 0;
  private thetaGood!: GPUBuffer;
  /** With early stopping: every model's best validation θ, stacked like Θ. */
  private bestValidation: GPUBuffer | undefined;
  private training!: Dispatch;
  private validation: Dispatch | undefined;
  /** Per model, the history rows its own fit already holds. */
  private readonly synced: number[];

  private constructor(
    private readonly ctx: GpuContext,
    private readonly members: FitLoop[],
    private readonly inputs: EpochEndInputs,
    /** Per model, where its Θ is in the stack: [byte in its own Θ, byte in the stack, bytes]. */
    private readonly ranges: [number, number, number][][],
  ) {
    this.synced = members.map(() => 0);
  }

  static async create(ctx: GpuContext, label: string, members: FitLoop[], inputs: EpochEndInputs, ranges: [number, number, number][][]): Promise<GroupEpochEnds> {
    const self = new GroupEpochEnds(ctx, members, inputs, ranges);
    try {
      await self.build(label);
      return self;
    } catch (e) {
      self.destroy();
      throw e;
    }
  }

  private make(label: string, floats: number): GPUBuffer {
    const buffer = this.ctx.createBuffer(label, floats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
    this.made.push(buffer);
    return buffer;
  }

  private async build(label: string): Promise<void> {
    const { ctx, members, inputs } = this;
    const { models, first, rest } = inputs.layout;
    const P = first + rest;
    const historyFloats = (this.historyFloats = HISTORY_STRIDE * members[0]!.a.o.epochs);
    this.state = this.make(`${label} training states`, models * STATE.size);
    this.history = this.make(`${label} cost histories`, models * historyFloats);
    this.thetaGood = this.make(`${label} best parameters`, models * P);
    if (members.some((f) => f.a.o.earlyStopping)) this.bestValidation = this.make(`${label} θ of the best validation epochs`, models * P);
    const states = new Float32Array(models * STATE.size);
    for (let i = 0; i < models; i++) states.set(initialState(), i * STATE.size);
    ctx.device.queue.writeBuffer(this.state, 0, states);
    ctx.device.queue.writeBuffer(this.history, 0, new Float32Array(models * historyFloats).fill(NaN));
    const shared = { theta: inputs.theta, decay: inputs.decay, history: this.history, state: this.state };
    const end = (settings: EpochEndSettings[], evaluate: boolean, costs: { stacking: Stacking; steps: StepTable }, thetaGood: GPUBuffer) =>
      createStackedEpochEnd(ctx, evaluate ? `${label} validation` : label, evaluate, inputs.layout, settings, historyFloats, { ...shared, loss: costs.stacking.loss, correct: costs.stacking.correct, thetaGood, steps: costs.steps });
    const training = await end(members.map((f) => trainingEndSettings(f.a.data.examples, P, f.a.o, f.a.epochBase)), false, inputs.training, this.thetaGood);
    for (const buffer of training.made) this.made.push(buffer);
    this.training = training.dispatch;
    const held = inputs.validation;
    if (!held) return;
    const validation = await end(members.map((f) => validationEndSettings(held.stacking.examples, P, f.a.o, f.a.epochBase)), true, held, this.bestValidation ?? this.thetaGood);
    for (const buffer of validation.made) this.made.push(buffer);
    this.validation = validation.dispatch;
  }

  /** In the group's first command buffer, once the models' Θ is in the stack: θ_good (and the best validation θ) start as it, as a fit's own do. */
  start(enc: GPUCommandEncoder): void {
    for (const kept of [this.thetaGood, this.bestValidation]) if (kept) enc.copyBufferToBuffer(this.inputs.theta, 0, kept, 0, kept.size);
  }

  /** Every model's training epoch end at step record k (before the update). */
  encodeTraining(pass: GPUComputePassEncoder, k: number): void {
    encodeDispatch(pass, this.training, k * this.inputs.training.steps.stride);
  }

  /** Every model's validation epoch end at record k (after the update and the shared validation pass), if they have a validation set. */
  encodeValidation(pass: GPUComputePassEncoder, k: number): void {
    if (this.validation) encodeDispatch(pass, this.validation, k * this.inputs.validation!.steps.stride);
  }

  /** Model i's history rows up to `epochs` (of its fit) into its own history, before its fit reads them (a checkpoint, the readback). */
  syncHistory(enc: GPUCommandEncoder, i: number, epochs: number): void {
    const from = this.synced[i]!;
    if (epochs <= from) return;
    const row = HISTORY_STRIDE * 4;
    enc.copyBufferToBuffer(this.history, i * this.historyFloats * 4 + from * row, this.members[i]!.buffers.history, from * row, (epochs - from) * row);
    this.synced[i] = epochs;
  }

  /** At the end of a command buffer: model i's history rows up to `epochs`, its state and θ_good (and best validation θ) into its own fit's buffers. */
  syncAll(enc: GPUCommandEncoder, i: number, epochs: number): void {
    this.syncHistory(enc, i, epochs);
    const own = this.members[i]!.buffers;
    enc.copyBufferToBuffer(this.state, i * STATE.size * 4, own.state, 0, STATE.size * 4);
    const copies: [GPUBuffer | undefined, GPUBuffer | undefined][] = [[this.thetaGood, own.thetaGood], [this.bestValidation, own.bestValidation]];
    for (const [stack, buffer] of copies) if (stack && buffer) copyStacked(enc, this.ranges[i]!, stack, buffer, true);
  }

  destroy(): void {
    for (const buffer of this.made) this.ctx.release(buffer);
  }
}
