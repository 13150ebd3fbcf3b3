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

export type Made<M> = { index: number; models: M[]; options: TrainOptions; bytes: number[] };
type RoundContext = { splits: readonly Split[]; limit: number; train: TrainOptions };

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
export function makeItem<M extends SearchModel>(make: (c: Configuration) => M, configuration: Configuration, i: number, ctx: RoundContext): Made<M> {
  const models: M[] = [];
  try {
    for (let f = 0; f < ctx.splits.length; f++) models.push(checkMade(make(configuration), i));
    const options = trainOptionsOf(configuration, ctx.train);
    return { index: i, models, options, bytes: bytesOn(models[0]!, options, ctx.splits) };
  } catch (e) {
    for (const m of models) m.destroy();
    throw e;
  }
}

/**
 * The configurations of one round: as many as the memory limit holds with every split's model,
 * made as they are needed — or one configuration whose splits' models only fit one at a time
 * (`bySplit`).
 */
function nextRound<M extends SearchModel>(make: (c: Configuration) => M, configurations: readonly Configuration[], start: number, carried: Made<M> | undefined, ctx: RoundContext): { round: Made<M>[]; next: number; carried: Made<M> | undefined; bySplit: boolean } {
  const round: Made<M>[] = [];
  let bytes = 0;
  let i = start;
  for (;;) {
    let item = carried;
    carried = undefined;
    if (!item) {
      if (i >= configurations.length) break;
      item = makeItem(make, configurations[i]!, i, ctx);
      i++;
    }
    const all = item.bytes.reduce((a, b) => a + b, 0);
    if (round.length === 0 && all > ctx.limit) {
      const one = item.bytes.reduce((a, b) => Math.max(a, b), 0);
      if (one <= ctx.limit) return { round: [item], next: i, carried: undefined, bySplit: true };
      for (const m of item.models) m.destroy();
      throw new ArgumentError('options.memoryLimit', `is ${ctx.limit} bytes; one model of configuration ${item.index} needs about ${one} while it trains: raise it, or lower the batch size`);
    }
    if (round.length > 0 && bytes + all > ctx.limit) return { round, next: i, carried: item, bySplit: false };
    round.push(item);
    bytes += all;
  }
  return { round, next: i, carried: undefined, bySplit: false };
}

function checkMade<M>(model: M, i: number): M {
  const m = model as unknown as Partial<SearchModel>;
  if (!m || typeof m.sharing !== 'function' || typeof m.cost !== 'function' || typeof m.destroy !== 'function') {
    throw new ArgumentError('make', `returned ${String(model)} for configuration ${i}: it must return a new model of this library (NeuralNetwork, SoftmaxRegression …)`);
  }
  return model;
}

/** How one fit ended, scored on its split. */
export async function scoreOutcome(model: SearchModel, split: Split, out: ModelOutcome, curves: boolean): Promise<FoldScore> {
  if ('result' in out) return score(model, split, { status: out.status, epochs: out.result.epochs, history: out.result.history }, curves);
  if (out.status === 'diverged') return score(model, split, { status: 'diverged', epochs: 0 }, false);
  return { status: 'failed', epochs: 0, train: { cost: NaN, accuracy: null }, validation: { cost: NaN, accuracy: null } };
}

/** One group of configurations of one shape trained on `splits` (all at once: their folds one stack, src/train/folds.ts), each fit scored into scores[split][configuration]. */
async function trainGroup<M extends SearchModel>(group: Made<M>[], splits: readonly Split[], at: readonly number[], scores: FoldScore[][], o: SearchOptions, limit: number, progress: () => void): Promise<void> {
  const sets = at.map((f) => ({
    sharing: group.map((g) => g.models[f]!.sharing()), each: group.map((g) => g.options),
    x: splits[f]!.train.x, y: splits[f]!.train.y as TargetsInput, validation: splits[f]!.held as { x: Examples['x']; y: TargetsInput },
  }));
  const outcomes = await trainSets(sets, { memoryLimit: limit, ...(o.signal ? { signal: o.signal } : {}) });
  for (const [s, f] of at.entries()) {
    for (const [k, item] of group.entries()) {
      if (o.signal?.aborted) throw new Error('gridSearch: cancelled (options.signal)');
      scores[f]![item.index] = await scoreOutcome(item.models[f]!, splits[f]!, outcomes[s]![k]!, !!o.curves);
      progress();
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
  const ctx: RoundContext = { splits, limit: o.memoryLimit ?? DEFAULT_MEMORY_LIMIT, train: o.train ?? {} };
  const every = splits.map((_, f) => f);
  let next = 0;
  let carried: Made<M> | undefined;
  do {
    const r = nextRound(make, configurations, next, carried, ctx);
    ({ next, carried } = r);
    try {
      const groups = new Map<string, Made<M>[]>();
      for (const item of r.round) groups.set(item.models[0]!.sharing().key, [...(groups.get(item.models[0]!.sharing().key) ?? []), item]);
      for (const group of groups.values()) {
        if (r.bySplit) for (const f of every) await trainGroup(group, splits, [f], scores, o, ctx.limit, progress);
        else await trainGroup(group, splits, every, scores, o, ctx.limit, progress);
      }
    } finally {
      for (const item of r.round) for (const m of item.models) m.destroy();
    }
  } while (next < configurations.length || carried);
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
