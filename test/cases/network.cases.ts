// Neural networks on the GPU against the float64 reference (src/reference/network.ts):
// forward propagation, cost and backpropagation for several shapes and both outputs, random
// initialisation, gradient checking, one whole training step of the lecture's 400-25-10
// network, the symmetry zero initialisation cannot break, training, save / load, bad input.

import type { GpuContext } from '../../src/gpu/context.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { LinearRegression } from '../../src/models/linear.js';
import { metricsOf } from '../../src/models/metrics.js';
import { NeuralNetwork, type NetworkOptions } from '../../src/models/network.js';
import { type HostExamples, readFeatures, readTargets, splitValidation } from '../../src/train/dataset.js';
import { Random } from '../../src/random.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import * as net from '../../src/reference/network.js';
import { assertClose, check, expectError } from '../support/compare.js';
import { blobs, toHost } from '../support/data.js';
import { type GpuCase, appBuffer, countMapAsync } from '../support/gpu.js';
import { using } from '../support/models.js';

/** Runs `body` with a network it then destroys. */
function withNetwork(gpu: { ctx: GpuContext }, options: NetworkOptions, body: (n: NeuralNetwork) => Promise<void>): Promise<void> {
  return using(() => [new NeuralNetwork(gpu.ctx, options)], body);
}

function randomData(seed: number, m: number, n: number, K: number) {
  const rng = new Random(seed);
  const x = Array.from({ length: m }, () => Array.from(rng.floats(n, 0, 1)));
  const y = x.map(() => rng.int(0, K - 1));
  return { x, y };
}

function referenceOf(layers: number[], head: net.NetworkReference['head'], weights: Float64Array[]): net.NetworkReference {
  return { layers, head, theta: weights.map((w, l) => hostMatrix(layers[l + 1]!, layers[l]! + 1, w)) };
}

const shapes: { name: string; layers: number[]; output: 'sigmoid' | 'softmax'; m: number; maxBindingBytes?: number }[] = [
  { name: '3-5-3, K sigmoid units', layers: [3, 5, 3], output: 'sigmoid', m: 11 },
  { name: '4-6-5-3, two hidden layers', layers: [4, 6, 5, 3], output: 'sigmoid', m: 17 },
  { name: '6-7-4, softmax output', layers: [6, 7, 4], output: 'softmax', m: 9 },
  { name: '5-3-1, one unit for labels 0/1', layers: [5, 3, 1], output: 'sigmoid', m: 13 },
  { name: '20-9-4 split into chunks', layers: [20, 9, 4], output: 'sigmoid', m: 40, maxBindingBytes: 21 * 4 * 6 },
];

const cases: GpuCase[] = [
  ...shapes.map(
    (s): GpuCase => ({
      name: `network ${s.name}: cost, backpropagation's D and h match float64, with λ`,
      async run(gpu) {
        const K = s.layers[s.layers.length - 1]!;
        const { x, y } = randomData(s.layers.length * 100 + s.m, s.m, s.layers[0]!, Math.max(2, K));
        const opts: NetworkOptions = { layers: s.layers, output: s.output, seed: 3, epsilon: 1 };
        if (s.maxBindingBytes) opts.maxBindingBytes = s.maxBindingBytes;
        await withNetwork(gpu, opts, async (network) => {
          const head = K === 1 ? 'logistic' : s.output;
          const ref = referenceOf(s.layers, head, await network.getWeights());
          const X = toHost(x);
          const lambda = 0.6;
          const want = net.networkCost(ref, X, y, lambda);
          const got = await network.cost(x, y, { lambda });
          // f32 forward through a few layers: costs to ~1e-6 relative.
          assertClose('J and J/m', [got.total, got.mean], [want.total, want.mean], { atol: 1e-6, rtol: 1e-5 });
          check(Math.abs(got.accuracy! - want.accuracy) < 1e-6, `accuracy ${got.accuracy}, want ${want.accuracy}`);
          const D = await network.gradients(x, y, { lambda });
          const Dref = net.backprop(ref, X, y, lambda);
          D.forEach((d, l) => assertClose(`D⁽${l + 1}⁾`, d, Dref[l]!.data, { atol: 2e-6, rtol: 1e-4 }));
          const h = await network.predictProbabilities(x);
          const hRef = x.flatMap((row) => {
            const { z } = net.forward(ref, row);
            return head === 'softmax' ? (() => { const t = Math.max(...z); const e = z.map((v) => Math.exp(v - t)); const S = e.reduce((a, b) => a + b); return e.map((v) => v / S); })() : z.map((v) => 1 / (1 + Math.exp(-v)));
          });
          assertClose('h', h, hRef, { atol: 1e-6, rtol: 1e-5 });
        });
      },
    }),
  ),
  {
    name: 'network random initialisation: Θ uniform in [−ε, ε] with ε = √6/√(s_l + s_{l+1}), seeded, the reference’s numbers',
    async run(gpu) {
      await withNetwork(gpu, { layers: [400, 25, 10], seed: 42 }, async (network) => {
        const weights = await network.getWeights();
        const want = net.randomTheta([400, 25, 10], 42);
        weights.forEach((w, l) => assertClose(`Θ⁽${l + 1}⁾`, w, want[l]!.data, { atol: 0, rtol: 0 }));
        const eps = Math.sqrt(6) / Math.sqrt(425);
        check(weights[0]!.every((v) => Math.abs(v) <= eps) && Math.max(...weights[0]!.map(Math.abs)) > 0.9 * eps, 'Θ⁽¹⁾ fills [−ε, ε]');
      });
      await withNetwork(gpu, { layers: [400, 25, 10], seed: 43 }, async (other) => {
        const a = (await other.getWeights())[0]!;
        check(a[0] !== net.randomTheta([400, 25, 10], 42)[0]!.data[0], 'another seed, other weights');
      });
    },
  },
  {
    name: 'gradientCheck on the lecture’s 3-5-3 network: relative difference below 1e-4 through the float32 GPU cost',
    async run(gpu) {
      const { x, y } = randomData(8, 5, 3, 3);
      await withNetwork(gpu, { layers: [3, 5, 3], seed: 1, epsilon: 1 }, async (network) => {
        for (const lambda of [0, 3]) {
          const report = await network.gradientCheck(x, y, { lambda });
          check(report.relativeDifference < 1e-4, `λ = ${lambda}: relative difference ${report.relativeDifference}; worst ${JSON.stringify(report.worst)}`);
          check(report.analytic.length === 5 * 4 + 3 * 6 && report.worst.length === 5, 'report covers every parameter');
        }
        const before = await network.getTheta();
        await network.gradientCheck(x, y);
        assertClose('Θ is unchanged by the check', await network.getTheta(), before, { atol: 0, rtol: 0 });
        // A broken gradient is caught: compare against D of another λ.
        const bad = await network.gradientCheck(x, y, { lambda: 0 });
        const wrong = net.relativeDifference(bad.numeric, (await network.gradient(x, y, { lambda: 50 })));
        check(wrong > 1e-2, `a wrong D would show: ${wrong}`);
      });
    },
  },
  {
    name: 'one whole training step of a 400-25-10 network (forward, δ, D, update) matches the float64 step to 1e-4 in every weight',
    async run(gpu) {
      const { x, y } = randomData(400, 60, 400, 10);
      await withNetwork(gpu, { layers: [400, 25, 10], seed: 9 }, async (network) => {
        const before = await network.getWeights();
        const ref = referenceOf([400, 25, 10], 'sigmoid', before);
        const alpha = 0.5;
        const lambda = 1;
        const D = net.backprop(ref, toHost(x), y, lambda);
        await network.fit(x, y, { optimizer: 'sgd', learningRate: alpha, epochs: 1, lambda });
        const after = await network.getWeights();
        after.forEach((w, l) => {
          const want = before[l]!.map((v, p) => v - alpha * D[l]!.data[p]!);
          assertClose(`Θ⁽${l + 1}⁾ after one step`, w, want, { atol: 1e-7, rtol: 1e-4 });
          assertClose(`ΔΘ⁽${l + 1}⁾ = −αD`, w.map((v, p) => v - before[l]![p]!), D[l]!.data.map((d) => -alpha * d), { atol: 2e-7, rtol: 1e-3 });
        });
      });
    },
  },
  {
    name: 'zero initialisation keeps every hidden unit identical through training; random initialisation does not',
    async run(gpu) {
      const data = blobs(5, [[0, 0, 1], [1, 1, 0], [1, 0, 0]], 8, 0.3);
      for (const init of ['zeros', 'random'] as const) {
        await withNetwork(gpu, { layers: [3, 4, 3], init, seed: 2 }, async (network) => {
          await network.fit(data.x, data.y, { optimizer: 'sgd', learningRate: 1, epochs: 20 });
          const [t1, t2] = await network.getWeights();
          const rowsEqual = [1, 2, 3].every((r) => t1!.slice(r * 4, r * 4 + 4).every((v, j) => v === t1![j]));
          const colsEqual = [0, 1, 2].every((k) => [2, 3, 4].every((j) => t2![k * 5 + j] === t2![k * 5 + 1]));
          if (init === 'zeros') check(rowsEqual && colsEqual, `zeros: hidden units differ: ${Array.from(t1!)}`);
          else check(!rowsEqual && !colsEqual, 'random: hidden units stayed identical');
        });
      }
    },
  },
  {
    name: 'a 2-8-3 network learns three classes that no straight line separates (mini-batch Adam), and saves / loads',
    async run(gpu) {
      // Class 0 in the middle, 1 and 2 on either side: not linearly separable from class 0.
      const data = blobs(6, [[0, 0], [-3, 0], [3, 0]], 15, 1);
      await withNetwork(gpu, { layers: [2, 8, 3], seed: 4 }, async (network) => {
        const result = await network.fit(data.x, data.y, { optimizer: 'adam', learningRate: 0.05, epochs: 150, batchSize: 9, seed: 1 });
        const labels = await network.predict(data.x);
        const acc = labels.reduce((s, l, i) => s + (l === data.y[i] ? 1 : 0), 0) / labels.length;
        check(acc >= 0.95, `accuracy ${acc}; last epoch ${JSON.stringify(result.history.at(-1))}`);
        const json = JSON.parse(JSON.stringify(await network.toJSON()));
        const loaded = NeuralNetwork.load(gpu.ctx, json);
        try {
          assertClose('probabilities after load', await loaded.predictProbabilities(data.x), await network.predictProbabilities(data.x), { atol: 0, rtol: 0 });
        } finally {
          loaded.destroy();
        }
      });
    },
  },
  {
    name: 'fit with validation: each epoch evaluates the held-out set on the GPU (= cost() at the final Θ), and the history lands in the caller’s buffer',
    async run(gpu) {
      const train = blobs(8, [[0, 0], [-3, 0], [3, 0]], 12, 1);
      const held = blobs(9, [[0, 0], [-3, 0], [3, 0]], 5, 1);
      const epochs = 7;
      // Two more epochs of room than the fit uses: they must stay as the caller left them.
      const sentinel = new Float32Array(4 * (epochs + 2)).fill(-7);
      const historyBuffer = appBuffer(gpu.ctx, 'test history', sentinel);
      try {
        await withNetwork(gpu, { layers: [2, 5, 3], seed: 2 }, async (network) => {
          // Three chunks of the validation set (maxBindingBytes on the model would also split training).
          const result = await network.fit(train.x, train.y, { optimizer: 'adam', learningRate: 0.05, epochs, batchSize: 8, validation: held, historyBuffer });
          check(result.history.length === epochs && result.history.every((r) => r.validation !== undefined), 'every epoch has a validation report');
          const last = result.history.at(-1)!;
          const want = await network.cost(held.x, held.y);
          assertClose('validation J/m and accuracy of the last epoch', [last.validation!.cost, last.validation!.accuracy!], [want.mean, want.accuracy!], { atol: 1e-6, rtol: 1e-5 });
          const first = result.history[0]!;
          check(first.validation!.cost > last.validation!.cost, `validation cost fell: ${first.validation!.cost} → ${last.validation!.cost}`);
          const got = await gpu.ctx.read(historyBuffer);
          const expected = result.history.flatMap((r) => [r.cost, r.accuracy!, r.validation!.cost, r.validation!.accuracy!]);
          assertClose('history buffer', got.subarray(0, 4 * epochs), expected, { atol: 0, rtol: 0 });
          assertClose('history buffer past the fit', got.subarray(4 * epochs), sentinel.subarray(4 * epochs), { atol: 0, rtol: 0 });
          // Without validation the second pair reads NaN.
          const plain = await network.fit(train.x, train.y, { epochs: 2, historyBuffer });
          const again = await gpu.ctx.read(historyBuffer);
          check(plain.history.every((r) => r.validation === undefined), 'no validation report without validation data');
          check(again[0] === Math.fround(plain.history[0]!.cost) && Number.isNaN(again[2]) && Number.isNaN(again[3]), `second pair ${again[2]}, ${again[3]}`);
          await expectError(() => network.fit(train.x, train.y, { epochs: 20, historyBuffer }), ArgumentError, ['options.historyBuffer', '320 bytes']);
          await expectError(() => network.fit(train.x, train.y, { validation: { x: [[1, 2, 3]], y: [0] } }), ArgumentError, ['options.validation.x', '3 features']);
          await expectError(() => network.fit(train.x, train.y, { validation: { x: [[1, 2]], y: [5] } }), ArgumentError, ['options.validation.y[0]']);
        });
      } finally {
        historyBuffer.destroy();
      }
    },
  },
  {
    name: 'fit with validationSplit: a seeded quarter held out — the same history and Θ as the explicit split; refused with validation, on GPU data, or when nothing would be left',
    async run(gpu) {
      const data = blobs(12, [[0, 0], [-3, 0], [3, 0]], 12, 1);
      const X = readFeatures('x', data.x);
      const Y = readTargets('y', data.y, X.rows, { kind: 'class', classes: 3 });
      const { train, held } = splitValidation(X, Y, 0.25, 4);
      const rows = (h: HostExamples) => Array.from({ length: h.rows }, (_, i) => Array.from(h.data!.subarray(i * h.cols, (i + 1) * h.cols)));
      const options = { optimizer: 'adam' as const, learningRate: 0.05, epochs: 5, batchSize: 9, seed: 4 };
      let a: Awaited<ReturnType<NeuralNetwork['fit']>> | undefined;
      let thetaA: Float64Array | undefined;
      await withNetwork(gpu, { layers: [2, 5, 3], seed: 2 }, async (network) => {
        a = await network.fit(data.x, data.y, { ...options, validationSplit: 0.25 });
        thetaA = await network.getTheta();
      });
      await withNetwork(gpu, { layers: [2, 5, 3], seed: 2 }, async (network) => {
        const b = await network.fit(rows(train[0]), Array.from(train[1] as Float32Array), { ...options, validation: { x: rows(held[0]), y: Array.from(held[1] as Float32Array) } });
        check(JSON.stringify(a!.history) === JSON.stringify(b.history), 'validationSplit differs from the explicit split');
        assertClose('Θ', await network.getTheta(), thetaA!, { atol: 0, rtol: 0 });
        check(held[0].rows === 9 && train[0].rows === 27, `${held[0].rows} held out, ${train[0].rows} to train`);
        await expectError(() => network.fit(data.x, data.y, { validationSplit: 0.25, validation: { x: data.x, y: data.y } }), ArgumentError, ['options.validationSplit', 'cannot be combined']);
        await expectError(() => network.fit(data.x, data.y, { validationSplit: 1 }), ArgumentError, ['options.validationSplit', 'between 0 and 1']);
        await expectError(() => network.fit([[0, 0], [1, 1]], [0, 1], { validationSplit: 0.1 }), ArgumentError, ['options.validationSplit', 'at least one']);
        const xs = gpu.ctx.upload('x', Float32Array.from(data.x.flat()));
        try {
          await expectError(() => network.fit({ buffer: xs, rows: 36, cols: 2 }, data.y, { validationSplit: 0.25 }), ArgumentError, ['options.validationSplit', 'GPU']);
        } finally {
          gpu.ctx.release(xs);
        }
      });
    },
  },
  {
    name: 'hiddenInto writes each hidden layer’s activations, transposed (a unit per row), into the caller’s buffer across chunks, equal to the float64 forward pass — one layer, or a list of them from one pass',
    async run(gpu) {
      const { x } = randomData(14, 23, 6, 4);
      const layers = [6, 5, 3, 4];
      await withNetwork(gpu, { layers, activation: ['tanh', 'relu'], seed: 2, epsilon: 1, maxBindingBytes: 7 * 4 * 6 }, async (network) => {
        const weights = await network.getWeights();
        const reference = { layers, head: 'sigmoid' as const, activations: ['tanh', 'relu'] as const, theta: weights.map((w, l) => hostMatrix(layers[l + 1]!, layers[l]! + 1, w)) };
        for (const layer of [2, 3]) {
          const s = layers[layer - 1]!;
          const target = gpu.output(`hidden ${layer}`, 1, s * 23, { offset: 4, tail: 2 });
          await network.hiddenInto(x, { layer, buffer: target.buffer, offset: target.offset });
          const want = new Float64Array(s * 23);
          x.forEach((row, i) => net.forward(reference, row).a[layer - 1]!.forEach((v, j) => (want[j * 23 + i] = v)));
          assertClose(`a⁽${layer}⁾ᵀ`, await gpu.read(target), want, { atol: 1e-5, rtol: 1e-5 });
        }
        // Both layers from one forward pass: the same values, each in its own buffer.
        const both = [2, 3].map((layer) => ({ layer, view: gpu.output(`hidden list ${layer}`, 1, layers[layer - 1]! * 23, { offset: 1, tail: 1 }) }));
        await network.hiddenInto(x, both.map(({ layer, view }) => ({ layer, buffer: view.buffer, offset: view.offset })));
        for (const { layer, view } of both) {
          const want = new Float64Array(layers[layer - 1]! * 23);
          x.forEach((row, i) => net.forward(reference, row).a[layer - 1]!.forEach((v, j) => (want[j * 23 + i] = v)));
          assertClose(`a⁽${layer}⁾ᵀ from the list`, await gpu.read(view), want, { atol: 1e-5, rtol: 1e-5 });
        }
        const target = gpu.output('hidden', 1, 5 * 23);
        await expectError(() => network.hiddenInto(x, []), ArgumentError, ['target', 'at least one']);
        await expectError(() => network.hiddenInto(x, [{ layer: 2, buffer: target.buffer }, { layer: 5, buffer: target.buffer }]), ArgumentError, ['target[1].layer', '2 … 3']);
        await expectError(() => network.hiddenInto(x, [{ layer: 3, buffer: target.buffer, offset: -1 }]), ArgumentError, ['target[0].offset']);
        await expectError(() => network.hiddenInto(x, { layer: 1, buffer: target.buffer }), ArgumentError, ['target.layer', '2 … 3']);
        await expectError(() => network.hiddenInto(x, { layer: 4, buffer: target.buffer }), ArgumentError, ['target.layer']);
        await expectError(() => network.hiddenInto(x, { layer: 2, buffer: target.buffer, offset: 1 }), ArgumentError, ['target.buffer', 'need 116']);
        await expectError(() => network.hiddenInto(x, { layer: 2, buffer: network.weightsView(1).buffer }), ArgumentError, ['target.buffer', "library's own"]);
        await expectError(() => network.hiddenInto(x, { layer: 2, buffer: target.buffer, ofset: 0 } as never), ArgumentError, ['target.ofset', "did you mean 'offset'"]);
      });
    },
  },
  {
    name: 'predictInto writes h into the caller’s buffer at an offset, across chunks, equal to predictProbabilities; weightsView shows Θ⁽ˡ⁾ in place',
    async run(gpu) {
      const { x } = randomData(12, 23, 6, 4);
      await withNetwork(gpu, { layers: [6, 5, 4], seed: 1, epsilon: 1, maxBindingBytes: 7 * 4 * 6 }, async (network) => {
        const target = gpu.vector('predictions', new Float32Array(23 * 4).fill(NaN), { offset: 5, tail: 3 });
        await network.predictInto(x, { buffer: target.buffer, offset: target.offset });
        assertClose('h in the buffer', await gpu.read(target), await network.predictProbabilities(x), { atol: 0, rtol: 0 });
        await expectError(() => network.predictInto(x, { buffer: target.buffer, offset: 10 }), ArgumentError, ['target.buffer', 'need 102']);
        await expectError(() => network.predictInto([[1, 2]], { buffer: target.buffer }), ArgumentError, ['x', '2 features']);
        // weightsView: Θ⁽²⁾ where it lives, as getWeights reads it.
        const view = network.weightsView(2);
        check(view.rows === 4 && view.cols === 6 && view.offset === 5 * 7, `Θ⁽²⁾ view ${view.rows}×${view.cols} at ${view.offset}`);
        const all = await gpu.ctx.read(view.buffer);
        assertClose('Θ⁽²⁾ through the view', all.subarray(view.offset, view.offset! + 24), (await network.getWeights())[1]!, { atol: 0, rtol: 0 });
        await expectError(() => network.weightsView(3), ArgumentError, ['layer', 'from 1 to 2']);
      });
    },
  },
  {
    name: 'zero-copy: fit, validation and predictInto take GPU buffers; nothing is read back while training or predicting; Θ equals the host-array run',
    async run(gpu) {
      const { x, y } = randomData(21, 37, 4, 3);
      const held = randomData(22, 9, 4, 3);
      const X = gpu.vector('gpu x', x.flat(), { offset: 3, tail: 2 });
      const Y = gpu.vector('gpu y', y, { offset: 1 });
      const VX = gpu.vector('gpu validation x', held.x.flat());
      const VY = gpu.vector('gpu validation y', held.y);
      // checkpointEvery: 0 — no checkpoint readbacks either: the fit reads back only its result.
      const options = { optimizer: 'adam' as const, learningRate: 0.05, epochs: 6, batchSize: 8, seed: 2, checkpointEvery: 0 };
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [4, 6, 3], seed: 5 }), new NeuralNetwork(gpu.ctx, { layers: [4, 6, 3], seed: 5 })], async (host, device) => {
        const a = await host.fit(x, y, { ...options, validation: held });
        const maps = await countMapAsync(X.buffer, async () => {
          const b = await device.fit(
            { buffer: X.buffer, offset: X.offset, rows: 37, cols: 4 }, { buffer: Y.buffer, offset: Y.offset, length: 37 },
            { ...options, validation: { x: { buffer: VX.buffer, rows: 9, cols: 4 }, y: { buffer: VY.buffer, length: 9 } } },
          );
          check(JSON.stringify(b.history) === JSON.stringify(a.history), 'the same history from GPU inputs as from arrays');
        });
        // One readback, after the last step, for the history fit() returns; none during training.
        check(maps === 1, `${maps} readbacks during a fit without onEpoch; want 1 (its result)`);
        assertClose('Θ from GPU inputs', await device.getTheta(), await host.getTheta(), { atol: 0, rtol: 0 });
        const out = gpu.output('predictions', 1, 37 * 3, { offset: 2, tail: 1 });
        const predictMaps = await countMapAsync(X.buffer, () => device.predictInto({ buffer: X.buffer, offset: X.offset, rows: 37, cols: 4 }, { buffer: out.buffer, offset: 2 }));
        check(predictMaps === 0, `${predictMaps} readbacks in predictInto from a GPU buffer; want 0`);
        assertClose('h from GPU to GPU', await gpu.read(out), await host.predictProbabilities(x), { atol: 0, rtol: 0 });
        const noCopy = gpu.ctx.createBuffer('test storage only', 64, BufferUsage.STORAGE);
        try {
          await expectError(() => device.fit({ buffer: noCopy, rows: 4, cols: 4 }, y.slice(0, 4)), ArgumentError, ['x.buffer', 'COPY_SRC']);
        } finally {
          gpu.ctx.release(noCopy);
        }
        await expectError(() => device.fit({ buffer: X.buffer, rows: 40, cols: 4 }, y), ArgumentError, ['x.buffer', 'need']);
        await expectError(() => device.fit({ buffer: X.buffer, rows: 37, cols: 4 }, { buffer: Y.buffer, length: 36 }), ArgumentError, ['y', '36 targets']);
        await expectError(() => device.predictInto({ buffer: X.buffer, rows: 2, cols: 5 }, { buffer: out.buffer }), ArgumentError, ['x', '5 features']);
      });
    },
  },
  {
    name: 'network with a linear output (squared-error head): cost, D and h match float64 with λ, the gradient check passes, it fits a non-linear function, and saves / loads',
    async run(gpu) {
      const rng = new Random(21);
      const x = Array.from({ length: 60 }, () => Array.from(rng.floats(2, -1, 1)));
      const y = x.map(([a, b]) => Math.fround(a! * b! + 0.5 * Math.sin(3 * a!)));
      const layers = [2, 8, 1];
      await withNetwork(gpu, { layers, output: 'linear', activation: 'tanh', seed: 5 }, async (network) => {
        const ref = { ...referenceOf(layers, 'linear', await network.getWeights()), activations: ['tanh' as const] };
        const want = net.networkCost(ref, toHost(x), y, 0.4);
        const got = await network.cost(x, y, { lambda: 0.4 });
        assertClose('J', [got.total], [want.total], { atol: 1e-6, rtol: 1e-5 });
        check(got.accuracy === null, `a linear output has no accuracy, got ${got.accuracy}`);
        const D = await network.gradients(x, y, { lambda: 0.4 });
        net.backprop(ref, toHost(x), y, 0.4).forEach((d, l) => assertClose(`D⁽${l + 1}⁾`, D[l]!, d.data, { atol: 2e-6, rtol: 1e-4 }));
        assertClose('h', await network.predict(x), x.map((row) => net.forward(ref, row).z[0]!), { atol: 1e-5, rtol: 1e-5 });
        const report = await network.gradientCheck(x.slice(0, 12), y.slice(0, 12), { lambda: 0.4 });
        check(report.relativeDifference < 1e-4, `gradient check ${report.relativeDifference}`);
        const before = (await network.cost(x, y)).mean;
        await network.fit(x, y, { optimizer: 'adam', learningRate: 0.02, batchSize: 10, epochs: 200 });
        const after = (await network.cost(x, y)).mean;
        check(after < before / 10 && after < 0.01, `J/m ${before} → ${after}: the network did not fit x₁x₂ + sin(3x₁)/2`);
        const json = JSON.parse(JSON.stringify(await network.toJSON()));
        check(json.head === 'linear', `saved head ${json.head}`);
        const loaded = NeuralNetwork.load(gpu.ctx, json);
        try {
          assertClose('predictions after load', await loaded.predict(x), await network.predict(x), { atol: 0, rtol: 0 });
        } finally {
          loaded.destroy();
        }
      });
      await expectError(() => new NeuralNetwork(gpu.ctx, { layers: [2, 3, 2], output: 'linear' }), ArgumentError, ['options.layers', 'linear output is one unit']);
    },
  },
  {
    name: 'evaluate(): the confusion matrix counted on the GPU equals predict() against the labels, with accuracy, cost and per-class precision, recall and F1 — softmax, K sigmoid units, one unit, chunked',
    async run(gpu) {
      const three = blobs(14, [[0, 0], [2, 0], [1, 2]], 15, 1.3);
      const two = { x: three.x, y: three.y.map((v) => (v === 0 ? 1 : 0)) };
      const setups: [string, NetworkOptions, { x: number[][]; y: number[] }][] = [
        ['softmax', { layers: [2, 6, 3], output: 'softmax', seed: 1 }, three],
        ['3 sigmoid units, in 4 chunks', { layers: [2, 6, 3], seed: 2, maxBindingBytes: 12 * 4 * 7 }, three],
        ['one unit (labels 0/1)', { layers: [2, 4, 1], seed: 3 }, two],
      ];
      for (const [name, options, data] of setups) {
        await withNetwork(gpu, options, async (network) => {
          await network.fit(data.x, data.y, { optimizer: 'adam', learningRate: 0.05, epochs: 15, batchSize: 9 });
          const report = await network.evaluate(data.x, data.y, { lambda: 0.5 });
          const predicted = await network.predict(data.x);
          const C = Math.max(2, options.layers.at(-1)!);
          const want = Array.from({ length: C }, () => new Array<number>(C).fill(0));
          data.y.forEach((t, i) => want[t]![predicted[i]!]!++);
          check(JSON.stringify(report.confusion) === JSON.stringify(want), `${name}: confusion ${JSON.stringify(report.confusion)}, predict() gives ${JSON.stringify(want)}`);
          const cost = await network.cost(data.x, data.y, { lambda: 0.5 });
          check(report.cost === cost.mean && Math.abs(report.accuracy - cost.accuracy!) < 1e-6, `${name}: cost ${report.cost} vs ${cost.mean}, accuracy ${report.accuracy} vs ${cost.accuracy}`);
          check(JSON.stringify(report.classes) === JSON.stringify(metricsOf(want).classes), `${name}: per-class report`);
          check(report.classes.reduce((s, c) => s + c.support, 0) === data.y.length, `${name}: supports`);
        });
      }
      await withNetwork(gpu, { layers: [2, 3, 1], output: 'linear' }, async (network) => {
        await expectError(() => network.evaluate(three.x, three.y), ArgumentError, ['evaluate', 'classifiers']);
      });
      // 5,000 classes, past the 4,096 whose 5,000² matrix would be kept: the per-class figures
      // from each example's predicted class, no matrix — the same report predict() implies.
      const K = 5000;
      const many = { x: Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]), y: Array.from({ length: 40 }, (_, i) => (i * 977) % K) };
      await withNetwork(gpu, { layers: [2, K], output: 'softmax', seed: 5 }, async (network) => {
        const report = await network.evaluate(many.x, many.y);
        const predicted = await network.predict(many.x);
        check(report.confusion === undefined, 'a 5,000-class evaluation kept its 25,000,000-count matrix');
        const hits = many.y.filter((t, i) => predicted[i] === t).length;
        check(report.accuracy === hits / 40, `accuracy ${report.accuracy}, predict() gives ${hits / 40}`);
        const sparse = new Map<number, number>();
        for (const t of many.y) sparse.set(t, (sparse.get(t) ?? 0) + 1);
        check(report.classes.length === K && [...sparse].every(([t, n]) => report.classes[t]!.support === n), 'per-class supports');
        const saidOf = (k: number) => predicted.filter((p) => p === k).length;
        check(report.classes.every((c, k) => c.precision === (saidOf(k) ? many.y.filter((t, i) => t === k && predicted[i] === k).length / saidOf(k) : 0)), 'per-class precision');
      });
    },
  },
  {
    name: 'labels: classes named by any strings or numbers — fit, cost, evaluate and validation take them (or one-hot rows), predict returns them, the model file keeps them; unknown labels refused by name',
    async run(gpu) {
      const data = blobs(15, [[0, 0], [2.5, 0], [1, 2.5]], 12, 1);
      const names = ['cat', 'dog', 'bird'] as const;
      const labelled = data.y.map((k) => names[k]!);
      const oneHot = data.y.map((k) => [0, 1, 2].map((c) => (c === k ? 1 : 0)));
      const options = { optimizer: 'adam' as const, learningRate: 0.05, epochs: 12, batchSize: 9 };
      const thetas: string[] = [];
      for (const y of [data.y, labelled, oneHot]) {
        const net = new NeuralNetwork(gpu.ctx, { layers: [2, 5, 3], output: 'softmax', seed: 3, classes: y === data.y ? undefined : [...names] });
        try {
          await net.fit(data.x, y, { ...options, validation: { x: data.x.slice(0, 6), y: y.slice(0, 6) } });
          thetas.push(Array.from(await net.getTheta()).join());
        } finally {
          net.destroy();
        }
      }
      check(thetas[0] === thetas[1] && thetas[0] === thetas[2], 'labels or one-hot rows trained differently from class indices');
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 5, 3], output: 'softmax', seed: 3, classes: [...names] })], async (network) => {
        await network.fit(data.x, labelled, options);
        const predicted: string[] = await network.predict(data.x);
        check(predicted.every((p) => (names as readonly string[]).includes(p)), `predict gave ${predicted.slice(0, 5)}`);
        const report = await network.evaluate(data.x, labelled);
        check(report.classes.map((c) => c.label).join() === 'cat,dog,bird', `report labels ${report.classes.map((c) => c.label)}`);
        check(report.accuracy === predicted.filter((p, i) => p === labelled[i]).length / labelled.length, 'accuracy against the predicted labels');
        const json = JSON.parse(JSON.stringify(await network.toJSON()));
        check(JSON.stringify(json.classes) === '["cat","dog","bird"]', `saved classes ${JSON.stringify(json.classes)}`);
        const loaded = NeuralNetwork.load<string>(gpu.ctx, json);
        try {
          check(JSON.stringify(await loaded.predict(data.x)) === JSON.stringify(predicted), 'the loaded model predicts other labels');
        } finally {
          loaded.destroy();
        }
        await expectError(() => network.fit(data.x, labelled.map((l, i) => (i === 3 ? 'cow' : l)), options), ArgumentError, ['y[3]', 'one of the classes', 'cow']);
        await expectError(() => network.cost(data.x, oneHot.map((r, i) => (i === 2 ? [1, 1, 0] : r))), ArgumentError, ['y[2]', 'one-hot']);
        await expectError(() => NeuralNetwork.load(gpu.ctx, { ...json, classes: ['cat', 'cat', 'bird'] }), ArgumentError, ['json.classes[1]', 'twice']);
      });
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 3, 1], seed: 1, classes: ['no', 'yes'] })], async (network) => {
        const yes = data.y.map((k) => (k === 0 ? 'yes' : 'no'));
        await network.fit(data.x, yes, options);
        const got: string[] = await network.predict(data.x);
        check(got.every((p) => p === 'yes' || p === 'no'), `one unit predicts ${got.slice(0, 4)}`);
      });
      const bad: [() => unknown, string[]][] = [
        [() => new NeuralNetwork(gpu.ctx, { layers: [2, 3], output: 'softmax', classes: ['a', 'b'] }), ['options.classes', '3 classes']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [2, 3], output: 'softmax', classes: ['a', 'b', 'a'] }), ['options.classes[2]', 'twice']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [2, 3], output: 'softmax', classes: ['a', NaN, 'c'] as never }), ['options.classes[1]']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [2, 1], output: 'linear', classes: [0, 1] }), ['options.classes', 'linear']],
      ];
      for (const [fn, parts] of bad) await expectError(fn, ArgumentError, parts);
    },
  },
  {
    name: 'summary(): layers, activations or heads, parameters per layer (bias weights included) and the total, as data and as a table',
    async run(gpu) {
      await withNetwork(gpu, { layers: [400, 25, 10], output: 'softmax', activation: 'relu' }, async (network) => {
        const s = network.summary();
        check(s.parameters === 25 * 401 + 10 * 26 && s.parameters === (await network.getTheta()).length, `total ${s.parameters}`);
        check(JSON.stringify(s.layers.map((l) => [l.units, l.kind, l.parameters ?? null])) === JSON.stringify([[400, 'input', null], [25, 'relu', 10025], [10, 'softmax', 260]]), JSON.stringify(s.layers));
        check(s.text.includes('relu') && s.text.includes('10,025') && s.text.includes('total parameters: 10,285'), s.text);
      });
      const model = new LinearRegression(gpu.ctx);
      try {
        check(model.summary().parameters === undefined && model.summary().layers[0]!.units === undefined, 'a model without features yet has no counts');
        await model.fit([[1, 2], [2, 1], [3, 3]], [1, 2, 3], { epochs: 2 });
        check(model.summary().parameters === 3 && model.summary().text.includes('linear'), model.summary().text);
      } finally {
        model.destroy();
      }
    },
  },
  {
    name: 'network bad input: layers, output, labels, weights — ArgumentError naming each',
    async run(gpu) {
      const bad: [() => unknown, string[]][] = [
        [() => new NeuralNetwork(gpu.ctx, { layers: [3] }), ['options.layers']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 0, 2] }), ['options.layers']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 1], output: 'softmax' }), ['options.layers', 'softmax']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 2], output: 'relu' as never }), ['options.output']],
        [() => new NeuralNetwork(gpu.ctx, { layers: [3, 2], epsilon: -1 }), ['options.epsilon']],
      ];
      for (const [fn, parts] of bad) await expectError(fn, ArgumentError, parts);
      await withNetwork(gpu, { layers: [2, 3, 3] }, async (network) => {
        const before = await network.getTheta();
        await expectError(() => network.fit([[0, 1]], [3]), ArgumentError, ['y[0]', 'class 0…2']);
        await expectError(() => network.fit([[0, 1, 2]], [1]), ArgumentError, ['x', '3 features', 'model has 2']);
        await expectError(() => network.setWeights([new Float32Array(9)]), ArgumentError, ['weights', '2 matrices']);
        await expectError(() => network.setWeights([new Float32Array(9), new Float32Array(11)]), ArgumentError, ['weights[1]', '3×4 = 12']);
        await expectError(() => network.gradientCheck([[0, 1]], [1], { epsilon: 0 }), ArgumentError, ['options.epsilon']);
        assertClose('Θ untouched', await network.getTheta(), before, { atol: 0, rtol: 0 });
      });
      // setWeights(getWeights()) of a network whose Θ⁽¹⁾ holds 160,400 values: every value set, none spread into a call.
      await withNetwork(gpu, { layers: [400, 400, 10], seed: 4 }, async (network) => {
        const weights = await network.getWeights();
        weights[0]![160_399] = 0.25;
        network.setWeights(weights);
        const back = await network.getWeights();
        check(back[0]!.length === 160_400 && back[0]![160_399] === 0.25 && back[1]![4009] === Math.fround(weights[1]![4009]!), 'setWeights(getWeights()) of 400-400-10 did not round-trip');
      });
    },
  },
];

export const networkCases = cases;
