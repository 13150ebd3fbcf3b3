// Stopping when asked: run.cancel() or 'stop' returned from onEpoch ends the fit before the next
// epoch starts, whatever the epoch's length — no later epoch is reported or kept, and the model
// has exactly the parameters of a fit of that many epochs (bit for bit). On XOR's 4 examples an
// epoch is one step, far shorter than a command buffer; with 40 examples one at a time an epoch
// spans several command buffers.

import { NeuralNetwork } from '../../src/models/network.js';
import type { EpochReport, TrainOptions } from '../../src/train/options.js';
import type { TrainingRun } from '../../src/train/run.js';
import { check } from '../support/compare.js';
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
];

export const stopCases: GpuCase[] = cases;
