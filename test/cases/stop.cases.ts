// Stopping when asked: run.cancel() or 'stop' returned from onEpoch ends the fit before the next
// epoch starts, whatever the epoch's length — no later epoch is reported or kept, and the model
// has exactly the parameters of a fit of that many epochs (bit for bit). On XOR's 4 examples an
// epoch is one step, far shorter than a command buffer; with 40 examples one at a time an epoch
// spans several command buffers.

import { NeuralNetwork } from '../../src/models/network.js';
import type { EpochReport, TrainOptions } from '../../src/train/options.js';
import { TrainingRun } from '../../src/train/run.js';
import { check, expectError } from '../support/compare.js';
import { blobs } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

const XOR = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] };

/** Θ of a fresh network after `epochs` epochs of `options`, uninterrupted. */
async function thetaAfter(gpu: Parameters<GpuCase['run']>[0], x: number[][], y: number[], options: TrainOptions, epochs: number): Promise<string> {
  let theta = '';
  await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 3 })], async (net) => {
    await net.fit(x, y, { ...options, epochs });
    theta = Array.from(await net.getTheta()).join();
  });
  return theta;
}

const cases: GpuCase[] = [
  {
    name: "stop: 'stop' from onEpoch and run.cancel() from onEpoch end the fit at that epoch — 4 examples (an epoch per step) and 40 one at a time (an epoch over several command buffers)",
    async run(gpu) {
      const forty = blobs(4, [[0, 0], [2, 2]], 20, 1);
      const setups: [string, number[][], number[], TrainOptions][] = [
        ['XOR, full batch', XOR.x, XOR.y, { optimizer: 'adam', learningRate: 0.1 }],
        ['40 examples, batch 1, 7 steps per command buffer', forty.x, forty.y, { batchSize: 1, learningRate: 0.1, stepsPerSubmit: 7 }],
      ];
      for (const [name, x, y, options] of setups) {
        for (const how of ['return stop', 'run.cancel()'] as const) {
          const at = 3;
          await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 3 })], async (net) => {
            const seen: number[] = [];
            let run: TrainingRun | undefined;
            const onEpoch = (r: EpochReport) => {
              seen.push(r.epoch);
              if (r.epoch !== at) return undefined;
              if (how === 'run.cancel()') run!.cancel();
              return how === 'return stop' ? 'stop' : undefined;
            };
            run = net.fit(x, y, { ...options, epochs: 200, onEpoch });
            const result = await run;
            check(result.status === 'cancelled', `${name}, ${how}: status ${result.status}`);
            check(seen.join() === '0,1,2,3', `${name}, ${how}: onEpoch saw epochs ${seen.join()}`);
            check(result.epochs === at + 1 && result.history.length === at + 1, `${name}, ${how}: ${result.epochs} epochs in the result`);
            const theta = Array.from(await net.getTheta()).join();
            check(theta === (await thetaAfter(gpu, x, y, options, at + 1)), `${name}, ${how}: Θ is not that of ${at + 1} epochs`);
          });
        }
      }
    },
  },
  {
    name: 'a run is a Promise: catch and finally work, a cancelled run takes the next fit at once, and onEpoch may be async — its rejection ends the fit with that error',
    async run(gpu) {
      const options: TrainOptions = { optimizer: 'adam', learningRate: 0.1 };
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 3 })], async (net) => {
        // The promise surface: catch on a run that diverges, finally on one that completes.
        const diverging = net.fit(XOR.x, XOR.y, { optimizer: 'sgd', learningRate: 1e30, epochs: 5 });
        check(diverging instanceof Promise, 'a run is not a Promise');
        const derived = diverging.then(() => 'resolved');
        check(!(derived instanceof TrainingRun) && derived instanceof Promise, 'then() returned a run, not a plain Promise');
        const caught = await diverging.catch((e: Error) => e.name);
        check(caught === 'DivergenceError', `catch() gave ${String(caught)}`);
        check((await derived.catch((e: Error) => e.name)) === 'DivergenceError', 'the promise then() made did not reject with the run');
        let finallyRan = false;
        const completed = await net.fit(XOR.x, XOR.y, { ...options, epochs: 2 }).finally(() => (finallyRan = true));
        check(finallyRan && completed.status === 'completed', `finally: ran ${finallyRan}, status ${completed.status}`);
        const [all] = await Promise.all([net.fit(XOR.x, XOR.y, { ...options, epochs: 1 })]);
        check(all.epochs === 1, 'Promise.all did not resolve with the run\'s result');
      });
      // cancel() and at once fit(): accepted, and Θ is that of the cancelled run's epochs and then the new fit's.
      let expected = '';
      let kept = -1;
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 3 })], async (net) => {
        const first = net.fit(XOR.x, XOR.y, { ...options, epochs: 500 });
        first.cancel();
        const second = net.fit(XOR.x, XOR.y, { ...options, epochs: 5 });
        check(first.state === 'cancelled' && second.state === 'running', `states ${first.state}, ${second.state}`);
        const [a, b] = await Promise.all([first, second]);
        check(a.status === 'cancelled' && b.status === 'completed' && b.epochs === 5, `results ${a.status} (${a.epochs}), ${b.status} (${b.epochs})`);
        kept = a.epochs;
        expected = Array.from(await net.getTheta()).join();
      });
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 3 })], async (net) => {
        if (kept > 0) await net.fit(XOR.x, XOR.y, { ...options, epochs: kept });
        await net.fit(XOR.x, XOR.y, { ...options, epochs: 5 });
        check(Array.from(await net.getTheta()).join() === expected, `Θ after cancel (${kept} epochs) and a fit of 5 differs from ${kept} + 5 epochs run apart`);
      });
      await using(() => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 1], seed: 3 })], async (net) => {
        // A running (not cancelled) run still refuses a second fit.
        const running = net.fit(XOR.x, XOR.y, { ...options, epochs: 3 });
        await expectError(() => net.fit(XOR.x, XOR.y, options), Error, ['already training', 'cancel']);
        await running;
        // onEpoch's errors, thrown or as a rejected promise: the fit rejects with that very error, and stops.
        for (const how of ['throws', 'rejects'] as const) {
          const mine = new Error(`onEpoch ${how}`);
          const seen: number[] = [];
          const onEpoch = (r: EpochReport) => {
            seen.push(r.epoch);
            if (r.epoch < 2) return how === 'rejects' ? Promise.resolve() : undefined;
            if (how === 'throws') throw mine;
            return Promise.reject(mine);
          };
          let error: unknown;
          await net.fit(XOR.x, XOR.y, { ...options, epochs: 400, onEpoch }).catch((e) => (error = e));
          check(error === mine, `${how}: the fit rejected with ${String(error)}`);
          check(seen.length < 400, `${how}: training went on to the end (${seen.length} epochs)`);
        }
        // An async onEpoch is not waited for between epochs, but the fit settles only after it; 'stop' it resolves to cancels.
        let settled = 0;
        const slow = (r: EpochReport) => new Promise((resolve) => setTimeout(() => (settled++, resolve(r.epoch === 0 ? 'stop' : undefined)), 20));
        const result = await net.fit(XOR.x, XOR.y, { ...options, epochs: 300, onEpoch: slow });
        check(result.status === 'cancelled' && result.epochs < 300, `an async 'stop': status ${result.status}, ${result.epochs} epochs`);
        check(settled === result.epochs, `the fit settled with ${result.epochs} epochs reported but ${settled} onEpoch promises settled`);
      });
    },
  },
];

export const stopCases: GpuCase[] = cases;
