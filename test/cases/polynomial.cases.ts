// Polynomial features (options.polynomial), in Node and in Chromium: logistic regression with the
// terms of degree 2 draws the lecture's circle boundary that no line can; a model with the map is
// bit for bit the same model trained on the terms computed by hand (scikit-learn's order, float32
// products left to right); it saves and loads with its map; and what it cannot take is refused
// by name — x in GPU buffers, a degree whose terms are too many, a saved map that does not feed
// its first layer.

import { ArgumentError } from '../../src/gpu/errors.js';
import { mapPolynomial, polynomialTerms } from '../../src/features/polynomial.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { Random } from '../../src/random.js';
import { check, expectError } from '../support/compare.js';
import { appBuffer } from '../support/gpu.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

/** Points in [−1, 1]², class 1 inside the circle of radius 0.6: what no straight line separates. */
function circle(seed: number, m: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x = Array.from({ length: m }, () => [2 * rng.next() - 1, 2 * rng.next() - 1]);
  return { x, y: x.map(([a, b]) => Number(a! * a! + b! * b! < 0.36)) };
}

/** The terms of degree `d` of x, computed here (the map the model should apply). */
function terms(x: number[][], d: number): number[][] {
  const n = x[0]!.length;
  const t = polynomialTerms(n, d);
  const mapped = mapPolynomial(Float32Array.from(x.flat()), x.length, n, t);
  return x.map((_, i) => Array.from(mapped.subarray(i * t.length, (i + 1) * t.length)));
}

const cases: GpuCase[] = [
  {
    name: 'polynomial features: logistic regression with the degree-2 terms learns the circle a line cannot; a model with the map is bit for bit the model trained on the terms by hand',
    async run(gpu) {
      const train = circle(1, 200);
      const held = circle(2, 100);
      const options = { learningRate: 1, epochs: 300 };
      await using(() => [new LogisticRegression(gpu.ctx), new LogisticRegression(gpu.ctx, { polynomial: 2 }), new LogisticRegression(gpu.ctx)], async (line, curve, byHand) => {
        await line.fit(train.x, train.y, options);
        await curve.fit(train.x, train.y, options);
        await byHand.fit(terms(train.x, 2), train.y, options);
        const [a, b] = [(await line.cost(held.x, held.y)).accuracy, (await curve.cost(held.x, held.y)).accuracy];
        check(a !== null && b !== null && a < 0.8 && b > 0.93, `held-out accuracy: a line ${a}, the degree-2 terms ${b}`);
        check(curve.features === 2 && curve.layers!.join() === '5,1', `features ${curve.features}, layers ${curve.layers}`);
        check(Array.from(await curve.getTheta()).join() === Array.from(await byHand.getTheta()).join(), 'the map is not the terms by hand');
        check(JSON.stringify(await curve.getNormalization()) === JSON.stringify(await byHand.getNormalization()), 'statistics differ');
        const p = await curve.predictProbability(held.x);
        const q = await byHand.predictProbability(terms(held.x, 2));
        check(Array.from(p).join() === Array.from(q).join(), 'predictions differ from the terms by hand');
      });
    },
  },
  {
    name: 'polynomial features: a network and softmax regression save and load with their map (same predictions); x in GPU buffers, too many terms and a saved map that does not feed the first layer are refused by name',
    async run(gpu) {
      const data = circle(3, 120);
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 6, 2], activation: 'tanh', output: 'softmax', polynomial: 3, seed: 1 }), new SoftmaxRegression(gpu.ctx, { classes: 2, polynomial: 2 })], async (net, soft) => {
        check(net.layers!.join() === '9,6,2' && net.features === 2, `layers ${net.layers}, features ${net.features}`);
        await net.fit(data.x, data.y, { epochs: 40, learningRate: 0.05, validation: circle(4, 30) });
        await soft.fit(data.x, data.y, { epochs: 40, learningRate: 0.5 });
        const json = await net.toJSON();
        check(JSON.stringify(json.polynomial) === '{"degree":3,"inputs":2}', `saved ${JSON.stringify(json.polynomial)}`);
        const back = NeuralNetwork.load(gpu.ctx, json);
        const softBack = SoftmaxRegression.load(gpu.ctx, await soft.toJSON());
        try {
          check(Array.from(await back.predictProbabilities(data.x)).join() === Array.from(await net.predictProbabilities(data.x)).join(), 'the loaded network predicts otherwise');
          check(Array.from(await softBack.predictProbabilities(data.x)).join() === Array.from(await soft.predictProbabilities(data.x)).join(), 'the loaded softmax regression predicts otherwise');
        } finally {
          back.destroy();
          softBack.destroy();
        }
        const buffer = appBuffer(gpu.ctx, 'x on the GPU', new Float32Array(data.x.flat()));
        try {
          await expectError(() => net.predictProbabilities({ buffer, rows: 120, cols: 2 }), ArgumentError, ['x', 'CPU memory', 'polynomial']);
        } finally {
          buffer.destroy();
        }
        await expectError(() => net.cost([[1, 2, 3]], [0]), ArgumentError, ['x']);
        await expectError(() => NeuralNetwork.load(gpu.ctx, { ...json, polynomial: { degree: 2, inputs: 2 } }), ArgumentError, ['json.polynomial', 'makes 5 features', 'first layer has 9']);
        await expectError(() => NeuralNetwork.load(gpu.ctx, json, { polynomial: 2 }), ArgumentError, ['options.polynomial', 'degree 3']);
      });
      await expectError(() => new NeuralNetwork(gpu.ctx, { layers: [100, 4, 2], polynomial: 4 }), ArgumentError, ['options.polynomial', 'more than 65,536 features']);
      await expectError(() => new NeuralNetwork(gpu.ctx, { layers: [2, 4, 2], polynomial: 1 }), ArgumentError, ['options.polynomial']);
    },
  },
];

export const polynomialCases: GpuCase[] = cases;
