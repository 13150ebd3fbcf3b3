// One fit as the scheduler runs it, in the pieces a driver calls: open (the step built, the
// history reader, the checkpoints), then per command buffer ready → plan → begin → the
// copies and records it encodes → after, and finish (the result: completed, cancelled, early
// stopped, or the divergence put right). src/train/trainer.ts drives one fit; src/train/group.ts
// drives the fits of several models together, sharing their forward and backward passes. The
// fit is the same either way: the same records, tails and copies on its own buffers.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError, DivergenceError } from '../gpu/errors.js';
import { costText } from '../show.js';
import { type CheckpointSink, Checkpoints } from './checkpoints.js';
import { lostAfter, lostError } from './device-loss.js';
import { CallerError, HISTORY_STRIDE, HistoryReader } from './history.js';
import type { OptimizerState } from './optimizer-state.js';
import type { EpochReport, ResolvedTrainOptions } from './options.js';
import type { GradientProgram, TrainingData } from './program.js';
import type { TrainingResult, TrainingRun } from './run.js';
import type { BuiltStep } from './session.js';
import type { StepRecord } from './step-table.js';
import { type FitBuffers, type StepParts, TrainingStep } from './training-step.js';

/** The steps of one command buffer: their records, and which of them end an epoch. */
export interface Submit {
  records: StepRecord[];
  endsEpoch: boolean[];
  /** The first epoch (within the fit) that ends in this submit, and how many do. */
  firstEpoch: number;
  epochsEnded: number;
}

export type FitResult = Omit<TrainingResult, 'recoveries' | 'repeatedEpochs' | 'optimizerContinued'> & { optimizer?: OptimizerState; built?: BuiltStep };

/** What a fit is run with: runTraining's arguments. */
export interface FitArgs {
  program: GradientProgram;
  data: TrainingData;
  o: ResolvedTrainOptions;
  epochBase: number;
  run: TrainingRun;
  validation?: TrainingData;
  checkpoint?: CheckpointSink;
  kept?: BuiltStep;
}

export class FitLoop {
  step = 0;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  /** Adam's t goes on from the steps of the fits whose moments this one carries on. */
  private readonly stepBase: number;
  private built: BuiltStep | undefined;
  private handed: BuiltStep | undefined;
  private history: HistoryReader | undefined;
  private checkpoints: Checkpoints | undefined;
  private readonly abort: () => void;

  private constructor(
    private readonly ctx: GpuContext,
    readonly a: FitArgs,
  ) {
    this.stepsPerEpoch = Math.ceil(a.data.examples / a.o.batchSize);
    this.totalSteps = a.o.epochs * this.stepsPerEpoch;
    this.stepBase = a.program.optimizer?.steps ?? 0;
    this.abort = () => a.run.cancel(); // also wakes a paused run
    a.o.signal?.addEventListener('abort', this.abort);
  }

  /** Builds the fit's step (its `parts`), history reader and checkpoints; on an error, frees what it made and throws it as finish would. */
  static async open(ctx: GpuContext, a: FitArgs, parts: StepParts = 'all'): Promise<FitLoop> {
    const fit = new FitLoop(ctx, a);
    try {
      await fit.build(parts);
      return fit;
    } catch (e) {
      const error = await fit.failure(e);
      await fit.close();
      throw error;
    }
  }

  private async build(parts: StepParts): Promise<void> {
    const { program, data, o, epochBase, run, validation, checkpoint, kept } = this.a;
    const label = program.label;
    const shape = { hasAccuracy: program.hasAccuracy, validation: !!validation };
    if (kept?.step.refresh(kept.buffers, o, epochBase)) this.built = kept;
    else kept?.step.destroy();
    this.built ??= await TrainingStep.build(this.ctx, program, data, o, epochBase, validation, parts);
    const { buffers, stepsPerSubmit } = this.built;
    this.history = new HistoryReader(this.ctx, {
      ...shape, label, epochBase, epochsPerStaging: Math.min(o.epochs, stepsPerSubmit), onEpoch: o.onEpoch, live: o.live,
      cancelled: () => run.state === 'cancelled', cancel: () => run.cancel(),
    });
    const epochsPerSubmit = Math.ceil(stepsPerSubmit / this.stepsPerEpoch) + 1;
    if (checkpoint && o.checkpointEvery > 0) {
      this.checkpoints = new Checkpoints(this.ctx, {
        ...shape, label, every: o.checkpointEvery, epochs: o.epochs, epochsPerSubmit,
        theta: program.theta, parameters: program.parameters, keep: program.keep, history: buffers.history, sink: checkpoint,
      });
    }
  }

  get trainingStep(): TrainingStep {
    return this.built!.step;
  }

  get buffers(): FitBuffers {
    return this.built!.buffers;
  }

  get stepsPerSubmit(): number {
    return this.built!.stepsPerSubmit;
  }

  /** Steps remain and nothing has stopped the fit (divergence, early stopping, a lost device). */
  get going(): boolean {
    return this.step < this.totalSteps && !this.history!.stopped && !this.history!.earlyStop && !this.ctx.lost;
  }

  /** Before each command buffer: a cancel asked for by the signal, a pause waited out. False: the run ends here. */
  async ready(): Promise<boolean> {
    const { o, run } = this.a;
    if (o.signal?.aborted) run.cancel();
    // Paused: deliver the epochs already run before waiting, so the caller sees where it stopped.
    if (run.state === 'paused') await this.history!.drain();
    return run.proceed();
  }

  /** The next command buffer's steps. Read live (onEpoch, early stopping), a command buffer never runs past an epoch's end. */
  plan(): Submit {
    const count = Math.min(this.stepsPerSubmit, this.totalSteps - this.step, this.history!.live ? this.stepsPerEpoch - (this.step % this.stepsPerEpoch) : Infinity);
    const { o, data, epochBase } = this.a;
    const records: StepRecord[] = [];
    const endsEpoch: boolean[] = [];
    for (let k = 0; k < count; k++) {
      const g = this.step + k;
      const b = g % this.stepsPerEpoch;
      const position = b * o.batchSize;
      const epoch = Math.floor(g / this.stepsPerEpoch);
      records.push({ epoch: epochBase + epoch, position, count: Math.min(o.batchSize, data.examples - position), t: this.stepBase + g + 1, rate: o.rateAt(epoch) });
      endsEpoch.push(b === this.stepsPerEpoch - 1);
    }
    return { records, endsEpoch, firstEpoch: Math.floor(this.step / this.stepsPerEpoch), epochsEnded: endsEpoch.filter(Boolean).length };
  }

  /** Epochs done after record k of a plan. */
  private doneAfter(k: number): number {
    return Math.floor((this.step + k) / this.stepsPerEpoch) + 1;
  }

  /** Readies a command buffer of `plan`: Θ changes from the first (carried moments are then this fit's), the step records written, a checkpoint's staging. */
  async begin(plan: Submit): Promise<void> {
    const { program, validation, o } = this.a;
    if (this.step === 0) {
      if (program.optimizer) this.built!.step.adopt(program.optimizer.moments);
      program.started?.();
    }
    const { records, endsEpoch } = plan;
    const step = this.built!.step;
    step.steps.write(records);
    if (validation) step.validationSteps?.write(records.map((r) => ({ ...r, position: 0, count: validation.examples })));
    const boundary = endsEpoch.some((ends, k) => ends && this.doneAfter(k) % o.checkpointEvery === 0);
    await this.checkpoints?.beforeSubmit(boundary, Math.floor((this.step + records.length) / this.stepsPerEpoch));
  }

  /** The copies that open a command buffer: Θ for the rewind; in the first, θ_good, the best validation θ and the first checkpoint. */
  encodeOpening(enc: GPUCommandEncoder): void {
    const step = this.built!.step;
    const buffers = this.buffers;
    // Θ as this command buffer finds it, to undo it if the caller stops the run at the epoch before.
    if (buffers.rewind) enc.copyBufferToBuffer(step.theta, 0, buffers.rewind, 0, buffers.rewind.size);
    if (this.step === 0) {
      // θ_good (and the best validation epoch's θ) start as the initial θ, so a first epoch that
      // diverges restores it, and no restore ever copies a buffer nothing wrote; the first
      // checkpoint is Θ as the fit found it. All in the first command buffer: no round trip of their own.
      for (const kept of [buffers.thetaGood, buffers.bestValidation]) if (kept) enc.copyBufferToBuffer(step.theta, 0, kept, 0, kept.size);
      this.checkpoints?.takeFirst(enc);
    }
  }

  /** Records step record k of `plan` into `pass`; a checkpoint due after it ends the pass, copies, and returns the next one. */
  encodeRecord(enc: GPUCommandEncoder, pass: GPUComputePassEncoder, plan: Submit, k: number): GPUComputePassEncoder {
    this.built!.step.encode(pass, k, plan.endsEpoch[k]!);
    return this.encodeCheckpoint(enc, pass, plan, k);
  }

  /** Whether a checkpoint is due after record k of `plan` (it reads Θ and the history as they are then). */
  checkpointDue(plan: Submit, k: number): boolean {
    return !!this.checkpoints && !!plan.endsEpoch[k] && this.checkpoints.due(this.doneAfter(k));
  }

  /** A checkpoint due after record k: ends the pass, copies, and returns the next one. */
  private encodeCheckpoint(enc: GPUCommandEncoder, pass: GPUComputePassEncoder, plan: Submit, k: number): GPUComputePassEncoder {
    if (!this.checkpointDue(plan, k)) return pass;
    pass.end();
    this.copyCheckpoint(enc, k);
    return enc.beginComputePass({ label: `${this.a.program.label} steps` });
  }

  /** The copies of the checkpoint due after record k, outside a pass (a group's models: after their update, src/train/stack.ts). */
  copyCheckpoint(enc: GPUCommandEncoder, k: number): void {
    this.checkpoints!.copy(enc, this.doneAfter(k));
  }

  /** The copies that close a command buffer: the history's readback (returned, when live) and options.historyBuffer. */
  encodeClosing(enc: GPUCommandEncoder, plan: Submit): GPUBuffer | undefined {
    const target = this.history!.target();
    const { buffers } = this;
    if (target) HistoryReader.copy(enc, target, buffers.state, buffers.history, plan.firstEpoch, plan.epochsEnded);
    const bytes = HISTORY_STRIDE * 4;
    if (plan.epochsEnded > 0 && this.a.o.historyBuffer) enc.copyBufferToBuffer(buffers.history, plan.firstEpoch * bytes, this.a.o.historyBuffer, plan.firstEpoch * bytes, plan.epochsEnded * bytes);
    return target;
  }

  /** After the command buffer is submitted: the steps counted, a live history awaited. */
  async after(plan: Submit, target: GPUBuffer | undefined): Promise<void> {
    this.checkpoints?.afterSubmit();
    this.step += plan.records.length;
    if (target) await this.history!.submitted(target, plan.firstEpoch, plan.epochsEnded);
  }

  /** The fit's result once the loop has ended. */
  async finish(): Promise<FitResult> {
    const { ctx } = this;
    const { program, o, data } = this.a;
    const history = this.history!;
    const buffers = this.buffers;
    await history.drain();
    if (ctx.lost) throw lostError(ctx, history.reports, Math.floor(this.step / this.stepsPerEpoch));
    if (history.stoppedByCaller !== undefined && this.step > (history.stoppedByCaller + 1) * this.stepsPerEpoch) {
      // The epoch after the stop had begun: put back Θ as the stopped epoch left it.
      await putTheta(ctx, program, buffers.rewind!, 'rewind');
    }
    await history.settled();
    if (!history.live) await history.readAll(buffers.state, buffers.history, Math.floor(this.step / this.stepsPerEpoch));
    if (history.stopped) throw await divergence(ctx, program, buffers, history, o, data.examples);
    await this.checkpoints?.settled();
    const early = history.earlyStop;
    if (early && early.bestEpoch < 0) throw await neverFinite(ctx, program, buffers, history);
    if (early) {
      if (o.earlyStopping!.restoreBest) await putTheta(ctx, program, buffers.bestValidation!, 'restore best');
      return { status: 'early-stopped', epochs: history.reports.length, history: history.reports, earlyStopping: { stoppedAt: early.epoch, bestEpoch: early.bestEpoch } };
    }
    if (this.step < this.totalSteps) return { status: 'cancelled', epochs: history.reports.length, history: history.reports };
    const best = await restoreBestAtEnd(ctx, program, buffers, history, o);
    const optimizer = { optimizer: o.optimizer, beta1: o.beta1, beta2: o.beta2, moments: this.built!.step.release(buffers.moments), steps: this.stepBase + this.totalSteps };
    this.handed = this.built;
    return { status: 'completed', epochs: history.reports.length, history: history.reports, optimizer, built: this.built, ...best };
  }

  /** The error a fit ends with for `e`: a lost device shows up as whatever failed first (a map, an error scope), so say what happened. */
  async failure(e: unknown): Promise<unknown> {
    if (e instanceof DivergenceError || e instanceof ArgumentError || e instanceof CallerError) return e;
    if (await lostAfter(this.ctx, e)) return lostError(this.ctx, this.history?.reports ?? [], Math.floor(this.step / this.stepsPerEpoch));
    return e;
  }

  /** Frees the fit's reader, checkpoints and step (unless handed to the caller in the result). */
  async close(): Promise<void> {
    await this.checkpoints?.settled();
    this.a.o.signal?.removeEventListener('abort', this.abort);
    this.history?.destroy();
    this.checkpoints?.destroy();
    if (this.built !== this.handed) this.built?.step.destroy();
  }
}

/** Θ back from a copy the fit kept (`from`): the rewind, the best validation epoch's, the last good one's. */
function putTheta(ctx: GpuContext, program: GradientProgram, from: GPUBuffer, what: string): Promise<void> {
  return ctx.submit(`${program.label} ${what}`, (enc) => enc.copyBufferToBuffer(from, 0, program.theta, 0, program.parameters * 4));
}

/**
 * A fit that watched its validation cost (earlyStopping) and ran every epoch ends, as Keras 3's
 * EarlyStopping(restore_best_weights) does, with the best validation epoch's parameters unless
 * restoreBest is false. Returns that epoch ({} when nothing is restored).
 */
async function restoreBestAtEnd(ctx: GpuContext, program: GradientProgram, buffers: FitBuffers, history: HistoryReader, o: ResolvedTrainOptions): Promise<{ bestEpoch?: number }> {
  const best = history.validationBest;
  if (!o.earlyStopping?.restoreBest || best === undefined || best < 0) return {};
  if (best < history.reports.length - 1) await putTheta(ctx, program, buffers.bestValidation!, 'restore best');
  return { bestEpoch: best };
}

/**
 * Early stopping found no epoch whose validation cost was finite: there is no best epoch to
 * keep, and the last one is no better judged. The model goes back to its θ from before the fit
 * (nothing silently "restored" that was never measured), and the error says why.
 */
async function neverFinite(ctx: GpuContext, program: GradientProgram, buffers: FitBuffers, history: HistoryReader): Promise<DivergenceError> {
  await putTheta(ctx, program, buffers.bestValidation!, 'restore');
  const { reports } = history;
  const last = reports[reports.length - 1]?.validation?.cost;
  return new DivergenceError(
    `early stopping saw no finite validation cost in ${reports.length} epochs (the last was ${last}): the held-out examples' cost overflows float32 — ` +
      'a target or a feature there is too large for float32 arithmetic; scale or standardise them. The model keeps its parameters from before this fit.',
    reports.length - 1,
    -1,
    reports,
  );
}

/** Puts the best epoch's θ back and says what happened. */
async function divergence(ctx: GpuContext, program: GradientProgram, buffers: FitBuffers, history: HistoryReader, o: ResolvedTrainOptions, examples: number): Promise<DivergenceError> {
  const { stopped, reports } = history;
  await putTheta(ctx, program, buffers.thetaGood, 'restore');
  const last: EpochReport | undefined = reports[reports.length - 1];
  const good = stopped!.restored >= 0 ? reports[stopped!.restored] : undefined;
  const finite = !!last && Number.isFinite(last.cost);
  // Full-batch, the first epoch's cost is J at the θ the fit started from: no step has been
  // taken, so α cannot be what overflowed it — the data (or the starting θ) are too large for float32.
  const beforeAnyStep = stopped!.epoch === 0 && !finite && o.batchSize >= examples;
  const cause = beforeAnyStep
    ? 'That is the cost at the parameters the fit started from, before any step: the targets, the features or the parameters are too large for float32 arithmetic. Scale or standardise them'
    : `The learning rate α = ${o.learningRate} is probably too large: try α = ${Number((o.learningRate / 10).toPrecision(6))}` +
      // A model that standardises its features (keeps their μ and σ) has nothing to normalise.
      `${program.label === 'linear regression' && !program.keep ? ', and normalise the features (normalize: true) unless they are already standardised' : ''}` +
      `${stopped!.epoch === 0 && !finite ? ' (or the data are too large for float32: scale them)' : ''}`;
  return new DivergenceError(
    `training diverged at epoch ${stopped!.epoch}: the cost ${finite ? `rose to ${costText(last!.cost)}` : 'became NaN or infinite'}. ${cause}. ` +
      (good ? `The model keeps the parameters of epoch ${stopped!.restored} (cost ${costText(good.cost)}).` : 'The model keeps its parameters from before this fit.'),
    stopped!.epoch,
    stopped!.restored,
    reports,
  );
}
