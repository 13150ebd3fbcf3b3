// options.continueOptimizer: fits of a few epochs each, going on with the optimiser's state,
// train exactly as one fit of all their epochs — bit for bit, for Adam (whose step count t keys
// its bias correction) and momentum, with shuffled mini-batches — while fresh fits do not; and
// every case where the state cannot carry on starts afresh and says so.

import type { GpuContext } from '../../src/gpu/context.js';
import { ArgumentError, DivergenceError } from '../../src/gpu/errors.js';
import { NeuralNetwork } from '../../src/models/network.js';
import type { TrainOptions } from '../../src/train/options.js';
import { check, expectError } from '../support/compare.js';
import { blobs } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

const data = blobs(11, [[-1, -1], [1, 1], [-1, 1], [1, -1]], 12, 0.6);
const y = data.y.map((k) => (k < 2 ? 0 : 1));
const network = (ctx: GpuContext) =>
  new NeuralNetwork(ctx, { layers: [2, 5, 1], activation: 'tanh', seed: 4, normalize: false });

function same(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

const cases: GpuCase[] = [];
for (const optimizer of ['adam', 'momentum'] as const) {
  cases.push({
    name: `continueOptimizer (${optimizer}, shuffled batches of 10): fits of 2 + 3 + 1 epochs end with Θ bit-identical to one fit of 6; fresh fits do not`,
    run: (gpu) =>
      using(() => [network(gpu.ctx), network(gpu.ctx), network(gpu.ctx)], async (whole, parts, fresh) => {
        const o: TrainOptions = { optimizer, batchSize: 10, learningRate: 0.05, checkpointEvery: 0 };
        const one = await whole.fit(data.x, y, { ...o, epochs: 6 });
        check(!one.optimizerContinued, 'a first fit has nothing to go on from');
        const flags: boolean[] = [];
        const costs: number[] = [];
        for (const epochs of [2, 3, 1]) {
          const r = await parts.fit(data.x, y, { ...o, epochs, continueOptimizer: true });
          flags.push(r.optimizerContinued);
          costs.push(...r.history.map((h) => h.cost));
        }
        for (const epochs of [2, 3, 1]) await fresh.fit(data.x, y, { ...o, epochs });
        check(flags.join() === 'false,true,true', `optimizerContinued per fit: ${flags}`);
        check(costs.every((c, i) => Object.is(c, one.history[i]!.cost)), `epoch costs ${costs} vs ${one.history.map((h) => h.cost)}`);
        const [a, b, c] = [await whole.getTheta(), await parts.getTheta(), await fresh.getTheta()];
        check(same(a, b), 'Θ after 2 + 3 + 1 continued epochs equals Θ after 6');
        check(!same(a, c), 'fresh fits (moments from zero, t from 1 each time) end elsewhere');
      }),
  });
}

cases.push({
  name: 'continueOptimizer starts afresh, and says so, after a change of optimiser or β, setTheta, a fit stopped part-way or diverged — but not after a refused fit or one cancelled before its first step; refuses a non-boolean',
  run: (gpu) =>
    using(() => [network(gpu.ctx)], async (net) => {
      const o: TrainOptions = { optimizer: 'adam', batchSize: 10, learningRate: 0.05, epochs: 1, checkpointEvery: 0, continueOptimizer: true };
      const continued = async (extra: TrainOptions = {}) => (await net.fit(data.x, y, { ...o, ...extra })).optimizerContinued;
      await continued();
      check(await continued(), 'the same settings go on');
      check(!(await continued({ optimizer: 'momentum' })), 'Adam → momentum starts afresh');
      check(await continued({ optimizer: 'momentum' }), 'momentum → momentum goes on');
      check(!(await continued({ optimizer: 'momentum', momentum: 0.5 })), 'another momentum coefficient starts afresh');
      await continued();
      check(!(await continued({ beta2: 0.99 })), 'another β₂ starts afresh');
      net.setTheta(await net.getTheta());
      check(!(await continued({ beta2: 0.99 })), 'after setTheta: afresh');
      await continued();
      const stopped = await net.fit(data.x, y, { ...o, epochs: 50, stepsPerSubmit: 1, onEpoch: () => 'stop' });
      check(stopped.status === 'cancelled' && stopped.epochs === 1, `stopped after its first epoch: ${stopped.status}, ${stopped.epochs}`);
      check(!(await continued()), 'after a fit stopped part-way: afresh');
      const early = net.fit(data.x, y, { ...o, epochs: 50 });
      early.cancel();
      check((await early).epochs === 0, 'cancelled before its first step');
      check(await continued(), 'a fit cancelled before its first step changed nothing: the state goes on');
      await expectError(() => net.fit(data.x, y, { ...o, learningRateSchedule: () => NaN }), ArgumentError, ['options.learningRateSchedule']);
      check(await continued(), 'a refused fit changed nothing: the state goes on');
      check(!(await continued({ continueOptimizer: false })), 'continueOptimizer false: afresh');
      check(await continued(), 'a fit after a completed fresh one goes on from it');
      await expectError(() => net.fit(data.x, y, { ...o, optimizer: 'sgd', learningRate: 3e38, epochs: 5 }), DivergenceError, ['diverged']);
      check(!(await continued({ optimizer: 'sgd' })), 'after a diverged fit: afresh');
      await expectError(() => net.fit(data.x, y, { ...o, continueOptimizer: 1 as unknown as boolean }), ArgumentError, ['options.continueOptimizer', 'true or false']);
    }),
});

export const continueCases = cases;
