// Model selection (src/select/): gridSearch's table against the same search done in float64 —
// k folds of the same seeded permutation, each configuration trained by the reference's batch
// gradient descent and scored without the λ term — the validation and learning curves' meaning,
// bad grids refused by name before anything is allocated, a refitted best model, progress, and
// the memory a model is counted at against what a fit really allocates.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { LinearRegression } from '../../src/models/linear.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import * as reference from '../../src/reference/index.js';
import { Random } from '../../src/random.js';
import { learningCurve, validationCurve } from '../../src/select/curves.js';
import { foldRows } from '../../src/select/folds.js';
import { modelBytes } from '../../src/select/memory.js';
import { gridSearch } from '../../src/select/search.js';
import { trainMany } from '../../src/select/train-many.js';
import type { TrainOptions } from '../../src/train/options.js';
import { blobs } from '../support/data.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createContext();
});
afterAll(() => ctx?.destroy());

/** 30 houses-like examples: y = 3 + 2x₁ − x₂ + noise, x on different scales. */
function lineData(): { x: number[][]; y: number[] } {
  const rng = new Random(7);
  const x = Array.from({ length: 30 }, () => [100 + 50 * rng.next(), 2 + 3 * rng.next()]);
  return { x, y: x.map(([a, b]) => 3 + 0.02 * a! - b! + 0.3 * (rng.next() - 0.5)) };
}

/** The same search in float64: per fold, μ and σ of its training rows, batch gradient descent from θ = 0, J without λ. */
function referenceSearch(x: number[][], y: number[], lambdas: number[], k: number, epochs: number, alpha: number) {
  const m = x.length;
  return lambdas.map((lambda) => {
    const folds = Array.from({ length: k }, (_, f) => {
      const held = new Set(foldRows(m, k, 0, f));
      const rows = (keep: boolean) => Array.from({ length: m }, (_, i) => i).filter((i) => held.has(i) !== keep);
      const [tr, ho] = [rows(true), rows(false)];
      const X = (r: number[]) => reference.hostMatrix(r.length, 2, r.flatMap((i) => x[i]!));
      const stats = reference.featureStats(X(tr));
      const design = reference.designMatrix(X(tr), stats);
      const yt = tr.map((i) => y[i]!);
      const { theta } = reference.trainReference('linear', design, yt, reference.hostMatrix(1, 3), { learningRate: alpha, epochs, lambda });
      return { train: reference.cost('linear', design, yt, theta).mean, held: reference.cost('linear', reference.designMatrix(X(ho), stats), ho.map((i) => y[i]!), theta).mean };
    });
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const std = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
    return { train: { mean: mean(folds.map((f) => f.train)), std: std(folds.map((f) => f.train)) }, held: { mean: mean(folds.map((f) => f.held)), std: std(folds.map((f) => f.held)) } };
  });
}

describe('gridSearch', () => {
  it('agrees with the same search in float64: every configuration\'s mean and spread of J_train and J_cv over 3 folds, and the best λ', async () => {
    const { x, y } = lineData();
    const lambdas = [0, 1, 30];
    const result = await gridSearch(() => new LinearRegression(ctx), x, y, { grid: { lambda: lambdas }, folds: 3, train: { learningRate: 0.3, epochs: 60 } });
    const expected = referenceSearch(x, y, lambdas, 3, 60, 0.3);
    expect(result.rows.map((r) => r.configuration)).toEqual(lambdas.map((lambda) => ({ lambda })));
    result.rows.forEach((row, i) => {
      const e = expected[i]!;
      expect(row.complete).toBe(true);
      expect(row.folds).toHaveLength(3);
      for (const [got, want] of [[row.train.cost, e.train], [row.validation.cost, e.held]] as const) {
        expect(Math.abs(got.mean - want.mean)).toBeLessThan(1e-3 * want.mean + 1e-6);
        expect(Math.abs(got.std - want.std)).toBeLessThan(1e-3 * want.mean + 1e-6);
      }
    });
    const bestReference = expected.reduce((b, e, i) => (e.held.mean < expected[b]!.held.mean ? i : b), 0);
    expect(result.best).toMatchObject({ index: bestReference, configuration: { lambda: lambdas[bestReference] } });
    expect(result.best.rule).toMatch(/lowest mean validation cost/);
  });

  it('a grid of λ and hidden units over a network: rows in grid order, shapes grouped, progress for every fit, the best refitted', async () => {
    const data = blobs(3, [[-1, 0], [1, 0.5], [0, 1.5]], 20, 1.2);
    const progress: number[] = [];
    const result = await gridSearch((c) => new NeuralNetwork(ctx, { layers: [2, ...(c.hidden as number[]), 3], output: 'softmax', seed: 1 }), data.x, data.y, {
      grid: { hidden: [[4], [8]], lambda: [0, 0.1] }, folds: 2, train: { optimizer: 'adam', learningRate: 0.05, epochs: 30 }, refit: true, curves: true,
      onProgress: (done, total) => progress.push(done / total),
    });
    try {
      expect(result.rows.map((r) => r.configuration)).toEqual([{ hidden: [4], lambda: 0 }, { hidden: [4], lambda: 0.1 }, { hidden: [8], lambda: 0 }, { hidden: [8], lambda: 0.1 }]);
      expect(progress).toHaveLength(8);
      expect(progress.at(-1)).toBe(1);
      for (const row of result.rows) {
        expect(row.validation.accuracy!.mean).toBeGreaterThan(0.5);
        expect(row.folds.every((f) => f.history!.length === 30)).toBe(true);
      }
      expect(result.model).toBeInstanceOf(NeuralNetwork);
      expect(result.model!.layers).toEqual([2, ...(result.best.configuration.hidden as number[]), 3]);
    } finally {
      result.model?.destroy();
    }
  });

  it('bad grids and options are refused by name before anything is allocated', async () => {
    const { x, y } = lineData();
    const make = () => new LinearRegression(ctx);
    const before = ctx.stats();
    const refusals: [object, RegExp][] = [
      [{ grid: {} }, /^options\.grid: has no names/],
      [{ grid: { lambda: [] } }, /^options\.grid\.lambda: must be a non-empty array/],
      [{ grid: { lambda: [0, NaN] } }, /^options\.grid\.lambda\[1\]: must be a finite number/],
      [{ grid: { lambda: [0, 1, 0] } }, /^options\.grid\.lambda\[2\]: is 0 again/],
      [{ grid: { a: Array.from({ length: 200 }, (_, i) => i), b: Array.from({ length: 200 }, (_, i) => i) } }, /^options\.grid: has more than 10000 combinations/],
      [{ grid: { lambda: [0] }, folds: 1 }, /^options\.folds: must be an integer from 2/],
      [{ grid: { lambda: [0] }, folds: 31 }, /^options\.folds: must be an integer from 2 to the number of examples \(30\)/],
      [{ grid: { lambda: [0] }, folds: 3, validationSplit: 0.2 }, /^options: give one of folds, validation and validationSplit/],
      [{ grid: { lambda: [0] }, validationSplit: 0.01 }, /^options\.validationSplit: 0\.01 of 30 examples leaves 0 to hold out and 30 to train on/],
      [{ grid: { lambda: [0] }, validationSplit: 1 }, /^options\.validationSplit: /],
      [{ grid: { lambda: [0] }, train: { learningRate: -1 } }, /^options\.train\.learningRate/],
      [{ grid: { lambda: [0] }, memoryLimit: 100 }, /^options\.memoryLimit: is 100 bytes; one model/],
    ];
    for (const [options, message] of refusals) {
      const e = await gridSearch(make, x, y, options as never).then(() => undefined, (err: unknown) => err);
      expect(e, JSON.stringify(options)).toBeInstanceOf(ArgumentError);
      expect((e as Error).message).toMatch(message);
      expect(ctx.stats(), JSON.stringify(options)).toEqual(before);
    }
    await expect(gridSearch('no' as never, x, y, { grid: { lambda: [0] } })).rejects.toThrow(/^make: must be a function/);
  });
});

describe('the course\'s curves', () => {
  it('validationCurve over λ: J_train grows with λ (the penalty pulls θ from the fit), and the best λ is the lowest J_cv', async () => {
    const { x, y } = lineData();
    const lambdas = [0, 3, 30, 300];
    const curve = await validationCurve(() => new LinearRegression(ctx), x, y, { name: 'lambda', values: lambdas, folds: 3, train: { learningRate: 0.3, epochs: 60 } });
    expect(curve.at).toEqual(lambdas);
    for (let i = 1; i < lambdas.length; i++) expect(curve.train[i]!.mean).toBeGreaterThan(curve.train[i - 1]!.mean);
    const lowest = curve.validation.reduce((b, v, i) => (v.mean < curve.validation[b]!.mean ? i : b), 0);
    expect(curve.best).toBe(lambdas[lowest]);
  });

  it('gridSearch under a memoryLimit: configurations in turn (each with all its folds at once), or one configuration fold by fold, give the same table as all at once', async () => {
    const { x, y } = lineData();
    const grid = { lambda: [0, 0.1, 1] };
    const train = { epochs: 30, learningRate: 0.1 };
    const make = () => new LinearRegression(ctx);
    const all = await gridSearch(make, x, y, { grid, train, folds: 3 });
    const one = modelBytes([2, 1], { batch: 20, examples: 20, validationRows: 10, epochs: 30 });
    for (const limit of [3.5 * one, 1.5 * one]) {
      const progress: number[] = [];
      const limited = await gridSearch(make, x, y, { grid, train, folds: 3, memoryLimit: limit, onProgress: (done) => progress.push(done) });
      expect(limited.rows).toEqual(all.rows);
      expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('learningCurve: J_train on the m examples trained on, J_cv on the held-out part — equal to fitting the first m examples alone, every size at once or, under a small memoryLimit, in turn', async () => {
    const data = blobs(5, [[-1, 0], [1, 0.5], [0, 1.5]], 20, 1.5);
    const held = blobs(6, [[-1, 0], [1, 0.5], [0, 1.5]], 10, 1.5);
    const train = { learningRate: 0.5, epochs: 40 };
    const curve = await learningCurve(() => new SoftmaxRegression(ctx, { classes: 3 }), data.x, data.y, { sizes: [6, 24, 60], validation: held, train });
    expect(curve.at).toEqual([6, 24, 60]);
    for (const [i, size] of [6, 24, 60].entries()) {
      const alone = new SoftmaxRegression(ctx, { classes: 3 });
      try {
        await alone.fit(data.x.slice(0, size), data.y.slice(0, size), train);
        expect(curve.train[i]!.mean).toBe((await alone.cost(data.x.slice(0, size), data.y.slice(0, size))).mean);
        expect(curve.validation[i]!.mean).toBe((await alone.cost(held.x, held.y)).mean);
      } finally {
        alone.destroy();
      }
    }
    // Trained in turn when memoryLimit holds one model at a time: the same figures.
    const one = modelBytes([2, 3], { batch: 60, examples: 60, validationRows: 30, epochs: 40 });
    const inTurn = await learningCurve(() => new SoftmaxRegression(ctx, { classes: 3 }), data.x, data.y, { sizes: [60, 24, 6], validation: held, train, memoryLimit: one * 1.2 });
    expect([...inTurn.train].reverse()).toEqual(curve.train);
    expect([...inTurn.validation].reverse()).toEqual(curve.validation);
    await expect(learningCurve(() => new SoftmaxRegression(ctx, { classes: 3 }), data.x, data.y, { sizes: [60], validation: held, train, memoryLimit: one / 2 })).rejects.toThrow(/^options\.memoryLimit: is \d+(\.\d+)? bytes; the model of \{"examples":60\} needs about/);
    await expect(learningCurve(() => new SoftmaxRegression(ctx, { classes: 3 }), data.x, data.y, { sizes: [61], validation: held })).rejects.toThrow(/^options\.sizes\[0\]: is 61, more than the 60/);
  });

  it('learningCurve with folds: each point the mean and spread over k folds of fitting each fold\'s first m training examples alone (the folds of a size trained as one stack)', async () => {
    const data = blobs(7, [[-1, 0], [1, 0.5], [0, 1.5]], 21, 1.5); // 63 examples: folds of 21 held out, 42 to train on
    const train = { learningRate: 0.3, epochs: 25, batchSize: 8, optimizer: 'momentum' as const };
    const make = () => new NeuralNetwork(ctx, { layers: [2, 4, 3], activation: 'tanh', output: 'softmax', seed: 4 });
    const sizes = [12, 42];
    const curve = await learningCurve(make, data.x, data.y, { sizes, folds: 3, seed: 2, train });
    const m = data.x.length;
    for (const [i, size] of sizes.entries()) {
      const costs: { train: number[]; held: number[] } = { train: [], held: [] };
      for (let f = 0; f < 3; f++) {
        const out = new Set(foldRows(m, 3, 2, f));
        const rows = data.x.map((_, r) => r).filter((r) => !out.has(r)).slice(0, size);
        const part = { x: rows.map((r) => data.x[r]!), y: rows.map((r) => data.y[r]!) };
        const heldRows = [...out].sort((a, b) => a - b);
        const alone = make();
        try {
          await alone.fit(part.x, part.y, train);
          costs.train.push((await alone.cost(part.x, part.y)).mean);
          costs.held.push((await alone.cost(heldRows.map((r) => data.x[r]!), heldRows.map((r) => data.y[r]!))).mean);
        } finally {
          alone.destroy();
        }
      }
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const std = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
      expect(curve.train[i]).toEqual({ mean: mean(costs.train), std: std(costs.train) });
      expect(curve.validation[i]).toEqual({ mean: mean(costs.held), std: std(costs.held) });
      expect(curve.validation[i]!.std).toBeGreaterThan(0);
    }
    await expect(learningCurve(make, data.x, data.y, { sizes: [43], folds: 3 })).rejects.toThrow(/^options\.sizes\[0\]: is 43, more than the 42 training examples of the smallest fold/);
    await expect(learningCurve(make, data.x, data.y, { sizes: [4], folds: 3, validationSplit: 0.2 })).rejects.toThrow(/^options: give one of folds, validation and validationSplit/);
    await expect(learningCurve(make, data.x, data.y, { sizes: [4] })).rejects.toThrow(/^options: needs validation, validationSplit or folds/);
  });
});

describe('memory', () => {
  it('a model is counted at no less than a fit really allocates, and at most 4 times that — also one whose layers keep z (mish)', async () => {
    const data = blobs(9, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 70, 1);
    const held = blobs(10, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 20, 1);
    for (const [layers, batch, activation] of [[[4, 30, 3], 16, 'sigmoid'], [[4, 64, 32, 3], 210, 'sigmoid'], [[4, 64, 32, 3], 210, 'mish'], [[4, 3], 50, 'sigmoid']] as const) {
      const net = new NeuralNetwork(ctx, { layers: [...layers], output: 'softmax', activation });
      try {
        const base = ctx.stats().bytes;
        const dataBytes = 4 * (210 * 5 + 210 + 60 * 5 + 60);
        let peak = 0;
        await net.fit(data.x, data.y, { batchSize: batch, epochs: 5, validation: held, onEpoch: () => void (peak = Math.max(peak, ctx.stats().bytes - base)) });
        const used = peak - dataBytes;
        const counted = modelBytes(layers, { batch, examples: 210, validationRows: 60, epochs: 5 });
        console.log(`[memory] ${layers.join('-')} ${activation} batch ${batch}: counted ${counted} bytes, a fit allocated ${used}`);
        expect(counted, `${layers.join('-')} batch ${batch}: counted ${counted}, a fit allocated ${used}`).toBeGreaterThanOrEqual(used);
        expect(counted).toBeLessThanOrEqual(4 * used);
      } finally {
        net.destroy();
      }
    }
  });

  it('models trained as one (their Θ, gradients and moments stacked, one set of passes) are counted at no less than they allocate, each', async () => {
    const data = blobs(9, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 70, 1);
    const held = blobs(10, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 20, 1);
    for (const [layers, batch, optimizer, activation] of [[[4, 30, 3], 16, 'adam', 'sigmoid'], [[4, 64, 32, 3], 210, 'adam', 'sigmoid'], [[4, 64, 32, 3], 210, 'sgd', 'gelu'], [[4, 3], 50, 'momentum', 'sigmoid']] as const) {
      const count = 6;
      const nets = Array.from({ length: count }, (_, i) => new NeuralNetwork(ctx, { layers: [...layers], output: 'softmax', seed: i, activation }));
      try {
        const base = ctx.stats().bytes;
        const dataBytes = 4 * (210 * 5 + 210 + 60 * 5 + 60);
        let peak = 0;
        const outcomes = await trainedAsOne(nets, data, held, { batchSize: batch, epochs: 5, optimizer, onEpoch: () => void (peak = Math.max(peak, ctx.stats().bytes - base)) });
        expect(outcomes.every((o) => o.together === count), `${layers.join('-')}: not trained as one`).toBe(true);
        const each = (peak - dataBytes) / count;
        // Measured from a base the previous case's group no longer holds: trainMany returns once its buffers are freed.
        expect(each, `${layers.join('-')}: a measured allocation`).toBeGreaterThan(0);
        const counted = modelBytes(layers, { batch, examples: 210, validationRows: 60, epochs: 5 });
        console.log(`[memory] ${count} × ${layers.join('-')} ${activation} batch ${batch} as one: counted ${counted} bytes a model, allocated ${Math.round(each)}`);
        expect(counted, `${layers.join('-')} batch ${batch}: counted ${counted}, each of ${count} models trained as one allocated ${each}`).toBeGreaterThanOrEqual(each);
      } finally {
        for (const n of nets) n.destroy();
      }
    }
  });
  it('every training example\'s cost and right/wrong is counted, the fit\'s and the stack\'s: many examples in small batches (m = 21,000, batch 64) are counted at no less than a fit and a group allocate', async () => {
    const data = blobs(11, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 7000, 1);
    const dataBytes = 4 * 21000 * 6;
    const counted = modelBytes([4, 3], { batch: 64, examples: 21000, validationRows: 0, epochs: 1 });
    const alone = new NeuralNetwork(ctx, { layers: [4, 3], output: 'softmax' });
    const nets = Array.from({ length: 3 }, (_, i) => new NeuralNetwork(ctx, { layers: [4, 3], output: 'softmax', seed: i }));
    try {
      let base = ctx.stats().bytes;
      let peak = 0;
      const watch = { batchSize: 64, epochs: 1, onEpoch: () => void (peak = Math.max(peak, ctx.stats().bytes - base)) };
      await alone.fit(data.x, data.y, watch);
      expect(counted, `a fit allocated ${peak - dataBytes}`).toBeGreaterThanOrEqual(peak - dataBytes);
      base = ctx.stats().bytes;
      peak = 0;
      const outcomes = await trainMany(nets, data.x, data.y, { train: watch });
      expect(outcomes.every((o) => o.together === 3)).toBe(true);
      console.log(`[memory] 3 × 4-3 on 21000 examples, batch 64, as one: counted ${counted} bytes a model, allocated ${Math.round((peak - dataBytes) / 3)}`);
      expect(counted, `each of 3 models trained as one allocated ${(peak - dataBytes) / 3}`).toBeGreaterThanOrEqual((peak - dataBytes) / 3);
    } finally {
      for (const n of [alone, ...nets]) n.destroy();
    }
  });
  it('models trained as one with a shared validation set evaluate it in one pass for all: it costs each model no more than counted for it, and no model builds passes of its own', async () => {
    const data = blobs(9, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 70, 1);
    const held = blobs(10, [[-1, 0, 1, 2], [1, 0.5, 0, 1], [0, 1.5, 2, 0]], 20, 1);
    const layers = [4, 64, 32, 3];
    const peakOf = async (validation: boolean) => {
      const nets = Array.from({ length: 6 }, (_, i) => new NeuralNetwork(ctx, { layers, output: 'softmax', seed: i }));
      try {
        const base = ctx.stats().bytes;
        let peak = 0;
        const train = { batchSize: 210, epochs: 3, onEpoch: () => void (peak = Math.max(peak, ctx.stats().bytes - base)) };
        const outcomes = await trainMany(nets, data.x, data.y, { train, ...(validation ? { validation: held } : {}) });
        expect(outcomes.every((o) => o.together === 6)).toBe(true);
        return peak / 6;
      } finally {
        for (const n of nets) n.destroy();
      }
    };
    const extra = (await peakOf(true)) - (await peakOf(false));
    const counted = modelBytes(layers, { batch: 210, examples: 210, validationRows: 60, epochs: 3 }) - modelBytes(layers, { batch: 210, examples: 210, validationRows: 0, epochs: 3 });
    console.log(`[memory] a shared validation set of 60 rows: ${Math.round(extra)} bytes more a model, counted ${counted}`);
    expect(extra).toBeLessThanOrEqual(counted);
  });
});

/** trainMany of `nets` on (data, held) with one set of options. */
function trainedAsOne(nets: NeuralNetwork[], data: { x: number[][]; y: number[] }, held: { x: number[][]; y: number[] }, train: TrainOptions) {
  return trainMany(nets, data.x, data.y, { train, validation: held });
}
