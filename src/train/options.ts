// Training options as users give them (TrainOptions), checked and resolved to what the
// scheduler and the kernels need: the optimiser (shaders/optimizer_update.wgsl), batching,
// regularisation, the divergence guard, validation, checkpoints; and the per-epoch report.

import { ArgumentError } from '../gpu/errors.js';
import { checkKeys } from '../keys.js';
import { BufferUsage } from '../gpu/flags.js';
import { isGpuBuffer } from '../gpu/matrix.js';
import type { OptimizerName } from '../kernels/optimizer_update.js';
import type { FeaturesInput, TargetsInput } from './dataset.js';
import { isF32NonNegative, isF32Positive } from '../gpu/f32.js';

export type { OptimizerName } from '../kernels/optimizer_update.js';

const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];

export interface EpochReport {
  /** Epoch number within this fit, from 0. */
  epoch: number;
  /** Mean cost over the epoch, J/m plus the penalty (see README: which cost is which). */
  cost: number;
  /** Fraction of the epoch's examples labelled right as they were seen; null for linear regression. */
  accuracy: number | null;
  /**
   * With `options.validation`: J/m (unregularised, λ = 0) and accuracy on the validation set at
   * the θ the epoch ended with.
   */
  validation?: { cost: number; accuracy: number | null };
}

export interface TrainOptions {
  /** α, the step size. Default 0.1 (sgd, momentum) or 0.01 (adam). Must be > 0. */
  learningRate?: number;
  /**
   * α per epoch (from 0, in this fit): { step: { every, factor } } multiplies α by `factor` every
   * `every` epochs; { exponential: { rate } } by `rate` each epoch; a function (epoch, α) returns
   * the epoch's α. Each step's α travels in its step record: no readback, no rebuilt pipeline.
   */
  learningRateSchedule?: LearningRateSchedule;
  /** Passes over the training set. Default 100 for the regression family, 1,000 for networks. */
  epochs?: number;
  /**
   * Examples per update: 'full' (batch gradient descent, the default), 1 (stochastic: one
   * example per update), or any size in between (mini-batch). The last batch of an epoch
   * holds what is left.
   */
  batchSize?: number | 'full';
  /** Visit examples in a seeded shuffled order each epoch (default) or in data order. Full batches ignore it. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
  /** 'sgd' (plain gradient descent: the regression family's default), 'momentum' or 'adam' (networks' default). */
  optimizer?: OptimizerName;
  /**
   * Go on with the optimiser's state from this model's last fit — momentum's velocity, Adam's
   * moments and step count — instead of starting it afresh, so that fits of a few epochs each
   * train exactly as one fit of all their epochs would (Keras's repeated fit(); a page that
   * trains and draws in turns). It carries on only after a fit that completed, with the same
   * optimiser, β₁ (momentum) and β₂, and no parameters set or restored since; otherwise the
   * optimiser starts afresh, and the result's `optimizerContinued` says which. Default false.
   */
  continueOptimizer?: boolean;
  /** Momentum coefficient (optimizer 'momentum'). Default 0.9. */
  momentum?: number;
  /** Adam's β₁, β₂, ε. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 regularisation λ ≥ 0; bias terms θ₀ are not regularised. Default 0. */
  lambda?: number;
  /**
   * When training stops for divergence ("overshooting"): at once when the cost is not finite;
   * or when it stays above (1 + tolerance)·(best cost so far) for `patience` epochs in a row.
   * Full-batch gradient descent (optimizer 'sgd'), whose cost must fall every epoch when α is
   * small enough: tolerance 1e-3, patience 1. Every other run (mini-batches, momentum, Adam),
   * whose cost wobbles: tolerance 1 (twice the best) and patience 3, and a rise counts only while
   * the cost is also above the first epoch's — so noise near a small best never stops a healthy
   * run, while a run that overshoots past where it started is caught within a few epochs.
   */
  divergence?: { tolerance?: number; patience?: number };
  /**
   * Called with each epoch's report as it is read back (asynchronously, never stalling the GPU).
   * Return 'stop' (or call run.cancel()) to end the fit there (any other return value is ignored): no later epoch is kept or reported,
   * whatever the epoch's length — the model has the parameters this epoch ended with. It may
   * return a promise: training does not wait for it, but the fit settles only after it; a 'stop'
   * it resolves to cancels the run when it arrives. A throw or a rejection ends the fit with
   * that error.
   */
  onEpoch?: (report: EpochReport) => unknown;
  /**
   * Held-out examples evaluated on the GPU after each epoch's last update (forward pass only);
   * each EpochReport then carries `validation`. Same form as fit's x and y.
   */
  validation?: { x: FeaturesInput; y: TargetsInput };
  /**
   * Stop when the validation cost (options.validation or validationSplit) has not fallen by more
   * than `minDelta` (default 0) below its best for `patience` epochs, and, unless restoreBest is
   * false, end with the parameters of the best validation epoch. Watched on the GPU; the result
   * says where it stopped (status 'early-stopped', earlyStopping).
   */
  earlyStopping?: { patience: number; minDelta?: number; restoreBest?: boolean };
  /**
   * Instead of `validation`: hold out this fraction of x and y (0 < f < 1), drawn by a shuffle
   * seeded with `seed`, as the validation set; the fit trains on the rest. Host arrays only.
   */
  validationSplit?: number;
  /**
   * A buffer of the caller's (usage COPY_DST, at least 16·epochs bytes) that receives, on the
   * GPU and with no readback, each epoch's float32 [J/m, accuracy, validation J/m, validation
   * accuracy] at byte 16·epoch (epochs of this fit). The fit first fills those bytes with NaN,
   * so an epoch not run yet (or a value that does not apply) reads NaN: what a live plot of
   * the history (src/plot) draws straight from.
   */
  historyBuffer?: GPUBuffer;
  /**
   * Every this many epochs Θ is copied to the CPU — read back asynchronously, never waited on —
   * so that a lost GPU device costs at most this many epochs (plus the steps of two command
   * buffers, where epochs are that small): a context that owns its device
   * gets a new one and fit() goes on from the checkpoint. Default 5; 0 turns checkpoints off
   * (a fit without onEpoch then reads nothing back until it ends).
   */
  checkpointEvery?: number;
  /** Called with each checkpoint (Θ on the CPU after `epoch` epochs of this fit), e.g. to save it. */
  onCheckpoint?: (checkpoint: { epoch: number; theta: Float32Array }) => void;
  /** Cancels training, like `run.cancel()`. */
  signal?: AbortSignal;
  /** Steps recorded per command buffer. Default: about 128 dispatches' worth. */
  stepsPerSubmit?: number;
}

export type LearningRateSchedule =
  | { step: { every: number; factor: number } }
  | { exponential: { rate: number } }
  | ((epoch: number, learningRate: number) => number);

export interface ResolvedTrainOptions {
  learningRate: number;
  /** α of epoch e of this fit (the schedule's, or learningRate throughout). */
  rateAt: (epoch: number) => number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  optimizer: OptimizerName;
  continueOptimizer: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  lambda: number;
  tolerance: number;
  patience: number;
  /** A rise counts only when the cost is also above the first epoch's (every run but full-batch 'sgd'). */
  aboveFirst: boolean;
  earlyStopping: { patience: number; minDelta: number; restoreBest: boolean } | undefined;
  /** Whether the history is read back as training goes (onEpoch, early stopping). */
  live: boolean;
  onEpoch: ((report: EpochReport) => unknown) | undefined;
  signal: AbortSignal | undefined;
  stepsPerSubmit: number | undefined;
  historyBuffer: GPUBuffer | undefined;
  checkpointEvery: number;
  onCheckpoint: ((checkpoint: { epoch: number; theta: Float32Array }) => void) | undefined;
}

/** Every option fit() knows (the type makes the list complete). */
const TRAIN_KEYS = Object.keys({
  learningRate: 1, learningRateSchedule: 1, epochs: 1, batchSize: 1, shuffle: 1, seed: 1, optimizer: 1, continueOptimizer: 1, momentum: 1, beta1: 1, beta2: 1, epsilon: 1, lambda: 1,
  divergence: 1, earlyStopping: 1, onEpoch: 1, validation: 1, validationSplit: 1, historyBuffer: 1, checkpointEvery: 1, onCheckpoint: 1, signal: 1, stepsPerSubmit: 1,
} satisfies Record<keyof TrainOptions, 1>);

function number(name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !ok(v)) throw new ArgumentError(name, `must be ${expected}, got ${String(v)}`);
  return v;
}

const finitePositive = isF32Positive;
const positiveInteger = (x: number) => Number.isInteger(x) && x >= 1;

function resolveEarlyStopping(options: TrainOptions): ResolvedTrainOptions['earlyStopping'] {
  const e = options.earlyStopping;
  if (e === undefined) return undefined;
  const who = 'options.earlyStopping';
  if (e === null || typeof e !== 'object') throw new ArgumentError(who, 'must be { patience, minDelta?, restoreBest? }');
  checkKeys(who, e, ['patience', 'minDelta', 'restoreBest']);
  if (options.validation === undefined && options.validationSplit === undefined) throw new ArgumentError(who, 'needs a validation set: give options.validation or options.validationSplit');
  const patience = number(`${who}.patience`, e.patience, positiveInteger, 'an integer ≥ 1 (epochs)');
  const minDelta = number(`${who}.minDelta`, e.minDelta ?? 0, isF32NonNegative, 'a number ≥ 0 finite in float32');
  if (e.restoreBest !== undefined && typeof e.restoreBest !== 'boolean') throw new ArgumentError(`${who}.restoreBest`, `must be true or false, got ${String(e.restoreBest)}`);
  return { patience, minDelta, restoreBest: e.restoreBest ?? true };
}

/** α of each epoch from a schedule, checked: the schedule's parameters now, a function's values as it is called. */
function resolveSchedule(schedule: TrainOptions['learningRateSchedule'], alpha: number): (epoch: number) => number {
  const who = 'options.learningRateSchedule';
  if (schedule === undefined) return () => alpha;
  if (typeof schedule === 'function') {
    const seen = new Map<number, number>();
    return (epoch) => {
      let rate = seen.get(epoch);
      if (rate === undefined) {
        rate = schedule(epoch, alpha);
        if (typeof rate !== 'number' || !(Number.isFinite(Math.fround(rate)) && Math.fround(rate) > 0)) throw new ArgumentError(who, `returned ${String(rate)} for epoch ${epoch}; α must be a finite number > 0`);
        seen.set(epoch, rate);
      }
      return rate;
    };
  }
  if (schedule === null || typeof schedule !== 'object') throw new ArgumentError(who, 'must be { step: { every, factor } }, { exponential: { rate } } or a function (epoch, α) → α');
  checkKeys(who, schedule, ['step', 'exponential']);
  if ('step' in schedule && schedule.step) {
    checkKeys(`${who}.step`, schedule.step, ['every', 'factor']);
    const every = number(`${who}.step.every`, schedule.step.every, positiveInteger, 'an integer ≥ 1 (epochs)');
    const factor = number(`${who}.step.factor`, schedule.step.factor, finitePositive, 'a finite number > 0');
    return (epoch) => alpha * factor ** Math.floor(epoch / every);
  }
  if ('exponential' in schedule && schedule.exponential) {
    checkKeys(`${who}.exponential`, schedule.exponential, ['rate']);
    const rate = number(`${who}.exponential.rate`, schedule.exponential.rate, finitePositive, 'a finite number > 0');
    return (epoch) => alpha * rate ** epoch;
  }
  throw new ArgumentError(who, 'must be { step: { every, factor } }, { exponential: { rate } } or a function (epoch, α) → α');
}

/** Checks every option (ArgumentError naming it) and fills in the defaults for `examples` examples. */
/** The defaults a model type sets: the regression family the lecture's (sgd, 100 epochs), networks Adam for 1,000. */
export interface TrainDefaults {
  optimizer: OptimizerName;
  epochs: number;
}

export function resolveTrainOptions(options: TrainOptions, examples: number, defaults: TrainDefaults = { optimizer: 'sgd', epochs: 100 }): ResolvedTrainOptions {
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', 'must be an object');
  checkKeys('options', options, TRAIN_KEYS);
  checkKeys('options.divergence', options.divergence, ['tolerance', 'patience']);
  checkKeys('options.validation', options.validation, ['x', 'y']);
  const optimizer = options.optimizer ?? defaults.optimizer;
  if (!OPTIMIZERS.includes(optimizer)) {
    throw new ArgumentError('options.optimizer', `must be 'sgd', 'momentum' or 'adam', got ${String(optimizer)}`);
  }
  const learningRate = number('options.learningRate', options.learningRate ?? (optimizer === 'adam' ? 0.01 : 0.1), finitePositive, 'a number > 0 finite in float32 (α)');
  const rateAt = resolveSchedule(options.learningRateSchedule, learningRate);
  const epochs = number('options.epochs', options.epochs ?? defaults.epochs, (x) => positiveInteger(x) && x <= 1e7, 'an integer from 1 to 10⁷');
  const size = options.batchSize ?? 'full';
  const batchSize =
    size === 'full' ? examples : number('options.batchSize', size, (x) => positiveInteger(x), "'full' or an integer ≥ 1");
  if (batchSize > examples) throw new ArgumentError('options.batchSize', `is ${batchSize} but there are only ${examples} examples; use 'full' for batch gradient descent`);
  const seed = number('options.seed', options.seed ?? 0, (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff, 'an integer from 0 to 2³² − 1');
  const unit = (x: number) => Number.isFinite(x) && x >= 0 && x < 1;
  const beta1 = number(optimizer === 'momentum' ? 'options.momentum' : 'options.beta1', optimizer === 'momentum' ? (options.momentum ?? 0.9) : (options.beta1 ?? 0.9), unit, 'in [0, 1)');
  const beta2 = number('options.beta2', options.beta2 ?? 0.999, unit, 'in [0, 1)');
  const epsilon = number('options.epsilon', options.epsilon ?? 1e-8, finitePositive, 'a number > 0 that float32 holds as a normal number');
  const lambda = number('options.lambda', options.lambda ?? 0, isF32NonNegative, 'a number ≥ 0 finite in float32 (λ)');
  const div = options.divergence ?? {};
  const plainFull = batchSize === examples && optimizer === 'sgd';
  const tolerance = number('options.divergence.tolerance', div.tolerance ?? (plainFull ? 1e-3 : 1), isF32NonNegative, 'a number ≥ 0 finite in float32');
  const patience = number('options.divergence.patience', div.patience ?? (plainFull ? 1 : 3), positiveInteger, 'an integer ≥ 1');
  if (options.onEpoch !== undefined && typeof options.onEpoch !== 'function') throw new ArgumentError('options.onEpoch', 'must be a function');
  const stepsPerSubmit =
    options.stepsPerSubmit === undefined ? undefined : number('options.stepsPerSubmit', options.stepsPerSubmit, (x) => positiveInteger(x) && x <= 4096, 'an integer from 1 to 4096');
  const historyBuffer = options.historyBuffer;
  if (historyBuffer !== undefined) {
    const ok = isGpuBuffer(historyBuffer);
    if (!ok || !(historyBuffer.usage & BufferUsage.COPY_DST) || historyBuffer.size < 16 * epochs) {
      throw new ArgumentError('options.historyBuffer', `must be a GPUBuffer with COPY_DST usage of at least 16·epochs = ${16 * epochs} bytes, got ${ok ? `${historyBuffer.size} bytes, usage ${historyBuffer.usage}` : String(historyBuffer)}`);
    }
  }
  const earlyStopping = resolveEarlyStopping(options);
  const continueOptimizer = options.continueOptimizer ?? false;
  if (typeof continueOptimizer !== 'boolean') throw new ArgumentError('options.continueOptimizer', `must be true or false, got ${String(continueOptimizer)}`);
  const checkpointEvery = number('options.checkpointEvery', options.checkpointEvery ?? 5, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0 (epochs; 0: none)');
  if (options.onCheckpoint !== undefined && typeof options.onCheckpoint !== 'function') throw new ArgumentError('options.onCheckpoint', 'must be a function');
  return {
    checkpointEvery, onCheckpoint: options.onCheckpoint,
    learningRate, rateAt, epochs, batchSize, shuffle: options.shuffle ?? true, seed, optimizer, continueOptimizer, beta1, beta2, epsilon, lambda,
    tolerance, patience, aboveFirst: !plainFull, earlyStopping, live: options.onEpoch !== undefined || earlyStopping !== undefined, onEpoch: options.onEpoch, signal: options.signal, stepsPerSubmit, historyBuffer,
  };
}
