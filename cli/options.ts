// `wgsl-learn train`'s options, shared by the command line (cli/commands/train.ts), the
// Puppeteer runner (cli/train-browser.ts) and the demo page, which mirrors DigitSettings: parsed
// and checked once. The data is a CSV file (`train data.csv --target <column>`) or the built-in
// digits (`--digits`); each has its defaults — the digits those of the demo page (400-25-10,
// softmax, λ = 1, Adam α = 0.01, batches of 100, 10 epochs), a CSV the library's own for a
// network (one hidden layer of 10 sigmoid units, Adam α = 0.01, full batches, 1,000 epochs).

import type { ActivationName, OptimizerName } from '../src/index.js';
import { ACTIVATION_NAMES } from '../src/index.js';
import { type Flag, FlagReader, UsageError, describeFlags, parseArgs } from './args.js';

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
  hidden: [10], output: 'auto', lambda: 0, alpha: 0.01, optimizer: 'adam', batch: 'full', epochs: 1000, seed: 0,
};

const MODEL_FLAGS: Flag[] = [
  { name: 'hidden', value: '<units>', help: 'hidden layers, e.g. 25 or 100,25; none for no hidden layer (csv 10, digits 25)' },
  { name: 'activation', value: '<g>', help: `g of the hidden units: ${ACTIVATION_NAMES.join(', ')}, or one per layer (default sigmoid)` },
  { name: 'output', value: '<kind>', help: 'softmax, sigmoid (one-vs-all) or linear (csv: linear for a numeric target, else softmax)' },
  { name: 'lambda', value: '<λ>', help: 'L2 regularisation, ≥ 0 (csv 0, digits 1)' },
  { name: 'alpha', value: '<α>', help: 'learning rate, > 0 (default 0.01)' },
  { name: 'optimizer', value: '<name>', help: 'adam, momentum or sgd (default adam)' },
  { name: 'batch', value: '<n|full>', help: 'examples per step (csv full, digits 100)' },
  { name: 'epochs', value: '<n>', help: 'passes over the training examples (csv 1000, digits 10)' },
  { name: 'seed', value: '<n>', help: 'initialisation, shuffle and split seed (default 0)' },
];

const DATA_FLAGS: Flag[] = [
  { name: 'target', value: '<column>', help: 'the column to predict (a CSV file)' },
  { name: 'features', value: '<columns>', help: 'the input columns, comma-separated (default: every other column)' },
  { name: 'ignore', value: '<columns>', help: 'columns to leave out of the inputs, e.g. an id' },
  { name: 'validation-split', value: '<f>', help: 'hold out this fraction (0 < f < 1) to report on and stop early by' },
  { name: 'early-stopping', value: '<n>', help: 'stop when the validation cost has not improved for n epochs; keep the best' },
  { name: 'no-normalize', help: 'train on the raw features (default: standardised, μ and σ saved in the model)' },
  { name: 'digits', help: 'train on the built-in 20×20 digits (8,000 training, 2,000 test) instead of a file' },
];

const OUTPUT_FLAGS: Flag[] = [
  { name: 'out', value: '<file>', help: 'write the model (JSON) here (csv default: <data>.model.json)' },
  { name: 'metrics', value: '<file>', help: 'write the metrics as JSON' },
  { name: 'onnx', value: '<file>', help: 'write the model as ONNX too' },
  { name: 'help', help: 'this text' },
];

export const TRAIN_FLAGS: readonly Flag[] = [...MODEL_FLAGS, ...DATA_FLAGS, ...OUTPUT_FLAGS];

export const TRAIN_USAGE = `usage: wgsl-learn train <data.csv> --target <column> [options]
       wgsl-learn train --digits [options]
       (in the repository: npm run train -- [options] trains the digits; npm run train:browser -- [options] in headless Chrome)

Trains a neural network on WebGPU: on a CSV file with a header (numeric feature columns; the
target numeric for regression or any labels for classification), or on the built-in digits.

${describeFlags(TRAIN_FLAGS)}`;

function hiddenLayers(text: string): number[] {
  if (text === 'none' || text === '0') return [];
  const units = text.split(/[,\s]+/).filter(Boolean).map(Number);
  if (units.length === 0 || !units.every((u) => Number.isInteger(u) && u >= 1 && u <= 4096)) throw new UsageError(`--hidden: expected unit counts such as 25 or 100,25 (each 1 … 4096), or none, got "${text}"`);
  return units;
}

function activations(names: string[] | undefined, hidden: number): ActivationName | ActivationName[] | undefined {
  if (names === undefined) return undefined;
  for (const n of names) if (!(ACTIVATION_NAMES as readonly string[]).includes(n)) throw new UsageError(`--activation: expected ${ACTIVATION_NAMES.join(', ')}, got "${n}"`);
  if (names.length === 1) return names[0] as ActivationName;
  if (names.length !== hidden) throw new UsageError(`--activation: ${names.length} activations for ${hidden} hidden layers; give one, or one per layer`);
  return names as ActivationName[];
}

/** The model settings from the flags, over `defaults`. */
function readSettings(f: FlagReader, defaults: ModelSettings, digits: boolean): ModelSettings {
  const hidden = f.has('hidden') ? hiddenLayers(f.text('hidden') ?? '') : [...defaults.hidden];
  const outputs = digits ? (['softmax', 'sigmoid'] as const) : (['softmax', 'sigmoid', 'linear'] as const);
  const batch = f.text('batch');
  const activation = activations(f.list('activation'), hidden.length);
  return {
    hidden,
    output: f.choice('output', outputs) ?? defaults.output,
    lambda: f.number('lambda', (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0') ?? defaults.lambda,
    alpha: f.number('alpha', (v) => Number.isFinite(v) && v > 0 && Number.isFinite(Math.fround(v)), 'a number > 0') ?? defaults.alpha,
    optimizer: f.choice('optimizer', ['adam', 'momentum', 'sgd'] as const) ?? defaults.optimizer,
    batch: batch === undefined ? defaults.batch : batch === 'full' ? 'full' : f.integer('batch', 1, 2 ** 24)!,
    epochs: f.integer('epochs', 1, 100_000) ?? defaults.epochs,
    seed: f.integer('seed', 0, 0xffffffff) ?? defaults.seed,
    ...(activation === undefined ? {} : { activation }),
  };
}

function readCsvSource(f: FlagReader, positional: string[]): CsvSource {
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'expected a CSV file to train on (or --digits)' : `expected one CSV file, got ${positional.length}: ${positional.join(' ')}`);
  const target = f.text('target');
  if (target === undefined) throw new UsageError('--target: expected the name of the column to predict');
  const validationSplit = f.number('validation-split', (v) => v > 0 && v < 1, 'a fraction between 0 and 1');
  const earlyStopping = f.integer('early-stopping', 1, 100_000);
  if (earlyStopping !== undefined && validationSplit === undefined) throw new UsageError('--early-stopping: needs --validation-split (the examples it watches)');
  return {
    file: positional[0]!, target, ignore: f.list('ignore') ?? [], normalize: !f.has('no-normalize'),
    ...(f.has('features') ? { features: f.list('features')! } : {}),
    ...(validationSplit === undefined ? {} : { validationSplit }),
    ...(earlyStopping === undefined ? {} : { earlyStopping }),
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
    for (const name of ['target', 'features', 'ignore', 'validation-split', 'early-stopping', 'no-normalize']) {
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
