// The course's two diagnostic curves. A validation curve: J_train and J_cv against one
// hyperparameter (λ on a log axis, usually) — high bias where both are high and close, high
// variance where J_cv stays far above J_train — a grid search over that one name. A learning
// curve: J_train and J_cv against the number of training examples m, each model trained on the
// first m examples of the training part and scored on those m and on the held-out part — every
// size at once as memory allows, each its own fit (their steps differ, so none share passes).

import { ArgumentError } from '../gpu/errors.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { type FeaturesInput, type TargetsInput, readFeatures } from '../train/dataset.js';
import { TRAIN_OPTIONS, type TrainOptions } from '../train/options.js';
import type { Configuration } from './grid.js';
import { type Split, pick } from './folds.js';
import { DEFAULT_MEMORY_LIMIT } from './memory.js';
import { type FoldScore, type RoundState, SEARCH_OPTIONS, type SearchModel, type SearchOptions, type Spread, gridSearch, makeItem, nextRound, splitsOf, spread, trainRound } from './search.js';

export interface ValidationCurveOptions extends Omit<SearchOptions, 'grid' | 'refit'> {
  /** The hyperparameter (a training option such as 'lambda', or a name `make` reads). */
  name: string;
  /** Its values, in the order to plot them. */
  values: readonly unknown[];
}

const { grid: _grid, refit: _refit, ...SHARED } = SEARCH_OPTIONS;
export const VALIDATION_CURVE_OPTIONS = optionTable<ValidationCurveOptions>('validationCurve options', {
  ...SHARED,
  name: kinds.required(kinds.name),
  values: kinds.required(kinds.data('an array of the values to try')),
});

export interface Curve {
  /** The x axis: the hyperparameter's values, or the training set sizes. */
  at: unknown[];
  train: Spread[];
  validation: Spread[];
}

/** J_train and J_cv (λ = 0, mean and spread over the folds) at each value of one hyperparameter, and the best value. */
export async function validationCurve<M extends SearchModel>(make: (configuration: Configuration) => M, x: FeaturesInput, y: TargetsInput, options: ValidationCurveOptions): Promise<Curve & { best: unknown }> {
  checkOptions('options', options, VALIDATION_CURVE_OPTIONS);
  const { name, values, ...rest } = options;
  const result = await gridSearch(make, x, y, { ...rest, grid: { [name]: values } });
  return {
    at: [...values],
    train: result.rows.map((r) => r.train.cost),
    validation: result.rows.map((r) => r.validation.cost),
    best: result.best.configuration[name],
  };
}

/**
 * Configuration i trained on split i alone (a learning curve's sizes, on each fold), scored: as
 * many at once as the memory limit holds (src/select/search.ts nextRound), every fit in flight
 * together; fits on splits of one size (a size's folds) train as one stack, different sizes side
 * by side (their steps differ).
 */
async function searchPairs<M extends SearchModel>(make: (c: Configuration) => M, pairs: readonly { configuration: Configuration; split: Split }[], o: SearchOptions): Promise<FoldScore[]> {
  const scores: FoldScore[] = [];
  const makeAt = (i: number) => makeItem(make, pairs[i]!.configuration, i, [pairs[i]!.split], o.train ?? {});
  const state: RoundState<M> = { next: 0, carried: undefined };
  do {
    const { round } = nextRound(makeAt, pairs.length, state, o.memoryLimit ?? DEFAULT_MEMORY_LIMIT, (item) => `the model of ${JSON.stringify(item.configuration)}`);
    try {
      await trainRound(round, o, 'learningCurve', (item, _, score) => void (scores[item.index] = score));
    } finally {
      for (const item of round) item.models[0]!.destroy();
    }
  } while (state.next < pairs.length || state.carried);
  return scores;
}

export interface LearningCurveOptions {
  /** Training set sizes m to train on: the first m examples of the training part (of each fold's, with folds). */
  sizes: readonly number[];
  train?: TrainOptions;
  validation?: { x: FeaturesInput; y: TargetsInput };
  validationSplit?: number;
  /** k-fold cross-validation instead of one held-out part (scikit-learn's learning_curve): each size's curve point the mean and spread over the folds. */
  folds?: number;
  seed?: number;
  memoryLimit?: number;
  signal?: AbortSignal;
}

export const LEARNING_CURVE_OPTIONS = optionTable<LearningCurveOptions>('learningCurve options', {
  sizes: kinds.required(kinds.array(kinds.integer(1, 2 ** 31 - 1), 1)),
  train: kinds.object(TRAIN_OPTIONS),
  validation: TRAIN_OPTIONS.validation,
  validationSplit: SEARCH_OPTIONS.validationSplit,
  folds: SEARCH_OPTIONS.folds,
  seed: SEARCH_OPTIONS.seed,
  memoryLimit: SEARCH_OPTIONS.memoryLimit,
  signal: kinds.signal,
});

/**
 * J_train on the m examples trained on and J_cv on the held-out part, for each size m (the first
 * m examples of the training part, after options.validationSplit holds out its seeded fraction),
 * or with options.folds their mean and spread over k folds, each fold's first m training examples.
 * Every size's fits are in flight at once, as memory allows; a size's fits on folds of one size
 * train as one stack (src/train/folds.ts).
 */
export async function learningCurve<M extends SearchModel>(make: (configuration: Configuration) => M, x: FeaturesInput, y: TargetsInput, options: LearningCurveOptions): Promise<Curve> {
  checkOptions('options', options, LEARNING_CURVE_OPTIONS);
  const { validation: given, validationSplit, folds } = options;
  if (given === undefined && validationSplit === undefined && folds === undefined) throw new ArgumentError('options', 'needs validation, validationSplit or folds: the held-out part J_cv is measured on');
  const splits = splitsOf(x, y, { grid: {}, ...(given ? { validation: given } : {}), ...(validationSplit !== undefined ? { validationSplit } : {}), ...(folds !== undefined ? { folds } : {}), seed: options.seed ?? 0 });
  const trainRows = splits.reduce((least, s) => Math.min(least, s.train.x.rows), Infinity);
  const seen = new Set<number>();
  options.sizes.forEach((s, i) => {
    if (s > trainRows) throw new ArgumentError(`options.sizes[${i}]`, `is ${s}, more than the ${trainRows} training examples${splits.length > 1 ? ' of the smallest fold' : ''}`);
    if (seen.has(s)) throw new ArgumentError(`options.sizes[${i}]`, `is ${s} again: each size once`);
    seen.add(s);
  });
  // Every size on every split at once, as memory allows: each its own fit; a size's fits on folds of one size as one stack.
  const pairs = options.sizes.flatMap((size) => splits.map((split) => {
    const first = Array.from({ length: size }, (_, i) => i);
    return { configuration: { examples: size }, split: { train: pick({ ...split.train.x, data: split.train.x.data }, split.train.y, first), held: split.held } };
  }));
  const scores = await searchPairs(make, pairs, { grid: {}, ...(options.train ? { train: options.train } : {}), ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const k = splits.length;
  const at = (i: number, side: 'train' | 'validation') => spread(scores.slice(i * k, (i + 1) * k).map((s) => s[side].cost));
  return { at: [...options.sizes], train: options.sizes.map((_, i) => at(i, 'train')), validation: options.sizes.map((_, i) => at(i, 'validation')) };
}
