// Many models trained at once (src/select/train-many.ts), in Node and in Chromium: each model's
// Θ and history are bit for bit those of the same model trained alone with fit() — for 1, 2, 7
// and 64 models, λ, α and seeds mixed, full batches and mini-batches, every optimiser, networks
// and normalising regression models, with a validation set, and the checkpoints they take
// (Θ at the same epochs, the same bits); a model that diverges stops alone
// and the others are still their own fits; cancelling stops every one; bad calls are refused by
// name before anything is allocated, too many models with the number that fit.

import { ArgumentError } from '../../src/gpu/errors.js';
import type { DenseModel } from '../../src/models/dense.js';
import { LinearRegression } from '../../src/models/linear.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { gridSearch, splitsOf } from '../../src/select/search.js';
import { type ModelOutcome, trainMany, trainSets } from '../../src/select/train-many.js';
import type { TrainOptions } from '../../src/train/options.js';
import { check, expectError } from '../support/compare.js';
import { blobs } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';

const train = blobs(31, [[-1, -1, 0.5, 2], [1, 0, -0.5, 1], [0, 1.5, 1, 0]], 14, 1.4);
const held = blobs(32, [[-1, -1, 0.5, 2], [1, 0, -0.5, 1], [0, 1.5, 1, 0]], 6, 1.4);
const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;

/** Θ and every history figure as exact bits: equal strings mean bit-identical fits. */
async function fingerprint(model: DenseModel, result: { status: string; epochs: number; history: { cost: number; accuracy: number | null; validation?: { cost: number; accuracy: number | null } }[] }): Promise<string> {
  const h = result.history.map((r) => [r.cost, r.accuracy, r.validation?.cost, r.validation?.accuracy].join(':')).join(',');
  return `${result.status} ${result.epochs} θ=${Array.from(await model.getTheta()).join(',')} history=${h}`;
}

/**
 * The i-th of `count` settings: λ, α, optimiser and the model's seed varied; every third model
 * takes mini-batches of 8 in the order of seed 1, the others the full batch — two sets of fits
 * whose steps agree, which trainMany runs as one each.
 */
function settings(i: number, epochs: number): { seed: number; options: TrainOptions } {
  const mini = i % 3 === 2;
  return {
    seed: 100 + i,
    options: { lambda: [0, 0.1, 1][i % 3], learningRate: [0.05, 0.02, 0.1, 0.01][i % 4], optimizer: OPTIMIZERS[(i >> 1) % 3], batchSize: mini ? 8 : 'full', seed: mini ? 1 : 0, epochs },
  };
}

/** How many of `count` settings take the same steps as setting i: the models its fit runs as one with. */
function expectedTogether(i: number, count: number): number {
  return Array.from({ length: count }, (_, j) => j).filter((j) => (j % 3 === 2) === (i % 3 === 2)).length;
}

/** Trains `count` models of `make` together, then each alone again, and requires the same bits. */
async function sameAsAlone(gpu: Parameters<GpuCase['run']>[0], what: string, count: number, make: (seed: number) => DenseModel, epochs: number, validation = true): Promise<void> {
  const runs = Array.from({ length: count }, (_, i) => settings(i, epochs));
  const together = runs.map((r) => make(r.seed));
  const alone = runs.map((r) => make(r.seed));
  try {
    const outcomes = await trainMany(together, train.x, train.y, { train: runs.map((r) => r.options), ...(validation ? { validation: held } : {}) });
    for (let i = 0; i < count; i++) {
      const o = outcomes[i]!;
      check('result' in o, `${what}, model ${i}: ${o.status} ${'error' in o ? o.error.message : ''}`);
      check(o.together === expectedTogether(i, count), `${what}, model ${i}: ran as one with ${o.together} models, not the ${expectedTogether(i, count)} whose steps agree`);
      const single = await alone[i]!.fit(train.x, train.y, { ...runs[i]!.options, ...(validation ? { validation: held } : {}) });
      const [a, b] = [await fingerprint(together[i]!, o.result), await fingerprint(alone[i]!, single)];
      check(a === b, `${what}, model ${i} of ${count} (${JSON.stringify(runs[i]!.options)}): trained together it is not its own fit:\n  together ${a.slice(0, 300)}\n  alone    ${b.slice(0, 300)}`);
    }
  } finally {
    for (const m of [...together, ...alone]) m.destroy();
  }
}

/**
 * Trains `perFold` models of `make` on each of `folds` folds of train + held (k-fold splits, each
 * fold's training part normalised by its own statistics), every fold's models in one FitGroup
 * (trainSets), then each alone on its fold, and requires the same bits. `extra` examples beyond a
 * multiple of `folds` make the folds' sizes differ: only folds of one size are stacked.
 */
async function foldsAsAlone(gpu: Parameters<GpuCase['run']>[0], what: string, folds: number, perFold: number, make: (seed: number) => DenseModel, epochs: number, extra = 0, target: (label: number) => number = (v) => v, more: (i: number) => TrainOptions = () => ({})): Promise<string[][]> {
  const all = { x: [...train.x, ...held.x.slice(0, held.x.length - extra)], y: [...train.y, ...held.y.slice(0, held.y.length - extra)].map(target) };
  const splits = splitsOf(all.x, all.y, { grid: {}, folds, seed: 3 });
  const runs = Array.from({ length: perFold }, (_, i) => settings(i, epochs)).map((r, i) => ({ ...r, options: { ...r.options, ...more(i) } }));
  const together = splits.map(() => runs.map((r) => make(r.seed)));
  const alone = splits.map(() => runs.map((r) => make(r.seed)));
  const size = (f: number) => `${splits[f]!.train.x.rows}/${splits[f]!.held.x.rows}`;
  const sizes = splits.map((_, f) => size(f));
  try {
    const outcomes = await trainSets(splits.map((split, f) => ({
      sharing: together[f]!.map((m) => m.sharing()), each: runs.map((r) => r.options), x: split.train.x, y: split.train.y as never, validation: split.held as never,
    })), {});
    for (const [f, split] of splits.entries()) {
      for (let i = 0; i < perFold; i++) {
        const o = outcomes[f]![i]!;
        check('result' in o, `${what}, fold ${f} model ${i}: ${o.status} ${'error' in o ? o.error.message : ''}`);
        // Every fold of its size (folds of another size take other steps); only those fits of each whose steps agree.
        const want = expectedTogether(i, perFold) * sizes.filter((s) => s === size(f)).length;
        check(o.together === want, `${what}, fold ${f} model ${i}: ran as one with ${o.together} models, not ${want} (fold sizes ${sizes.join(', ')})`);
        const single = await alone[f]![i]!.fit(split.train.x, split.train.y as never, { ...runs[i]!.options, validation: split.held as never });
        const [a, b] = [await fingerprint(together[f]![i]!, o.result), await fingerprint(alone[f]![i]!, single)];
        check(a === b, `${what}, fold ${f} model ${i} (${JSON.stringify(runs[i]!.options)}): trained with the other folds it is not its own fit:\n  together ${a.slice(0, 300)}\n  alone    ${b.slice(0, 300)}`);
      }
    }
    return outcomes.map((fold) => fold.map((o) => o.status));
  } finally {
    for (const m of [...together.flat(), ...alone.flat()]) m.destroy();
  }
}

const network = (gpu: Parameters<GpuCase['run']>[0], output: 'softmax' | 'sigmoid') => (seed: number) => new NeuralNetwork(gpu.ctx, { layers: [4, 6, 3], activation: 'tanh', output, seed });

const cases: GpuCase[] = [
  {
    name: 'trainSets: the folds of a cross-validation trained as one stack (each fold its own statistics, x̃, targets and validation set) are each bit-identical to their own fit — networks, softmax, linear and logistic regression (polynomial features too), full and mini-batches, every optimiser; folds of unequal sizes stack by size',
    async run(gpu) {
      await foldsAsAlone(gpu, '3 folds of 6 softmax networks (sgd, momentum and Adam)', 3, 6, network(gpu, 'softmax'), 10);
      // Early stopping on each fold's own validation set, read live: one model stops at once, one may run on.
      const early = await foldsAsAlone(gpu, '2 folds of 3 networks stopping early on their own folds', 2, 3, network(gpu, 'softmax'), 14, 0, (v) => v, (i) => ({ earlyStopping: i === 0 ? { patience: 1, minDelta: 1e9, restoreBest: false } : { patience: 3 } }));
      check(early.every((fold) => fold[0] === 'early-stopped'), `the first model of each fold stops early: ${JSON.stringify(early)}`);
      await foldsAsAlone(gpu, '5 folds of one network (a single configuration: a stack of one model a fold)', 5, 1, network(gpu, 'softmax'), 8);
      await foldsAsAlone(gpu, '5 folds of one softmax regression', 5, 1, () => new SoftmaxRegression(gpu.ctx, { classes: 3 }), 8);
      await foldsAsAlone(gpu, '4 folds of 16 networks (64 models)', 4, 16, network(gpu, 'softmax'), 4);
      await foldsAsAlone(gpu, '5 folds of 3 swish-GELU networks', 5, 3, (seed) => new NeuralNetwork(gpu.ctx, { layers: [4, 6, 5, 3], activation: ['swish', 'gelu'], output: 'softmax', seed }), 8);
      await foldsAsAlone(gpu, '4 folds of 3 softmax regressions', 4, 3, () => new SoftmaxRegression(gpu.ctx, { classes: 3 }), 12);
      await foldsAsAlone(gpu, '2 folds of 2 sigmoid-output networks', 2, 2, network(gpu, 'sigmoid'), 8);
      await foldsAsAlone(gpu, '3 folds of 3 linear regressions (a real-valued target)', 3, 3, () => new LinearRegression(gpu.ctx), 10, 0, (v) => 1.5 * v - 0.25);
      await foldsAsAlone(gpu, '4 folds of 3 logistic regressions with polynomial features of degree 2', 4, 3, () => new LogisticRegression(gpu.ctx, { polynomial: 2 }), 10, 0, (v) => Number(v === 2));
      await foldsAsAlone(gpu, '3 folds of unequal sizes (40, 39 and 39 examples: the two of 39 as one)', 3, 3, network(gpu, 'softmax'), 6, 1);
    },
  },
  {
    name: 'gridSearch: every configuration\'s score on every fold, its folds trained as one stack, is that of its own fit on the fold, bit for bit',
    async run(gpu) {
      const all = { x: [...train.x, ...held.x], y: [...train.y, ...held.y] };
      const grid = { lambda: [0, 1], learningRate: [0.05, 0.2] };
      const options = { epochs: 6, batchSize: 8, optimizer: 'adam' as const };
      const make = () => new NeuralNetwork(gpu.ctx, { layers: [4, 5, 3], activation: 'tanh', output: 'softmax', seed: 9 });
      const result = await gridSearch(make, all.x, all.y, { grid, train: options, folds: 3, seed: 5 });
      const splits = splitsOf(all.x, all.y, { grid, folds: 3, seed: 5 });
      for (const [c, row] of result.rows.entries()) {
        for (const [f, split] of splits.entries()) {
          const alone = make();
          try {
            await alone.fit(split.train.x, split.train.y as never, { ...options, ...row.configuration, validation: split.held as never });
            const [t, v] = [await alone.cost(split.train.x, split.train.y as never), await alone.cost(split.held.x, split.held.y as never)];
            const got = row.folds[f]!;
            check(Object.is(got.train.cost, t.mean) && Object.is(got.validation.cost, v.mean) && Object.is(got.validation.accuracy, v.accuracy), `configuration ${c} fold ${f}: J_train ${got.train.cost} J_cv ${got.validation.cost} in the search, ${t.mean} and ${v.mean} alone`);
          } finally {
            alone.destroy();
          }
        }
      }
    },
  },
  {
    name: 'trainMany: the checkpoints of models trained as one are those of their own fits — the same epochs and Θ bit for bit, full and mini-batches, with a validation set',
    async run(gpu) {
      const count = 4;
      const runs = Array.from({ length: count }, (_, i) => settings(i, 9));
      const make = network(gpu, 'softmax');
      const together = runs.map((r) => make(r.seed));
      const alone = runs.map((r) => make(r.seed));
      // One step a command buffer, a checkpoint every 4 epochs: each boundary comes at least three
      // command buffers after the one before (epoch 0's in the first), so none is skipped
      // (src/train/checkpoints.ts) and every fit takes epochs 4 and 8 (none at its last).
      const taken = (into: Map<number, string>) => ({ checkpointEvery: 4, stepsPerSubmit: 1, onCheckpoint: (c: { epoch: number; theta: Float32Array }) => void into.set(c.epoch, Array.from(c.theta).join(',')) });
      try {
        const [ours, theirs] = [runs.map(() => new Map<number, string>()), runs.map(() => new Map<number, string>())];
        const outcomes = await trainMany(together, train.x, train.y, { train: runs.map((r, i) => ({ ...r.options, ...taken(ours[i]!) })), validation: held });
        for (let i = 0; i < count; i++) {
          check(outcomes[i]!.together === expectedTogether(i, count), `model ${i}: ran as one with ${outcomes[i]!.together}`);
          await alone[i]!.fit(train.x, train.y, { ...runs[i]!.options, ...taken(theirs[i]!), validation: held });
          check([...theirs[i]!.keys()].join() === '4,8', `model ${i}: its fit checkpointed epochs ${[...theirs[i]!.keys()].join(', ')}, not 4 and 8`);
          check([...ours[i]!.keys()].join() === '4,8', `model ${i}: trained as one it checkpointed epochs ${[...ours[i]!.keys()].join(', ')}, not 4 and 8`);
          for (const e of [4, 8]) check(ours[i]!.get(e) === theirs[i]!.get(e), `model ${i}, epoch ${e}: Θ checkpointed together ${ours[i]!.get(e)!.slice(0, 60)}…, alone ${theirs[i]!.get(e)!.slice(0, 60)}…`);
        }
      } finally {
        for (const m of [...together, ...alone]) m.destroy();
      }
    },
  },
  {
    name: 'trainMany: 1, 2 and 7 networks trained at once are each bit-identical to their own fit — λ, α, seeds, full and mini-batches, sgd, momentum and Adam mixed, with a validation set',
    async run(gpu) {
      for (const count of [1, 2, 7]) await sameAsAlone(gpu, `${count} softmax networks`, count, network(gpu, 'softmax'), 12);
      await sameAsAlone(gpu, 'sigmoid-output networks without a validation set', 3, network(gpu, 'sigmoid'), 12, false);
    },
  },
  {
    name: 'trainMany: normalising models (softmax and logistic regression, with and without polynomial features) take the first model\'s statistics bit for bit, and each is its own fit',
    async run(gpu) {
      await sameAsAlone(gpu, 'softmax regression', 4, () => new SoftmaxRegression(gpu.ctx, { classes: 3 }), 15);
      await sameAsAlone(gpu, 'softmax regression with polynomial features', 3, () => new SoftmaxRegression(gpu.ctx, { classes: 3, polynomial: 2 }), 10);
      const binary = { x: train.x, y: train.y.map((v) => Number(v === 2)) };
      const together = [0, 1].map(() => new LogisticRegression(gpu.ctx));
      const alone = [0, 1].map(() => new LogisticRegression(gpu.ctx));
      try {
        const outcomes = await trainMany(together, binary.x, binary.y, { train: [{ learningRate: 0.5, epochs: 20 }, { learningRate: 0.1, lambda: 1, epochs: 20 }] });
        for (const i of [0, 1]) {
          const o = outcomes[i]!;
          check('result' in o, `logistic ${i}: ${o.status}`);
          const single = await alone[i]!.fit(binary.x, binary.y, i ? { learningRate: 0.1, lambda: 1, epochs: 20 } : { learningRate: 0.5, epochs: 20 });
          check((await fingerprint(together[i]!, o.result)) === (await fingerprint(alone[i]!, single)), `logistic ${i}: not its own fit`);
          const [n1, n2] = [await together[i]!.getNormalization(), await alone[i]!.getNormalization()];
          check(JSON.stringify(n1) === JSON.stringify(n2), `logistic ${i}: statistics differ`);
        }
      } finally {
        for (const m of [...together, ...alone]) m.destroy();
      }
    },
  },
  {
    name: 'trainMany: networks whose g′ needs z (swish then GELU over two hidden layers: the wide first layer keeps every model\'s z side by side, the second one slot per model) are each bit-identical to their own fit',
    async run(gpu) {
      const zNetwork = (seed: number) => new NeuralNetwork(gpu.ctx, { layers: [4, 6, 5, 3], activation: ['swish', 'gelu'], output: 'softmax', seed });
      await sameAsAlone(gpu, '5 swish-GELU networks', 5, zNetwork, 12);
    },
  },
  {
    name: 'trainMany: early stopping (read live) stops a model alone with the θ it stopped at; the optimiser moments each model hands on are its own fit\'s — continued, they give the same bits, read live or not',
    async run(gpu) {
      // Models 0 and 1 stop at their second epoch (no validation cost improves by 1e9) and keep the
      // θ they stopped with; models 2 and 3 (momentum, Adam) complete, and a fit that continues
      // their moments must continue their own. Early stopping reads each epoch live (a command
      // buffer an epoch); the same four without it run theirs in one.
      for (const live of [true, false]) {
        const options: TrainOptions[] = [0, 1, 2, 3].map((i) => ({
          optimizer: (['sgd', 'adam', 'momentum', 'adam'] as const)[i], learningRate: [0.2, 0.05, 0.1, 0.02][i], lambda: [0, 0.1, 1, 0][i], epochs: 30,
          ...(live ? { earlyStopping: i < 2 ? { patience: 1, minDelta: 1e9, restoreBest: false } : { patience: 30 } } : {}),
        }));
        const make = () => options.map((_, i) => network(gpu, 'softmax')(200 + i));
        const [together, alone] = [make(), make()];
        try {
          const outcomes = await trainMany(together, train.x, train.y, { train: options, validation: held });
          for (const [i, o] of outcomes.entries()) {
            check('result' in o && o.together === 4, `model ${i} (live ${live}): ${o.status}, together ${o.together}`);
            if (!('result' in o)) continue;
            check(o.result.status === (live && i < 2 ? 'early-stopped' : 'completed'), `model ${i} (live ${live}): ${o.result.status}`);
            const single = await alone[i]!.fit(train.x, train.y, { ...options[i]!, validation: held });
            check((await fingerprint(together[i]!, o.result)) === (await fingerprint(alone[i]!, single)), `model ${i} (${options[i]!.optimizer}, live ${live}): trained together it is not its own fit`);
            if (i < 2) continue;
            const next = { optimizer: options[i]!.optimizer, learningRate: 0.05, epochs: 5, continueOptimizer: true };
            const [a, b] = [await together[i]!.fit(train.x, train.y, next), await alone[i]!.fit(train.x, train.y, next)];
            check(a.optimizerContinued && b.optimizerContinued, `model ${i}: the moments were not continued`);
            check((await fingerprint(together[i]!, a)) === (await fingerprint(alone[i]!, b)), `model ${i} (${options[i]!.optimizer}, live ${live}): continuing the moments trainMany left is not continuing its own fit's`);
          }
        } finally {
          for (const m of [...together, ...alone]) m.destroy();
        }
      }
    },
  },
  {
    name: 'trainMany: 64 networks at once, each bit-identical to its own fit',
    async run(gpu) {
      await sameAsAlone(gpu, '64 networks', 64, network(gpu, 'softmax'), 4);
    },
  },
  {
    name: 'trainMany: a model that diverges stops alone with its DivergenceError, one whose onEpoch throws fails alone with that error; the others are their own fits; cancelling stops every one',
    async run(gpu) {
      const make = network(gpu, 'softmax');
      const models = [make(1), make(2), make(3)];
      const alone = make(1);
      try {
        const options: TrainOptions[] = [{ optimizer: 'sgd', learningRate: 0.05, epochs: 30 }, { optimizer: 'sgd', learningRate: 1e30, epochs: 30 }, { optimizer: 'adam', epochs: 30 }];
        const outcomes: ModelOutcome[] = await trainMany(models, train.x, train.y, { train: options });
        check(outcomes.map((o) => o.status).join() === 'completed,diverged,completed', `statuses ${outcomes.map((o) => o.status).join()}`);
        const single = await alone.fit(train.x, train.y, options[0]!);
        check('result' in outcomes[0]! && (await fingerprint(models[0]!, outcomes[0].result)) === (await fingerprint(alone, single)), 'a neighbour\'s divergence changed model 0');
        check((await models[1]!.getTheta()).every(Number.isFinite), 'the diverged model kept a non-finite Θ');
      } finally {
        for (const m of [...models, alone]) m.destroy();
      }
      // An onEpoch that throws ends its own model's fit with that error; the others go on, each its own fit.
      const watched = [make(6), make(7), make(8)];
      const single = make(6);
      try {
        const thrown = new Error('the caller\'s onEpoch failed');
        const options: TrainOptions[] = [0, 1, 2].map((i) => ({ optimizer: 'sgd', learningRate: 0.05 * (i + 1), epochs: 8, onEpoch: ({ epoch }: { epoch: number }) => {
          if (i === 1 && epoch === 2) throw thrown;
        } }));
        const outcomes = await trainMany(watched, train.x, train.y, { train: options });
        check(outcomes.every((o) => o.together === 3), `together: ${outcomes.map((o) => o.together).join()}`);
        check(outcomes.map((o) => o.status).join() === 'completed,failed,completed', `statuses ${outcomes.map((o) => o.status).join()}`);
        check('error' in outcomes[1]! && outcomes[1].error === thrown, `model 1 ended with ${'error' in outcomes[1]! ? outcomes[1].error.message : 'no error'}`);
        const alone = await single.fit(train.x, train.y, options[0]!);
        check('result' in outcomes[0]! && (await fingerprint(watched[0]!, outcomes[0].result)) === (await fingerprint(single, alone)), 'a neighbour\'s failing onEpoch changed model 0');
      } finally {
        for (const m of [...watched, single]) m.destroy();
      }
      const cancelled = [make(4), make(5)];
      try {
        const abort = new AbortController();
        const outcomes = await trainMany(cancelled, train.x, train.y, { train: { epochs: 100_000, onEpoch: ({ epoch }) => void (epoch === 3 && abort.abort()) }, signal: abort.signal });
        check(outcomes.every((o) => o.status === 'cancelled'), `after abort: ${outcomes.map((o) => o.status).join()}`);
      } finally {
        for (const m of cancelled) m.destroy();
      }
    },
  },
  {
    name: 'trainMany: bad calls are refused by name before anything is allocated; too many models for memoryLimit say how many fit',
    async run(gpu) {
      const make = network(gpu, 'softmax');
      const a = make(1);
      const b = make(2);
      const other = new NeuralNetwork(gpu.ctx, { layers: [4, 5, 3], output: 'softmax' });
      const used = new NeuralNetwork(gpu.ctx, { layers: [4, 6, 3], activation: 'tanh', output: 'softmax' });
      try {
        await used.fit(train.x, train.y, { epochs: 1 });
        const before = gpu.ctx.stats().bytes;
        await expectError(() => trainMany([], train.x, train.y), ArgumentError, ['models', 'non-empty']);
        await expectError(() => trainMany([a, other], train.x, train.y), ArgumentError, ['models[1]', 'one shape']);
        await expectError(() => trainMany([a, used], train.x, train.y), ArgumentError, ['models[1]', 'fresh']);
        await expectError(() => trainMany([a, a], train.x, train.y), ArgumentError, ['models[1]', 'models[0] again']);
        await expectError(() => trainMany([a, b], train.x, train.y, { train: [{ epochs: 2 }] }), ArgumentError, ['options.train', '1 entries for 2 models']);
        await expectError(() => trainMany([a, b], train.x, train.y, { train: { validationSplit: 0.2 } }), ArgumentError, ['options.train.validationSplit']);
        await expectError(() => trainMany([a, b], train.x, train.y, { train: [{}, { learningRate: -1 }] }), ArgumentError, ['options.train[1].learningRate']);
        await expectError(() => trainMany([a, b], train.x, train.y, { memoryLimit: 0 }), ArgumentError, ['options.memoryLimit']);
        const e = await expectError(() => trainMany([a, b], train.x, train.y, { train: { batchSize: 8, epochs: 10 }, memoryLimit: 3000 }), ArgumentError, ['2 models of 4-6-3', 'memoryLimit']);
        check(/not one fits|at most 1 fit/.test(e.message), e.message);
        check(gpu.ctx.stats().bytes === before, `refused calls allocated ${gpu.ctx.stats().bytes - before} bytes`);
        check(a.sharing().fresh && b.sharing().fresh, 'a refused call left a model no longer fresh');
      } finally {
        for (const m of [a, b, other, used]) m.destroy();
      }
    },
  },
];

export const selectionCases: GpuCase[] = cases;
