// The regression family trained on the GPU, end to end: the lecture's house example against
// the normal equation, every optimiser and batching mode against the float64 reference trained
// the same way, logistic and softmax classifiers, determinism, divergence, bad input, pause /
// resume / cancel, and save / load.

import { HOUSES } from '../../src/data/houses.js';
import { ArgumentError, DivergenceError } from '../../src/gpu/errors.js';
import { LinearRegression } from '../../src/models/linear.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import * as ref from '../../src/reference/regression.js';
import type { EpochReport, TrainOptions } from '../../src/train/options.js';
import { assertClose, check, expectError } from '../support/compare.js';
import { blobs, linearData, toHost } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

/** Trains the float64 reference exactly as `options` tells the GPU to, from Θ = 0, without normalisation. */
function referenceFit(head: ref.HeadName, x: number[][], y: number[], K: number, o: TrainOptions & { learningRate: number; epochs: number }) {
  const design = ref.designMatrix(toHost(x));
  const batch = o.batchSize === undefined || o.batchSize === 'full' ? x.length : o.batchSize;
  return ref.trainReference(head, design, y, hostMatrix(K, design.cols), {
    learningRate: o.learningRate, epochs: o.epochs, batchSize: batch, shuffle: o.shuffle ?? true, seed: o.seed ?? 0,
    optimizer: o.optimizer, lambda: o.lambda, momentum: o.momentum, rateAt: scheduledRate(o),
  });
}

function bits(a: ArrayLike<number>): string {
  return Array.from(a, (v) => new Uint32Array(Float32Array.of(v).buffer)[0]!.toString(16)).join(',');
}

const linearModes: { name: string; options: TrainOptions & { learningRate: number; epochs: number } }[] = [
  { name: 'batch gradient descent', options: { learningRate: 0.5, epochs: 40 } },
  { name: 'stochastic descent in data order', options: { learningRate: 0.05, epochs: 6, batchSize: 1, shuffle: false } },
  { name: 'stochastic descent, seeded shuffle', options: { learningRate: 0.05, epochs: 6, batchSize: 1, seed: 3 } },
  { name: 'mini-batch of 4 (short last batch), shuffled', options: { learningRate: 0.2, epochs: 10, batchSize: 4, seed: 9 } },
  { name: 'momentum, mini-batch of 5', options: { learningRate: 0.05, epochs: 10, batchSize: 5, optimizer: 'momentum', lambda: 0.5 } },
  { name: 'Adam, mini-batch of 6', options: { learningRate: 0.05, epochs: 10, batchSize: 6, optimizer: 'adam', lambda: 0.2 } },
  { name: 'batch gradient descent, step schedule (α halved every 10 epochs)', options: { learningRate: 0.8, epochs: 40, learningRateSchedule: { step: { every: 10, factor: 0.5 } } } },
  { name: 'mini-batch of 4, exponential schedule (α × 0.9 per epoch)', options: { learningRate: 0.3, epochs: 10, batchSize: 4, seed: 2, learningRateSchedule: { exponential: { rate: 0.9 } } } },
  { name: 'Adam, mini-batch of 6, α(e) = α/(1 + e)', options: { learningRate: 0.05, epochs: 10, batchSize: 6, optimizer: 'adam', learningRateSchedule: (e, a) => a / (1 + e) } },
  // The function gets the fit's initial α, not the current rate (Keras's scheduler): this is ½α throughout (docs/api.md).
  { name: 'a Keras-style schedule (e, lr) => lr · 0.5 is ½α every epoch: the initial α is passed', options: { learningRate: 0.4, epochs: 8, learningRateSchedule: (_e, a) => a * 0.5 } },
];

/** α of epoch e as the lecture's schedules define it, written out independently of the library. */
function scheduledRate(o: TrainOptions & { learningRate: number }): (e: number) => number {
  const s = o.learningRateSchedule;
  if (typeof s === 'function') return (e) => s(e, o.learningRate);
  if (s && 'step' in s) return (e) => o.learningRate * s.step.factor ** Math.floor(e / s.step.every);
  if (s && 'exponential' in s) return (e) => o.learningRate * s.exponential.rate ** e;
  return () => o.learningRate;
}

const cases: GpuCase[] = [
  {
    name: 'labels for the regression family: softmax and logistic regression take and predict any strings or numbers, one-hot rows too, and save them',
    async run(gpu) {
      const three = blobs(16, [[-2, -1], [2, -1], [0, 2]], 10, 1);
      const names = ['setosa', 'versicolor', 'virginica'];
      const opts = { learningRate: 0.5, epochs: 30 };
      await using(() => [new SoftmaxRegression(gpu.ctx, { classes: names }), new SoftmaxRegression(gpu.ctx, { classes: 3 })], async (named, plain) => {
        await named.fit(three.x, three.y.map((k) => names[k]!), opts);
        await plain.fit(three.x, three.y.map((k) => [0, 1, 2].map((c) => (c === k ? 1 : 0))), opts);
        check(Array.from(await named.getTheta()).join() === Array.from(await plain.getTheta()).join(), 'labels and one-hot rows trained differently');
        const labels: string[] = await named.predict(three.x);
        const indices: number[] = await plain.predict(three.x);
        check(labels.every((l, i) => l === names[indices[i]!]), 'predicted labels are not the indices’ names');
        const loaded = SoftmaxRegression.load<string>(gpu.ctx, await named.toJSON());
        try {
          check(JSON.stringify(await loaded.predict(three.x)) === JSON.stringify(labels), 'the loaded model predicts other labels');
        } finally {
          loaded.destroy();
        }
      });
      const two = three.y.map((k) => (k === 2 ? 'spam' : 'ham'));
      await using(() => [new LogisticRegression(gpu.ctx, { classes: ['ham', 'spam'] })], async (model) => {
        await model.fit(three.x, two, opts);
        const got: string[] = await model.predict(three.x);
        check(got.filter((g, i) => g === two[i]).length >= 27, `logistic with labels: ${got.join()}`);
        await expectError(() => model.fit(three.x, two.map((l, i) => (i === 0 ? 'eggs' : l)), opts), ArgumentError, ['y[0]', 'one of the classes']);
      });
      await expectError(() => new LogisticRegression(gpu.ctx, { classes: ['a'] as never }), ArgumentError, ['options.classes', '2 classes']);
      await expectError(() => new SoftmaxRegression(gpu.ctx, { classes: ['a'] }), ArgumentError, ['options.classes']);
    },
  },
  {
    // A per-example cost of 1e−35 still counts: J is compared per example (m = 1), so nothing
    // but the head's own arithmetic stands between the GPU and float64.
    name: 'exact reported costs: cross-entropy and softmax keep their small terms — float64 within 1e-6 relative for logits up to ±80',
    async run(gpu) {
      const logits = [0.5, 5, 12, 17, 20, 40, 60, 80].flatMap((v) => [v, -v]);
      const worst: string[] = [];
      const compare = (what: string, got: number, want: number) => {
        if (!(Math.abs(got - want) <= 1e-6 * Math.abs(want))) worst.push(`${what}: GPU ${got}, float64 ${want}`);
      };
      await using(
        () => [new LogisticRegression(gpu.ctx, { normalize: false }), new SoftmaxRegression(gpu.ctx, { classes: 3, normalize: false })],
        async (logistic, softmax) => {
          for (const s of logits) {
            logistic.setParameters([s, 0]);
            for (const label of [0, 1]) compare(`logistic z = ${s}, y = ${label}`, (await logistic.cost([[0]], [label])).total, ref.exampleCost('logistic', [s], label));
            // Three classes at s, 0 and −s/2: the far ones contribute e^(−1.5|s|) and less.
            softmax.setParameters([[s, 0], [0, 0], [-s / 2, 0]]);
            for (const label of [0, 1, 2]) compare(`softmax z = (${s}, 0, ${-s / 2}), y = ${label}`, (await softmax.cost([[0]], [label])).total, ref.exampleCost('softmax', [s, 0, -s / 2], label));
          }
        },
      );
      check(worst.length === 0, worst.join('\n'));
      // The example: θ = [0, 12] on x = 1, y = 1 costs log(1 + e⁻¹²) = 6.144e−6, not 6.199e−6.
      await using(() => [new LogisticRegression(gpu.ctx, { normalize: false })], async (model) => {
        model.setParameters([0, 12]);
        const { total } = await model.cost([[1]], [1]);
        check(Math.abs(total - Math.log1p(Math.exp(-12))) <= 1e-6 * 6.144e-6, `J = ${total}`);
      });
    },
  },
  {
    name: 'linear regression: the house example (area, bedrooms → price) matches the normal equation to 1e-3, with 2 features and with 1',
    async run(gpu) {
      for (const columns of [[0, 1], [0]]) {
        const x = HOUSES.x.map((row) => columns.map((c) => row[c]!));
        const y = [...HOUSES.y];
        await using(
          () => [new LinearRegression(gpu.ctx)],
          async (model) => {
            const result = await model.fit(x, y, { learningRate: 0.3, epochs: 400 });
            check(result.status === 'completed' && result.history.length === 400, `status ${result.status}, ${result.history.length} epochs`);
            const want = ref.normalEquation(ref.designMatrix(toHost(x)), y);
            const got = await model.getRawTheta();
            assertClose(`θ for raw inputs (${columns.length} feature(s)) vs the normal equation`, got, want, { atol: 1e-9, rtol: 1e-3 });
            // Predictions on raw inputs go through the stored μ, σ.
            const predicted = await model.predict(x);
            const expected = x.map((row) => want[0]! + row.reduce((s, v, j) => s + v * want[j + 1]!, 0));
            assertClose('predictions on raw inputs', predicted, expected, { atol: 1e-9, rtol: 1e-4 });
            const cost = await model.cost(x, y);
            const jWant = ref.cost('linear', ref.designMatrix(toHost(x)), y, hostMatrix(1, want.length, want));
            assertClose('J = ½Σ(h − y)² and J/m at the optimum', [cost.total, cost.mean], [jWant.total, jWant.mean], { atol: 1e-6, rtol: 1e-3 });
            check(Math.abs(result.history.at(-1)!.cost - cost.mean) <= 1e-3 * cost.mean, `last epoch cost ${result.history.at(-1)!.cost} vs cost() ${cost.mean}`);
          },
        );
      }
    },
  },
  ...linearModes.map(
    ({ name, options }): GpuCase => ({
      name: `linear regression, ${name}: θ and the cost history match the float64 reference trained the same way`,
      async run(gpu) {
        const { x, y } = linearData(5, 13, 3);
        await using(
          () => [new LinearRegression(gpu.ctx, { normalize: false })],
          async (model) => {
            const seen: EpochReport[] = [];
            const result = await model.fit(x, y, { ...options, onEpoch: (r) => seen.push(r) });
            const want = referenceFit('linear', x, y, 1, options);
            // f32 against f64 over a few hundred steps: errors stay ~1e-6 relative to |θ| ≈ 1.
            assertClose('θ', await model.getParameters(), want.theta.data, { atol: 2e-5, rtol: 1e-4 });
            assertClose('cost per epoch', result.history.map((h) => h.cost), want.history, { atol: 1e-6, rtol: 1e-4 });
            check(seen.length === options.epochs && seen.every((r, i) => r.epoch === i && r.accuracy === null), 'onEpoch called once per epoch, in order');
          },
        );
      },
    }),
  ),
  {
    name: 'linear regression on data split into chunks: full batch and mini-batch match the reference',
    async run(gpu) {
      const { x, y } = linearData(8, 40, 9);
      for (const options of [{ learningRate: 0.3, epochs: 15 }, { learningRate: 0.1, epochs: 4, batchSize: 7, seed: 2 }]) {
        await using(
          // 40 floats of 4 bytes per binding: 4 examples of 10 columns per chunk, 10 chunks.
          () => [new LinearRegression(gpu.ctx, { normalize: false, maxBindingBytes: 160 })],
          async (model) => {
            await model.fit(x, y, options);
            const want = referenceFit('linear', x, y, 1, options);
            assertClose(`θ (${options.batchSize ?? 'full'} batch, chunked)`, await model.getParameters(), want.theta.data, { atol: 2e-5, rtol: 1e-4 });
          },
        );
      }
    },
  },
  {
    name: 'training is deterministic: the same seed, data and options give bit-identical θ; another seed does not',
    async run(gpu) {
      const { x, y } = linearData(12, 50, 4);
      const options: TrainOptions = { learningRate: 0.02, epochs: 5, batchSize: 8, optimizer: 'adam', seed: 4 };
      const thetas: string[] = [];
      for (const seed of [4, 4, 5]) {
        await using(
          () => [new LinearRegression(gpu.ctx)],
          async (model) => {
            await model.fit(x, y, { ...options, seed });
            thetas.push(bits(await model.getParameters()));
          },
        );
      }
      check(thetas[0] === thetas[1], `two runs differ:\n${thetas[0]}\n${thetas[1]}`);
      check(thetas[0] !== thetas[2], 'a different shuffle seed gave the same θ');
    },
  },
  {
    name: 'divergence: α too large stops training with a clear error and keeps the best epoch’s θ (never NaN)',
    async run(gpu) {
      const x = HOUSES.x.map((r) => [...r]);
      const y = [...HOUSES.y];
      // Unnormalised areas of ~2000 m²: any useful α overshoots.
      await using(
        () => [new LinearRegression(gpu.ctx, { normalize: false })],
        async (model) => {
          const e = (await expectError(() => model.fit(x, y, { learningRate: 0.1, epochs: 50 }), DivergenceError, ['diverged', 'α = 0.1', 'try α = 0.01', 'normalise'])) as DivergenceError;
          check(e.epoch === 1 && e.restoredEpoch === 0, `stopped at ${e.epoch}, restored ${e.restoredEpoch}`);
          const theta = await model.getParameters();
          assertClose('θ restored to epoch 0 (all zeros)', theta, [0, 0, 0], { atol: 0, rtol: 0 });
          const e2 = (await expectError(() => model.fit(x, y, { learningRate: 1e30, epochs: 5 }), DivergenceError, ['NaN or infinite'])) as DivergenceError;
          check(e2.history.length === e2.epoch + 1, 'history runs to the epoch that stopped');
          check((await model.getParameters()).every(Number.isFinite), 'θ is finite after a non-finite cost');
        },
      );
      // Normalised features, α just past 2/L: the cost first falls, then grows. θ is that of the best epoch.
      const { x: xs, y: ys } = linearData(30, 20, 2, 0.5);
      await using(
        () => [new LinearRegression(gpu.ctx, { normalize: false })],
        async (model) => {
          const design = ref.designMatrix(toHost(xs));
          let top = 0; // largest eigenvalue of X̃ᵀX̃/m by power iteration
          let v = [1, 1, 1];
          for (let it = 0; it < 200; it++) {
            const w = [0, 0, 0];
            for (let i = 0; i < xs.length; i++) {
              const row = design.data.subarray(i * 3, i * 3 + 3);
              const d = row[0]! * v[0]! + row[1]! * v[1]! + row[2]! * v[2]!;
              for (let j = 0; j < 3; j++) w[j] = w[j]! + (d * row[j]!) / xs.length;
            }
            top = Math.hypot(...w);
            v = w.map((c) => c / top);
          }
          const alpha = 2.2 / top;
          const e = (await expectError(() => model.fit(xs, ys, { learningRate: alpha, epochs: 200 }), DivergenceError, ['diverged'])) as DivergenceError;
          check(e.restoredEpoch >= 0 && e.restoredEpoch < e.epoch, `restored ${e.restoredEpoch}, stopped ${e.epoch}`);
          const best = ref.trainReference('linear', design, ys, hostMatrix(1, 3), { learningRate: alpha, epochs: e.restoredEpoch });
          assertClose('θ of the best epoch', await model.getParameters(), best.theta.data, { atol: 1e-5, rtol: 1e-4 });
        },
      );
    },
  },
  {
    name: 'logistic regression: separable and overlapping 2-D data — accuracy, and θ agrees with the float64 reference',
    async run(gpu) {
      const sets = [
        { name: 'separable', data: blobs(3, [[-2, -1], [2, 1.5]], 20, 1.2), minAccuracy: 1 },
        { name: 'overlapping', data: blobs(4, [[-0.5, 0], [0.5, 0.3]], 30, 1.5), minAccuracy: 0.6 },
      ];
      for (const { name, data, minAccuracy } of sets) {
        const options = { learningRate: 0.5, epochs: 60, lambda: 0.1 };
        await using(
          () => [new LogisticRegression(gpu.ctx, { normalize: false })],
          async (model) => {
            const result = await model.fit(data.x, data.y, options);
            const want = referenceFit('logistic', data.x, data.y, 1, options);
            assertClose(`${name}: θ`, await model.getTheta(), want.theta.data, { atol: 1e-5, rtol: 1e-4 });
            const design = ref.designMatrix(toHost(data.x));
            const wantAcc = ref.cost('logistic', design, data.y, want.theta).accuracy;
            const labels = await model.predict(data.x);
            const acc = labels.reduce((s, l, i) => s + (l === data.y[i] ? 1 : 0), 0) / data.y.length;
            check(acc === wantAcc && acc >= minAccuracy, `${name}: accuracy ${acc}, reference ${wantAcc}, need ≥ ${minAccuracy}`);
            check(Math.abs(result.history.at(-1)!.accuracy! - wantAcc) <= 0.05, `${name}: epoch accuracy ${result.history.at(-1)!.accuracy}`);
            const p = await model.predictProbability(data.x.slice(0, 4));
            check(p.every((v, i) => (v >= 0.5 ? 1 : 0) === labels[i]), 'labels are probabilities thresholded at 0.5');
            const boundary = await model.decisionBoundary();
            const [x1, x2] = [0.3, boundary.x2(0.3)];
            check(Math.abs((await model.predictProbability([[x1, x2]]))[0]! - 0.5) < 1e-3, 'h = 0.5 on the decision boundary');
          },
        );
      }
    },
  },
  {
    name: 'softmax regression: a 3-class example trains to full accuracy and agrees with the float64 reference',
    async run(gpu) {
      const data = blobs(6, [[0, 0], [4, 4], [8, 0]], 10, 1.5);
      const options: TrainOptions & { learningRate: number; epochs: number } = { learningRate: 0.2, epochs: 30, batchSize: 10, seed: 1, lambda: 0.05 };
      await using(
        () => [new SoftmaxRegression(gpu.ctx, { classes: 3, normalize: false })],
        async (model) => {
          const result = await model.fit(data.x, data.y, options);
          const want = referenceFit('softmax', data.x, data.y, 3, options);
          assertClose('Θ', await model.getTheta(), want.theta.data, { atol: 2e-5, rtol: 2e-4 });
          const labels = await model.predict(data.x);
          check(labels.every((l, i) => l === data.y[i]), `labels ${Array.from(labels)}`);
          check(result.history.at(-1)!.accuracy === 1, `last epoch accuracy ${result.history.at(-1)!.accuracy}`);
          const rows = await model.getParameters();
          check(rows.length === 3 && rows[0]!.length === 3, 'θₖ: K rows of n + 1');
        },
      );
    },
  },
  {
    name: 'softmax regression with K = 100 classes trains like the float64 reference; θₖ rows set and read back',
    async run(gpu) {
      const K = 100;
      const centers = Array.from({ length: K }, (_, k) => [Math.cos((2 * Math.PI * k) / K) * 4, Math.sin((2 * Math.PI * k) / K) * 4, (k % 7) - 3]);
      const data = blobs(12, centers, 2, 0.2);
      const options: TrainOptions & { learningRate: number; epochs: number } = { learningRate: 0.5, epochs: 8, batchSize: 50, seed: 3 };
      await using(
        () => [new SoftmaxRegression(gpu.ctx, { classes: K, normalize: false })],
        async (model) => {
          await model.fit(data.x, data.y, options);
          const want = referenceFit('softmax', data.x, data.y, K, options);
          assertClose('Θ (4 × 100)', await model.getTheta(), want.theta.data, { atol: 2e-5, rtol: 2e-4 });
          const theta = await model.getTheta();
          const rows = await model.getParameters();
          check(rows.length === K && rows.every((r, k) => r.every((v, j) => v === theta[k * r.length + j])), 'row k of getParameters is θₖ, row k of Θ');
          const flipped = rows.map((r) => r.map((v) => -v));
          model.setParameters(flipped);
          assertClose('setParameters(rows) → getTheta', await model.getTheta(), Array.from(theta, (v) => -v), { atol: 0, rtol: 0 });
        },
      );
    },
  },
  {
    name: 'softmax with K = 2 equals logistic regression (θ₁ − θ₀ = θ, with α halved: the over-parameterisation)',
    async run(gpu) {
      const data = blobs(9, [[-1, 0], [1, 0.5]], 15, 2);
      await using(
        () => [new LogisticRegression(gpu.ctx, { normalize: false }), new SoftmaxRegression(gpu.ctx, { classes: 2, normalize: false })],
        async (logistic, softmax) => {
          await logistic.fit(data.x, data.y, { learningRate: 0.4, epochs: 25 });
          await softmax.fit(data.x, data.y, { learningRate: 0.2, epochs: 25 });
          const [t0, t1] = await softmax.getParameters();
          assertClose('θ₁ − θ₀', t1!.map((v, j) => v - t0![j]!), await logistic.getTheta(), { atol: 2e-5, rtol: 1e-4 });
        },
      );
    },
  },
  {
    name: 'bad input: a clear ArgumentError naming the argument; the model and the caller’s arrays are untouched',
    async run(gpu) {
      await using(
        () => [new LinearRegression(gpu.ctx), new LogisticRegression(gpu.ctx), new SoftmaxRegression(gpu.ctx, { classes: 3 })],
        async (linear, logistic, softmax) => {
          const x = [[1, 2], [3, 4], [5, 7]];
          const y = [1, 0, 1];
          const snapshot = JSON.stringify([x, y]);
          await linear.fit(x, y, { epochs: 3 });
          const before = bits(await linear.getTheta());
          const bad: [() => unknown, string[]][] = [
            [() => linear.fit(x, [1, 2]), ['y', '2 targets', '3 examples']],
            [() => linear.fit([[1, 2], [3]], [1, 2]), ['x[1]', '2 features']],
            [() => linear.fit([[1, NaN], [3, 4]], [1, 2]), ['x[0][1]', 'finite', 'NaN']],
            [() => linear.fit([[1, 2], [3, 4]], [1, Infinity]), ['y[1]', 'finite', 'Infinity']],
            [() => linear.fit([[1, 1e39], [3, 4]], [1, 2]), ['x[0][1]', 'f32']],
            [() => linear.fit([], []), ['x', 'zero examples']],
            [() => linear.fit(x, y, { learningRate: 0 }), ['options.learningRate', '> 0']],
            [() => linear.fit(x, y, { learningRate: -1 }), ['options.learningRate']],
            [() => linear.fit(x, y, { batchSize: 4 }), ['options.batchSize', 'only 3 examples']],
            [() => linear.fit(x, y, { epochs: 1.5 }), ['options.epochs']],
            [() => linear.fit([[1, 2, 3]], [1]), ['x', '3 features', 'model has 2']],
            [() => logistic.fit(x, [0, 2, 1]), ['y[1]', 'label 0 or 1', '2']],
            [() => logistic.fit(x, [0, 0.5, 1]), ['y[1]', 'label 0 or 1']],
            [() => softmax.fit(x, [0, 3, 1]), ['y[1]', 'class 0…2']],
            [() => softmax.fit(x, [0, -1, 1]), ['y[1]', 'class 0…2']],
            [() => new SoftmaxRegression(gpu.ctx, { classes: 1 }), ['options.classes']],
            [() => linear.setTheta([1, 2]), ['theta', 'features']],
            [() => linear.setTheta([1, 2, NaN]), ['theta[2]', 'finite']],
            [() => linear.cost(x, y, { lambda: -1 }), ['options.lambda']],
          ];
          for (const [fn, parts] of bad) await expectError(fn, ArgumentError, parts);
          check(JSON.stringify([x, y]) === snapshot, 'the caller’s arrays were modified');
          check(bits(await linear.getTheta()) === before, 'a rejected call changed θ');
        },
      );
    },
  },
  {
    name: 'a run can be paused, resumed and cancelled between command buffers; an AbortSignal cancels too',
    async run(gpu) {
      const { x, y } = linearData(14, 16, 2);
      await using(
        () => [new LinearRegression(gpu.ctx), new LinearRegression(gpu.ctx)],
        async (model, other) => {
          const seen: number[] = [];
          let resolveFirst!: () => void;
          const first = new Promise<void>((r) => (resolveFirst = r));
          const run = model.fit(x, y, { epochs: 400, stepsPerSubmit: 2, onEpoch: (r) => (seen.push(r.epoch), resolveFirst()) });
          await first;
          run.pause();
          check(run.state === 'paused', `state ${run.state}`);
          await new Promise((r) => setTimeout(r, 100)); // in-flight command buffers finish
          const atPause = seen.length;
          await new Promise((r) => setTimeout(r, 150));
          check(seen.length === atPause, `epochs ran while paused: ${atPause} → ${seen.length}`);
          run.resume();
          while (seen.length < atPause + 3) await new Promise((r) => setTimeout(r, 5));
          run.cancel();
          const result = await run;
          check(result.status === 'cancelled' && result.epochs < 400 && result.epochs >= atPause + 3, `status ${result.status}, ${result.epochs} epochs`);
          check(seen.every((e, i) => e === i), 'epochs reported in order, none skipped');
          check((await model.getTheta()).every(Number.isFinite), 'θ is consistent after cancel');

          const controller = new AbortController();
          const aborted = other.fit(x, y, { epochs: 400, stepsPerSubmit: 2, signal: controller.signal, onEpoch: () => controller.abort() });
          const r2 = await aborted;
          check(r2.status === 'cancelled' && r2.epochs < 400, `signal: ${r2.status} after ${r2.epochs}`);

          // Aborting a paused run wakes it and cancels it.
          const later = new AbortController();
          let paused!: () => void;
          const pausedOnce = new Promise<void>((r) => (paused = r));
          const sleeping = model.fit(x, y, { epochs: 400, stepsPerSubmit: 2, signal: later.signal, onEpoch: () => (sleeping.pause(), paused()) });
          await pausedOnce;
          later.abort();
          const r3 = await sleeping;
          check(r3.status === 'cancelled' && sleeping.state === 'cancelled', `abort while paused: ${r3.status}, state ${sleeping.state}`);
        },
      );
    },
  },
  {
    name: 'save / load: JSON round trip gives the same parameters, normalisation and predictions',
    async run(gpu) {
      const data = blobs(10, [[100, 5], [300, 9], [200, 20]], 6, 20);
      await using(
        () => [new SoftmaxRegression(gpu.ctx, { classes: 3 })],
        async (model) => {
          await model.fit(data.x, data.y, { epochs: 20, learningRate: 0.5 });
          const json = JSON.parse(JSON.stringify(await model.toJSON()));
          const loaded = SoftmaxRegression.load(gpu.ctx, json);
          try {
            assertClose('probabilities after load', await loaded.predictProbabilities(data.x), await model.predictProbabilities(data.x), { atol: 0, rtol: 0 });
            check(JSON.stringify(await loaded.toJSON()) === JSON.stringify(json), 'saving the loaded model gives the same JSON');
            await expectError(() => LinearRegression.load(gpu.ctx, json), ArgumentError, ['json.head']);
            await expectError(() => SoftmaxRegression.load(gpu.ctx, { ...json, version: 2 }), ArgumentError, ['json.version']);
          } finally {
            loaded.destroy();
          }
        },
      );
    },
  },
];

export const regressionCases = cases;
