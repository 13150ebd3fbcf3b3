// Many models trained at once on one upload of their data — the course's model selection, where a
// grid of λ, α or seeds is trained on the same examples. The models are fresh and of one shape;
// the first uploads the training and validation sets (src/models/sharing.ts) and every one trains
// on those buffers, all their fits in flight together on the device's queue. Each model's result
// is bit for bit the fit it would have run alone (the same statistics, x̃, kernels and order), a
// model that diverges stops with its own error and touches no other, and the memory the models
// will take is checked before anything is allocated.

import { ArgumentError, DivergenceError } from '../gpu/errors.js';
import type { SharedData } from '../models/fit.js';
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

export function checkModels(models: readonly TrainableModel[], options: TrainOptions | readonly TrainOptions[]): { sharing: SharingModel[]; each: TrainOptions[] } {
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
  const { sharing, each } = checkModels(models, options.train ?? {});
  const [outcomes] = await trainSets([{ sharing, each, x, y, ...(options.validation ? { validation: options.validation } : {}) }], options);
  return outcomes!;
}

/** One training set of trainSets: its models (checked, of one shape), their options, its examples and validation set. */
export interface ModelSet {
  sharing: SharingModel[];
  each: TrainOptions[];
  x: FeaturesInput;
  y: TargetsInput;
  validation?: { x: FeaturesInput; y: TargetsInput };
}

/**
 * Trains each set's models on that set (the folds of a cross-validation: src/select/search.ts), every
 * model of every set in one FitGroup: models of one set train as one on its upload, and the sets'
 * models together as one stack of folds where their steps and sizes agree (src/train/folds.ts).
 * Each model's outcome is its own fit's, as trainMany's.
 */
export async function trainSets(sets: readonly ModelSet[], many: Pick<TrainManyOptions, 'memoryLimit' | 'signal'>): Promise<ModelOutcome[][]> {
  const limit = many.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const one = sets[0]!.sharing[0]!;
  for (const [f, set] of sets.entries()) if (set.sharing[0]!.key !== one.key) throw new ArgumentError(`sets[${f}]`, 'holds models of another shape than sets[0]: every set trains models of one shape');
  let count = 0;
  let largest = 0;
  let layers: number[] = [];
  const cols: number[] = [];
  for (const set of sets) {
    const X = readFeatures('x', set.x);
    cols.push(X.cols);
    const validationRows = set.validation ? readFeatures('options.validation.x', set.validation.x, X.cols).rows : 0;
    layers = [one.width(X.cols), ...one.units];
    for (const o of set.each) largest = Math.max(largest, modelBytes(layers, { batch: Math.min(typeof o.batchSize === 'number' ? o.batchSize : X.rows, X.rows), examples: X.rows, validationRows, epochs: o.epochs ?? 1000 }));
    count += set.sharing.length;
  }
  checkMemory(count, largest, limit, `${layers.join('-')}`);
  const uploads: SharedData[] = [];
  try {
    for (const [f, set] of sets.entries()) {
      uploads.push(await set.sharing[0]!.upload(set.x, set.y, set.validation));
      for (const s of set.sharing.slice(1)) await s.follow(set.sharing[0]!, cols[f]!);
    }
    // The fits whose steps agree run as one (src/train/group.ts); a fit refused before it trains leaves its seat.
    const group = new FitGroup(one.ctx, count);
    const runs: Promise<TrainingResult>[] = [];
    for (const [f, set] of sets.entries()) {
      for (const [i, s] of set.sharing.entries()) {
        const seat = runs.length;
        const options = { ...set.each[i], ...(set.validation ? { validation: set.validation } : {}), ...(many.signal ? { signal: many.signal } : {}) };
        try {
          const run = Promise.resolve(s.fit(set.x, set.y, options, { ...uploads[f]!, trainer: group.trainer(seat) }));
          run.catch(() => group.withdraw(seat));
          runs.push(run);
        } catch (e) {
          group.withdraw(seat);
          runs.push(Promise.reject(e));
        }
      }
    }
    const settled = await Promise.allSettled(runs);
    const outcomes = settled.map((r, i): ModelOutcome => {
      const together = group.together[i]!;
      if (r.status === 'fulfilled') return { status: r.value.status, result: r.value, together };
      const error = r.reason instanceof Error ? r.reason : new Error(String(r.reason));
      return { status: error instanceof DivergenceError ? 'diverged' : 'failed', error, together };
    });
    let at = 0;
    return sets.map((set) => outcomes.slice(at, (at += set.sharing.length)));
  } finally {
    for (const shared of uploads) {
      shared.data.destroy();
      shared.held?.destroy();
    }
  }
}
