// The float64 network reference on its own, before it judges the GPU: backpropagation against
// central differences (the lecture's gradient check, which must agree to 1e-9 in float64),
// and the one-layer network agreeing with the regression reference.

import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, ACTIVATION_NAMES } from '../../src/activations.js';
import { Random } from '../../src/random.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import * as net from '../../src/reference/network.js';
import * as reg from '../../src/reference/regression.js';
import { assertClose } from '../support/compare.js';
import { NeuralNetwork } from '../../src/models/network.js';

function data(seed: number, m: number, n: number, K: number) {
  const rng = new Random(seed);
  return { x: hostMatrix(m, n, rng.floats(m * n, -1, 1)), y: Array.from({ length: m }, () => rng.int(0, Math.max(1, K - 1))) };
}

describe('network reference', () => {
  it('the model’s random initialisation is the reference’s randomTheta, value for value, written straight into float32', () => {
    for (const [layers, seed, epsilon] of [[[3, 5, 2], 0, undefined], [[400, 25, 10], 7, undefined], [[4, 6, 5, 3], 11, 0.3], [[1, 1], 4294967295, 1e-3]] as const) {
      const want = Float32Array.from(net.flatten(net.randomTheta(layers, seed, epsilon)));
      expect(NeuralNetwork.randomInit(layers, seed, epsilon)).toEqual(want);
    }
  });

  const cases: [string, number[], net.NetworkReference['head']][] = [
    ['3-5-3, sigmoid units', [3, 5, 3], 'sigmoid'],
    ['4-6-5-3, two hidden layers', [4, 6, 5, 3], 'sigmoid'],
    ['3-5-4, softmax', [3, 5, 4], 'softmax'],
    ['3-4-1, logistic unit', [3, 4, 1], 'logistic'],
  ];
  for (const [name, layers, head] of cases) {
    it(`${name}: backpropagation matches central differences to 1e-9 (relative difference), with λ`, () => {
      const { x, y } = data(layers.length, 7, layers[0]!, layers[layers.length - 1]!);
      const model: net.NetworkReference = { layers, head, theta: net.randomTheta(layers, 5, 1) };
      for (const lambda of [0, 2]) {
        const D = net.flatten(net.backprop(model, x, y, lambda));
        const numeric = net.numericalGradient(model, x, y, lambda, 1e-5);
        expect(net.relativeDifference(D, numeric)).toBeLessThan(1e-9);
      }
    });
  }

  for (const g of ACTIVATION_NAMES) {
    it(`4-6-5-3 of ${g} units: backpropagation matches central differences to 1e-9, with λ`, () => {
      const { x, y } = data(11, 7, 4, 3);
      const model: net.NetworkReference = { layers: [4, 6, 5, 3], head: 'softmax', activations: [g, g], theta: net.randomTheta([4, 6, 5, 3], 6, 1) };
      for (const lambda of [0, 2]) {
        const D = net.flatten(net.backprop(model, x, y, lambda));
        expect(net.relativeDifference(D, net.numericalGradient(model, x, y, lambda, 1e-5))).toBeLessThan(1e-9);
      }
    });

    it(`${g}: the reference pair's g′ is the derivative of g (central differences at points off any kink)`, () => {
      const { value, gradient } = ACTIVATIONS[g].reference;
      for (const z of [-7.3, -2.1, -0.4, 0.3, 1.7, 6.2]) {
        const numeric = (value(z + 1e-6) - value(z - 1e-6)) / 2e-6;
        // g′ from what the forward pass saves: a = g(z), or z (the registry's derivativeFrom).
        const saved = ACTIVATIONS[g].derivativeFrom === 'z' ? z : value(z);
        expect(Math.abs(gradient(saved) - numeric)).toBeLessThan(1e-8);
      }
    });
  }

  it('a network without hidden layers is the regression family: same cost and gradient', () => {
    const { x, y } = data(3, 9, 4, 3);
    const theta = hostMatrix(3, 5, new Random(4).floats(15));
    const model: net.NetworkReference = { layers: [4, 3], head: 'softmax', theta: [theta] };
    const design = reg.designMatrix(x);
    expect(net.networkCost(model, x, y, 0.5).total).toBeCloseTo(reg.cost('softmax', design, y, theta, 0.5).total, 12);
    assertClose('D', net.backprop(model, x, y, 0.5)[0]!.data, reg.gradient('softmax', design, y, theta, 0.5).data, { atol: 1e-14, rtol: 1e-12 });
  });

  it('random initialisation: seeded, within [−ε, ε], ε = √6/√(s_l + s_{l+1}) by default', () => {
    const [a, b] = net.randomTheta([400, 25, 10], 1);
    expect(a!.rows).toBe(25);
    expect(a!.cols).toBe(401);
    const eps = Math.sqrt(6) / Math.sqrt(425);
    expect(Math.max(...Array.from(a!.data, Math.abs))).toBeLessThanOrEqual(eps);
    expect(b!.rows * b!.cols).toBe(10 * 26);
    expect(Array.from(net.randomTheta([400, 25, 10], 1)[0]!.data.slice(0, 5))).toEqual(Array.from(a!.data.slice(0, 5)));
    expect(() => net.unflatten([2, 3], [1, 2])).toThrow('hold 9');
  });
});
