// Early stopping on the validation cost, watched on the GPU: the fit stops `patience` epochs
// after the best validation epoch (a fall of more than minDelta), reports that far and no
// further, and ends with the best epoch's parameters — bit for bit those of a fit of that many
// epochs — or, with restoreBest: false, with the last epoch's. A fit that runs every epoch ends
// with the best epoch's too (Keras 3).

import { ArgumentError, DivergenceError } from '../../src/gpu/errors.js';
import { LinearRegression } from '../../src/models/linear.js';
import { NeuralNetwork } from '../../src/models/network.js';
import type { TrainOptions } from '../../src/train/options.js';
import { check, expectError } from '../support/compare.js';
import { blobs } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

// 24 noisy examples, 32 hidden units: the held-out cost falls, then rises as the network overfits.
const train = blobs(8, [[-1, 0], [1, 0]], 12, 1.6);
const held = blobs(9, [[-1, 0], [1, 0]], 12, 1.6);
const base: TrainOptions = { optimizer: 'adam', learningRate: 0.05, epochs: 400, batchSize: 6, validation: held };

async function fitted(gpu: Parameters<GpuCase['run']>[0], options: TrainOptions) {
  let out: { result: Awaited<ReturnType<NeuralNetwork['fit']>>; theta: string } | undefined;
  await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 32, 2], output: 'softmax', seed: 2 })], async (net) => {
    const result = await net.fit(train.x, train.y, options);
    out = { result, theta: Array.from(await net.getTheta()).join() };
  });
  return out!;
}

const cases: GpuCase[] = [
  {
    name: 'early stopping: stops patience epochs after the best validation cost, keeps that epoch’s Θ (bit-identical) — at the end of a fit that ran every epoch too — or the last with restoreBest false; minDelta; refused without validation',
    async run(gpu) {
      const patience = 6;
      const { result, theta } = await fitted(gpu, { ...base, earlyStopping: { patience } });
      check(result.status === 'early-stopped' && result.earlyStopping !== undefined, `status ${result.status}`);
      const { stoppedAt, bestEpoch } = result.earlyStopping!;
      check(stoppedAt === bestEpoch + patience && stoppedAt < 399, `stopped at ${stoppedAt}, best ${bestEpoch}`);
      check(result.history.length === stoppedAt + 1, `${result.history.length} epochs reported, stopped at ${stoppedAt}`);
      const costs = result.history.map((r) => r.validation!.cost);
      const argmin = costs.indexOf(Math.min(...costs));
      check(argmin === bestEpoch, `the best validation cost is at epoch ${argmin} of the reports, the GPU says ${bestEpoch}`);
      check((await fitted(gpu, { ...base, epochs: bestEpoch + 1 })).theta === theta, 'Θ is not that of the best epoch');
      const last = await fitted(gpu, { ...base, earlyStopping: { patience, restoreBest: false } });
      check(last.result.earlyStopping?.stoppedAt === stoppedAt, 'restoreBest false stopped elsewhere');
      check((await fitted(gpu, { ...base, epochs: stoppedAt + 1 })).theta === last.theta, 'restoreBest false: Θ is not that of the last epoch');
      // No fall counts: epoch 0 stays the best and the fit stops at epoch `patience`.
      const strict = await fitted(gpu, { ...base, earlyStopping: { patience: 3, minDelta: 10 } });
      check(strict.result.earlyStopping?.bestEpoch === 0 && strict.result.earlyStopping.stoppedAt === 3, `minDelta 10: ${JSON.stringify(strict.result.earlyStopping)}`);
      // A fit that ends before the patience runs out is 'completed' — with the best validation
      // epoch's Θ, as Keras 3's EarlyStopping(restore_best_weights) restores it at the end too.
      const ends = bestEpoch + Math.floor(patience / 2);
      const short = await fitted(gpu, { ...base, epochs: ends + 1, earlyStopping: { patience: 50 } });
      check(short.result.status === 'completed' && short.result.earlyStopping === undefined, `short fit: ${short.result.status}`);
      check(short.result.bestEpoch === bestEpoch && short.theta === theta, `completed fit: best epoch ${short.result.bestEpoch} (want ${bestEpoch}), Θ ${short.theta === theta ? 'that of the best epoch' : 'another'}`);
      const keepLast = await fitted(gpu, { ...base, epochs: ends + 1, earlyStopping: { patience: 50, restoreBest: false } });
      check(keepLast.result.bestEpoch === undefined && keepLast.theta === (await fitted(gpu, { ...base, epochs: ends + 1 })).theta, 'restoreBest false on a completed fit: Θ is not that of the last epoch');
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 3, 2], output: 'softmax' })], async (net) => {
        await expectError(() => net.fit(train.x, train.y, { earlyStopping: { patience: 3 } }), ArgumentError, ['options.earlyStopping', 'validation set']);
        await expectError(() => net.fit(train.x, train.y, { validation: held, earlyStopping: { patience: 0 } }), ArgumentError, ['options.earlyStopping.patience']);
        await expectError(() => net.fit(train.x, train.y, { validation: held, earlyStopping: { patience: 2, mindelta: 1 } as never }), ArgumentError, ['options.earlyStopping.mindelta', "did you mean 'minDelta'"]);
      });
    },
  },
  {
    name: 'float32 overflow is named, never a silent model: targets whose squared error overflows, a validation cost never finite under early stopping, a cost infinite before any step, cost() of outputs that overflow',
    async run(gpu) {
      const x = Array.from({ length: 20 }, (_, i) => [i / 20, (i % 3) / 3]);
      const y = x.map(([a, b]) => a! + b!);
      await using(() => [new LinearRegression(gpu.ctx, { normalize: false })], async (lin) => {
        // One target of 3e38 among 20: ½·Σ y² overflows, in the training set or the held-out one.
        const huge = y.map((v, i) => (i === 7 ? 3e38 : v));
        await expectError(() => lin.fit(x, huge, { epochs: 3 }), ArgumentError, ['y[7]', '3e+38', 'overflows float32', 'divide them']);
        await expectError(() => lin.fit(x, y, { epochs: 3, validation: { x, y: huge } }), ArgumentError, ['options.validation.y[7]', 'overflows float32']);
        // Σ y² past float32 though each y² is not: 1e19 × 20.
        await expectError(() => lin.fit(x, y.map(() => 1e19)), ArgumentError, ['overflows float32']);
        // Held-out features far outside: h = θᵀx overflows the squared error every epoch, so early stopping has no best epoch.
        await lin.fit(x, y, { epochs: 2 });
        const before = Array.from(await lin.getTheta()).join();
        const far = { x: x.map(([a]) => [a! * 1e30, 1]), y };
        let error: unknown;
        await lin.fit(x, y, { epochs: 50, learningRate: 0.5, validation: far, earlyStopping: { patience: 3 } }).catch((e) => (error = e));
        check(error instanceof DivergenceError && error.restoredEpoch === -1, `no finite validation cost: ${String(error)}`);
        check((error as Error).message.includes('no finite validation cost') && (error as Error).message.includes('before this fit'), (error as Error).message);
        check(Array.from(await lin.getTheta()).join() === before, 'the model did not go back to its parameters from before the fit');
        // cost() of those examples: an error naming x, not Infinity.
        await expectError(() => lin.cost(far.x, far.y), ArgumentError, ['x', 'cost J/m of Infinity']);
        // Parameters so large the very first cost overflows: full-batch, that is not the learning rate.
        lin.setTheta([1e19, 1e19, 1e19]);
        const diverged = await expectError(() => lin.fit(x, y, { epochs: 5, learningRate: 0.001 }), DivergenceError, ['at epoch 0', 'before any step', 'too large for float32']);
        check(!diverged.message.includes('learning rate'), `blamed the learning rate: ${diverged.message}`);
      });
    },
  },
];

export const earlyStoppingCases: GpuCase[] = cases;
