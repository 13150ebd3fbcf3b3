// Fitting a model: the data uploaded (normalisation statistics computed on the first fit), the
// scheduler run (src/train/trainer.ts), checkpoints kept on the CPU — and, when the GPU device
// is lost, the recovery: a context that owns its device gets a new one, the model is rebuilt
// from the last checkpoint and training goes on from there, every epoch reported once. A lost
// device the app owns (or data that lived on it) ends the fit with a DeviceLostError carrying
// the checkpoint.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError, type Checkpoint, DeviceLostError, DivergenceError } from '../gpu/errors.js';
import { type FeaturesInput, type GpuDataset, type HostExamples, type TargetKind, type Targets, type TargetsInput, readFeatures, readTargets, splitValidation } from '../train/dataset.js';
import { type EpochReport, type ResolvedTrainOptions, TRAIN_OPTIONS, type TrainDefaults, type TrainOptions, resolveTrainOptions } from '../train/options.js';
import { checkOptions } from '../options.js';
import type { GradientProgram } from '../train/program.js';
import { type TrainingResult, TrainingRun } from '../train/run.js';
import { runTraining } from '../train/trainer.js';
import type { Trainer } from '../train/group.js';
import { lostAfter, lostError } from '../train/device-loss.js';
import { CallerError } from '../train/history.js';
import type { OptimizerState } from '../train/optimizer-state.js';
import { FitSession, type SessionKey } from '../train/session.js';

/** What fitting needs of a model. */
export interface FittedModel {
  ctx: GpuContext;
  /** Epochs the model was trained before (keys the shuffle; updated by the fit). */
  trained: { epochsTrained: number };
  /** Whether this fit must compute the normalisation statistics (a normalising model's first). */
  needsStats(): boolean;
  statsComputed(): void;
  upload(x: HostExamples, y: Targets | undefined, computeStats: boolean): Promise<GpuDataset>;
  program(): GradientProgram;
  /** μ and σ out of the statistics a checkpoint copied with Θ. */
  normalizationIn(kept: Float32Array): Checkpoint['normalization'];
  /** New parameter buffers from a checkpoint, on the context's (new) device. */
  rebuild(checkpoint: Checkpoint): void;
  /** The optimiser state a fit with options `o` goes on from (options.continueOptimizer); when training starts; the state a completed fit leaves. */
  optimizerFor(o: ResolvedTrainOptions): OptimizerState | undefined;
  trainingStarted(carried: OptimizerState | undefined): void;
  keepOptimizer(state: OptimizerState, session?: FitSession): void;
  /** The session kept with the optimiser state `carried` (its data on the GPU and built step), if any. */
  takeSession(carried: OptimizerState): FitSession | undefined;
}

/**
 * A training set (and validation set) on the GPU that several fresh models of one shape train on
 * (src/select/train-many.ts): uploaded once, normalised with the statistics each of them would
 * have computed alone, owned by the caller — a fit uses it for its first attempt and never frees it.
 */
export interface SharedData {
  data: GpuDataset;
  held: GpuDataset | undefined;
  /** What trains in place of runTraining: the model's seat in the group of fits run as one (src/train/group.ts). */
  trainer?: Trainer;
}

export interface FitData {
  X: HostExamples;
  Y: Targets;
  VX: HostExamples | undefined;
  VY: Targets | undefined;
  /** Whether any of it (or the history buffer) lives in GPU buffers: gone with a lost device. */
  onGpu: boolean;
}

/**
 * Checks a fit's data and options before anything changes: x and y (n features when the model
 * has them, targets of `kind`), the training options, and the validation set.
 */
export function checkFit(ctx: GpuContext, x: FeaturesInput, y: TargetsInput, options: TrainOptions, n: number | undefined, kind: TargetKind, defaults?: TrainDefaults): { data: FitData; o: ResolvedTrainOptions } {
  checkOptions('options', options, TRAIN_OPTIONS);
  let X = readFeatures('x', x, n);
  let Y = readTargets('y', y, X.rows, kind);
  const v = options.validation;
  let VX = v && readFeatures('options.validation.x', v.x, X.cols);
  let VY = v && readTargets('options.validation.y', v.y, VX!.rows, kind);
  const split = options.validationSplit;
  if (split !== undefined) {
    if (v !== undefined) throw new ArgumentError('options.validationSplit', 'cannot be combined with options.validation: hold out a fraction, or pass the held-out set');
    const parts = splitValidation(X, Y, split, options.seed ?? 0);
    [X, Y] = parts.train;
    [VX, VY] = parts.held;
  }
  const o = resolveTrainOptions(options, X.rows, defaults);
  if (o.historyBuffer && ctx.owns(o.historyBuffer)) throw new ArgumentError('options.historyBuffer', "is one of the library's own buffers (a model's Θ or statistics): writing the history into it would corrupt the model; give a buffer of your own");
  // Data the caller holds on the GPU is gone with a lost device: such a fit cannot recover.
  const onGpu = !!X.gpu || !(Y instanceof Float32Array) || !!VX?.gpu || (VY !== undefined && !(VY instanceof Float32Array)) || !!o.historyBuffer;
  return { data: { X, Y, VX, VY, onGpu }, o };
}

const noop = () => {};

/**
 * A new run that starts once `previous` (a run cancelled just before, or settled) has wound
 * down: its last command buffer finished and Θ put back where its last reported epoch left it,
 * before the new one touches Θ.
 */
export function runAfter(previous: TrainingRun | undefined, start: (run: TrainingRun) => Promise<TrainingResult>): TrainingRun {
  return new TrainingRun(async (r) => {
    if (previous) await previous.then(noop, noop);
    return start(r);
  });
}

/** Why training cannot go on by itself after a loss, or '' when it can. */
function cannotRecover(ctx: GpuContext, d: FitData, checkpoint: Checkpoint | undefined, recoveries: number): string {
  if (!ctx.ownsDevice) return 'the device belongs to the app';
  if (d.onGpu) return 'the data were in GPU buffers of the lost device';
  if (!checkpoint) return 'no checkpoint was taken';
  return recoveries >= 3 ? 'it was lost three times' : '';
}

/** The last fit's data and step, when this one carries its optimiser on with the same data and options; else it is freed. */
function sessionFor(model: FittedModel, carried: OptimizerState | undefined, key: SessionKey | undefined): FitSession | undefined {
  const session = carried && model.takeSession(carried);
  if (session && key && session.matches(key)) return session;
  session?.destroy();
  return undefined;
}

/**
 * Data already on the GPU for a fit's first attempt (after a loss they are gone): the caller's
 * (shared, never freed here), or the last fit's session (this fit's to free).
 */
function dataOnGpu(model: FittedModel, carried: OptimizerState | undefined, key: SessionKey | undefined, shared: SharedData | undefined): { data: GpuDataset; held: GpuDataset | undefined; built?: FitSession['built']; owned: boolean } | undefined {
  const session = sessionFor(model, carried, key);
  return shared ? { ...shared, owned: false } : session && { data: session.data, held: session.held, built: session.built, owned: true };
}

/** Trains `model` on the data (`shared`: already on the GPU, see SharedData); the body of DenseModel.fit's run. */
export async function fitModel(model: FittedModel, d: FitData, o: ResolvedTrainOptions, run: TrainingRun, shared?: SharedData): Promise<TrainingResult> {
  const start = model.trained.epochsTrained;
  const history: EpochReport[] = [];
  let done = 0; // epochs of this fit kept (before a loss: up to the checkpoint)
  let recoveries = 0;
  let repeatedEpochs = 0;
  let checkpoint: Checkpoint | undefined;
  // Carried into the first attempt only: after a loss it is gone with the device. A fit refused
  // before its first step leaves the model's state as it was.
  let carried = model.optimizerFor(o);
  const optimizerContinued = carried !== undefined;
  // Only fits in slices (continueOptimizer) keep their data and step for the next: no other fit holds GPU memory after it.
  const key = o.continueOptimizer && !shared ? FitSession.keyOf(model.program().theta, d, o) : undefined;
  let reuse = dataOnGpu(model, carried, key, shared);
  for (;;) {
    const first = model.needsStats();
    let data: GpuDataset | undefined;
    let held: GpuDataset | undefined;
    let keep: FitSession | undefined;
    const offset = done;
    const renumber = (rep: EpochReport): EpochReport => ({ ...rep, epoch: rep.epoch + offset });
    const kept = reuse;
    reuse = undefined;
    try {
      data = kept?.data ?? (await model.upload(d.X, d.Y, first));
      if (first && !kept) model.statsComputed();
      // After the training set, so its normalisation statistics exist to apply.
      held = kept ? kept.held : d.VX && (await model.upload(d.VX, d.VY, false));
      const state = carried;
      const program = { ...model.program(), optimizer: state, started: () => model.trainingStarted(state) };
      carried = undefined;
      const result = await (shared?.trainer ?? runTraining)(
        model.ctx, program, data,
        { ...o, epochs: o.epochs - offset, rateAt: (e) => o.rateAt(e + offset), onEpoch: o.onEpoch && ((rep) => o.onEpoch!(renumber(rep))) },
        start + offset, run, held,
        (epoch, theta, rows, stats) => {
          const kept = checkpoint && checkpoint.epoch >= offset ? checkpoint.history : history;
          checkpoint = { epoch: offset + epoch, theta, normalization: model.normalizationIn(stats), history: [...kept.slice(0, epoch + offset), ...rows.map(renumber)] };
          if (epoch > 0) o.onCheckpoint?.({ epoch: offset + epoch, theta });
        },
        kept?.built,
      );
      for (const report of result.history) history.push(renumber(report));
      keep = key && result.built && new FitSession(key, data, held, result.built);
      if (!keep) result.built?.step.destroy();
      if (result.optimizer) model.keepOptimizer(result.optimizer, keep);
      model.trained.epochsTrained = start + offset + result.epochs;
      const early = result.earlyStopping && { stoppedAt: result.earlyStopping.stoppedAt + offset, bestEpoch: result.earlyStopping.bestEpoch + offset };
      return { status: result.status, epochs: history.length, history, optimizerContinued, recoveries, repeatedEpochs, ...(early ? { earlyStopping: early } : {}), ...(result.bestEpoch === undefined ? {} : { bestEpoch: result.bestEpoch + offset }) };
    } catch (caught) {
      if (caught instanceof CallerError) throw caught.cause;
      if (caught instanceof DivergenceError) {
        model.trained.epochsTrained = start + offset + caught.history.length;
        throw caught;
      }
      // Whatever a loss broke first, wherever in the fit: a DeviceLostError.
      const e = caught instanceof DeviceLostError || caught instanceof ArgumentError || !(await lostAfter(model.ctx, caught)) ? caught : lostError(model.ctx, [], 0);
      if (!(e instanceof DeviceLostError)) throw e;
      const seen = [...history, ...e.history.map(renumber)];
      const why = cannotRecover(model.ctx, d, checkpoint, recoveries);
      if (why) {
        throw new DeviceLostError(`${e.message}; training cannot go on by itself (${why}): restore the checkpoint on a model of a new context and fit the remaining epochs`, e.reason, checkpoint, seen);
      }
      const ck = checkpoint!;
      await model.ctx.recover();
      model.rebuild(ck);
      recoveries++;
      repeatedEpochs += Math.max(0, seen.length - ck.epoch);
      // The reports up to the checkpoint come with it, whether or not onEpoch read them.
      history.length = 0;
      for (const report of ck.history) history.push(report);
      done = ck.epoch;
    } finally {
      if (!keep && kept?.owned !== false) {
        data?.destroy();
        held?.destroy();
      }
    }
  }
}
