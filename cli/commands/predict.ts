// `wgsl-learn predict --model m.json data.csv [--out predictions.csv]`: the model's prediction
// for every record of a CSV file — the file's columns, then `prediction` (a class or a value)
// and, for a classifier, the probability of each class — as CSV on stdout or into --out. The
// feature columns are found by the names the model file keeps (or --features).
//
// `wgsl-learn predict --model digits.json image.png image.pgm …`: the digit in each image (up
// to 4096 × 4096; white ink on black, or dark ink on a light background, which is inverted) after the
// resampling that prepared the training digits (crop to the ink, fit 20×20 keeping the aspect
// ratio, area-average, quantise: src/data/downsample.mjs), with the 10 class probabilities.

import { type AnyModel, NeuralNetwork, createContext, quantize, toDigit } from '../../src/index.js';
import { ImageError, decodeImage, isBlank, toInk } from '../../src/node/images.js';
import { type Flag, UsageError, commandArgs, describeFlags, flagKinds } from '../args.js';
import { toCsvLine } from '../csv.js';
import { readCsvFile } from '../csv-file.js';
import { checkOutputs, readInput, writeAndSay } from '../files.js';
import { type ModelFile, loadModel, readModelFile } from '../model-file.js';
import { listColumns, readTableFile, separatorOf } from '../table.js';

export const PREDICT_FLAGS: Flag[] = [
  { name: 'model', value: '<file>', kind: flagKinds.path, help: 'the model (JSON from wgsl-learn train, or ONNX)' },
  { name: 'out', value: '<file>', kind: flagKinds.path, help: 'write the predictions CSV here (default: standard output)' },
  { name: 'features', value: '<columns>', kind: flagKinds.list('column names, comma-separated'), help: 'the input columns, when the model file does not name them' },
  { name: 'precision', value: '<digits>', kind: flagKinds.integer(1, 17), help: 'significant digits of the probabilities and values written (default 6: float32 holds about 7)' },
  { name: 'help', kind: flagKinds.switch, help: 'this text' },
];

export const PREDICT_USAGE = `usage: wgsl-learn predict --model <model.json> <data.csv> [--out predictions.csv]
       wgsl-learn predict --model <digits.json> <image.png|image.pgm>…

${describeFlags(PREDICT_FLAGS)}`;

const IMAGE = /\.(png|pgm)$/i;

export async function predict(argv: readonly string[]): Promise<number> {
  const args = commandArgs(argv, PREDICT_FLAGS, PREDICT_USAGE);
  if (!args) return 0;
  const { f } = args;
  const files = args.positional;
  if (files.length === 0) throw new UsageError('expected a CSV file, or PNG/PGM images of digits, to predict');
  const images = files.every((p) => IMAGE.test(p));
  if (!images && files.length !== 1) throw new UsageError(`expected one CSV file (or only PNG/PGM images), got ${files.join(' ')}`);
  const file = readModelFile(f.text('model'));
  if (images) return predictImages(file, files);
  checkOutputs({ '--out': f.text('out') }, [files[0]!, file.path]);
  return predictCsv(file, files[0]!, f.list('features'), f.text('out'), f.number('precision') ?? DEFAULT_PRECISION);
}

/** The feature columns — --features, or those the model file names — and how a missing one is named. */
export function featureNames(file: ModelFile, given: string[] | undefined, flagHint: string): { features: string[]; featuresFlag: string } {
  if (given) return { features: given, featuresFlag: '--features' };
  const names = file.columns?.features;
  if (!names) throw new UsageError(`--features: ${file.path} does not name its input columns (it was not written by wgsl-learn train); ${flagHint}`);
  return { features: names, featuresFlag: `an input of the model ${file.path}` };
}

/** Significant digits of the numbers predict writes: float32's ~7, less the last, which is noise. */
const DEFAULT_PRECISION = 6;

/** `v` to `digits` significant digits, without trailing zeros (0.97665, 1.2e-7, 1). */
export function rounded(v: number, digits: number): string {
  return String(Number(v.toPrecision(digits)));
}

async function predictCsv(file: ModelFile, data: string, given: string[] | undefined, out: string | undefined, digits: number): Promise<number> {
  const { x } = await readTableFile(data, featureNames(file, given, 'give them with --features a,b,c'));
  const ctx = await createContext({ warmModels: false }); // builds only what predicting these rows uses
  let model: AnyModel | undefined;
  try {
    model = await loadModel(ctx, file);
    checkInputs(model, x.cols, file.path);
    const predicted = await model.predict(x);
    const classes = model.head === 'linear' ? [] : model.labels ?? Array.from({ length: Math.max(2, model.outputs) }, (_, k) => k);
    const p = classes.length ? await probabilities(model, x) : undefined;
    const added = ['prediction', ...classes.map((c) => `p(${c})`)];
    const value = (v: unknown) => (typeof v === 'number' && model!.head === 'linear' ? rounded(v, digits) : String(v));
    const columns = (i: number) => [value(predicted[i]), ...(p ? classes.map((_, k) => rounded(p[i * classes.length + k]!, digits)) : [])];
    const produce = predictionsCsv(data, out ?? data, x.rows, added, columns);
    if (out) {
      const said = await writeAndSay([{ path: out, data: produce, what: `${x.rows} predictions` }]);
      console.error(said.join('\n'));
    } else {
      await produce(toStdout);
    }
  } finally {
    model?.destroy();
    ctx.destroy();
  }
  return 0;
}

/** Writes `piece` to standard output, waiting while its buffer is full. */
async function toStdout(piece: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(piece)) await new Promise((r) => process.stdout.once('drain', r));
}

/**
 * The predictions file, produced a megabyte at a time from a second read of the data: each
 * record's fields, then `added` (prediction and probabilities). Input columns of the same names —
 * the output of an earlier predict — are replaced, not repeated (and the replacement is said).
 */
function predictionsCsv(data: string, out: string, rows: number, added: readonly string[], columns: (i: number) => string[]) {
  return async (write: (piece: string) => Promise<void>): Promise<void> => {
    const sep = separatorOf(out);
    let kept: number[] = [];
    let pending: string[] = [];
    let size = 0;
    let i = 0;
    const line = (fields: string[]) => {
      const text = `${toCsvLine(fields, sep)}\n`;
      pending.push(text);
      size += text.length;
    };
    const flush = async () => {
      if (pending.length === 0) return;
      const piece = pending.join('');
      pending = [];
      size = 0;
      await write(piece);
    };
    await readCsvFile(data, {
      file: data, flag: 'the data file', separator: separatorOf(data),
      onHeader: (header) => {
        const replaced = header.filter((h) => added.includes(h));
        if (replaced.length) console.error(`${data} already has ${listColumns(replaced)}: replaced by this model's`);
        kept = header.flatMap((h, c) => (added.includes(h) ? [] : [c]));
        line([...kept.map((c) => header[c]!), ...added]);
      },
      onRecord: (fields) => {
        if (i >= rows) throw new Error(`${data} changed while it was read: it has more records than the first reading`);
        line([...kept.map((c) => fields[c]!), ...columns(i++)]);
      },
      afterChunk: () => (size >= 1 << 20 ? flush() : Promise.resolve()),
    });
    if (i !== rows) throw new Error(`${data} changed while it was read: ${i} records, the first reading had ${rows}`);
    await flush();
  };
}

/** The model takes `cols` inputs, or a UsageError says what it takes. */
export function checkInputs(model: AnyModel, cols: number, path: string): void {
  const n = model.features; // what x has: with polynomial features, fewer than the first layer takes
  if (n !== undefined && n !== cols) throw new UsageError(`--model: ${path} takes ${n} features, the data gives ${cols}`);
}

/** Each class's probability, m × C (C = 2 for a single sigmoid unit: 1 − h, h). */
async function probabilities(model: AnyModel, x: { rows: number; cols: number; data: Float32Array }): Promise<Float64Array> {
  const many = 'predictProbabilities' in model;
  const h = many ? await model.predictProbabilities(x) : await (model as { predictProbability(x: unknown): Promise<Float64Array> }).predictProbability(x);
  const K = many ? model.outputs : 1;
  if (K === 1) return Float64Array.from({ length: 2 * h.length }, (_, i) => (i % 2 ? h[i >> 1]! : 1 - h[i >> 1]!));
  return model.head === 'sigmoid' ? normalizeRows(h, K) : h;
}

/** K one-vs-all sigmoid units shown as shares of their sum, like the demo page. */
function normalizeRows(h: Float64Array, K: number): Float64Array {
  const out = new Float64Array(h.length);
  for (let i = 0; i < h.length; i += K) {
    const row = h.subarray(i, i + K);
    const sum = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((v, k) => (out[i + k] = v / sum));
  }
  return out;
}

async function predictImages(file: ModelFile, images: readonly string[]): Promise<number> {
  const inputs: { name: string; pixels: Float32Array | null }[] = [];
  for (const path of images) {
    try {
      const image = decodeImage(readInput(path, 'the image', 64 << 20), path);
      const ink = toInk(image);
      // A blank page has no digit to read: it is reported, not given the likeliest class.
      inputs.push({ name: path, pixels: isBlank(ink) ? null : Float32Array.from(quantize(toDigit(ink, image.width, image.height, 20)), (v) => v / 255) });
    } catch (e) {
      if (e instanceof ImageError) throw new UsageError(e.message);
      throw e;
    }
  }
  const ctx = await createContext({ warmModels: false }); // builds only what predicting these rows uses
  let model: AnyModel | undefined;
  try {
    model = await loadModel(ctx, file);
    if (!(model instanceof NeuralNetwork) || model.features !== 400 || model.outputs !== 10) {
      throw new UsageError(`--model: ${file.path} is a ${model.layers?.join('-') ?? 'non-network'} model; digit images need a network of 400 inputs and 10 outputs`);
    }
    const drawn = inputs.filter((i): i is { name: string; pixels: Float32Array } => i.pixels !== null);
    const x = { rows: drawn.length, cols: 400, data: new Float32Array(drawn.length * 400) };
    drawn.forEach((input, i) => x.data.set(input.pixels, i * 400));
    const p = drawn.length ? await probabilities(model, x) : new Float64Array(0);
    let k = 0;
    for (const input of inputs) {
      if (!input.pixels) {
        console.log(`${input.name}: blank (no ink found)`);
        continue;
      }
      const row = Array.from(p.subarray(k * 10, (k + 1) * 10));
      k++;
      if (!row.every(Number.isFinite) || !row.some((v) => v > 0)) {
        throw new Error(`${file.path} gives no digit for ${input.name}: its outputs are ${row.every(Number.isFinite) ? 'all 0 (every unit saturated in float32)' : 'not finite (its weights overflow float32)'}`);
      }
      const best = row.reduce((top, v, c) => (v > row[top]! ? c : top), 0);
      console.log(`${input.name}: ${best} (${(100 * row[best]!).toFixed(2)} %)  ${row.map((v, c) => `${c}: ${(100 * v).toFixed(2)} %`).join(', ')}`);
    }
  } finally {
    model?.destroy();
    ctx.destroy();
  }
  return 0;
}
