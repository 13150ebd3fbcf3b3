// `wgsl-learn train`'s options, shared by the command line (cli/commands/train.ts), the
// Puppeteer runner (cli/train-browser.ts) and the demo page, which mirrors DigitSettings: parsed
// and checked once. The data is a CSV file (`train data.csv --target <column>`) or the built-in
// digits (`--digits`); each has its defaults — the digits those of the demo page (400-25-10,
// softmax, λ = 1, Adam α = 0.01, batches of 100, 10 epochs); a CSV's are scikit-learn's linear
// models — no hidden layer (logistic or softmax regression, or ridge regression on the
// standardised target), λ = 1 (C = 1, Ridge's α = 1), Adam α = 0.05, full batches, 1,000 epochs:
// measured on fourteen real datasets, where they reach scikit-learn's figures (docs/guide.md,
// "Defaults on real data"); --hidden adds a network's layers.

import type { ActivationName, OptimizerName } from '../src/index.js';
import { ACTIVATION_NAMES } from '../src/index.js';
import { type Flag, FlagReader, UsageError, describeFlags, flagKinds, isInteger, parseArgs } from './args.js';

export { UsageError } from './args.js';

export interface DigitSettings {
  hidden: number[];
  output: 'softmax' | 'sigmoid';
  lambda: number;
  alpha: number;
  optimizer: OptimizerName;
  batch: number | 'full';
  epochs: number;
  seed: number;
  /** g of the hidden layers (one, or one per layer); default sigmoid. */
  activation?: ActivationName | ActivationName[];
  /** Polynomial features up to this degree (a CSV's inputs x₁², x₁x₂ …). */
  degree?: number;
}

/** A CSV model's settings: a digit network's, with a linear output for real-valued targets. */
export interface ModelSettings extends Omit<DigitSettings, 'output'> {
  output: 'softmax' | 'sigmoid' | 'linear' | 'auto';
}

export interface CsvSource {
  file: string;
  target: string;
  /** Feature columns; default every column but the target (and --ignore). */
  features?: string[];
  ignore: string[];
  /** Fraction held out (seeded by --seed) to report on and to stop early by. */
  validationSplit?: number;
  earlyStopping?: number;
  normalize: boolean;
  /** A file of held-out examples (same columns) reported on after training. */
  test?: string;
}

export interface TrainCommand {
  settings: ModelSettings;
  /** The data: the built-in digits, or a CSV file. */
  source: { digits: true } | CsvSource;
  /** Files to write: the model JSON, the metrics JSON, the ONNX file. */
  out?: string;
  metrics?: string;
  onnx?: string;
  help: boolean;
}

export const DEFAULT_SETTINGS: DigitSettings = {
  hidden: [25], output: 'softmax', lambda: 1, alpha: 0.01, optimizer: 'adam', batch: 100, epochs: 10, seed: 0,
};

export const CSV_DEFAULTS: ModelSettings = {
  hidden: [], output: 'auto', lambda: 1, alpha: 0.05, optimizer: 'adam', batch: 'full', epochs: 1000, seed: 0,
};

/** Units of one hidden layer: what a network is allowed per layer here. */
export const MAX_UNITS = 4096;

const MODEL_FLAGS: Flag[] = [
  { name: 'hidden', value: '<units>', kind: flagKinds.custom(`unit counts such as 25 or 100,25 (each 1 … ${MAX_UNITS}), or none`, (t) => hiddenLayers(t) !== undefined), help: 'hidden layers, e.g. 25 or 100,25; none for no hidden layer (csv none: the linear model; digits 25)' },
  { name: 'activation', value: '<g>', kind: flagKinds.custom(`${ACTIVATION_NAMES.join(', ')}, one or one per hidden layer (comma-separated)`, (t) => t.split(',').every((n) => (ACTIVATION_NAMES as readonly string[]).includes(n.trim()))), help: `g of the hidden units: ${ACTIVATION_NAMES.join(', ')}, or one per layer (default sigmoid)` },
  { name: 'output', value: '<kind>', kind: flagKinds.choice(['softmax', 'sigmoid', 'linear']), help: 'softmax, sigmoid (one-vs-all) or linear (csv: linear for a numeric target, else softmax)' },
  { name: 'lambda', value: '<λ>', kind: flagKinds.number('a number ≥ 0 finite in float32', (v) => v >= 0 && Number.isFinite(Math.fround(v))), help: 'L2 regularisation λ (bias weights excluded), ≥ 0 (default 1: scikit-learn\'s C = 1)' },
  { name: 'alpha', value: '<α>', kind: flagKinds.number('a number > 0 that float32 holds as a normal number', (v) => Math.fround(v) >= 2 ** -126 && Number.isFinite(Math.fround(v))), help: 'learning rate, > 0 (csv 0.05, digits 0.01)' },
  { name: 'optimizer', value: '<name>', kind: flagKinds.choice(['adam', 'momentum', 'sgd']), help: 'adam, momentum or sgd (default adam)' },
  { name: 'batch', value: '<n|full>', kind: flagKinds.custom(`full or an integer from 1 to ${2 ** 24}`, (t) => t === 'full' || isInteger(t, 1, 2 ** 24)), help: 'examples per step (csv full, digits 100)' },
  { name: 'epochs', value: '<n>', kind: flagKinds.integer(1, 100_000), help: 'passes over the training examples (csv 1000, digits 10)' },
  { name: 'seed', value: '<n>', kind: flagKinds.integer(0, 0xffffffff), help: 'initialisation, shuffle and split seed (default 0)' },
  { name: 'degree', value: '<d>', kind: flagKinds.integer(2, 10), help: 'polynomial features up to degree d (x₁², x₁x₂, x₂², …; a CSV file), saved with the model' },
];

const DATA_FLAGS: Flag[] = [
  { name: 'target', value: '<column>', kind: flagKinds.text('the name of a column'), help: 'the column to predict (a CSV file)' },
  { name: 'features', value: '<columns>', kind: flagKinds.list('column names, comma-separated'), help: 'the input columns, comma-separated (default: every other column)' },
  { name: 'ignore', value: '<columns>', kind: flagKinds.list('column names, comma-separated'), help: 'columns to leave out of the inputs, e.g. an id' },
  { name: 'validation-split', value: '<f>', kind: flagKinds.number('a fraction between 0 and 1', (v) => v > 0 && v < 1), help: 'hold out this fraction (0 < f < 1) to report on and stop early by' },
  { name: 'test', value: '<file.csv>', kind: flagKinds.path, help: 'a CSV of held-out examples (the same columns) to report on after training' },
  { name: 'early-stopping', value: '<n>', kind: flagKinds.integer(1, 100_000), help: 'stop when the validation cost has not improved for n epochs; keep the best' },
  { name: 'no-normalize', kind: flagKinds.switch, help: 'train on the raw features (default: standardised, μ and σ saved in the model)' },
  { name: 'digits', kind: flagKinds.switch, help: 'train on the built-in 20×20 digits (8,000 training, 2,000 test) instead of a file' },
];

const OUTPUT_FLAGS: Flag[] = [
  { name: 'out', value: '<file>', kind: flagKinds.path, help: 'write the model (JSON) here (csv default: <data>.model.json)' },
  { name: 'metrics', value: '<file>', kind: flagKinds.path, help: 'write the metrics as JSON' },
  { name: 'onnx', value: '<file>', kind: flagKinds.path, help: 'write the model as ONNX too' },
  { name: 'help', kind: flagKinds.switch, help: 'this text' },
];

export const TRAIN_FLAGS: readonly Flag[] = [...MODEL_FLAGS, ...DATA_FLAGS, ...OUTPUT_FLAGS];

export const TRAIN_USAGE = `usage: wgsl-learn train <data.csv> --target <column> [options]
       wgsl-learn train --digits [options]
       (in the repository: npm run train -- [options] trains the digits; npm run train:browser -- [options] in headless Chrome)

Trains a neural network on WebGPU: on a CSV file with a header (numeric feature columns; the
target numeric for regression or any labels for classification), or on the built-in digits.

${describeFlags(TRAIN_FLAGS)}`;

/** --hidden's layers, or undefined when the text is not unit counts or none. */
export function hiddenLayers(text: string): number[] | undefined {
  if (text === 'none' || text === '0') return [];
  const parts = text.split(/[,\s]+/).filter(Boolean);
  return parts.length > 0 && parts.every((u) => isInteger(u, 1, MAX_UNITS)) ? parts.map(Number) : undefined;
}

function activations(names: string[] | undefined, hidden: number): ActivationName | ActivationName[] | undefined {
  if (names === undefined) return undefined;
  if (names.length === 1) return names[0] as ActivationName;
  if (names.length !== hidden) throw new UsageError(`--activation: ${names.length} activations for ${hidden} hidden layers; give one, or one per layer`);
  return names as ActivationName[];
}

/** The model settings from the flags, over `defaults`. */
function readSettings(f: FlagReader, defaults: ModelSettings, digits: boolean): ModelSettings {
  const hidden = f.has('hidden') ? hiddenLayers(f.text('hidden')!)! : [...defaults.hidden];
  const outputs = digits ? (['softmax', 'sigmoid'] as const) : (['softmax', 'sigmoid', 'linear'] as const);
  const batch = f.text('batch');
  const activation = activations(f.list('activation'), hidden.length);
  return {
    hidden,
    output: f.choice('output', outputs) ?? defaults.output,
    lambda: f.number('lambda') ?? defaults.lambda,
    alpha: f.number('alpha') ?? defaults.alpha,
    optimizer: (f.text('optimizer') as OptimizerName | undefined) ?? defaults.optimizer,
    batch: batch === undefined ? defaults.batch : batch === 'full' ? 'full' : Number(batch),
    epochs: f.number('epochs') ?? defaults.epochs,
    seed: f.number('seed') ?? defaults.seed,
    ...(activation === undefined ? {} : { activation }),
    ...(f.has('degree') ? { degree: f.number('degree')! } : {}),
  };
}

function readCsvSource(f: FlagReader, positional: string[]): CsvSource {
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'expected a CSV file to train on (or --digits)' : `expected one CSV file, got ${positional.length}: ${positional.join(' ')}`);
  const target = f.text('target');
  if (target === undefined) throw new UsageError('--target: expected the name of the column to predict');
  const validationSplit = f.number('validation-split');
  const earlyStopping = f.number('early-stopping');
  if (earlyStopping !== undefined && validationSplit === undefined) throw new UsageError('--early-stopping: needs --validation-split (the examples it watches)');
  return {
    file: positional[0]!, target, ignore: f.list('ignore') ?? [], normalize: !f.has('no-normalize'),
    ...(f.has('features') ? { features: f.list('features')! } : {}),
    ...(validationSplit === undefined ? {} : { validationSplit }),
    ...(earlyStopping === undefined ? {} : { earlyStopping }),
    ...(f.has('test') ? { test: f.text('test')! } : {}),
  };
}

/** Parses `train`'s arguments; throws UsageError naming the option at fault. */
export function parseTrainArgs(argv: readonly string[]): TrainCommand {
  const parsed = parseArgs(argv, TRAIN_FLAGS);
  const f = new FlagReader(parsed);
  const help = f.has('help');
  if (help) return { settings: { ...DEFAULT_SETTINGS }, source: { digits: true }, help };
  const digits = f.has('digits');
  if (digits) {
    for (const name of ['target', 'features', 'ignore', 'validation-split', 'early-stopping', 'no-normalize', 'test', 'degree']) {
      if (f.has(name)) throw new UsageError(`--${name}: is for a CSV file; the digits have their own test set and need no normalisation`);
    }
    if (parsed.positional.length > 0) throw new UsageError(`--digits: trains on the built-in digits, not on ${parsed.positional.join(' ')}`);
  }
  const settings = readSettings(f, digits ? DEFAULT_SETTINGS : CSV_DEFAULTS, digits);
  const source = digits ? ({ digits: true } as const) : readCsvSource(f, parsed.positional);
  const cmd: TrainCommand = { settings, source, help };
  for (const name of ['out', 'metrics', 'onnx'] as const) {
    const v = f.text(name);
    if (v !== undefined) cmd[name] = v;
  }
  return cmd;
}

/** The digit settings of a `--digits` command (its output is softmax or sigmoid). */
export function digitSettings(s: ModelSettings): DigitSettings {
  if (s.output !== 'softmax' && s.output !== 'sigmoid') throw new UsageError(`--output: the digits take softmax or sigmoid, got "${s.output}"`);
  return { ...s, output: s.output };
}
