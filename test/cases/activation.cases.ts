// Every activation of the registry (src/activations.ts), the same checks for each: g and g′ on
// the GPU against the float64 pair on seeded and saturated inputs; a network of that g — cost,
// backpropagation's D and h against the float64 reference, the gradient check through the
// float32 GPU cost, and a save / load round trip. A new activation gets all of these by its
// registry line; a row in TOLERANCES is only needed if its float32 rounding is looser.

import { ACTIVATIONS, ACTIVATION_NAMES, type ActivationName } from '../../src/activations.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { activate, activationGradient } from '../../src/kernels/activation.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { Random } from '../../src/random.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import * as net from '../../src/reference/network.js';
import { hypothesisRow } from '../../src/reference/regression.js';
import { assertClose, check, expectError } from '../support/compare.js';
import { toHost } from '../support/data.js';
import type { GpuCase, Scratch } from '../support/gpu.js';
import { using } from '../support/models.js';

/**
 * f32 tolerance of g and g′ per activation. σ and tanh round exp() and a division, a few ulps
 * of a result in [−1, 1] (atol covers results that underflow to 0); ReLU and the identity are
 * exact.
 */
const TOLERANCES: Partial<Record<ActivationName, { atol: number; rtol: number }>> = {
  relu: { atol: 0, rtol: 0 },
  identity: { atol: 0, rtol: 0 },
};
const DEFAULT_TOLERANCE = { atol: 1e-7, rtol: 1e-6 };

const F32_MAX = 3.4028234663852886e38;
/** Inputs where activations overflow, underflow or cancel: f32's extremes, exp()'s range edges, ±0, tiny values. */
const SATURATED = [-F32_MAX, -1e30, -1000, -104, -88.72, -80, -44.4, -20, -0.1249, -1e-3, -1e-30, -0, 0, 1e-30, 1e-3, 0.1249, 0.1251, 20, 44.4, 80, 88.72, 104, 1000, 1e30, F32_MAX].map(Math.fround);

async function valuesOf(gpu: Scratch, g: ActivationName, z: ArrayLike<number>): Promise<Float64Array> {
  const Z = gpu.vector('z', z, { offset: 3, tail: 2 });
  const A = gpu.vector('a', new Float64Array(z.length).fill(NaN), { offset: 1, tail: 3 });
  await activate(gpu.ctx, g, A, Z);
  return gpu.read(A);
}

async function gradientsOf(gpu: Scratch, g: ActivationName, a: ArrayLike<number>): Promise<Float64Array> {
  const A = gpu.vector('a', a, { offset: 2 });
  const G = gpu.vector('g', new Float64Array(a.length).fill(NaN), { offset: 5, tail: 1 });
  await activationGradient(gpu.ctx, g, G, A);
  return gpu.read(G);
}

function randomData(seed: number, m: number, n: number, K: number) {
  const rng = new Random(seed);
  const x = Array.from({ length: m }, () => Array.from(rng.floats(n, -1, 1)));
  return { x, y: x.map(() => rng.int(0, K - 1)) };
}

function perActivation(g: ActivationName): GpuCase[] {
  const ref = ACTIVATIONS[g].reference;
  const tol = TOLERANCES[g] ?? DEFAULT_TOLERANCE;
  return [
    {
      name: `activation ${g}: g and g′ (from the saved ${ACTIVATIONS[g].derivativeFrom}) match float64 on 1,001 seeded values in [−20, 20] and on saturated inputs (|z| = 80 among them), never NaN or ∞`,
      async run(gpu) {
        const z = Float64Array.from([...new Random(ACTIVATION_NAMES.indexOf(g) + 1).floats(1001, -20, 20), ...SATURATED].map(Math.fround));
        const a = await valuesOf(gpu, g, z);
        check(a.every((v) => Number.isFinite(v)), `${g} gave a non-finite value`);
        assertClose(`${g}(z)`, a, z.map(ref.value), tol);
        // What the forward pass saves for g′: a as the GPU computed it, or z.
        const from = ACTIVATIONS[g].derivativeFrom;
        const saved = from === 'z' ? z : Float64Array.from(a, Math.fround);
        const d = await gradientsOf(gpu, g, saved);
        check(d.every((v) => Number.isFinite(v)), `${g}′ gave a non-finite value`);
        assertClose(`${g}′ from ${from}`, d, saved.map(ref.gradient), tol);
      },
    },
    {
      name: `network 4-6-5-3 of ${g} units: cost, backpropagation's D and h match the float64 reference (λ = 0.6), and the gradient check passes`,
      async run(gpu) {
        const layers = [4, 6, 5, 3];
        const candidates = randomData(ACTIVATION_NAMES.indexOf(g) + 40, 40, 4, 3);
        await using(() => [new NeuralNetwork(gpu.ctx, { layers, activation: g, output: 'softmax', seed: 2, epsilon: 1 })], async (network) => {
          const weights = await network.getWeights();
          const model: net.NetworkReference = { layers, head: 'softmax', activations: [g, g], theta: weights.map((w, l) => hostMatrix(layers[l + 1]!, layers[l]! + 1, w)) };
          // Central differences with ε = 1e-2 are only a derivative away from kinks (ReLU's at
          // z = 0): keep the examples whose hidden z all lie 0.1 or more from 0, which no
          // perturbation of one weight by ε moves across (|Δz| ≤ ε·max(1, |a|, |Θ|) < 0.1 here).
          const keep = candidates.x.map((row) => net.forward(model, row).zs.slice(0, -1).flat().every((z) => Math.abs(z) >= 0.1));
          const x = candidates.x.filter((_, i) => keep[i]);
          const y = candidates.y.filter((_, i) => keep[i]);
          check(x.length >= 10, `only ${x.length} of 40 examples away from kinks`);
          const want = net.networkCost(model, toHost(x), y, 0.6);
          const got = await network.cost(x, y, { lambda: 0.6 });
          assertClose('J', [got.total], [want.total], { atol: 1e-6, rtol: 1e-5 });
          const D = await network.gradients(x, y, { lambda: 0.6 });
          net.backprop(model, toHost(x), y, 0.6).forEach((d, l) => assertClose(`D⁽${l + 1}⁾`, D[l]!, d.data, { atol: 2e-6, rtol: 1e-4 }));
          const h = x.flatMap((row) => hypothesisRow('softmax', net.forward(model, row).z));
          assertClose('h', await network.predictProbabilities(x), h, { atol: 1e-6, rtol: 1e-5 });
          // The GPU's own gradient check (ε = 1e-2 on a float32 cost): below 1e-4 away from kinks.
          const report = await network.gradientCheck(x, y, { lambda: 0.6 });
          check(report.relativeDifference < 1e-4, `${g}: relative difference ${report.relativeDifference}; worst ${JSON.stringify(report.worst)}`);
        });
      },
    },
  ];
}

const cases: GpuCase[] = [
  ...ACTIVATION_NAMES.flatMap(perActivation),
  {
    name: 'activations per hidden layer ([tanh, identity]): saved in the model file, loaded back to identical predictions; a file of other activations is refused',
    async run(gpu) {
      const { x, y } = randomData(7, 20, 4, 3);
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [4, 6, 5, 3], activation: ['tanh', 'identity'], seed: 3 })], async (network) => {
        await network.fit(x, y, { epochs: 5, optimizer: 'adam' });
        const json = JSON.parse(JSON.stringify(await network.toJSON()));
        check(JSON.stringify(json.activations) === '["tanh","identity"]', `saved activations ${JSON.stringify(json.activations)}`);
        await using(() => [NeuralNetwork.load(gpu.ctx, json)], async (loaded) => {
          check(loaded.activations.join() === 'tanh,identity', `loaded activations ${loaded.activations.join()}`);
          assertClose('h after load', await loaded.predictProbabilities(x), await network.predictProbabilities(x), { atol: 0, rtol: 0 });
        });
        await expectError(() => NeuralNetwork.load(gpu.ctx, { ...json, activations: ['tanh', 'swishy'] }), ArgumentError, ['json.activations[1]', 'swishy']);
        await expectError(() => NeuralNetwork.load(gpu.ctx, { ...json, activations: ['tanh'] }), ArgumentError, ['json.activations', '2 activations']);
        // A file without activations is the lecture's network: sigmoid throughout.
        const { activations: _, ...old } = json;
        await using(() => [NeuralNetwork.load(gpu.ctx, old)], async (loaded) => check(loaded.activations.join() === 'sigmoid,sigmoid', `old file read as ${loaded.activations.join()}`));
      });
    },
  },
  {
    name: 'activation bad input: an unknown name, an inherited key, a list of the wrong length — ArgumentError naming the option, nothing made',
    async run(gpu) {
      const bad: [() => unknown, string[]][] = [
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 4, 2], activation: 'swishy' as never }), ['options.activation', 'swishy', 'sigmoid, tanh']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 4, 2], activation: 'toString' as never }), ['options.activation', 'toString']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 4, 4, 2], activation: ['tanh'] }), ['options.activation', '2 activations']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 4, 4, 2], activation: ['tanh', 'Tanh' as never] }), ['options.activation[1]', 'Tanh']],
        [() => activate(gpu.ctx, 'softsign' as never, gpu.vector('a', [0]), gpu.vector('z', [0])), ['activation', 'softsign']],
      ];
      const before = gpu.ctx.stats().buffers;
      for (const [fn, parts] of bad) await expectError(fn, ArgumentError, parts);
      // (The two vectors are the test's own buffers, not the library's.)
      check(gpu.ctx.stats().buffers === before, `buffers made by refused calls: ${gpu.ctx.stats().buffers - before}`);
    },
  },
];

export const activationCases: GpuCase[] = cases;
