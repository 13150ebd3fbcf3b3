// `wgsl-learn tune`, run in this process (main(), as the bin runs it) on the shipped Iris table:
// its JSON is the library's gridSearch on the same rows, number for number; the table marks that
// best; --out writes the best refitted, which `predict` reads; a real-valued target is tuned
// standardised and the model written predicts in its units; bad flags exit 2 naming the flag.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { gridSearch } from '../../src/select/search.js';
import { runCli } from '../support/cli-run.js';

const root = new URL('../..', import.meta.url).pathname;
const iris = join(root, 'examples', 'iris.csv');
let dir: string;
let ctx: GpuContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-tune-'));
  ctx = await createContext();
});
afterAll(() => {
  ctx?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const run = runCli;

it('tune --json is gridSearch on the same rows, number for number; the table marks its best; --out writes the best refitted, and predict reads it', async () => {
  const flags = ['--target', 'species', '--lambda', '0,1', '--hidden', 'none,4', '--folds', '3', '--epochs', '60'];
  const r = await run(['tune', iris, ...flags, '--json']);
  expect(r.code, r.err).toBe(0);
  const json = JSON.parse(r.out) as { rows: { configuration: Record<string, unknown>; validation: { cost: { mean: number } } }[]; best: { index: number } };
  expect(json.rows.map((row) => row.configuration)).toEqual([
    { lambda: 0, learningRate: 0.05, hidden: [], seed: 0 }, { lambda: 0, learningRate: 0.05, hidden: [4], seed: 0 },
    { lambda: 1, learningRate: 0.05, hidden: [], seed: 0 }, { lambda: 1, learningRate: 0.05, hidden: [4], seed: 0 },
  ]);
  // The library's search on the table's rows (features as read, species as labels), the same settings.
  const [header, ...rows] = readFileSync(iris, 'utf8').trim().split('\n').map((line) => line.split(','));
  const target = header!.indexOf('species');
  const x = rows.map((row) => row.filter((_, k) => k !== target).map(Number));
  const y = rows.map((row) => row[target]!);
  expect(header!.length).toBe(5);
  const classes = [...new Set(y)].sort();
  const direct = await gridSearch((c) => new NeuralNetwork(ctx, { layers: [4, ...(c.hidden as number[]), 3], output: 'softmax', seed: c.seed as number, normalize: true, classes }), x, y, {
    grid: { lambda: [0, 1], learningRate: [0.05], hidden: [[], [4]], seed: [0] }, folds: 3, train: { epochs: 60, batchSize: 'full', optimizer: 'adam' },
  });
  expect(json.rows.map((row) => row.validation.cost.mean)).toEqual(direct.rows.map((row) => row.validation.cost.mean));
  expect(json.best.index).toBe(direct.best.index);

  const out = join(dir, 'best.json');
  const shown = await run(['tune', iris, ...flags, '--out', out]);
  expect(shown.code, shown.err).toBe(0);
  const marked = shown.out.split('\n').filter((line) => line.startsWith('*  '));
  expect(marked).toHaveLength(1);
  expect(shown.out).toContain('* best: the lowest mean validation cost');
  expect(shown.out).toContain(`wrote the best model, refitted on every example to ${out}`);
  const predictions = join(dir, 'species.csv');
  const predicted = await run(['predict', '--model', out, iris, '--out', predictions]);
  expect(predicted.code, predicted.err).toBe(0);
  const lines = readFileSync(predictions, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(151);
  // The refitted best labels the table it was tuned on as well as its folds said it would.
  const column = lines[0]!.split(',').indexOf('prediction');
  const right = lines.slice(1).filter((line, i) => line.split(',')[column] === rows[i]![target]).length;
  expect(right / 150).toBeGreaterThan(direct.rows[direct.best.index]!.validation.accuracy!.mean - 0.05);
}, 300_000);

it('a real-valued target is tuned standardised, and the refitted model predicts in the target\'s units', async () => {
  const out = join(dir, 'petal.json');
  const r = await run(['tune', iris, '--target', 'petal_width', '--ignore', 'species', '--lambda', '0,0.1', '--folds', '2', '--epochs', '200', '--out', out]);
  expect(r.code, r.err).toBe(0);
  expect(r.out).toMatch(/costs on the standardised target: μ 1\.199, σ 0\.7597/);
  const predictions = join(dir, 'widths.csv');
  const p = await run(['predict', '--model', out, iris, '--out', predictions]);
  expect(p.code, p.err).toBe(0);
  const [head, ...predicted] = readFileSync(predictions, 'utf8').trim().split('\n');
  const column = head!.split(',').indexOf('prediction');
  const widths = predicted.map((line) => Number(line.split(',')[column]));
  expect(widths).toHaveLength(150);
  const mean = widths.reduce((a, b) => a + b, 0) / widths.length;
  expect(mean).toBeGreaterThan(1.0);
  expect(mean).toBeLessThan(1.4);
}, 300_000);

it('bad flags exit 2 naming the flag, before anything is trained', async () => {
  for (const [argv, named] of [
    [['tune', iris, '--target', 'species', '--folds', '1'], '--folds'],
    [['tune', iris, '--target', 'species', '--lambda', '0,x'], '--lambda'],
    [['tune', iris, '--target', 'species', '--hidden', '4-0'], '--hidden'],
    [['tune', iris, '--target', 'species', '--seeds', '-1'], '--seeds'],
    [['tune', iris], '--target'],
    [['tune', iris, '--target', 'species', '--folds', '151'], '--folds'],
  ] as const) {
    const r = await run([...argv]);
    expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(2);
    expect(r.err).toContain(named);
  }
});

it('train --degree 2 fits the lecture\'s circle with logistic regression where a line cannot; predict reads the map from the model file; --degree too large exits 2', async () => {
  const lines = ['x1,x2,inside'];
  let seed = 11;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < 200; i++) {
    const [a, b] = [next(), next()];
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${a * a + b * b < 0.4 ? 'in' : 'out'}`);
  }
  const csv = join(dir, 'circle.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const accuracy = async (extra: string[]) => {
    const out = join(dir, `circle${extra.length}.json`);
    const r = await run(['train', csv, '--target', 'inside', '--lambda', '0', '--epochs', '300', '--out', out, ...extra]);
    expect(r.code, r.err).toBe(0);
    const predictions = join(dir, `circle${extra.length}.csv`);
    const predicted = await run(['predict', '--model', out, csv, '--out', predictions]);
    expect(predicted.code, predicted.err).toBe(0);
    const [head, ...rows] = readFileSync(predictions, 'utf8').trim().split('\n').map((line) => line.split(','));
    const p = head!.indexOf('prediction');
    return { text: r.out, share: rows.filter((row) => row[p] === row[2]).length / rows.length, saved: JSON.parse(readFileSync(out, 'utf8')) as { polynomial?: unknown } };
  };
  const line = await accuracy([]);
  const curve = await accuracy(['--degree', '2']);
  expect(line.share).toBeLessThan(0.8);
  expect(curve.share).toBeGreaterThan(0.95);
  expect(curve.saved.polynomial).toEqual({ degree: 2, inputs: 2 });
  expect(curve.text).toContain("the inputs' polynomial terms to degree 2 (5 features)");
  // 30 features to degree 5 make 324,631 terms: refused before anything is trained, naming --degree.
  const wide = join(dir, 'wide.csv');
  writeFileSync(wide, `${Array.from({ length: 30 }, (_, j) => `f${j}`).join(',')},y\n${Array.from({ length: 4 }, (_, i) => `${Array.from({ length: 30 }, (_, j) => (i + j) % 7).join(',')},${i % 2}`).join('\n')}\n`);
  for (const command of ['train', 'tune']) {
    const tooMany = await run([command, wide, '--target', 'y', '--degree', '5', '--out', join(dir, `wide-${command}.json`)]);
    expect(tooMany.code, tooMany.err).toBe(2);
    expect(tooMany.err).toMatch(/--degree: degree 5 of 30 features makes more than 65,536 features/);
  }
}, 300_000);
