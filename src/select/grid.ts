// A grid of hyperparameters, as scikit-learn's ParameterGrid reads one: every combination of the
// values given for each name, the last name varying fastest. Checked before anything is made: a
// grid with no names, a name with no values, a value that is not finite, a value given twice, or
// more than MAX_CONFIGURATIONS combinations is an ArgumentError naming it.

import { ArgumentError } from '../gpu/errors.js';
import { TRAIN_OPTIONS, type TrainOptions } from '../train/options.js';

/** One combination: a value for each name of the grid. */
export type Configuration = Record<string, number | string | boolean | readonly number[]>;

export const MAX_CONFIGURATIONS = 10_000;

/** Every combination of `grid`, checked. */
export function expandGrid(grid: Record<string, readonly unknown[]>): Configuration[] {
  if (!grid || typeof grid !== 'object' || Array.isArray(grid)) throw new ArgumentError('options.grid', 'must be an object of names and the values to try, e.g. { lambda: [0, 0.1, 1] }');
  const names = Object.keys(grid);
  if (names.length === 0) throw new ArgumentError('options.grid', 'has no names: give at least one hyperparameter and its values');
  let configurations: Configuration[] = [{}];
  for (const name of names) {
    const values = grid[name];
    if (!Array.isArray(values) || values.length === 0) throw new ArgumentError(`options.grid.${name}`, 'must be a non-empty array of the values to try');
    const seen = new Set<string>();
    values.forEach((v, i) => {
      const ok = (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean' || (Array.isArray(v) && v.every((u) => Number.isInteger(u) && u > 0));
      if (!ok) throw new ArgumentError(`options.grid.${name}[${i}]`, `must be a finite number, a string, a boolean or a list of unit counts, got ${String(v)}`);
      const key = JSON.stringify(v);
      if (seen.has(key)) throw new ArgumentError(`options.grid.${name}[${i}]`, `is ${key} again: each value once`);
      seen.add(key);
    });
    if (configurations.length * values.length > MAX_CONFIGURATIONS) throw new ArgumentError('options.grid', `has more than ${MAX_CONFIGURATIONS} combinations`);
    configurations = configurations.flatMap((c) => values.map((v) => ({ ...c, [name]: v as Configuration[string] })));
  }
  return configurations;
}

/** The training options of a configuration: `base`, with every name of the grid that is a training option (λ, α, optimizer …) set. */
export function trainOptionsOf(configuration: Configuration, base: TrainOptions): TrainOptions {
  const options: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(configuration)) if (Object.hasOwn(TRAIN_OPTIONS, name)) options[name] = value;
  return options as TrainOptions;
}
