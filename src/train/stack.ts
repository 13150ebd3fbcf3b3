// The stack of models trained as one (./group.ts): their Θ, gradients, optimiser moments and
// costs side by side in buffers of the group's, the passes bound to them once for all the models
// (the batch's, and the validation set's when they share one), the update of every Θ, and one
// command buffer's copies between each model's own buffers and its place in the stack.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { encodeDispatch } from '../gpu/kernel.js';
import { STATE } from '../kernels/epoch_end.js';
import { updateSettings } from '../kernels/optimizer_update.js';
import { StackedUpdate } from '../kernels/optimizer_update_stacked.js';
import type { FitArgs, FitLoop, Submit } from './fit-loop.js';
import { type BatchOps, type GradientProgram, type Stacking, type TrainingData, fullBatch, stackedRanges } from './program.js';
import { StepTable } from './step-table.js';

/** The models' Θ stacked, their gradients stacked, and the program that binds one set of passes for all of them. */
export function stackedProgram(ctx: GpuContext, fits: FitArgs[]): Stacked {
  const one = fits[0]!.program;
  const P = one.parameters;
  const count = fits.length;
  const m = fits[0]!.data.examples;
  const make = (what: string, floats: number) => ctx.createBuffer(`${one.label} ×${count} stacked ${what}`, floats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
  const theta = make('Θ', count * P);
  const stacking: Stacking = { count, first: one.stackFirst ?? 0, loss: make('example costs', count * m), correct: make('example correct', count * m), examples: m };
  const program: GradientProgram = {
    label: `${one.label} ×${count}`, parameters: count * P, theta, decay: one.decay, hasAccuracy: one.hasAccuracy,
    bindBatch: (b) => one.bindStacked!(b, theta, stacking),
  };
  const ranges = fits.map((_, k) => stackedRanges(P, stacking.first, count, k).map(([from, to, floats]): [number, number, number] => [from * 4, to * 4, floats * 4]));
  return { program, theta, stacking, ranges, update: undefined, validation: undefined };
}

export interface Stacked {
  program: GradientProgram;
  theta: GPUBuffer;
  stacking: Stacking;
  /** Per model, where its Θ is in the stack: [byte in its own Θ, byte in the stack, bytes]. */
  ranges: [number, number, number][][];
  update: StackedUpdate | undefined;
  validation: StackedValidation | undefined;
}

/** Frees what the stack made. */
export function destroyStacked(ctx: GpuContext, stacked: Stacked): void {
  stacked.update?.destroy();
  stacked.validation?.destroy();
  for (const b of [stacked.theta, stacked.stacking.loss, stacked.stacking.correct]) ctx.release(b);
}

/**
 * The forward pass over a validation set every model of the group shares, once for all of them on
 * the stacked Θ (after a step's update), each model's costs into its slice of a stack of its own;
 * each model's validation epoch end then sums its copy (StepParts 'ends').
 */
export class StackedValidation {
  private constructor(
    private readonly ctx: GpuContext,
    readonly steps: StepTable,
    readonly stacking: Stacking,
    private readonly ops: BatchOps[],
  ) {}

  get examples(): number {
    return this.stacking.examples;
  }

  static async create(ctx: GpuContext, stacked: Stacked, held: TrainingData, one: GradientProgram, batch: FitLoop): Promise<StackedValidation> {
    const { count, first } = stacked.stacking;
    const label = `${stacked.program.label} validation`;
    const make = (what: string) => ctx.createBuffer(`${label} stacked ${what}`, count * held.examples * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
    const stacking: Stacking = { count, first, loss: make('costs'), correct: make('correct'), examples: held.examples };
    const self = new StackedValidation(ctx, new StepTable(ctx, batch.stepsPerSubmit, label), stacking, []);
    try {
      for (const binding of fullBatch(held, label, { grad: batch.buffers.grad, loss: stacking.loss, correct: stacking.correct, steps: self.steps, forwardOnly: true })) {
        self.ops.push(await one.bindStacked!(binding, stacked.theta, stacking));
      }
      return self;
    } catch (e) {
      self.destroy();
      throw e;
    }
  }

  /** The pass of step record k. */
  encode(pass: GPUComputePassEncoder, k: number): void {
    for (const op of this.ops) op.encode(pass, k * this.steps.stride);
  }

  destroy(): void {
    for (const op of this.ops) op.destroy();
    this.steps.destroy();
    this.ctx.release(this.stacking.loss);
    this.ctx.release(this.stacking.correct);
  }
}

/** Model i's costs and right/wrong, from its slice of `stacking`'s into `own` (its fit's, which its epoch end sums). */
function copyCosts(enc: GPUCommandEncoder, stacking: Stacking, i: number, own: { loss: GPUBuffer; correct: GPUBuffer }): void {
  const bytes = stacking.examples * 4;
  enc.copyBufferToBuffer(stacking.loss, i * bytes, own.loss, 0, bytes);
  enc.copyBufferToBuffer(stacking.correct, i * bytes, own.correct, 0, bytes);
}

/** The update of every model's stacked Θ from the batch's stacked gradient, each with its own optimiser settings. */
export function stackedUpdate(ctx: GpuContext, stacked: Stacked, members: FitLoop[], batch: FitLoop): Promise<StackedUpdate> {
  const { count, first } = stacked.stacking;
  const P = members[0]!.a.program.parameters;
  const models = members.map(({ a: { o, data } }) => ({ optimizer: o.optimizer, ...updateSettings(o, data.examples) }));
  const b = { theta: stacked.theta, grad: batch.buffers.grad, decay: members[0]!.a.program.decay, steps: batch.trainingStep.steps };
  return StackedUpdate.create(ctx, stacked.program.label, { models: count, first, rest: P - first }, models, b, batch.stepsPerSubmit);
}

/** One command buffer of the group: the members going, their plans, and the copies between their Θ and the stack. */
export class SubmitEncoder {
  constructor(
    private readonly enc: GPUCommandEncoder,
    private readonly members: FitLoop[],
    private readonly batch: FitLoop,
    private readonly stacked: Stacked,
    private readonly going: number[],
    private readonly plans: Map<number, Submit>,
  ) {}

  /** Member i's Θ copied into the stack, or (`back`) from it. */
  private copyTheta(i: number, back: boolean): void {
    const own = this.members[i]!.a.program.theta;
    for (const [from, to, bytes] of this.stacked.ranges[i]!) {
      if (back) this.enc.copyBufferToBuffer(this.stacked.theta, to, own, from, bytes);
      else this.enc.copyBufferToBuffer(own, from, this.stacked.theta, to, bytes);
    }
  }

  /** Member i's moments (Adam's m and v, momentum's v) copied into the stack, or (`back`) from it. */
  private copyMoments(i: number, back: boolean): void {
    const f = this.members[i]!;
    const halves = { sgd: 0, momentum: 1, adam: 2 }[f.a.o.optimizer];
    const own = f.buffers.moments;
    const stack = this.stacked.update!.moments;
    const P = f.a.program.parameters * 4;
    const total = this.stacked.stacking.count * P;
    for (let h = 0; h < halves; h++) {
      for (const [from, to, bytes] of this.stacked.ranges[i]!) {
        if (back) this.enc.copyBufferToBuffer(stack, h * total + to, own, h * P + from, bytes);
        else this.enc.copyBufferToBuffer(own, h * P + from, stack, h * total + to, bytes);
      }
    }
  }

  /** Each member's opening copies, then its Θ (and, at its first step, its moments) into the stack. */
  open(): void {
    for (const i of this.going) {
      const f = this.members[i]!;
      f.encodeOpening(this.enc);
      this.copyTheta(i, false);
      if (f.step === 0) this.copyMoments(i, false);
    }
  }

  /** Step record k: the passes for all, the epoch ends due, the update of every Θ, then validation and checkpoints. */
  step(k: number): void {
    const { enc, members, batch, stacked, plans } = this;
    const label = batch.a.program.label;
    const ending = this.going.filter((i) => plans.get(i)!.endsEpoch[k]);
    let pass = enc.beginComputePass({ label: `${label} passes` });
    batch.trainingStep.encode(pass, k, false);
    if (ending.length > 0) {
      // An epoch end reads Θ before the step's update (J's λ term, θ_good); its stop holds the update.
      pass.end();
      for (const i of ending) this.copyTheta(i, true);
      for (const i of ending) copyCosts(enc, stacked.stacking, i, members[i]!.buffers);
      pass = enc.beginComputePass({ label: `${label} epoch ends` });
      for (const i of ending) members[i]!.encodeBeforeUpdate(pass, plans.get(i)!, k);
      pass.end();
      for (const i of ending) stacked.update!.copyStopped(enc, i, members[i]!.buffers.state, STATE.stopped);
      pass = enc.beginComputePass({ label: `${label} update` });
    }
    for (const d of stacked.update!.dispatches) encodeDispatch(pass, d, k * batch.trainingStep.steps.stride);
    pass.end();
    if (ending.length === 0) return;
    // Validation and checkpoints read Θ after the update; early stopping's stop holds the next ones.
    for (const i of ending) this.copyTheta(i, true);
    if (stacked.validation) {
      pass = enc.beginComputePass({ label: `${label} validation pass` });
      stacked.validation.encode(pass, k);
      pass.end();
      for (const i of ending) copyCosts(enc, stacked.validation.stacking, i, members[i]!.trainingStep.validationCosts!);
    }
    pass = enc.beginComputePass({ label: `${label} validation` });
    for (const i of ending) pass = members[i]!.encodeAfterUpdate(enc, pass, plans.get(i)!, k);
    pass.end();
    for (const i of ending) stacked.update!.copyStopped(enc, i, members[i]!.buffers.state, STATE.stopped);
  }

  /** Member i's Θ back from the stack (and its moments, when its fit ends here), then its closing copies. */
  close(i: number): GPUBuffer | undefined {
    const f = this.members[i]!;
    const plan = this.plans.get(i)!;
    this.copyTheta(i, true);
    if (f.step + plan.records.length >= f.totalSteps) this.copyMoments(i, true);
    return f.encodeClosing(this.enc, plan);
  }
}
