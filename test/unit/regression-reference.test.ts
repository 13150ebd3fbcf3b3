// The regression family's float64 references and the pieces of the scheduler that need no GPU:
// gradients against central finite differences of the cost, the normal equation, the seeded
// shuffle, and the checks on user input and options.

import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/gpu/errors.js';
import { Random } from '../../src/random.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import * as ref from '../../src/reference/regression.js';
import { readFeatures, readTargets } from '../../src/train/dataset.js';
import { metricsOf } from '../../src/models/metrics.js';
import { splitValidation } from '../../src/train/dataset.js';
import { resolveTrainOptions } from '../../src/train/options.js';
import { epochOrder, shuffledIndex } from '../../src/train/shuffle.js';
import { assertClose } from '../support/compare.js';
import { linearData, toHost } from '../support/data.js';

describe('regression references', () => {
  const heads: [ref.HeadName, number][] = [['linear', 1], ['logistic', 1], ['softmax', 4], ['sigmoid', 3]];
  for (const [head, K] of heads) {
    it(`${head}: the gradient matches central differences of the mean cost, with λ (bias not regularised)`, () => {
      const rng = new Random(K + head.length);
      const m = 7;
      const x = hostMatrix(m, 3, rng.floats(m * 3, -2, 2));
      const design = ref.designMatrix(x);
      const y = Array.from({ length: m }, () => (head === 'linear' ? rng.uniform(-2, 2) : rng.int(0, K === 1 ? 1 : K - 1)));
      const theta = hostMatrix(K, 4, rng.floats(4 * K, -1, 1));
      const lambda = 0.8;
      const analytic = ref.gradient(head, design, y, theta, lambda).data;
      const h = 1e-6;
      const numeric = Array.from(theta.data, (_, p) => {
        const plus = hostMatrix(K, 4, theta.data);
        const minus = hostMatrix(K, 4, theta.data);
        plus.data[p] = plus.data[p]! + h;
        minus.data[p] = minus.data[p]! - h;
        return (ref.cost(head, design, y, plus, lambda).mean - ref.cost(head, design, y, minus, lambda).mean) / (2 * h);
      });
      assertClose(`${head} gradient vs finite differences`, analytic, numeric, { atol: 1e-8, rtol: 1e-6 });
    });
  }

  it('costs have the lecture’s values: J = ½Σ(h − y)², cross-entropy log 2 at θ = 0, softmax log K at θ = 0', () => {
    const design = ref.designMatrix(hostMatrix(2, 1, [1, 2]));
    expect(ref.cost('linear', design, [1, 3], hostMatrix(1, 2, [0, 1])).total).toBeCloseTo(0.5 * (0 + 1), 12);
    expect(ref.cost('logistic', design, [0, 1], hostMatrix(1, 2)).mean).toBeCloseTo(Math.log(2), 12);
    expect(ref.cost('softmax', design, [0, 2], hostMatrix(3, 2)).mean).toBeCloseTo(Math.log(3), 12);
    expect(ref.exampleCost('softmax', [1000, -1000, 0], 0)).toBe(0);
    expect(ref.exampleCost('logistic', [-1000], 1)).toBe(1000);
  });

  it('the normal equation recovers exact linear data, and batch gradient descent converges to it', () => {
    const { x, y } = linearData(1, 30, 3, 0);
    const design = ref.designMatrix(toHost(x));
    const theta = ref.normalEquation(design, y);
    const { w, b } = linearData(1, 30, 3, 0);
    assertClose('θ', theta, [b, ...w], { atol: 1e-6, rtol: 1e-6 });
    const trained = ref.trainReference('linear', design, y, hostMatrix(1, 4), { learningRate: 0.5, epochs: 2000 });
    assertClose('gradient descent → normal equation', trained.theta.data, theta, { atol: 1e-6, rtol: 1e-5 });
    expect(() => ref.normalEquation(ref.designMatrix(hostMatrix(3, 2, [1, 2, 2, 4, 3, 6])), [1, 2, 3])).toThrow('singular');
  });

  it('feature statistics: population σ, and σ = 1 for a constant feature', () => {
    const s = ref.featureStats(hostMatrix(4, 2, [1, 5, 2, 5, 3, 5, 4, 5]));
    expect(Array.from(s.mean)).toEqual([2.5, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(s.std[1]).toBe(1);
  });
});

describe('seeded shuffle', () => {
  it('is a permutation of 0…m−1 for every m, and differs between epochs and seeds', () => {
    for (const m of [1, 2, 3, 4, 5, 17, 64, 65, 1000, 4097]) {
      const order = epochOrder(m, 42, 3, true);
      expect([...order].sort((p, q) => p - q)).toEqual(Array.from({ length: m }, (_, i) => i));
    }
    const a = Array.from(epochOrder(100, 1, 0, true));
    expect(a).not.toEqual(Array.from(epochOrder(100, 1, 1, true)));
    expect(a).not.toEqual(Array.from(epochOrder(100, 2, 0, true)));
    expect(a).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(epochOrder(5, 1, 0, false))).toEqual([0, 1, 2, 3, 4]);
    expect(shuffledIndex(0, 1, 123, 456)).toBe(0);
  });

  it('moves every position about equally often to every place (no gross bias)', () => {
    const m = 10;
    const counts = new Array(m).fill(0);
    for (let e = 0; e < 2000; e++) counts[shuffledIndex(0, m, 7, e)]++;
    for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(60);
  });
});

describe('input checks', () => {
  it('features: rows of equal length, finite, f32-representable, at least one example', () => {
    expect(readFeatures('x', [[1, 2], [3, 4]]).data).toEqual(Float32Array.from([1, 2, 3, 4]));
    expect(readFeatures('x', { rows: 1, cols: 2, data: [5, 6] }).cols).toBe(2);
    expect(() => readFeatures('x', [])).toThrow(/x: has zero examples/);
    expect(() => readFeatures('x', [[1], [2, 3]])).toThrow(/x\[1\]: must have 1 features/);
    expect(() => readFeatures('x', [[NaN]])).toThrow(ArgumentError);
    expect(() => readFeatures('x', { rows: 2, cols: 2, data: [1] })).toThrow(/x.data/);
  });

  it('targets: count matches, labels 0/1, classes 0…K−1', () => {
    expect(() => readTargets('y', [1], 2, { kind: 'real' })).toThrow(/1 targets but x has 2/);
    expect(() => readTargets('y', [0, 1, 1.5], 3, { kind: 'binary' })).toThrow(/y\[2\]: must be a label 0 or 1/);
    expect(() => readTargets('y', [0, 3], 2, { kind: 'class', classes: 3 })).toThrow(/y\[1\]: must be a class 0…2/);
    expect(Array.from(readTargets('y', [2, 0], 2, { kind: 'class', classes: 3 }) as Float32Array)).toEqual([2, 0]);
  });

  it('options: defaults, and each bad value named', () => {
    const o = resolveTrainOptions({}, 10);
    expect([o.learningRate, o.epochs, o.batchSize, o.optimizer, o.patience, o.lambda]).toEqual([0.1, 100, 10, 'sgd', 1, 0]);
    expect([o.tolerance, o.aboveFirst]).toEqual([1e-3, false]);
    // Noisy runs (mini-batches, momentum, Adam): twice the best and above the start, 3 epochs in a row.
    for (const noisy of [{ batchSize: 2 }, { optimizer: 'adam' as const }, { optimizer: 'momentum' as const }]) {
      const r = resolveTrainOptions(noisy, 10);
      expect([r.tolerance, r.patience, r.aboveFirst], JSON.stringify(noisy)).toEqual([1, 3, true]);
    }
    expect(resolveTrainOptions({ optimizer: 'adam' }, 10).learningRate).toBe(0.01);
    expect(() => resolveTrainOptions({ learningRate: 0 }, 10)).toThrow(/options.learningRate/);
    expect(() => resolveTrainOptions({ learningRate: NaN }, 10)).toThrow(/options.learningRate/);
    expect(() => resolveTrainOptions({ batchSize: 0 }, 10)).toThrow(/options.batchSize/);
    expect(() => resolveTrainOptions({ optimizer: 'rmsprop' as never }, 10)).toThrow(/options.optimizer/);
    expect(() => resolveTrainOptions({ lambda: -1 }, 10)).toThrow(/options.lambda/);
    expect(() => resolveTrainOptions({ momentum: 1, optimizer: 'momentum' }, 10)).toThrow(/options.momentum/);
  });
});

describe('validation split', () => {
  it('holds out round(m·f) examples by a seeded shuffle: disjoint, complete, the training rows in their order, deterministic per seed', () => {
    const m = 23;
    const X = { rows: m, cols: 2, data: Float32Array.from({ length: 2 * m }, (_, i) => i) };
    const Y = Float32Array.from({ length: m }, (_, i) => i);
    const a = splitValidation(X, Y, 0.3, 7);
    const heldIds = Array.from(a.held[1] as Float32Array);
    const trainIds = Array.from(a.train[1] as Float32Array);
    expect(heldIds.length).toBe(Math.round(m * 0.3));
    expect([...heldIds, ...trainIds].sort((p, q) => p - q)).toEqual(Array.from({ length: m }, (_, i) => i));
    expect(trainIds).toEqual([...trainIds].sort((p, q) => p - q));
    expect(Array.from(a.train[0].data!.subarray(0, 2))).toEqual([2 * trainIds[0]!, 2 * trainIds[0]! + 1]);
    expect(Array.from(splitValidation(X, Y, 0.3, 7).held[1] as Float32Array)).toEqual(heldIds);
    expect(Array.from(splitValidation(X, Y, 0.3, 8).held[1] as Float32Array)).not.toEqual(heldIds);
  });
});

describe('classification metrics', () => {
  it('precision, recall, F1, support and macro means from a confusion matrix, as scikit-learn reports them', () => {
    // Rows: true class; columns: predicted. Class 2 is never predicted: its precision is 0.
    const m = metricsOf([[5, 1, 0], [2, 2, 0], [1, 0, 0]]);
    expect(m.accuracy).toBeCloseTo(7 / 11, 15);
    expect(m.classes.map((c) => [c.precision, c.recall, c.support])).toEqual([[5 / 8, 5 / 6, 6], [2 / 3, 2 / 4, 4], [0, 0, 1]]);
    expect(m.classes[0]!.f1).toBeCloseTo((2 * (5 / 8) * (5 / 6)) / (5 / 8 + 5 / 6), 15);
    expect(m.classes[2]!.f1).toBe(0);
    expect(m.macro.recall).toBeCloseTo((5 / 6 + 1 / 2 + 0) / 3, 15);
    expect(metricsOf([[1, 0], [0, 1]], ['no', 'yes']).classes.map((c) => c.label)).toEqual(['no', 'yes']);
  });
});
