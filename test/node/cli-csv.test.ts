// `wgsl-learn` on CSV files, in child processes as a user runs it (from source, like
// `npm run wgsl-learn -- …`): train on the Iris table shipped in examples/ and on the lecture's
// houses as a regression; predict, evaluate and export with the model it wrote — each checked
// against the library's own answers for that model; and bad input refused with its line and
// column, before any GPU work, with every file that was there left as it was.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/csv.js';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { HOUSES } from '../../src/data/houses.js';
import { NeuralNetwork, type NetworkJSON } from '../../src/models/network.js';
import { type Ran, exec } from '../support/process.js';

const root = new URL('../..', import.meta.url).pathname;
const iris = join(root, 'examples/iris.csv');
let dir: string;
let ctx: GpuContext;

const cli = (args: string[]): Promise<Ran> => exec(process.execPath, ['scripts/run.mjs', 'cli/wgsl-learn.ts', ...args], root);

/** Iris's four measurements and species, as the library takes them. */
function irisData(): { x: { rows: number; cols: number; data: Float32Array }; y: string[] } {
  const t = parseCsv(readFileSync(iris, 'utf8'), 'iris.csv');
  return { x: { rows: t.rows.length, cols: 4, data: Float32Array.from(t.rows.flatMap((r) => r.slice(0, 4).map(Number))) }, y: t.rows.map((r) => r[4]!) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-csv-'));
  ctx = await createContext();
});
afterAll(() => {
  ctx?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('wgsl-learn on the Iris CSV', () => {
  const f = (name: string) => join(dir, name);

  it('train → predict → evaluate → export: a classifier of the species, files that agree with the library', async () => {
    const r = await cli(['train', iris, '--target', 'species', '--validation-split', '0.2', '--epochs', '300', '--alpha', '0.05', '--out', f('iris.json'), '--metrics', f('iris-metrics.json'), '--onnx', f('iris.onnx')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('data: ' + iris + ', 150 examples (120 to train on, 30 held out); 4 features → species (3 classes: setosa, versicolor, virginica)');
    expect(r.stdout).toContain('network 4-3 (softmax), λ = 1, adam α = 0.05, batch full, 300 epochs, seed 0');
    expect(r.stdout).toMatch(/^epoch 300\/300  J\/m \d\.\d{4}  train \d+\.\d\d %  validation \d+\.\d\d %/m);
    expect(r.stdout.match(/^epoch /gm)!.length).toBeLessThanOrEqual(21); // about twenty lines, not 300
    expect(r.stdout).toMatch(/^validation: accuracy \d+\.\d\d %/m);
    const metrics = JSON.parse(readFileSync(f('iris-metrics.json'), 'utf8'));
    expect(metrics.validation.accuracy).toBeGreaterThan(0.85);
    expect(metrics.validation.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(30);
    expect(metrics.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const json = JSON.parse(readFileSync(f('iris.json'), 'utf8')) as NetworkJSON & { dataset: unknown };
    expect(json.dataset).toEqual({ features: metrics.features, target: 'species' });
    expect(json.classes).toEqual(['setosa', 'versicolor', 'virginica']);

    // The library reads the file as it is; its predictions are the command line's.
    const net = NeuralNetwork.load<string>(ctx, json);
    const { x, y } = irisData();
    try {
      const p = await cli(['predict', '--model', f('iris.json'), iris]);
      expect(p.code, p.stderr).toBe(0);
      const out = parseCsv(p.stdout, 'stdout');
      expect(out.header).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species', 'prediction', 'p(setosa)', 'p(versicolor)', 'p(virginica)']);
      expect(out.rows.map((row) => row[5])).toEqual(await net.predict(x));
      const h = await net.predictProbabilities(x);
      // Six significant digits by default (float32 holds about seven): the library's h, rounded.
      out.rows.forEach((row, i) => row.slice(6).forEach((v, k) => expect(v).toBe(String(Number(h[i * 3 + k]!.toPrecision(6))))));

      const e = await cli(['evaluate', '--model', f('iris.json'), iris, '--metrics', f('eval.json')]);
      expect(e.code, e.stderr).toBe(0);
      const evaluation = await net.evaluate(x, y);
      expect(e.stdout).toContain(`(150 examples): accuracy ${(100 * evaluation.accuracy).toFixed(2)} %`);
      expect(JSON.parse(readFileSync(f('eval.json'), 'utf8')).confusion).toEqual(evaluation.confusion);

      const x2 = await cli(['export', '--model', f('iris.json'), '--onnx', f('again.onnx')]);
      expect(x2.code, x2.stderr).toBe(0);
      for (const file of ['iris.onnx', 'again.onnx']) {
        const session = await ort.InferenceSession.create(readFileSync(f(file)));
        const out2 = (await session.run({ x: new ort.Tensor('float32', x.data, [150, 4]) })).h!.data as Float32Array;
        await session.release();
        out2.forEach((v, i) => expect(Math.abs(v - h[i]!)).toBeLessThan(1e-5));
      }
      // An ONNX file predicts too: it keeps the column names and the labels, so no --features is needed and the classes are the species.
      const o = await cli(['predict', '--model', f('iris.onnx'), iris]);
      expect(o.code, o.stderr).toBe(0);
      expect(parseCsv(o.stdout, 'stdout').rows).toEqual(out.rows);
    } finally {
      net.destroy();
    }
  }, 300_000);

  it('a numeric target trains a regression (linear output) whose figures match its predictions', async () => {
    const csv = f('houses.csv');
    writeFileSync(csv, `id,size_m2,bedrooms,price_keur\n${HOUSES.x.map((row, i) => `h${i},${row.join(',')},${HOUSES.y[i]}`).join('\n')}\n`);
    const r = await cli(['train', csv, '--target', 'price_keur', '--ignore', 'id', '--hidden', 'none', '--optimizer', 'sgd', '--alpha', '0.1', '--epochs', '400', '--out', f('houses.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 features → price_keur (a value)');
    expect(r.stdout).toContain('network 2-1 (linear)');
    const net = NeuralNetwork.load(ctx, JSON.parse(readFileSync(f('houses.json'), 'utf8')) as NetworkJSON);
    try {
      const h = (await net.predict(HOUSES.x)) as number[];
      const rmse = Math.sqrt(h.reduce((s, v, i) => s + (v - HOUSES.y[i]!) ** 2, 0) / h.length);
      expect(r.stdout).toContain(`training: RMSE ${rmse.toPrecision(4)}`);
      // Standardised features, enough epochs: the normal equation's fit (RMSE about 21 k€ on these five).
      expect(rmse).toBeLessThan(30);
      const p = await cli(['predict', '--model', f('houses.json'), csv]);
      expect(p.code, p.stderr).toBe(0);
      const out = parseCsv(p.stdout, 'stdout');
      expect(out.header).toEqual(['id', 'size_m2', 'bedrooms', 'price_keur', 'prediction']);
      out.rows.forEach((row, i) => expect(Number(row[4])).toBeCloseTo(h[i]!, 3));
    } finally {
      net.destroy();
    }
  }, 300_000);

  it('as people use it: --test reports held-out figures, --precision rounds, a replaced file is said, a column the model needs is named as such, --version from source', async () => {
    const wine = (part: string) => join(root, 'examples', 'data', `wine.${part}.csv`);
    const model = f('wine.json');
    writeFileSync(model, 'an older model');
    const r = await cli(['train', wine('train'), '--target', 'target', '--test', wine('test'), '--epochs', '200', '--out', model, '--metrics', f('wine-metrics.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^test: accuracy \d+\.\d\d %, loss\/m \d\.\d{4}, macro F1/m);
    expect(r.stdout).toContain('test examples by class:');
    expect(r.stdout).toContain(`wrote the model to ${model} (it replaced the file that was there)`);
    expect(r.stdout).toContain(`wrote the metrics to ${f('wine-metrics.json')}\n`); // a new file: nothing to say
    const metrics = JSON.parse(readFileSync(f('wine-metrics.json'), 'utf8'));
    expect(metrics.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(36);

    const p = await cli(['predict', '--model', model, wine('test'), '--precision', '3']);
    expect(p.code, p.stderr).toBe(0);
    const probabilities = parseCsv(p.stdout, 'stdout').rows.flatMap((row) => row.slice(-3));
    expect(probabilities.length).toBe(108);
    expect(probabilities.every((v) => Number(Number(v).toPrecision(3)) === Number(v))).toBe(true); // three significant digits at most
    expect(probabilities.some((v) => Number(Number(v).toPrecision(2)) !== Number(v))).toBe(true); // and not fewer

    // Columns the model file asks for are named as what they are, not as a flag nobody gave.
    const lacking = f('lacking.csv');
    writeFileSync(lacking, 'alcohol,malic_acid\n1,2\n');
    const e = await cli(['evaluate', '--model', model, lacking]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`${lacking} has no column "target", the target of the model ${model}`);
    const q = await cli(['predict', '--model', model, lacking]);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain(`${lacking} has no column "ash", an input of the model ${model}`);
    const t = await cli(['train', wine('train'), '--target', 'target', '--test', lacking, '--out', f('never.json')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain(`${lacking} has no column "target", the target column of the training data`);
    expect(t.stdout).not.toMatch(/adapter|epoch/);

    const v = await cli(['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  }, 300_000);

  it('bad files and bad outputs: exit 2, the line and column named, no GPU work, the files that were there untouched', async () => {
    const good = f('keep.json');
    writeFileSync(good, '{"a good model": true}');
    const before = statSync(good).mtimeMs;
    const bad = f('bad.csv');
    const cases: [string, string[], string][] = [
      ['x,y,label\n1,2,a\n3,4,b\n5,oops,a\n', ['--target', 'label'], 'line 4, column 2 (y): is "oops", not a number'],
      ['x,y,label\n1,2,a\n3,4\n', ['--target', 'label'], 'line 3: 2 fields, the header has 3'],
      ['x,y,label\n1,"2,a\n3,4,b\n', ['--target', 'label'], 'line 2, column 2: a quoted field is never closed'],
      ['x,y,label\n1,2,a\n1e39,4,b\n', ['--target', 'label'], 'line 3, column 1 (x): is 1e39, beyond float32'],
      ['x,y,label\n1,2,a\n3,4,b\n', ['--target', 'Label'], '--target: ' + bad + ' has no column "Label" (did you mean "label"?)'],
      ['x,y,label\n1,2,a\n3,4,a\n', ['--target', 'label'], 'a classifier needs at least two'],
      ['x,y,label\n1,2,a\n3,4,b\n', ['--target', 'label', '--output', 'linear'], 'line 2, column 3 (label): is "a", not a number'],
    ];
    for (const [text, args, message] of cases) {
      writeFileSync(bad, text);
      const r = await cli(['train', bad, ...args, '--out', good, '--metrics', f('never.json')]);
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).not.toMatch(/adapter|epoch/);
    }
    expect(readFileSync(good, 'utf8')).toBe('{"a good model": true}');
    expect(statSync(good).mtimeMs).toBe(before);
    expect(() => statSync(f('never.json'))).toThrow();
    // The data file is never an output.
    writeFileSync(bad, 'x,label\n1,a\n2,b\n');
    const self = await cli(['train', bad, '--target', 'label', '--out', bad]);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('is also an input');
    const nomodel = await cli(['predict', '--model', f('missing.json'), bad]);
    expect(nomodel.code).toBe(2);
    expect(nomodel.stderr).toContain('--model: cannot read');
    const notmodel = await cli(['predict', '--model', good, '--features', 'x', bad]);
    expect(notmodel.code).toBe(2);
    expect(notmodel.stderr).toContain('is not a model wgsl-learn can read: json.format');
  }, 300_000);

  it('a diverged run writes the last good epoch’s model and says so (exit 1); an output that cannot be written is refused before training', async () => {
    const csv = f('houses-div.csv');
    writeFileSync(csv, `size_m2,bedrooms,price_keur\n${HOUSES.x.map((row, i) => `${row.join(',')},${HOUSES.y[i]}`).join('\n')}\n`);
    const r = await cli(['train', csv, '--target', 'price_keur', '--hidden', 'none', '--optimizer', 'sgd', '--alpha', '1.5', '--lambda', '0', '--epochs', '50', '--out', f('div.json'), '--metrics', f('div-metrics.json')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/training diverged at epoch \d+: the cost rose/);
    expect(r.stderr).toContain('The model written is that last good one');
    const kept = Number(/The model keeps the parameters of epoch \d+ \(cost ([\d.e+-]+)\)/.exec(r.stderr)![1]);
    const metrics = JSON.parse(readFileSync(f('div-metrics.json'), 'utf8'));
    expect(metrics.diverged.keptEpoch).toBeGreaterThanOrEqual(0);
    const net = NeuralNetwork.load(ctx, JSON.parse(readFileSync(f('div.json'), 'utf8')) as NetworkJSON);
    try {
      // The run descends J/m on the standardised target (y − μ)/σ; the model written predicts y itself.
      const mean = HOUSES.y.reduce((a, b) => a + b, 0) / HOUSES.y.length;
      const variance = HOUSES.y.reduce((a, b) => a + (b - mean) ** 2, 0) / HOUSES.y.length;
      expect((await net.cost(HOUSES.x, HOUSES.y)).mean / variance).toBeCloseTo(kept, 3);
    } finally {
      net.destroy();
    }
    for (const out of ['/proc/self/model.json', '/proc/self/status']) {
      const p = await cli(['train', csv, '--target', 'price_keur', '--out', out]);
      expect(p.code, out).toBe(2);
      expect(p.stderr).toContain(`--out: cannot write beside ${out}`);
      expect(p.stdout).not.toMatch(/adapter|epoch/);
    }
  }, 300_000);
});

