// Several models' fits run as one (trainMany, src/select/train-many.ts): fresh models of one shape
// on one upload of their data, whose fits take the same steps — the same batches in the same
// order. Their Θ is stacked in one buffer while they train: each command buffer records, per step,
// the batch's gather and forward and backward passes once for all the models (each product a
// batch of products, src/gpu/strided.ts; the output layers one dispatch), each model's epoch
// end where the step ends one, then one update of every model's Θ
// (src/kernels/optimizer_update_stacked.ts), then validation and checkpoints. A model's own Θ is
// copied from the stack where its own kernels read it (epoch ends, validation, the end of each
// command buffer) — not twice a step as Θ and gradient copies, nor one update dispatch per model.
// Every model's fit is otherwise its own (./fit-loop.ts): its records, α, λ, state, history and
// result — and the sums and steps it sees are the ones its fit alone computes, so Θ and the
// history are bit for bit that fit's. A model that stops (diverged on a live fit, cancelled,
// early stopped) leaves the group; the rest go on.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { encodeDispatch } from '../gpu/kernel.js';
import { STATE } from '../kernels/epoch_end.js';
import { StackedUpdate } from '../kernels/optimizer_update_stacked.js';
import type { CheckpointSink } from './checkpoints.js';
import { type FitArgs, FitLoop, type FitResult, type Submit } from './fit-loop.js';
import type { ResolvedTrainOptions } from './options.js';
import { type GradientProgram, type Stacking, type TrainingData, stackedRanges } from './program.js';
import type { TrainingRun } from './run.js';
import type { BuiltStep } from './session.js';
import { runTraining } from './trainer.js';

/** runTraining's signature: what a fit calls to train. */
export type Trainer = (
  ctx: GpuContext, program: GradientProgram, data: TrainingData, o: ResolvedTrainOptions, epochBase: number, run: TrainingRun,
  validation?: TrainingData, checkpoint?: CheckpointSink, kept?: BuiltStep,
) => Promise<FitResult>;

interface Seat {
  args: FitArgs;
  resolve: (r: FitResult) => void;
  reject: (e: unknown) => void;
}

/** The options that decide a fit's steps and batches: fits equal in these can run as one. */
function stepsKey(a: FitArgs): string {
  const { o } = a;
  return JSON.stringify([o.epochs, o.batchSize, o.shuffle, o.seed, o.live, o.stepsPerSubmit ?? null, a.epochBase, a.program.parameters, !!a.kept, !!a.program.bindStacked]);
}

/**
 * The fits of `count` models trained together: seat i's trainer is what model i's fit calls in
 * place of runTraining (its first attempt; after a lost device it trains alone). Once every seat
 * has called or withdrawn, the fits whose steps agree run as one; any other runs alone.
 */
export class FitGroup {
  private readonly seats: (Seat | 'withdrawn' | undefined)[];
  private started = false;
  /** How many fits each seat's ran as one with (itself included): 1 alone, 0 withdrawn. */
  readonly together: number[];

  constructor(
    private readonly ctx: GpuContext,
    count: number,
  ) {
    this.seats = Array.from({ length: count }, () => undefined);
    this.together = this.seats.map(() => 0);
  }

  /** The trainer of seat i: joins the group the first time, then (a retry) trains alone. */
  trainer(i: number): Trainer {
    return (ctx, program, data, o, epochBase, run, validation, checkpoint, kept) => {
      if (this.seats[i] !== undefined) return runTraining(ctx, program, data, o, epochBase, run, validation, checkpoint, kept);
      return new Promise<FitResult>((resolve, reject) => {
        this.seats[i] = { args: { program, data, o, epochBase, run, validation, checkpoint, kept }, resolve, reject };
        this.startWhenSeated();
      });
    };
  }

  /** Seat i will not call (its fit failed before training): the others do not wait for it. */
  withdraw(i: number): void {
    if (this.seats[i] !== undefined) return;
    this.seats[i] = 'withdrawn';
    this.startWhenSeated();
  }

  private startWhenSeated(): void {
    if (this.started || this.seats.some((s) => s === undefined)) return;
    this.started = true;
    const byKey = new Map<string, Seat[]>();
    for (const s of this.seats) if (s && s !== 'withdrawn') byKey.set(stepsKey(s.args), [...(byKey.get(stepsKey(s.args)) ?? []), s]);
    for (const seats of byKey.values()) {
      for (const s of seats) this.together[this.seats.indexOf(s)] = seats.length;
      if (seats.length === 1) {
        const [s] = seats;
        const a = s!.args;
        runTraining(this.ctx, a.program, a.data, a.o, a.epochBase, a.run, a.validation, a.checkpoint, a.kept).then(s!.resolve, s!.reject);
      } else runTogether(this.ctx, seats).catch((e: unknown) => seats.forEach((s) => s.reject(e))); // settled seats stay as they are
    }
  }
}

/** The models' Θ stacked, their gradients stacked, and the program that binds one set of passes for all of them. */
function stackedProgram(ctx: GpuContext, seats: Seat[]): Stacked {
  const one = seats[0]!.args.program;
  const P = one.parameters;
  const count = seats.length;
  const m = seats[0]!.args.data.examples;
  const make = (what: string, floats: number) => ctx.createBuffer(`${one.label} ×${count} stacked ${what}`, floats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
  const theta = make('Θ', count * P);
  const stacking: Stacking = { count, first: one.stackFirst ?? 0, loss: make('example costs', count * m), correct: make('example correct', count * m), examples: m, active: seats.map(() => true) };
  const program: GradientProgram = {
    label: `${one.label} ×${count}`, parameters: count * P, theta, decay: one.decay, hasAccuracy: one.hasAccuracy,
    bindBatch: (b) => one.bindStacked!(b, theta, stacking),
  };
  const ranges = seats.map((_, k) => stackedRanges(P, stacking.first, count, k).map(([from, to, floats]): [number, number, number] => [from * 4, to * 4, floats * 4]));
  return { program, theta, stacking, ranges, update: undefined };
}

interface Stacked {
  program: GradientProgram;
  theta: GPUBuffer;
  stacking: Stacking;
  /** Per model, where its Θ is in the stack: [byte in its own Θ, byte in the stack, bytes]. */
  ranges: [number, number, number][][];
  update: StackedUpdate | undefined;
}

/** The update of every model's stacked Θ from the batch's stacked gradient, each with its own optimiser settings. */
function stackedUpdate(ctx: GpuContext, stacked: Stacked, members: FitLoop[], batch: FitLoop): Promise<StackedUpdate> {
  const { count, first } = stacked.stacking;
  const P = members[0]!.a.program.parameters;
  const models = members.map(({ a: { o, data } }) => ({ optimizer: o.optimizer, lambdaOverM: o.lambda / data.examples, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon }));
  const b = { theta: stacked.theta, grad: batch.buffers.grad, decay: members[0]!.a.program.decay, steps: batch.trainingStep.steps };
  return StackedUpdate.create(ctx, stacked.program.label, { models: count, first, rest: P - first }, models, b, batch.stepsPerSubmit);
}

/** Runs the seats' fits as one; each seat's promise settles with its own result or error. */
async function runTogether(ctx: GpuContext, seats: Seat[]): Promise<void> {
  const members: (FitLoop | undefined)[] = seats.map(() => undefined);
  const stacked = stackedProgram(ctx, seats);
  let batch: FitLoop | undefined;
  const settled = seats.map(() => false);
  // A member's fit ends once: its promise settled and its buffers closed.
  const settle = async (i: number, how: () => void) => {
    if (settled[i]) return;
    settled[i] = true;
    how();
    await members[i]?.close();
  };
  try {
    for (const [i, s] of seats.entries()) members[i] = await FitLoop.open(ctx, s.args, 'tail');
    const a = seats[0]!.args;
    batch = await FitLoop.open(ctx, { program: stacked.program, data: a.data, o: a.o, epochBase: a.epochBase, run: a.run }, 'batch');
    stacked.update = await stackedUpdate(ctx, stacked, members as FitLoop[], batch);
    await loop(ctx, members as FitLoop[], batch, stacked, async (i, failed) => {
      const f = members[i]!;
      try {
        if (failed.length > 0) throw failed[0];
        const result = await f.finish();
        await settle(i, () => seats[i]!.resolve(result));
      } catch (e) {
        const error = await f.failure(e);
        await settle(i, () => seats[i]!.reject(error));
      }
    });
  } catch (e) {
    for (const [i, f] of members.entries()) {
      const error = f ? await f.failure(e) : e;
      await settle(i, () => seats[i]!.reject(error));
    }
  } finally {
    stacked.update?.destroy();
    await batch?.close();
    for (const b of [stacked.theta, stacked.stacking.loss, stacked.stacking.correct]) ctx.release(b);
  }
}

/**
 * The command buffers of the group, until every member has left. `leave(i)` ends member i's fit:
 * its result, or (`failed` holds it) the error of its own that ended it — its onEpoch threw, its
 * checkpoint failed — which leaves the others training; a failed submit fails them all.
 */
async function loop(ctx: GpuContext, members: FitLoop[], batch: FitLoop, stacked: Stacked, leave: (i: number, failed: unknown[]) => Promise<void>): Promise<void> {
  const { active } = stacked.stacking;
  const leaving: Promise<void>[] = [];
  const out = (i: number, ...failed: unknown[]) => {
    active[i] = false;
    leaving.push(leave(i, failed));
  };
  /** Runs `step` for each member still training; one that throws leaves with its error. */
  const each = async (step: (f: FitLoop, i: number) => Promise<unknown>) => {
    await Promise.all(members.map((f, i) => (active[i] ? step(f, i).catch((e: unknown) => out(i, e)) : undefined)));
  };
  for (;;) {
    await each(async (f, i) => {
      if (!(f.going && (await f.ready()))) out(i);
    });
    const plans = new Map<number, Submit>();
    await each(async (f, i) => {
      const plan = f.plan();
      await f.begin(plan);
      plans.set(i, plan);
    });
    const going = members.flatMap((_, i) => (active[i] ? [i] : []));
    if (going.length === 0) break;
    const shared = plans.get(going[0]!)!;
    batch.trainingStep.steps.write(shared.records);
    // Each model's α and t at each step; a model that has left moves nothing (α = 0).
    stacked.update!.writeSteps(shared.records[0]!.t, shared.records.map((_, k) => members.map((_, i) => plans.get(i)?.records[k] ?? { rate: 0, t: 1 })));
    const first = members[going[0]!]!;
    const targets = new Map<number, GPUBuffer | undefined>();
    await ctx.submit(`${batch.a.program.label} steps ${first.step}–${first.step + shared.records.length - 1}`, (enc) => {
      const submit = new SubmitEncoder(enc, members, batch, stacked, going, plans);
      submit.open();
      shared.records.forEach((_, k) => submit.step(k));
      for (const i of going) targets.set(i, submit.close(i));
    });
    batch.step += shared.records.length;
    await each((f, i) => f.after(plans.get(i)!, targets.get(i)));
  }
  await Promise.all(leaving);
}

/** One command buffer of the group: the members going, their plans, and the copies between their Θ and the stack. */
class SubmitEncoder {
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

  /** Member i's costs and right/wrong of the epoch, from its slice of the stack's into its own (what its epoch end sums). */
  private copyCosts(i: number): void {
    const { loss, correct, examples } = this.stacked.stacking;
    const own = this.members[i]!.buffers;
    this.enc.copyBufferToBuffer(loss, i * examples * 4, own.loss, 0, examples * 4);
    this.enc.copyBufferToBuffer(correct, i * examples * 4, own.correct, 0, examples * 4);
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
    if (!(process.env.GROUP_SKIP ?? '').includes('passes')) batch.trainingStep.encode(pass, k, false);
    if (ending.length > 0) {
      // An epoch end reads Θ before the step's update (J's λ term, θ_good); its stop holds the update.
      pass.end();
      for (const i of ending) this.copyTheta(i, true);
      for (const i of ending) this.copyCosts(i);
      pass = enc.beginComputePass({ label: `${label} epoch ends` });
      for (const i of ending) members[i]!.encodeBeforeUpdate(pass, plans.get(i)!, k);
      pass.end();
      for (const i of ending) stacked.update!.copyStopped(enc, i, members[i]!.buffers.state, STATE.stopped);
      pass = enc.beginComputePass({ label: `${label} update` });
    }
    if (!(process.env.GROUP_SKIP ?? '').includes('update')) for (const d of stacked.update!.dispatches) encodeDispatch(pass, d, k * batch.trainingStep.steps.stride);
    pass.end();
    if (ending.length === 0) return;
    // Validation and checkpoints read Θ after the update; early stopping's stop holds the next ones.
    for (const i of ending) this.copyTheta(i, true);
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
