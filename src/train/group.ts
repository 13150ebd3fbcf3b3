// Several models' fits run as one (trainMany, src/select/train-many.ts): fresh models of one shape
// on one upload of their data, whose fits take the same steps — the same batches in the same
// order, and the same validation set, if any — or on the folds of a cross-validation, each fold's
// fits on its own sets, the folds of one size stacked (./folds.ts). Their Θ is stacked in one buffer while they train:
// each command buffer records, per step, the batch's gather and forward and backward passes once
// for all the models (each product a batch of products, src/gpu/strided.ts; the output layers one
// dispatch), every model's epoch end in one dispatch where the step ends one (./epoch-ends.ts),
// then one update of every model's Θ (src/kernels/optimizer_update_stacked.ts), then the
// validation set's forward pass and every model's validation epoch end, once for all. A model's
// own Θ, history, state and θ_good are copied from the group's where its own fit reads them (its
// checkpoints, the end of each command buffer) — not twice a step, nor one dispatch per model
// (./stack.ts). Every model's fit is otherwise its own (./fit-loop.ts): its records, α, λ,
// settings and result — and the sums and steps it sees are the ones its fit alone computes, so Θ
// and the history are bit for bit that fit's. A model that stops (diverged on a live fit, cancelled,
// early stopped) leaves the group; the rest go on.

import type { GpuContext } from '../gpu/context.js';
import type { CheckpointSink } from './checkpoints.js';
import { type FitArgs, FitLoop, type FitResult, type Submit } from './fit-loop.js';
import type { ResolvedTrainOptions } from './options.js';
import { StackedSets, stackable } from './folds.js';
import type { GradientProgram, TrainingData } from './program.js';
import type { TrainingRun } from './run.js';
import type { BuiltStep } from './session.js';
import { type Stacked, StackedValidation, SubmitEncoder, destroyStacked, stackedProgram, stackedTail } from './stack.js';
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

/** The options that decide a fit's steps and batches: fits equal in these, on the same data (or on stackable folds, ./folds.ts), can run as one. */
function stepsKey(a: FitArgs): string {
  const { o } = a;
  return JSON.stringify([o.epochs, o.batchSize, o.shuffle, o.seed, o.live, o.stepsPerSubmit ?? null, a.epochBase, a.program.parameters, !!a.kept, !!a.program.bindStacked]);
}

/** Seats of one steps key by their training and validation sets, in the order the sets first come. */
function bySets(seats: Seat[]): Seat[][] {
  const buckets = new Map<TrainingData, Map<TrainingData | undefined, Seat[]>>();
  for (const s of seats) {
    const { data, validation } = s.args;
    const held = buckets.get(data) ?? new Map<TrainingData | undefined, Seat[]>();
    buckets.set(data, held);
    held.set(validation, [...(held.get(validation) ?? []), s]);
  }
  return [...buckets.values()].flatMap((held) => [...held.values()]);
}

/** Whether fits on several sets of one size (`buckets`, each one set's, as many on each) can run as one stack of folds: their sets stackable, all with a validation set or none. */
function foldsTogether(ctx: GpuContext, buckets: Seat[][]): boolean {
  const first = buckets[0]!;
  if (buckets.length < 2 || !first[0]!.args.program.bindStacked) return false;
  const held = buckets.map((b) => b[0]!.args.validation);
  const trains = buckets.map((b) => b[0]!.args.data);
  if (new Set(trains).size !== trains.length) return false; // one training set with several validation sets: not folds
  if (held.every((h) => h === undefined)) return stackable(ctx, trains);
  return held.every((h) => h !== undefined) && new Set(held).size === held.length && stackable(ctx, trains) && stackable(ctx, held as TrainingData[]);
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
    for (const s of this.seats) {
      if (!s || s === 'withdrawn') continue;
      const key = stepsKey(s.args);
      byKey.set(key, [...(byKey.get(key) ?? []), s]);
    }
    for (const seats of byKey.values()) {
      // Sets of one size, as many fits on each, may stack as folds; the rest run set by set.
      const bySize = new Map<string, Seat[][]>();
      for (const bucket of bySets(seats)) {
        const { data, validation } = bucket[0]!.args;
        const size = `${data.examples} ${validation?.examples} ${bucket.length}`;
        bySize.set(size, [...(bySize.get(size) ?? []), bucket]);
      }
      for (const buckets of bySize.values()) {
        if (foldsTogether(this.ctx, buckets)) this.run(buckets.flat(), buckets.length);
        else for (const bucket of buckets) this.run(bucket, 1);
      }
    }
  }

  /** Runs `seats` as one (on `sets` training sets, as many seats on each, set after set), or alone. */
  private run(seats: Seat[], sets: number): void {
    for (const s of seats) this.together[this.seats.indexOf(s)] = seats.length;
    if (seats.length === 1) {
      const [s] = seats;
      const a = s!.args;
      runTraining(this.ctx, a.program, a.data, a.o, a.epochBase, a.run, a.validation, a.checkpoint, a.kept).then(s!.resolve, s!.reject);
    } else runTogether(this.ctx, seats, sets).catch((e: unknown) => seats.forEach((s) => s.reject(e))); // settled seats stay as they are
  }
}

/** Runs the seats' fits as one (on `sets` training sets, set after set: ./folds.ts); each seat's promise settles with its own result or error. */
async function runTogether(ctx: GpuContext, seats: Seat[], sets: number): Promise<void> {
  const members: (FitLoop | undefined)[] = seats.map(() => undefined);
  const stacked = stackedProgram(ctx, seats.map((s) => s.args));
  const folds: StackedSets[] = [];
  let batch: FitLoop | undefined;
  const settled = seats.map(() => false);
  // A member's fit ends once: its buffers closed, and its promise settled once the group's own are
  // freed too — so when the caller has every result, the stack's memory is free (a gridSearch's next
  // round, ctx.stats(), do not see it).
  const outcomes: (() => void)[] = [];
  const settle = async (i: number, how: () => void) => {
    if (settled[i]) return;
    settled[i] = true;
    await members[i]?.close();
    outcomes.push(how);
  };
  try {
    // The validation set the models share (stepsKey) is evaluated in one pass for all of them.
    for (const [i, s] of seats.entries()) members[i] = await FitLoop.open(ctx, s.args, 'own');
    const a = seats[0]!.args;
    // One training set, or every fold's stacked (each fold's seats after the fold before's).
    const stack = async (of: (s: Seat) => TrainingData) => {
      if (sets === 1) return of(seats[0]!);
      const set = await StackedSets.create(ctx, seats.filter((_, i) => i % (seats.length / sets) === 0).map(of), stacked.program.label);
      folds.push(set);
      return set;
    };
    const data = await stack((s) => s.args.data);
    batch = await FitLoop.open(ctx, { program: stacked.program, data, o: a.o, epochBase: a.epochBase, run: a.run }, 'batch');
    if (a.validation) stacked.validation = await StackedValidation.create(ctx, stacked, await stack((s) => s.args.validation!), a.program, batch);
    await stackedTail(ctx, stacked, members as FitLoop[], batch);
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
    try {
      await batch?.close();
    } finally {
      destroyStacked(ctx, stacked);
      for (const set of folds) set.destroy();
      for (const how of outcomes) how();
    }
  }
}

/**
 * The command buffers of the group, until every member has left. `leave(i)` ends member i's fit:
 * its result, or (`failed` holds it) the error of its own that ended it — its onEpoch threw, its
 * checkpoint failed — which leaves the others training; a failed submit fails them all.
 */
async function loop(ctx: GpuContext, members: FitLoop[], batch: FitLoop, stacked: Stacked, leave: (i: number, failed: unknown[]) => Promise<void>): Promise<void> {
  // Members still training.
  const active = members.map(() => true);
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
    stacked.validation?.steps.write(shared.records.map((r) => ({ ...r, position: 0, count: stacked.validation!.examples })));
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
