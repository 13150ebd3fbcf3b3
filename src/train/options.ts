// Training options as users give them (TrainOptions), checked and resolved to what the
// scheduler and the kernels need: the optimiser (shaders/optimizer_update.wgsl), batching,
// regularisation, the divergence guard, validation, checkpoints; and the per-epoch report.

import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import type { OptimizerName } from '../kernels/optimizer_update.js';
import type { FeaturesInput, TargetsInput } from './dataset.js';
import { isF32Positive } from '../gpu/f32.js';
import { checkOptions, kinds, optionTable, show } from '../options.js';

export type { OptimizerName } from '../kernels/optimizer_update.js';

export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];
const unit = (x: number) => x >= 0 && x < 1;

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
   * the epoch's α, given the fit's initial α (not the current rate, as Keras's scheduler is: all
   * epochs' rates are known, and checked, before the first). Each step's α travels in its step
   * record: no readback, no rebuilt pipeline.
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
   * false, end with the parameters of the best validation epoch — stopped early or not, as Keras 3
   * does. Watched on the GPU; the result says where it stopped (status 'early-stopped',
   * earlyStopping) or which epoch a completed fit kept (bestEpoch).
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

const epochCount = kinds.integer(1, 1e7, ' (epochs)');
const rate = kinds.f32Positive();

/** Every option fit() takes and its kind (the type makes the list complete). */
export const TRAIN_OPTIONS = optionTable<TrainOptions>('fit options', {
  learningRate: kinds.f32Positive(' (α)'),
  learningRateSchedule: kinds.oneOf(
    'a function (epoch, α) → α, { step: { every, factor } } or { exponential: { rate } }',
    kinds.function,
    kinds.object({ step: kinds.object({ every: kinds.required(epochCount), factor: kinds.required(rate) }), exponential: kinds.object({ rate: kinds.required(rate) }) }),
  ),
  epochs: epochCount,
  batchSize: kinds.oneOf("'full' or an integer ≥ 1", kinds.choice(['full']), kinds.integer(1, 2 ** 32 - 1)),
  shuffle: kinds.boolean,
  seed: kinds.integer(0, 0xffffffff),
  optimizer: kinds.choice(OPTIMIZERS),
  continueOptimizer: kinds.boolean,
  momentum: kinds.number('a number in [0, 1)', unit),
  beta1: kinds.number('a number in [0, 1)', unit),
  beta2: kinds.number('a number in [0, 1)', unit),
  epsilon: kinds.f32Positive(),
  lambda: kinds.f32NonNegative(' (λ)'),
  divergence: kinds.object({ tolerance: kinds.f32NonNegative(), patience: epochCount }),
  onEpoch: kinds.function,
  validation: kinds.object({ x: kinds.required(kinds.data('the held-out features, like x')), y: kinds.required(kinds.data('the held-out targets, like y')) }),
  earlyStopping: kinds.object({ patience: kinds.required(epochCount), minDelta: kinds.f32NonNegative(), restoreBest: kinds.boolean }),
  validationSplit: kinds.number('a fraction between 0 and 1', (f) => f > 0 && f < 1),
  historyBuffer: kinds.buffer,
  checkpointEvery: kinds.integer(0, 1e7, ' (epochs; 0: none)'),
  onCheckpoint: kinds.function,
  signal: kinds.signal,
  stepsPerSubmit: kinds.integer(1, 4096),
});

function resolveEarlyStopping(options: TrainOptions): ResolvedTrainOptions['earlyStopping'] {
  const e = options.earlyStopping;
  if (e === undefined) return undefined;
  if (options.validation === undefined && options.validationSplit === undefined) throw new ArgumentError('options.earlyStopping', 'needs a validation set: give options.validation or options.validationSplit');
  return { patience: e.patience, minDelta: e.minDelta ?? 0, restoreBest: e.restoreBest ?? true };
}

/**
 * α of each epoch of the fit, every one checked now, before anything changes: a schedule that
 * takes α to 0, past float32 or below its normal numbers at some epoch is refused by name with
 * that epoch. Step and exponential schedules are monotone, so their first and last epochs
 * bound the rest; a function is called here once per epoch, in order (it must be pure), and
 * its values kept (4 bytes an epoch).
 */
function resolveSchedule(schedule: TrainOptions['learningRateSchedule'], alpha: number, epochs: number): (epoch: number) => number {
  if (schedule === undefined) return () => alpha;
  const who = 'options.learningRateSchedule';
  const check = (r: unknown, epoch: number): number => {
    if (!isF32Positive(r)) throw new ArgumentError(who, `gives α = ${show(r)} at epoch ${epoch}; α must be a number > 0 that float32 holds as a normal number`);
    return r;
  };
  if (typeof schedule === 'function') {
    const rates = new Float32Array(epochs);
    for (let e = 0; e < epochs; e++) rates[e] = check(schedule(e, alpha), e);
    return (epoch) => rates[epoch]!;
  }
  const { step, exponential } = schedule as { step?: { every: number; factor: number }; exponential?: { rate: number } };
  if (!step === !exponential) throw new ArgumentError(who, 'must name one schedule: { step: { every, factor } } or { exponential: { rate } }');
  const at = step ? (epoch: number) => alpha * step.factor ** Math.floor(epoch / step.every) : (epoch: number) => alpha * exponential!.rate ** epoch;
  check(at(0), 0);
  check(at(epochs - 1), epochs - 1);
  return at;
}

/** The defaults a model type sets: the regression family the lecture's (sgd, 100 epochs), networks Adam for 1,000. */
export interface TrainDefaults {
  optimizer: OptimizerName;
  epochs: number;
}

/** Checks every option (ArgumentError naming it) and fills in the defaults for `examples` examples. */
export function resolveTrainOptions(options: TrainOptions, examples: number, defaults: TrainDefaults = { optimizer: 'sgd', epochs: 100 }): ResolvedTrainOptions {
  checkOptions('options', options, TRAIN_OPTIONS);
  const optimizer = options.optimizer ?? defaults.optimizer;
  const learningRate = options.learningRate ?? (optimizer === 'adam' ? 0.01 : 0.1);
  const epochs = options.epochs ?? defaults.epochs;
  const rateAt = resolveSchedule(options.learningRateSchedule, learningRate, epochs);
  const size = options.batchSize ?? 'full';
  const batchSize = size === 'full' ? examples : size;
  if (batchSize > examples) throw new ArgumentError('options.batchSize', `is ${batchSize} but there are only ${examples} examples; use 'full' for batch gradient descent`);
  const seed = options.seed ?? 0;
  const beta1 = optimizer === 'momentum' ? (options.momentum ?? 0.9) : (options.beta1 ?? 0.9);
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const lambda = options.lambda ?? 0;
  const div = options.divergence ?? {};
  const plainFull = batchSize === examples && optimizer === 'sgd';
  const tolerance = div.tolerance ?? (plainFull ? 1e-3 : 1);
  const patience = div.patience ?? (plainFull ? 1 : 3);
  const stepsPerSubmit = options.stepsPerSubmit;
  const historyBuffer = options.historyBuffer;
  if (historyBuffer !== undefined && (!(historyBuffer.usage & BufferUsage.COPY_DST) || historyBuffer.size < 16 * epochs)) {
    throw new ArgumentError('options.historyBuffer', `must be a GPUBuffer with COPY_DST usage of at least 16·epochs = ${16 * epochs} bytes, got ${historyBuffer.size} bytes, usage ${historyBuffer.usage}`);
  }
  const earlyStopping = resolveEarlyStopping(options);
  const continueOptimizer = options.continueOptimizer ?? false;
  const checkpointEvery = options.checkpointEvery ?? 5;
  return {
    checkpointEvery, onCheckpoint: options.onCheckpoint,
    learningRate, rateAt, epochs, batchSize, shuffle: options.shuffle ?? true, seed, optimizer, continueOptimizer, beta1, beta2, epsilon, lambda,
    tolerance, patience, aboveFirst: !plainFull, earlyStopping, live: options.onEpoch !== undefined || earlyStopping !== undefined, onEpoch: options.onEpoch, signal: options.signal, stepsPerSubmit, historyBuffer,
  };
}
