// Several models' fits run as one (trainMany, src/select/train-many.ts): fresh models of one shape
// on one upload of their data, whose fits take the same steps — the same batches in the same
// order. Each command buffer records, per step, every model's Θ copied into one stacked buffer,
// then the batch's gather and forward and backward passes once for all the models (each product
// a batch of products, src/gpu/strided.ts; each model's output layer its own), each
// model's gradient copied back, then each model's own tail: epoch end and optimiser update (and
// validation, checkpoints) on its own buffers. Every model's fit is otherwise its own
// (./fit-loop.ts): its records, α, λ, state, history and result — and the sums it sees are the
// ones its fit alone computes, so Θ and the history are bit for bit that fit's. A model that
// stops (diverged on a live fit, cancelled, early stopped) leaves the group; the rest go on.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
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
function stackedProgram(ctx: GpuContext, seats: Seat[]): { program: GradientProgram; theta: GPUBuffer; stacking: Stacking; ranges: [number, number, number][][] } {
  const one = seats[0]!.args.program;
  const P = one.parameters;
  const count = seats.length;
  const theta = ctx.createBuffer(`${one.label} ×${count} stacked Θ`, count * P * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST);
  const stacking: Stacking = { count, first: one.stackFirst ?? 0, outputs: [], active: seats.map(() => true) };
  const program: GradientProgram = {
    label: `${one.label} ×${count}`, parameters: count * P, theta, decay: one.decay, hasAccuracy: one.hasAccuracy,
    bindBatch: (b) => one.bindStacked!(b, theta, stacking),
  };
  const ranges = seats.map((_, k) => stackedRanges(P, stacking.first, count, k).map(([from, to, floats]): [number, number, number] => [from * 4, to * 4, floats * 4]));
  return { program, theta, stacking, ranges };
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
    for (const f of members) stacked.stacking.outputs.push({ loss: f!.buffers.loss, correct: f!.buffers.correct });
    const a = seats[0]!.args;
    batch = await FitLoop.open(ctx, { program: stacked.program, data: a.data, o: a.o, epochBase: a.epochBase, run: a.run }, 'batch');
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
    await batch?.close();
    ctx.release(stacked.theta);
  }
}

/**
 * The command buffers of the group, until every member has left. `leave(i)` ends member i's fit:
 * its result, or (`failed` holds it) the error of its own that ended it — its onEpoch threw, its
 * checkpoint failed — which leaves the others training; a failed submit fails them all.
 */
async function loop(
  ctx: GpuContext,
  members: FitLoop[],
  batch: FitLoop,
  stacked: { theta: GPUBuffer; stacking: Stacking; ranges: [number, number, number][][] },
  leave: (i: number, failed: unknown[]) => Promise<void>,
): Promise<void> {
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
    const targets = new Map<number, GPUBuffer | undefined>();
    const grad = batch.buffers.grad;
    const first = members[going[0]!]!;
    await ctx.submit(`${batch.a.program.label} steps ${first.step}–${first.step + shared.records.length - 1}`, (enc) => {
      for (const i of going) members[i]!.encodeOpening(enc);
      shared.records.forEach((_, k) => {
        for (const i of going) for (const [from, to, bytes] of stacked.ranges[i]!) enc.copyBufferToBuffer(members[i]!.a.program.theta, from, stacked.theta, to, bytes);
        const passes = enc.beginComputePass({ label: `${batch.a.program.label} passes` });
        batch.trainingStep.encode(passes, k, false);
        passes.end();
        for (const i of going) for (const [from, to, bytes] of stacked.ranges[i]!) enc.copyBufferToBuffer(grad, to, members[i]!.buffers.grad, from, bytes);
        let pass = enc.beginComputePass({ label: `${batch.a.program.label} updates` });
        for (const i of going) pass = members[i]!.encodeRecord(enc, pass, plans.get(i)!, k);
        pass.end();
      });
      for (const i of going) targets.set(i, members[i]!.encodeClosing(enc, plans.get(i)!));
    });
    batch.step += shared.records.length;
    await each((f, i) => f.after(plans.get(i)!, targets.get(i)));
  }
  await Promise.all(leaving);
}
