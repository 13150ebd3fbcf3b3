// The stack of models trained as one (./group.ts): their Θ, gradients, optimiser moments and
// costs side by side in buffers of the group's, the passes bound to them once for all the models
// (the batch's, and the validation set's they share), their epoch ends (./epoch-ends.ts), the
// update of every Θ, and one command buffer's copies between each model's own buffers and its
// place in the stack.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { encodeDispatch } from '../gpu/kernel.js';
import { updateSettings } from '../kernels/optimizer_update.js';
import { StackedUpdate } from '../kernels/optimizer_update_stacked.js';
import { GroupEpochEnds } from './epoch-ends.js';
import type { FitArgs, FitLoop, Submit } from './fit-loop.js';
import { type BatchOps, type GradientProgram, type Stacking, type TrainingData, copyStacked, fullBatch, stackedRanges } from './program.js';
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
  return { program, theta, stacking, ranges, update: undefined, validation: undefined, ends: undefined };
}

export interface Stacked {
  program: GradientProgram;
  theta: GPUBuffer;
  stacking: Stacking;
  /** Per model, where its Θ is in the stack: [byte in its own Θ, byte in the stack, bytes]. */
  ranges: [number, number, number][][];
  update: StackedUpdate | undefined;
  validation: StackedValidation | undefined;
  ends: GroupEpochEnds | undefined;
}

/** Frees what the stack made. */
export function destroyStacked(ctx: GpuContext, stacked: Stacked): void {
  stacked.update?.destroy();
  stacked.validation?.destroy();
  stacked.ends?.destroy();
  for (const b of [stacked.theta, stacked.stacking.loss, stacked.stacking.correct]) ctx.release(b);
}

/**
 * The forward pass over the validation set the models of the group share, once for all of them on
 * the stacked Θ (after a step's update), each model's costs into its slice of a stack of its own,
 * which the group's validation epoch ends sum (./epoch-ends.ts).
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

/** The group's epoch ends (./epoch-ends.ts), then the update of every model's stacked Θ from the batch's stacked gradient, each with its own optimiser settings; into `stacked`. */
export async function stackedTail(ctx: GpuContext, stacked: Stacked, members: FitLoop[], batch: FitLoop): Promise<void> {
  const { count, first } = stacked.stacking;
  const { parameters: P, decay } = members[0]!.a.program;
  const layout = { models: count, first, rest: P - first };
  const training = { stacking: stacked.stacking, steps: batch.trainingStep.steps };
  const validation = stacked.validation && { stacking: stacked.validation.stacking, steps: stacked.validation.steps };
  stacked.ends = await GroupEpochEnds.create(ctx, stacked.program.label, members, { theta: stacked.theta, decay, layout, training, ...(validation ? { validation } : {}) }, stacked.ranges);
  const models = members.map(({ a: { o, data } }) => ({ optimizer: o.optimizer, ...updateSettings(o, data.examples) }));
  const b = { theta: stacked.theta, grad: batch.buffers.grad, decay, state: stacked.ends.state, steps: batch.trainingStep.steps };
  stacked.update = await StackedUpdate.create(ctx, stacked.program.label, layout, models, b, batch.stepsPerSubmit);
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
    copyStacked(this.enc, this.stacked.ranges[i]!, this.stacked.theta, this.members[i]!.a.program.theta, back);
  }

  /** Member i's moments (Adam's m and v, momentum's v) copied into the stack, or (`back`) from it. */
  private copyMoments(i: number, back: boolean): void {
    const f = this.members[i]!;
    const halves = { sgd: 0, momentum: 1, adam: 2 }[f.a.o.optimizer];
    const own = f.buffers.moments;
    const stack = this.stacked.update!.moments;
    const P = f.a.program.parameters * 4;
    const total = this.stacked.stacking.count * P;
    for (let h = 0; h < halves; h++) copyStacked(this.enc, this.stacked.ranges[i]!, stack, own, back, h * P, h * total);
  }

  /** Each member's opening copies, then its Θ (and, at its first step, its moments) into the stack; in the first command buffer, the epoch ends' θ_good from it. */
  open(): void {
    for (const i of this.going) {
      const f = this.members[i]!;
      f.encodeOpening(this.enc);
      this.copyTheta(i, false);
      if (f.step === 0) this.copyMoments(i, false);
    }
    if (this.batch.step === 0) this.stacked.ends!.start(this.enc);
  }

  /** Step record k: the passes for all; where it ends an epoch, every model's epoch end; the update of every Θ; then validation and the epoch ends' checkpoints. */
  step(k: number): void {
    const { enc, members, batch, stacked, plans } = this;
    const label = batch.a.program.label;
    const ends = stacked.ends!;
    const ending = this.going.filter((i) => plans.get(i)!.endsEpoch[k]);
    const pass = enc.beginComputePass({ label: `${label} step` });
    batch.trainingStep.encode(pass, k, false);
    // An epoch end reads Θ before the step's update (J's λ term, θ_good); its stop holds the update.
    if (ending.length > 0) ends.encodeTraining(pass, k);
    for (const d of stacked.update!.dispatches) encodeDispatch(pass, d, k * batch.trainingStep.steps.stride);
    // Validation reads Θ after the update; early stopping's stop holds the next ones.
    if (ending.length > 0) {
      stacked.validation?.encode(pass, k);
      ends.encodeValidation(pass, k);
    }
    pass.end();
    for (const i of ending) {
      const f = members[i]!;
      const plan = plans.get(i)!;
      if (!f.checkpointDue(plan, k)) continue;
      this.copyTheta(i, true);
      ends.syncHistory(enc, i, plan.firstEpoch + plan.endsEpoch.slice(0, k + 1).filter(Boolean).length);
      f.copyCheckpoint(enc, k);
    }
  }

  /** Member i's Θ back from the stack (and its moments, when its fit ends here), its history, state and θ_good from the epoch ends', then its closing copies. */
  close(i: number): GPUBuffer | undefined {
    const f = this.members[i]!;
    const plan = this.plans.get(i)!;
    this.copyTheta(i, true);
    this.stacked.ends!.syncAll(this.enc, i, plan.firstEpoch + plan.epochsEnded);
    if (f.step + plan.records.length >= f.totalSteps) this.copyMoments(i, true);
    return f.encodeClosing(this.enc, plan);
  }
}
