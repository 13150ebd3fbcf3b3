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

cases.push({
  name: 'slices that carry the optimiser on keep their data and step (no new bind groups, one buffer: the readback\'s), with a validation set; data changed in place is uploaded again; Θ bit-identical to fits that built everything',
  run: (gpu) =>
    using(() => [network(gpu.ctx), network(gpu.ctx)], async (kept, rebuilt) => {
      const o: TrainOptions = { optimizer: 'adam', batchSize: 10, learningRate: 0.05, epochs: 2, checkpointEvery: 0, continueOptimizer: true, validation: { x: data.x.slice(0, 10), y: y.slice(0, 10) } };
      const x = data.x.map((row) => [...row]);
      await kept.fit(x, y, o);
      let made = { buffers: 0, bindGroups: 0 };
      const device = gpu.ctx.device;
      const [createBuffer, createBindGroup] = [device.createBuffer, device.createBindGroup];
      device.createBuffer = (d) => (made.buffers++, createBuffer.call(device, d));
      device.createBindGroup = (d) => (made.bindGroups++, createBindGroup.call(device, d));
      try {
        await kept.fit(x, y, o);
        check(made.bindGroups === 0 && made.buffers <= 1, `a kept slice made ${made.buffers} buffers and ${made.bindGroups} bind groups`);
        x[3]![1] = x[3]![1]! + 0.25; // changed in place: the same array, other values
        made = { buffers: 0, bindGroups: 0 };
        await kept.fit(x, y, o);
        check(made.bindGroups > 0, 'data changed in place were not uploaded again');
      } finally {
        device.createBuffer = createBuffer;
        device.createBindGroup = createBindGroup;
      }
      // The same three slices with a fresh copy of the data each time: nothing kept, everything built.
      const original = data.x.map((row) => [...row]);
      const changed = original.map((row) => [...row]);
      changed[3]![1] = changed[3]![1]! + 0.25;
      for (const xs of [original, original.map((row) => [...row]), changed]) await rebuilt.fit(xs.map((row) => [...row]), [...y], { ...o, validation: { x: data.x.slice(0, 10).map((r) => [...r]), y: y.slice(0, 10) } });
      check(same(await kept.getTheta(), await rebuilt.getTheta()), 'kept slices and rebuilt ones end with different Θ');
    }),
});

export const continueCases = cases;
