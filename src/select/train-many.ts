// Many models trained at once on one upload of their data — the course's model selection, where a
// grid of λ, α or seeds is trained on the same examples. The models are fresh and of one shape;
// the first uploads the training and validation sets (src/models/sharing.ts) and every one trains
// on those buffers, all their fits in flight together on the device's queue. Each model's result
// is bit for bit the fit it would have run alone (the same statistics, x̃, kernels and order), a
// model that diverges stops with its own error and touches no other, and the memory the models
// will take is checked before anything is allocated.

import { ArgumentError, DivergenceError } from '../gpu/errors.js';
import type { SharingModel } from '../models/sharing.js';
import { type FeaturesInput, type TargetsInput, readFeatures } from '../train/dataset.js';
import { TRAIN_OPTIONS, type TrainOptions } from '../train/options.js';
import type { TrainingResult } from '../train/run.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { FitGroup } from '../train/group.js';
import { DEFAULT_MEMORY_LIMIT, checkMemory, modelBytes } from './memory.js';

/** A model trainMany takes: any of the library's models, fresh (never fitted, set or loaded). */
export interface TrainableModel {
  sharing(): SharingModel;
}

export interface TrainManyOptions {
  /** Each model's fit options (one object per model), or the same for all. */
  train?: TrainOptions | readonly TrainOptions[];
  /** The held-out set every model is evaluated on after each epoch (its history's `validation`). */
  validation?: { x: FeaturesInput; y: TargetsInput };
  /** Bytes the models may take on the GPU beside the data (default 1 GiB): more is a named error before anything is allocated. */
  memoryLimit?: number;
  /** Cancels every model's fit. */
  signal?: AbortSignal;
}

export const TRAIN_MANY_OPTIONS = optionTable<TrainManyOptions>('trainMany options', {
  train: kinds.oneOf('fit options, or an array of them (one per model)', kinds.object(TRAIN_OPTIONS), kinds.array(kinds.object(TRAIN_OPTIONS))),
  validation: TRAIN_OPTIONS.validation,
  memoryLimit: kinds.number('a number of bytes > 0', (v) => v > 0 && Number.isFinite(v)),
  signal: kinds.signal,
});

/**
 * How one model's fit ended: its result, or the error it stopped with (a DivergenceError keeps
 * its best epoch's Θ); `together`: how many models' fits ran as one with it, itself included
 * (1: alone — its steps differed from every other's — 0: refused before it trained).
 */
export type ModelOutcome =
  | { status: TrainingResult['status']; result: TrainingResult; together: number }
  | { status: 'diverged' | 'failed'; error: Error; together: number };

/** Options a model of trainMany cannot take alone: they would give it data of its own. */
const PER_RUN = ['validation', 'validationSplit', 'continueOptimizer', 'historyBuffer'] as const;

function checkModels(models: readonly TrainableModel[], options: TrainOptions | readonly TrainOptions[]): { sharing: SharingModel[]; each: TrainOptions[] } {
  const who = Array.isArray(options) ? (i: number) => `options.train[${i}]` : () => 'options.train';
  if (!Array.isArray(models) || models.length === 0) throw new ArgumentError('models', 'must be a non-empty array of models');
  const sharing = models.map((m, i) => {
    if (!m || typeof (m as TrainableModel).sharing !== 'function') throw new ArgumentError(`models[${i}]`, 'must be a model of this library (NeuralNetwork, LinearRegression …)');
    return m.sharing();
  });
  sharing.forEach((s, i) => {
    if (!s.fresh) throw new ArgumentError(`models[${i}]`, 'has parameters already (fitted, set or loaded) or is training: trainMany trains fresh models, so that each is exactly its own fit');
    if (s.key !== sharing[0]!.key) throw new ArgumentError(`models[${i}]`, 'differs from models[0] in its layers, activations, output, normalisation or classes: train models of one shape together (gridSearch groups them)');
    if (models.indexOf(models[i]!) !== i) throw new ArgumentError(`models[${i}]`, `is models[${models.indexOf(models[i]!)}] again: give each model once`);
  });
  const each = Array.isArray(options) ? [...options] : models.map(() => options as TrainOptions);
  if (each.length !== models.length) throw new ArgumentError('options.train', `has ${each.length} entries for ${models.length} models: give one per model, or one for all`);
  each.forEach((o, i) => {
    for (const key of PER_RUN) if (o[key] !== undefined) throw new ArgumentError(`${who(i)}.${key}`, 'is per model; trainMany trains every model on the same data (give a shared validation set as options.validation)');
  });
  return { sharing, each };
}

/**
 * Trains `models` — fresh, of one shape — on x and y at once, model i with `options.train[i]` (or
 * the same options for all): one upload of the data, every fit in flight together, each result
 * bit-identical to `models[i].fit(x, y, { ...options.train[i], validation })`. Resolves when every
 * fit has ended, with each one's outcome; a model that diverges stops alone.
 */
export async function trainMany(models: readonly TrainableModel[], x: FeaturesInput, y: TargetsInput, options: TrainManyOptions = {}): Promise<ModelOutcome[]> {
  checkOptions('options', options, TRAIN_MANY_OPTIONS);
  const many = options;
  const { sharing, each } = checkModels(models, options.train ?? {});
  const limit = many.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const X = readFeatures('x', x);
  const validationRows = many.validation ? readFeatures('options.validation.x', many.validation.x, X.cols).rows : 0;
  const layers = [sharing[0]!.width(X.cols), ...sharing[0]!.units];
  const largest = each.reduce((most, o) => Math.max(most, modelBytes(layers, { batch: Math.min(typeof o.batchSize === 'number' ? o.batchSize : X.rows, X.rows), examples: X.rows, validationRows, epochs: o.epochs ?? 1000 })), 0);
  checkMemory(models.length, largest, limit, `${layers.join('-')}`);
  const shared = await sharing[0]!.upload(x, y, many.validation);
  try {
    for (const s of sharing.slice(1)) await s.follow(sharing[0]!, X.cols);
    // The fits whose steps agree run as one (src/train/group.ts); a fit refused before it trains leaves its seat.
    const group = new FitGroup(sharing[0]!.ctx, models.length);
    const runs = sharing.map((s, i) => {
      const options = { ...each[i], ...(many.validation ? { validation: many.validation } : {}), ...(many.signal ? { signal: many.signal } : {}) };
      try {
        const run = Promise.resolve(s.fit(x, y, options, { ...shared, trainer: group.trainer(i) }));
        run.catch(() => group.withdraw(i));
        return run;
      } catch (e) {
        group.withdraw(i);
        return Promise.reject(e);
      }
    });
    const settled = await Promise.allSettled(runs);
    return settled.map((r, i): ModelOutcome => {
      const together = group.together[i]!;
      if (r.status === 'fulfilled') return { status: r.value.status, result: r.value, together };
      const error = r.reason instanceof Error ? r.reason : new Error(String(r.reason));
      return { status: error instanceof DivergenceError ? 'diverged' : 'failed', error, together };
    });
  } finally {
    shared.data.destroy();
    shared.held?.destroy();
  }
}
