// `wgsl-learn train data.csv --target <column>`: a network on anyone's table. The file is read
// and every value checked before the GPU is asked for anything (a bad value is an error naming
// its line and column, and nothing is written); the features are standardised (μ, σ saved in the
// model) unless --no-normalize; a string target (or --output softmax|sigmoid) makes a classifier
// of its labels, a numeric one a regression (linear output). --validation-split holds out a
// seeded share to report on and, with --early-stopping, to stop by. The model file names the
// columns, so `predict` and `evaluate` find them by name in another file.

import { basename, extname } from 'node:path';
import { type Label, NeuralNetwork, Random, createContext } from '../../src/index.js';
import { type Finished, divergedLines, finished } from '../fit-result.js';
import { UsageError } from '../args.js';
import { checkModelSize, describeSettings, printAdapter, writeOutputs } from '../common.js';
import { show } from '../../src/show.js';
import { checkOutputs } from '../files.js';
import { datasetMetadata, modelFileText } from '../model-file.js';
import type { CsvSource, TrainCommand } from '../options.js';
import { paceMeter } from '../pace.js';
import { progressPrinter } from '../progress.js';
import { type Report, classificationTable, reportOn, summaryLine } from '../report.js';
import { type Matrix, type Target, columnIndex, defaultFeatures, readTableFile } from '../table.js';
import { convergenceWarning, integerClasses, rescaleOutput, standardised, targetScale } from '../targets.js';

/** Where the model goes without --out: the working directory, named for the data (iris.csv → iris.model.json). */
export function defaultModelPath(data: string): string {
  return `${basename(data, extname(data)) || 'model'}.model.json`;
}

/** Reads the table's columns the command names, as the file streams. */
export async function readTable(src: CsvSource, output: string): Promise<{ x: Matrix; features: string[]; target: Target }> {
  if (src.features?.includes(src.target)) throw new UsageError(`--features: ${show(src.target)} is the target; a model cannot take what it predicts as an input`);
  const rest = (header: readonly string[]) => {
    const left = defaultFeatures(header, [src.target, ...src.ignore]);
    if (left.length === 0) throw new UsageError(`${src.file}: no feature columns are left besides the target ${show(src.target)}`);
    return left;
  };
  const kind = output === 'linear' ? 'values' : output === 'auto' ? 'auto' : 'labels';
  const read = await readTableFile(src.file, { features: src.features ?? rest, target: { name: src.target, kind } }, (header) => {
    // A missing target is named before a missing --ignore column.
    columnIndex(header, src.file, src.target, '--target');
    for (const name of src.ignore) columnIndex(header, src.file, name, '--ignore');
  });
  return { x: read.x, features: read.features, target: read.target! };
}

/** Rows `rows` of x. */
function pick(x: Matrix, rows: readonly number[]): Matrix {
  const data = new Float32Array(rows.length * x.cols);
  rows.forEach((r, k) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), k * x.cols));
  return { rows: rows.length, cols: x.cols, data };
}

/** A seeded shuffle of 0 … m − 1 split into (training, held out). */
function split(m: number, fraction: number, seed: number): [number[], number[]] {
  const order = new Random(seed).permutation(m);
  const held = Math.round(m * fraction);
  if (held < 1 || held > m - 1) throw new UsageError(`--validation-split: ${fraction} of ${m} examples holds out ${held}; both sets need at least one`);
  return [order.slice(held).sort((a, b) => a - b), order.slice(0, held).sort((a, b) => a - b)];
}

type Targets = readonly Label[] | Float64Array;

function targetsOf(t: Target, rows?: readonly number[]): Targets {
  const all = t.kind === 'values' ? t.values : t.labels;
  if (!rows) return all;
  return t.kind === 'values' ? Float64Array.from(rows, (r) => t.values[r]!) : rows.map((r) => t.labels[r]!);
}

interface Prepared {
  x: Matrix;
  features: string[];
  target: Target;
  output: 'softmax' | 'sigmoid' | 'linear';
  classes: (string | number)[] | undefined;
  layers: number[];
  train: { x: Matrix; y: Targets };
  held: { x: Matrix; y: Targets } | undefined;
  /** --test's examples, read (and checked) before training. */
  test: { x: Matrix; y: Targets } | undefined;
  /** μ and σ of a real-valued target (the training rows'): the fit sees (y − μ)/σ. */
  scale: { mean: number; std: number } | undefined;
}

/** The table read and checked, the network's shape, and the seeded training/validation split. */
async function prepare(src: CsvSource, s: TrainCommand['settings']): Promise<Prepared> {
  const read = await readTable(src, s.output);
  const { x, features } = read;
  const { target, notice } = integerClasses(read.target, s.output);
  if (notice) console.log(notice);
  const output = s.output === 'auto' ? (target.kind === 'values' ? 'linear' : 'softmax') : s.output;
  const classes = target.kind === 'labels' ? target.classes : undefined;
  const K = !classes ? 1 : output === 'sigmoid' && classes.length === 2 ? 1 : classes.length;
  const [trainRows, heldRows] = src.validationSplit === undefined ? [undefined, undefined] : split(x.rows, src.validationSplit, s.seed);
  const train = { x: trainRows ? pick(x, trainRows) : x, y: targetsOf(target, trainRows) };
  const held = heldRows && { x: pick(x, heldRows), y: targetsOf(target, heldRows) };
  const scale = train.y instanceof Float64Array ? targetScale(train.y) : undefined;
  const test = src.test === undefined ? undefined : await readTest(src.test, features, target.name, classes);
  const p = { x, features, target, output, classes, layers: [x.cols, ...s.hidden, K], train, held, test, scale };
  console.log(`data: ${src.file}, ${x.rows} examples (${train.x.rows} to train on${held ? `, ${held.x.rows} held out` : ''}); ${features.length} features → ${target.name}${classes ? ` (${classes.length} classes: ${classes.slice(0, 8).join(', ')}${classes.length > 8 ? ', …' : ''})` : ' (a value)'}`);
  return p;
}

/** --test's file, read with the training data's columns: the same features, the target as the same classes (or values). */
async function readTest(file: string, features: string[], target: string, classes: (string | number)[] | undefined): Promise<{ x: Matrix; y: Targets }> {
  const read = await readTableFile(file, { features, featuresFlag: 'an input column of the training data', target: { name: target, kind: classes ? { classes } : 'values', flag: 'the target column of the training data' } });
  const t = read.target!;
  return { x: read.x, y: t.kind === 'values' ? t.values : t.labels };
}

/** Fits the network, printing progress; a divergence comes back as a result that says so. */
async function fitWithProgress(network: NeuralNetwork<Label>, p: Prepared, s: TrainCommand['settings'], src: CsvSource): Promise<Finished & { seconds: number }> {
  const progress = progressPrinter();
  const t0 = performance.now();
  const pace = paceMeter(p.train.x.rows, s.epochs);
  // A real-valued target is fitted standardised, like the features; the output layer is rescaled after.
  const y = (t: Targets) => (p.scale ? standardised(t as Float64Array, p.scale) : t);
  const run = network.fit(p.train.x, y(p.train.y) as Label[], {
    epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: s.alpha, lambda: s.lambda, seed: s.seed,
    ...(p.held ? { validation: { x: p.held.x, y: y(p.held.y) as Label[] } } : {}),
    ...(src.earlyStopping ? { earlyStopping: { patience: src.earlyStopping } } : {}),
    onEpoch: (r) => {
      const done = r.epoch + 1;
      progress.show({
        epoch: done, epochs: s.epochs, cost: r.cost, trainAccuracy: r.accuracy, testAccuracy: r.validation?.accuracy ?? null,
        ...(p.held ? { heldOut: 'validation', heldOutCost: r.validation?.cost ?? null } : { heldOut: 'validation' }),
        ...pace(done),
      });
    },
  });
  const result = await finished(run);
  progress.done();
  if (p.scale) await rescaleOutput(network, p.scale);
  const seconds = (performance.now() - t0) / 1000;
  if (result.diverged) console.error(divergedLines(result.diverged));
  const stopped =
    result.status === 'early-stopped' ? `, stopped early at epoch ${result.earlyStopping!.stoppedAt + 1} (best validation epoch ${result.earlyStopping!.bestEpoch + 1} kept)`
    : result.bestEpoch !== undefined ? ` (best validation epoch ${result.bestEpoch + 1} kept)` : '';
  console.log(`trained ${result.epochs} epochs in ${seconds.toFixed(1)} s${stopped}${p.scale ? `; the target was standardised (μ ${p.scale.mean.toPrecision(4)}, σ ${p.scale.std.toPrecision(4)}) and the output layer rescaled: predictions are in its units` : ''}`);
  const warning = result.status === 'completed' && !result.diverged ? convergenceWarning(result.history ?? [], s) : undefined;
  if (warning) console.warn(warning);
  return { ...result, seconds };
}

/** The training, validation and test figures, printed; the per-class table for the last of them. */
async function reports(network: NeuralNetwork<Label>, p: Prepared): Promise<{ train: Report; validation?: Report; test?: Report }> {
  const train = await reportOn(network, p.train.x, p.train.y);
  const validation = p.held && (await reportOn(network, p.held.x, p.held.y));
  const test = p.test && (await reportOn(network, p.test.x, p.test.y));
  console.log(summaryLine('training', train));
  if (validation) console.log(summaryLine('validation', validation));
  if (test) console.log(summaryLine('test', test));
  const [name, shown] = test ? ['test', test] : validation ? ['validation', validation] : ['training', train];
  if (shown.kind === 'classification') console.log(`${name} examples by class:\n${classificationTable(shown)}`);
  return { train, ...(validation ? { validation } : {}), ...(test ? { test } : {}) };
}

export async function trainCsv(cmd: TrainCommand, src: CsvSource): Promise<number> {
  const s = cmd.settings;
  const out = cmd.out ?? defaultModelPath(src.file);
  checkOutputs({ '--out': out, '--metrics': cmd.metrics, '--onnx': cmd.onnx }, src.test === undefined ? [src.file] : [src.file, src.test]);
  const p = await prepare(src, s);
  checkModelSize(p.layers, s.degree);
  const ctx = await createContext();
  let network: NeuralNetwork<Label> | undefined;
  try {
    printAdapter(ctx.adapter);
    console.log(describeSettings(p.layers, { ...s, output: p.output }));
    network = new NeuralNetwork<Label>(ctx, {
      layers: p.layers, output: p.output, seed: s.seed, normalize: src.normalize, ...(p.classes ? { classes: p.classes } : {}), ...(s.activation ? { activation: s.activation } : {}), ...(s.degree ? { polynomial: s.degree } : {}),
    });
    const result = await fitWithProgress(network, p, s, src);
    const metrics = {
      adapter: ctx.adapter, data: src.file, target: p.target.name, features: p.features, layers: p.layers, output: p.output, epochs: result.epochs, status: result.status, seconds: result.seconds,
      ...(result.diverged ? { diverged: result.diverged } : {}),
      ...(await reports(network, p)),
    };
    const columns = { features: p.features, target: p.target.name };
    const model = modelFileText(await network.toJSON(), columns);
    for (const line of await writeOutputs({ ...cmd, out }, { model, metrics, onnx: cmd.onnx ? await network.toONNX({ metadata: datasetMetadata(columns) }) : undefined })) console.log(line);
    return result.diverged ? 1 : 0;
  } finally {
    network?.destroy();
    ctx.destroy();
  }
}
