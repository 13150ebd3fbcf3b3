// Model selection as the course teaches it, on the GPU: a grid of hyperparameters (λ, α, the
// optimiser, seeds, and whatever the caller's `make` builds from a configuration — hidden units,
// activations) trained by k-fold cross-validation or on a held-out set, every configuration on
// every fold at once, each fold uploaded once (./train-many.ts trainSets, models grouped by shape;
// the folds of one size one stack, src/train/folds.ts). Each
// configuration's row: the mean and spread over the folds of J_train and J_cv — the examples' mean
// cost without the λ term, as the lecture plots them — and of the accuracies; the best by a stated
// rule, the lowest mean J_cv; and, when asked, the best configuration refitted on all the data.

import { ArgumentError } from '../gpu/errors.js';
import type { CostReport } from '../models/evaluation.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { type FeaturesInput, type TargetsInput, readFeatures } from '../train/dataset.js';
import type { Label } from '../train/labels.js';
import { type EpochReport, TRAIN_OPTIONS, type TrainOptions } from '../train/options.js';
import { type Examples, type Split, holdOut, kFolds, pick } from './folds.js';
import { type Configuration, expandGrid, trainOptionsOf } from './grid.js';
import { DEFAULT_MEMORY_LIMIT, modelBytes } from './memory.js';
import { type ModelOutcome, type TrainableModel, trainSets } from './train-many.js';

/** A model the search makes for a configuration: any of the library's models. */
export interface SearchModel extends TrainableModel {
  cost(x: FeaturesInput, y: TargetsInput, options?: { lambda?: number }): Promise<CostReport>;
  fit(x: FeaturesInput, y: TargetsInput, options?: TrainOptions): PromiseLike<unknown>;
  destroy(): void;
}

export interface SearchOptions {
  /** Names and the values to try: training options (lambda, learningRate, optimizer, batchSize, epochs, seed …) go to fit; every name reaches `make`. */
  grid: Record<string, readonly unknown[]>;
  /** fit options every configuration shares (the grid's names override them). */
  train?: TrainOptions;
  /** k of k-fold cross-validation (default 5, when neither validation nor validationSplit is given). */
  folds?: number;
  /** A held-out set to score on instead of folds. */
  validation?: { x: FeaturesInput; y: TargetsInput };
  /** A seeded fraction of the examples to hold out instead of folds (as fit's validationSplit). */
  validationSplit?: number;
  /** Seeds the folds or the held-out fraction (default 0). */
  seed?: number;
  /** Fit the best configuration on all the examples and return it as `model` (default false). */
  refit?: boolean;
  /** Keep each fold's per-epoch history in the rows (default false). */
  curves?: boolean;
  /** Bytes the models trained at once may take beside the data (default 1 GiB); more are trained in turn. */
  memoryLimit?: number;
  signal?: AbortSignal;
  /** Called as models finish: how many of all the fits are done. */
  onProgress?: (done: number, total: number) => void;
}

export const SEARCH_OPTIONS = optionTable<SearchOptions>('gridSearch options', {
  grid: kinds.required(kinds.record(kinds.data('an array of the values to try'), 'an object of names and arrays of values to try')),
  train: kinds.object(TRAIN_OPTIONS),
  folds: kinds.integer(2, 2 ** 31 - 1),
  validation: TRAIN_OPTIONS.validation,
  validationSplit: kinds.number('a fraction between 0 and 1', (v) => v > 0 && v < 1),
  seed: kinds.integer(0, 2 ** 32 - 1),
  refit: kinds.boolean,
  curves: kinds.boolean,
  memoryLimit: kinds.number('a number of bytes > 0', (v) => v > 0 && Number.isFinite(v)),
  signal: kinds.signal,
  onProgress: kinds.function,
});

/** A mean and its spread (the sample standard deviation; 0 for one fold). */
export interface Spread {
  mean: number;
  std: number;
}

/** How one configuration did on one fold. */
export interface FoldScore {
  status: string;
  epochs: number;
  /** J_train and J_cv: the examples' mean cost without the λ term; accuracy null for linear regression. */
  train: { cost: number; accuracy: number | null };
  validation: { cost: number; accuracy: number | null };
  history?: EpochReport[];
}

export interface SearchRow {
  configuration: Configuration;
  train: { cost: Spread; accuracy: Spread | null };
  validation: { cost: Spread; accuracy: Spread | null };
  folds: FoldScore[];
  /** Whether every fold's fit ran to its end (none diverged or failed). */
  complete: boolean;
}

export interface SearchResult<M> {
  rows: SearchRow[];
  best: { index: number; configuration: Configuration; rule: string };
  /** The best configuration fitted on every example, with options.refit. */
  model?: M;
}

const RULE = 'the lowest mean validation cost J_cv over the configurations whose fits all completed';

export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}

/** The splits the options ask for: k folds, a held-out fraction, or (train, given validation). */
export function splitsOf(x: FeaturesInput, y: TargetsInput, o: SearchOptions): Split[] {
  const given = [o.folds !== undefined, o.validation !== undefined, o.validationSplit !== undefined].filter(Boolean).length;
  if (given > 1) throw new ArgumentError('options', 'give one of folds, validation and validationSplit');
  const X = readFeatures('x', x);
  if (!X.data || !isHostTargets(y)) throw new ArgumentError('x', 'and y must be in CPU memory for a search (it copies the rows of each fold)');
  if (y.length !== X.rows) throw new ArgumentError('y', `has ${y.length} targets but x has ${X.rows} examples`);
  if (o.validation) {
    const V = readFeatures('options.validation.x', o.validation.x, X.cols);
    if (!V.data || !isHostTargets(o.validation.y)) throw new ArgumentError('options.validation', 'must be in CPU memory for a search');
    const all = (m: number) => Array.from({ length: m }, (_, i) => i);
    return [{ train: pick(X, y, all(X.rows)), held: pick(V, o.validation.y, all(V.rows)) }];
  }
  if (o.validationSplit !== undefined) return [holdOut(X, y, o.validationSplit, o.seed ?? 0)];
  return kFolds(X, y, o.folds ?? 5, o.seed ?? 0);
}

function isHostTargets(y: unknown): y is ArrayLike<number | Label | ArrayLike<number>> {
  return Array.isArray(y) || ArrayBuffer.isView(y);
}

/** J_train and J_cv (λ = 0) and the accuracies of a trained model on one split. */
async function score(model: SearchModel, split: Split, result: { status: string; epochs: number; history?: EpochReport[] }, curves: boolean): Promise<FoldScore> {
  const [train, held] = [await model.cost(split.train.x, split.train.y as TargetsInput), await model.cost(split.held.x, split.held.y as TargetsInput)];
  return {
    status: result.status, epochs: result.epochs,
    train: { cost: train.mean, accuracy: train.accuracy }, validation: { cost: held.mean, accuracy: held.accuracy },
    ...(curves && result.history ? { history: result.history } : {}),
  };
}

/** A configuration's models, one for each split it trains on (`splits`, the same objects for every configuration of a search), with its options and their bytes on each split. */
export type Made<M> = { index: number; configuration: Configuration; models: M[]; splits: readonly Split[]; options: TrainOptions; bytes: number[] };

/** Bytes a configuration's model costs while it trains on each split. */
function bytesOn(model: SearchModel, options: TrainOptions, splits: readonly Split[]): number[] {
  const shape = model.sharing();
  return splits.map(({ train, held }) => {
    const rows = train.x.rows;
    const batch = typeof options.batchSize === 'number' ? Math.min(options.batchSize, rows) : rows;
    return modelBytes([shape.width(train.x.cols), ...shape.units], { batch, examples: rows, validationRows: held.x.rows, epochs: options.epochs ?? 1000 });
  });
}

/** Configuration i's models, one a split, made and counted. */
export function makeItem<M extends SearchModel>(make: (c: Configuration) => M, configuration: Configuration, i: number, splits: readonly Split[], train: TrainOptions): Made<M> {
  const models: M[] = [];
  try {
    for (let f = 0; f < splits.length; f++) models.push(checkMade(make(configuration), i));
    const options = trainOptionsOf(configuration, train);
    return { index: i, configuration, models, splits, options, bytes: bytesOn(models[0]!, options, splits) };
  } catch (e) {
    for (const m of models) m.destroy();
    throw e;
  }
}

/** Where a round stands: the next item to make, and one made but not yet trained (it did not fit the last round). */
export interface RoundState<M> {
  next: number;
  carried: Made<M> | undefined;
}

/**
 * The items of one round, of `total` made by `makeAt` as they are needed: as many as the memory
 * limit holds with every split's model — or one item whose splits' models only fit one at a time
 * (`bySplit`). `named(item)` names a model too large for the limit alone.
 */
export function nextRound<M extends SearchModel>(makeAt: (i: number) => Made<M>, total: number, state: RoundState<M>, limit: number, named: (item: Made<M>) => string): { round: Made<M>[]; bySplit: boolean } {
  const round: Made<M>[] = [];
  let bytes = 0;
  for (;;) {
    let item = state.carried;
    state.carried = undefined;
    if (!item) {
      if (state.next >= total) break;
      item = makeAt(state.next++);
    }
    const all = item.bytes.reduce((a, b) => a + b, 0);
    if (round.length === 0 && all > limit) {
      const one = item.bytes.reduce((a, b) => Math.max(a, b), 0);
      if (one <= limit) return { round: [item], bySplit: true };
      for (const m of item.models) m.destroy();
      throw new ArgumentError('options.memoryLimit', `is ${limit} bytes; ${named(item)} needs about ${one} while it trains: raise it, or lower the batch size`);
    }
    if (round.length > 0 && bytes + all > limit) {
      state.carried = item;
      break;
    }
    round.push(item);
    bytes += all;
  }
  return { round, bySplit: false };
}

function checkMade<M>(model: M, i: number): M {
  const m = model as unknown as Partial<SearchModel>;
  if (!m || typeof m.sharing !== 'function' || typeof m.cost !== 'function' || typeof m.destroy !== 'function') {
    throw new ArgumentError('make', `returned ${String(model)} for configuration ${i}: it must return a new model of this library (NeuralNetwork, SoftmaxRegression …)`);
  }
  return model;
}

/** How one fit ended, scored on its split. */
async function scoreOutcome(model: SearchModel, split: Split, out: ModelOutcome, curves: boolean): Promise<FoldScore> {
  if ('result' in out) return score(model, split, { status: out.status, epochs: out.result.epochs, history: out.result.history }, curves);
  if (out.status === 'diverged') return score(model, split, { status: 'diverged', epochs: 0 }, false);
  return { status: 'failed', epochs: 0, train: { cost: NaN, accuracy: null }, validation: { cost: NaN, accuracy: null } };
}

/**
 * A round's items trained and scored: grouped by shape, each group's fits on all their splits
 * (or only split `only`) at once — one set of trainSets a split, so items sharing their splits
 * (a search's configurations) stack across the folds where the folds' sizes agree
 * (src/train/folds.ts). `scored(item, f, score)` takes each fit's score; its models are the caller's to free.
 */
export async function trainRound<M extends SearchModel>(round: readonly Made<M>[], o: SearchOptions, who: string, scored: (item: Made<M>, f: number, score: FoldScore) => void, only?: number): Promise<void> {
  const groups = new Map<string, Made<M>[]>();
  for (const item of round) groups.set(item.models[0]!.sharing().key, [...(groups.get(item.models[0]!.sharing().key) ?? []), item]);
  for (const group of groups.values()) {
    const bySplit = new Map<Split, { item: Made<M>; f: number }[]>();
    for (const item of group) item.splits.forEach((split, f) => (only === undefined || f === only) && bySplit.set(split, [...(bySplit.get(split) ?? []), { item, f }]));
    const sets = [...bySplit].map(([split, fits]) => ({
      sharing: fits.map(({ item, f }) => item.models[f]!.sharing()), each: fits.map(({ item }) => item.options),
      x: split.train.x, y: split.train.y as TargetsInput, validation: split.held as { x: Examples['x']; y: TargetsInput },
    }));
    const outcomes = await trainSets(sets, { memoryLimit: o.memoryLimit ?? DEFAULT_MEMORY_LIMIT, ...(o.signal ? { signal: o.signal } : {}) });
    for (const [s, [split, fits]] of [...bySplit].entries()) {
      for (const [k, { item, f }] of fits.entries()) {
        if (o.signal?.aborted) throw new Error(`${who}: cancelled (options.signal)`);
        scored(item, f, await scoreOutcome(item.models[f]!, split, outcomes[s]![k]!, !!o.curves));
      }
    }
  }
}

/**
 * Every configuration trained on every split and scored: scores[split][configuration]. Rounds of
 * as many configurations as memory holds, each round's configurations grouped by shape, and each
 * group's fits on every split trained at once — one stack where the splits' sizes agree.
 */
export async function searchSplits<M extends SearchModel>(make: (c: Configuration) => M, configurations: readonly Configuration[], splits: readonly Split[], o: SearchOptions, progress: () => void): Promise<FoldScore[][]> {
  const scores: FoldScore[][] = splits.map(() => []);
  const makeAt = (i: number) => makeItem(make, configurations[i]!, i, splits, o.train ?? {});
  const state: RoundState<M> = { next: 0, carried: undefined };
  const scored = (item: Made<M>, f: number, score: FoldScore) => {
    scores[f]![item.index] = score;
    progress();
  };
  do {
    const { round, bySplit } = nextRound(makeAt, configurations.length, state, o.memoryLimit ?? DEFAULT_MEMORY_LIMIT, (item) => `one model of configuration ${item.index}`);
    try {
      if (bySplit) for (let f = 0; f < splits.length; f++) await trainRound(round, o, 'gridSearch', scored, f);
      else await trainRound(round, o, 'gridSearch', scored);
    } finally {
      for (const item of round) for (const m of item.models) m.destroy();
    }
  } while (state.next < configurations.length || state.carried);
  return scores;
}

function rowOf(configuration: Configuration, folds: FoldScore[]): SearchRow {
  const accuracy = (pick: (f: FoldScore) => number | null) => (folds.every((f) => pick(f) !== null) ? spread(folds.map((f) => pick(f)!)) : null);
  return {
    configuration,
    train: { cost: spread(folds.map((f) => f.train.cost)), accuracy: accuracy((f) => f.train.accuracy) },
    validation: { cost: spread(folds.map((f) => f.validation.cost)), accuracy: accuracy((f) => f.validation.accuracy) },
    folds,
    complete: folds.every((f) => f.status === 'completed' || f.status === 'early-stopped'),
  };
}

/**
 * Trains `make(configuration)` for every configuration of `options.grid` on each fold (or on the
 * held-out split) and scores it: scikit-learn's GridSearchCV, with every configuration on every
 * fold trained at once on the GPU. `make` returns a new, fresh model for a configuration; the grid's
 * training options (λ, α …) are applied to `options.train` for its fit.
 */
export async function gridSearch<M extends SearchModel>(make: (configuration: Configuration) => M, x: FeaturesInput, y: TargetsInput, options: SearchOptions): Promise<SearchResult<M>> {
  checkOptions('options', options, SEARCH_OPTIONS);
  if (typeof make !== 'function') throw new ArgumentError('make', 'must be a function (configuration) → a new model');
  const configurations = expandGrid(options.grid);
  const splits = splitsOf(x, y, options);
  const total = configurations.length * splits.length;
  let done = 0;
  const scores = await searchSplits(make, configurations, splits, options, () => options.onProgress?.(++done, total));
  const rows = configurations.map((c, i) => rowOf(c, scores.map((s) => s[i]!)));
  const index = rows.reduce((best, r, i) => (r.complete && (best < 0 || r.validation.cost.mean < rows[best]!.validation.cost.mean) ? i : best), -1);
  if (index < 0) throw new Error(`gridSearch: no configuration's fits all completed (${rows.map((r) => r.folds.map((f) => f.status).join('/')).join(', ')}): lower α, or see each row's folds`);
  const best = { index, configuration: configurations[index]!, rule: RULE };
  if (!options.refit) return { rows, best };
  const model = checkMade(make(best.configuration), index);
  try {
    await model.fit(x, y, trainOptionsOf(best.configuration, options.train ?? {}));
  } catch (e) {
    model.destroy();
    throw e;
  }
  return { rows, best, model };
}
