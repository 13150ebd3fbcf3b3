// `wgsl-learn tune data.csv --target y --lambda 0,0.01,0.1,1,10 --hidden none,10,25 --folds 5`:
// the course's model selection on anyone's table — every combination of the values given (λ,
// α, hidden layers, seeds) trained by k-fold cross-validation, every configuration of a fold at
// once on the GPU (gridSearch), a table of each one's J_train and J_cv (mean ± spread over the
// folds, the examples' mean cost without the λ term) and accuracy, the best by the lowest mean
// J_cv, and with --out the best refitted on every example. --json prints the table as JSON.

import { type Configuration, type Label, NeuralNetwork, type SearchRow, createContext, gridSearch } from '../../src/index.js';
import { type Flag, NUMBER, UsageError, commandArgs, describeFlags, flagKinds, isInteger } from '../args.js';
import { checkModelSize, describeAdapter } from '../common.js';
import { checkOutputs, writeAndSay } from '../files.js';
import { modelFileText } from '../model-file.js';
import { CSV_DEFAULTS, MAX_UNITS, TRAIN_FLAGS, hiddenLayers } from '../options.js';
import { integerClasses, rescaleOutput, standardised, targetScale } from '../targets.js';
import { readTable } from './train-csv.js';

const numbers = (expected: string, ok: (v: number) => boolean) => flagKinds.custom(`${expected}, comma-separated`, (t) => t.split(',').every((v) => NUMBER.test(v.trim()) && ok(Number(v))));
const layerSpec = (t: string) => t === 'none' || t.split('-').every((u) => isInteger(u, 1, MAX_UNITS));

const SHARED = ['target', 'features', 'ignore', 'no-normalize', 'output', 'optimizer', 'batch', 'epochs', 'degree'];

export const TUNE_FLAGS: Flag[] = [
  ...TRAIN_FLAGS.filter((f) => SHARED.includes(f.name)),
  { name: 'lambda', value: '<λ,…>', kind: numbers('numbers ≥ 0', (v) => v >= 0 && Number.isFinite(Math.fround(v))), help: 'the λ values to try (default 1)' },
  { name: 'alpha', value: '<α,…>', kind: numbers('numbers > 0', (v) => Math.fround(v) >= 2 ** -126 && Number.isFinite(Math.fround(v))), help: 'the learning rates to try (default 0.05)' },
  { name: 'hidden', value: '<layers,…>', kind: flagKinds.custom(`hidden layers to try, comma-separated: none, 25 or 100-25 (units 1 … ${MAX_UNITS})`, (t) => t.split(',').every((v) => layerSpec(v.trim()))), help: 'the hidden layers to try: none, 10, 100-25 … (default none)' },
  { name: 'seeds', value: '<n,…>', kind: flagKinds.custom('integers from 0 to 4294967295, comma-separated', (t) => t.split(',').every((v) => isInteger(v.trim(), 0, 0xffffffff))), help: 'initialisation and shuffle seeds to try (default 0)' },
  { name: 'folds', value: '<k>', kind: flagKinds.integer(2, 1000), help: 'k of k-fold cross-validation (default 5)' },
  { name: 'out', value: '<file>', kind: flagKinds.path, help: 'refit the best configuration on every example and write it here' },
  { name: 'json', kind: flagKinds.switch, help: 'print the results as JSON (progress goes to stderr)' },
  { name: 'help', kind: flagKinds.switch, help: 'this text' },
];

export const TUNE_USAGE = `usage: wgsl-learn tune <data.csv> --target <column> [--lambda 0,0.1,1] [--alpha …] [--hidden none,10,25] [--seeds 0,1] [--folds 5] [--out best.json]

Chooses λ, α and the hidden layers by k-fold cross-validation: every combination of the values
given is trained on each fold (a fold's configurations at once on the GPU), and scored by J_cv,
the held-out examples' mean cost without the λ term. Prints each configuration's J_train, J_cv
and accuracy (mean ± spread over the folds) and the best; --out refits the best on all the data.

${describeFlags(TUNE_FLAGS)}`;

interface Grid {
  grid: Record<string, readonly (number | number[])[]>;
  folds: number;
}

function readGrid(f: ReturnType<typeof commandArgs> & object): Grid {
  const list = (name: string) => f.f.list(name);
  const grid: Record<string, readonly (number | number[])[]> = {
    lambda: (list('lambda') ?? [String(CSV_DEFAULTS.lambda)]).map(Number),
    learningRate: (list('alpha') ?? [String(CSV_DEFAULTS.alpha)]).map(Number),
    hidden: (list('hidden') ?? ['none']).map((h) => hiddenLayers(h === 'none' ? 'none' : h.replace(/-/g, ','))!),
    seed: (list('seeds') ?? ['0']).map(Number),
  };
  return { grid, folds: f.f.number('folds') ?? 5 };
}

const spread = (s: { mean: number; std: number }) => `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;

/** The results as a table: one row per configuration, the best marked. */
function table(rows: readonly SearchRow[], best: number): string {
  const head = ['', 'λ', 'α', 'hidden', 'seed', 'J_train', 'J_cv', ...(rows[0]!.validation.accuracy ? ['cv accuracy'] : [])];
  const body = rows.map((r, i) => {
    const c = r.configuration;
    const hidden = (c.hidden as number[]).length ? (c.hidden as number[]).join('-') : 'none';
    return [i === best ? '*' : r.complete ? '' : '!', String(c.lambda), String(c.learningRate), hidden, String(c.seed), spread(r.train.cost), spread(r.validation.cost), ...(r.validation.accuracy ? [`${(100 * r.validation.accuracy.mean).toFixed(2)} % ± ${(100 * r.validation.accuracy.std).toFixed(2)}`] : [])];
  });
  const widths = head.map((h, k) => body.reduce((most, b) => Math.max(most, b[k]!.length), h.length));
  return [head, ...body].map((cells) => cells.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd()).join('\n');
}

export async function tune(argv: readonly string[]): Promise<number> {
  const args = commandArgs(argv, TUNE_FLAGS, TUNE_USAGE);
  if (!args) return 0;
  const { f, positional } = args;
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'expected the CSV file to tune on' : `expected one CSV file, got ${positional.length}: ${positional.join(' ')}`);
  const target = f.text('target');
  if (target === undefined) throw new UsageError('--target: expected the name of the column to predict');
  const { grid, folds } = readGrid(args);
  const out = f.text('out');
  const file = positional[0]!;
  checkOutputs({ '--out': out }, [file]);
  const log = f.has('json') ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const src = { file, target, ignore: f.list('ignore') ?? [], normalize: !f.has('no-normalize'), ...(f.has('features') ? { features: f.list('features')! } : {}) };
  const output = f.choice('output', ['softmax', 'sigmoid', 'linear'] as const) ?? 'auto';
  const read = await readTable(src, output);
  const { target: t, notice } = integerClasses(read.target, output);
  if (notice) log(notice);
  const head = output === 'auto' ? (t.kind === 'values' ? 'linear' : 'softmax') : output;
  const classes = t.kind === 'labels' ? t.classes : undefined;
  const K = !classes ? 1 : head === 'sigmoid' && classes.length === 2 ? 1 : classes.length;
  for (const h of grid.hidden as number[][]) checkModelSize([read.x.cols, ...h, K], f.number('degree'));
  if (folds > read.x.rows) throw new UsageError(`--folds: ${folds} folds of ${read.x.rows} examples leave a fold empty; at most ${read.x.rows}`);
  const scale = t.kind === 'values' ? targetScale(t.values) : undefined;
  const y = (t.kind === 'values' ? standardised(t.values, scale!) : t.labels) as readonly Label[];
  const batch = f.text('batch');
  const train = { epochs: f.number('epochs') ?? CSV_DEFAULTS.epochs, batchSize: batch === undefined ? CSV_DEFAULTS.batch : batch === 'full' ? ('full' as const) : Number(batch), optimizer: (f.text('optimizer') ?? CSV_DEFAULTS.optimizer) as 'adam' };
  const degree = f.number('degree');
  const make = (c: Configuration) => new NeuralNetwork<Label>(ctx, { layers: [read.x.cols, ...(c.hidden as number[]), K], output: head, seed: c.seed as number, normalize: src.normalize, ...(classes ? { classes } : {}), ...(degree ? { polynomial: degree } : {}) });
  const ctx = await createContext();
  try {
    log(`adapter: ${describeAdapter(ctx.adapter)}`);
    if (ctx.adapter.isFallbackAdapter) console.warn('warning: this is a software (fallback) adapter: training runs on the CPU, many times slower than on a GPU');
    const total = Object.values(grid).reduce((n, v) => n * v.length, 1);
    log(`data: ${file}, ${read.x.rows} examples, ${read.features.length} features → ${t.name}; ${total} configurations × ${folds} folds, ${train.epochs} epochs each`);
    let shown = -1;
    const result = await gridSearch(make, read.x, y, {
      grid, folds, train, refit: out !== undefined,
      onProgress: (done, all) => {
        const tenth = Math.floor((10 * done) / all);
        if (tenth !== shown) log(`fits: ${done}/${all}`);
        shown = tenth;
      },
    });
    try {
      if (scale && result.model) await rescaleOutput(result.model, scale);
      if (f.has('json')) console.log(JSON.stringify({ target: t.name, folds, rows: result.rows, best: result.best, ...(scale ? { targetScale: scale } : {}) }, null, 2));
      else console.log(`${table(result.rows, result.best.index)}\n\n* best: ${result.best.rule}${result.rows.some((r) => !r.complete) ? '\n! a fold of this configuration diverged or failed' : ''}${scale ? `\n(costs on the standardised target: μ ${scale.mean.toPrecision(4)}, σ ${scale.std.toPrecision(4)})` : ''}`);
      if (out && result.model) log((await writeAndSay([{ path: out, data: modelFileText(await result.model.toJSON(), { features: read.features, target: t.name }), what: 'the best model, refitted on every example' }])).join('\n'));
    } finally {
      result.model?.destroy();
    }
    return 0;
  } finally {
    ctx.destroy();
  }
}
