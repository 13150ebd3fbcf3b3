// Reliability on the GPU: no leaks over 10,000 training steps (every buffer and texture made is
// destroyed by destroy()), and numerically hostile training — saturated sigmoids, logits of
// ±1000, α far too large, λ huge, a constant feature, inputs near the f32 limit — ends with finite
// costs or a DivergenceError, never a NaN model.

import { createContext } from '../../src/gpu/context.js';
import { DeviceLostError, DivergenceError } from '../../src/gpu/errors.js';
import { LinearRegression } from '../../src/models/linear.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import type { DenseModel } from '../../src/models/dense.js';
import { Random } from '../../src/random.js';
import { assertClose, check } from '../support/compare.js';
import { type GpuCase, countGpuObjects } from '../support/gpu.js';

function data(seed: number, m: number, n: number, classes: number) {
  const rng = new Random(seed);
  const x = Array.from({ length: m }, () => Array.from(rng.floats(n, -1, 1)));
  // Real targets: the sum of the features; classes: which of the first `classes` features is largest.
  const y = x.map((row) => (classes === 0 ? row.reduce((s, v) => s + v, 0) : row.slice(0, classes).indexOf(Math.max(...row.slice(0, classes)))));
  return { x, y };
}

/** Runs `fit`, accepting a DivergenceError; then the model's parameters must all be finite. */
async function finiteAfter(name: string, model: DenseModel, fit: () => PromiseLike<unknown>): Promise<'finite' | 'diverged'> {
  let outcome: 'finite' | 'diverged' = 'finite';
  try {
    await fit();
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    outcome = 'diverged';
  }
  const theta = await model.getTheta();
  check(theta.every(Number.isFinite), `${name}: the model holds a non-finite parameter after ${outcome}`);
  return outcome;
}

const cases: GpuCase[] = [
  {
    name: 'leaks: 10,000 training steps keep the live buffers and bytes of the first epoch; destroy() destroys every buffer and texture made',
    async run(gpu) {
      const { x, y } = data(1, 40, 5, 3);
      const ctx = gpu.ctx;
      const baseline = ctx.stats();
      const sample = ctx.unusedBinding();
      let first: { buffers: number; bytes: number } | undefined;
      let last: { buffers: number; bytes: number } | undefined;
      let steps = 0;
      const counts = await countGpuObjects(ctx.device, sample, async () => {
        const net = new NeuralNetwork(ctx, { layers: [5, 6, 3], seed: 2 });
        try {
          // Batches of 4: 10 steps an epoch, 1,000 epochs; onEpoch makes it read back as it goes.
          const result = await net.fit(x, y, {
            epochs: 1000, batchSize: 4, optimizer: 'adam', learningRate: 0.01,
            onEpoch: ({ epoch }) => {
              if (epoch === 0) first = ctx.stats();
              last = ctx.stats();
            },
          });
          steps = result.epochs * 10;
          await net.predictProbabilities(x);
          await net.cost(x, y);
        } finally {
          net.destroy();
        }
      });
      check(steps === 10_000, `${steps} steps`);
      check(first !== undefined && last !== undefined && last.buffers === first.buffers && last.bytes === first.bytes, `live after epoch 1 ${JSON.stringify(first)}, after 10,000 steps ${JSON.stringify(last)}`);
      const after = ctx.stats();
      check(after.buffers === baseline.buffers && after.bytes === baseline.bytes, `after destroy ${JSON.stringify(after)}, baseline ${JSON.stringify(baseline)}`);
      check(counts.alive === 0 && counts.created === counts.destroyed, `created ${counts.created}, destroyed ${counts.destroyed}, alive ${counts.alive}`);
      console.log(`[reliability] leaks: ${steps} steps, live after epoch 1 ${JSON.stringify(first)}, after the last ${JSON.stringify(last)}; buffers and textures created ${counts.created}, destroyed ${counts.destroyed}`);
    },
  },
  {
    name: 'numerical safety: saturated sigmoids, logits of ±1000, α = 10⁶, λ = 10⁶, a constant feature, inputs of 10³⁰ — finite or DivergenceError, never a NaN model',
    async run(gpu) {
      const ctx = gpu.ctx;
      const outcomes: string[] = [];
      const { x, y } = data(2, 30, 4, 3);
      // Weights of ±1000: every hidden unit saturated, logits in the thousands.
      const net = new NeuralNetwork(ctx, { layers: [4, 5, 3], seed: 1 });
      try {
        const w = await net.getWeights();
        net.setWeights(w.map((m) => m.map((v) => (v >= 0 ? 1000 : -1000))));
        const c = await net.cost(x, y, { lambda: 1 });
        check(Number.isFinite(c.total) && Number.isFinite(c.mean), `saturated cost ${c.total}`);
        const D = await net.gradients(x, y, { lambda: 1 });
        check(D.every((d) => d.every(Number.isFinite)), 'saturated gradients are finite');
        outcomes.push(`saturated: ${await finiteAfter('saturated network', net, () => net.fit(x, y, { epochs: 20, learningRate: 0.1 }))}`);
      } finally {
        net.destroy();
      }
      const soft = new SoftmaxRegression(ctx, { classes: 3, normalize: false });
      try {
        soft.setTheta([1000, 0, 0, 0, 0, -1000, 0, 0, 0, 0, 0, 1000, 0, 0, 0]);
        const c = await soft.cost(x, y);
        check(Number.isFinite(c.total), `softmax cost with logits of ±1000: ${c.total}`);
      } finally {
        soft.destroy();
      }
      const houses = data(3, 25, 3, 0);
      const lin = new LinearRegression(ctx);
      try {
        const outcome = await finiteAfter('α = 10⁶', lin, () => lin.fit(houses.x, houses.y, { epochs: 50, learningRate: 1e6 }));
        check(outcome === 'diverged', `α = 10⁶ must stop with a DivergenceError, got ${outcome}`);
        outcomes.push(`α 1e6: ${outcome}`);
      } finally {
        lin.destroy();
      }
      const logistic = new LogisticRegression(ctx);
      const labels = houses.y.map((v) => (v > 0 ? 1 : 0));
      try {
        outcomes.push(`λ 1e6: ${await finiteAfter('λ = 10⁶', logistic, () => logistic.fit(houses.x, labels, { epochs: 50, learningRate: 0.1, lambda: 1e6 }))}`);
      } finally {
        logistic.destroy();
      }
      const constant = houses.x.map((r) => [r[0]!, 7, r[2]!]);
      const lin2 = new LinearRegression(ctx);
      try {
        const outcome = await finiteAfter('a constant feature', lin2, () => lin2.fit(constant, houses.y, { epochs: 200, learningRate: 0.1 }));
        check(outcome === 'finite', 'a constant feature trains normally (σ = 1)');
        const norm = await lin2.getNormalization();
        check(norm!.std[1] === 1, `σ of the constant feature ${norm!.std[1]}`);
      } finally {
        lin2.destroy();
      }
      const huge = houses.x.map((r) => r.map((v) => v * 1e30));
      const raw = new LinearRegression(ctx, { normalize: false });
      try {
        outcomes.push(`inputs 1e30: ${await finiteAfter('inputs of 10³⁰', raw, () => raw.fit(huge, houses.y, { epochs: 10, learningRate: 0.1 }))}`);
      } finally {
        raw.destroy();
      }
      check(outcomes.length === 4, outcomes.join(', '));
      console.log(`[reliability] numerical safety: ${outcomes.join(', ')}`);
    },
  },
];

/** Fraction of `x` the network labels right. */
async function accuracyOf(net: NeuralNetwork, x: number[][], y: number[]): Promise<number> {
  const p = await net.predict(x);
  return p.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
}

cases.push(
  {
    name: 'device loss: a context that owns its device gets a new one mid-fit and finishes from the last checkpoint — every epoch reported once, at most checkpointEvery (+ 2 command buffers) trained again',
    async run() {
      const { x, y } = data(5, 60, 5, 3);
      for (const live of [true, false]) {
        const ctx = await createContext();
        try {
          const net = new NeuralNetwork(ctx, { layers: [5, 8, 3], seed: 3 });
          const lost = ctx.device;
          const checkpoints: number[] = [];
          let destroyed = false;
          const lose = () => {
            if (!destroyed) {
              destroyed = true;
              lost.destroy();
            }
          };
          const result = await net.fit(x, y, {
            // One epoch (10 steps) per command buffer: a loss then costs at most 4 + 2 epochs.
            epochs: 30, batchSize: 6, optimizer: 'adam', learningRate: 0.02, checkpointEvery: 4, stepsPerSubmit: 10,
            onCheckpoint: ({ epoch }) => {
              checkpoints.push(epoch);
              if (!live && epoch === 12) lose(); // without onEpoch: lost right after a checkpoint lands
            },
            ...(live ? { onEpoch: ({ epoch }: { epoch: number }) => epoch === 13 && lose() } : {}),
          });
          check(destroyed, 'the device was destroyed mid-fit');
          check(result.recoveries === 1, `${result.recoveries} recoveries`);
          check(result.status === 'completed' && result.epochs === 30, `${result.status}, ${result.epochs} epochs`);
          check(result.history.map((r) => r.epoch).join() === Array.from({ length: 30 }, (_, i) => i).join(), `every epoch once: ${result.history.map((r) => r.epoch)}`);
          check(result.history.every((r) => Number.isFinite(r.cost)), 'every epoch has its cost');
          check(result.repeatedEpochs <= 4 + 2, `${result.repeatedEpochs} reported epochs trained again (checkpoints every 4: ${checkpoints})`);
          check(ctx.device !== lost && ctx.lost === undefined, 'the context works on a new device');
          console.log(`[reliability] device loss (${live ? 'onEpoch' : 'no onEpoch'}): ${result.recoveries} recovery, ${result.repeatedEpochs} reported epochs trained again, checkpoints at ${checkpoints.join(', ')}`);
          check((await lost.lost).reason === 'destroyed', 'the old device is lost');
          const theta = await net.getTheta();
          check(theta.every(Number.isFinite), 'Θ is finite');
          const acc = await accuracyOf(net, x, y);
          check(acc > 0.6, `trained on: ${acc} accuracy after recovering (${live ? 'with' : 'without'} onEpoch)`);
          net.destroy();
        } finally {
          ctx.destroy();
        }
      }
    },
  },
  {
    name: 'device loss on the app’s device: fit rejects with a DeviceLostError carrying the checkpoint, which a model on a new device restores and trains on',
    async run() {
      const { x, y } = data(6, 60, 5, 3);
      const app = await createContext(); // stands for the app's own device
      const device = app.device;
      const ctx = await createContext({ device });
      let error: unknown;
      try {
        const net = new NeuralNetwork(ctx, { layers: [5, 8, 3], seed: 4 });
        try {
          await net.fit(x, y, { epochs: 30, batchSize: 6, optimizer: 'adam', learningRate: 0.02, checkpointEvery: 4, onEpoch: ({ epoch }) => epoch === 10 && device.destroy() });
        } catch (e) {
          error = e;
        }
      } finally {
        ctx.destroy();
        app.destroy();
      }
      check(error instanceof DeviceLostError, `rejected with ${String(error)}: ${(error as Error)?.message}\n${(error as Error)?.stack}`);
      const lost = error as DeviceLostError;
      check(lost.message.includes('the device belongs to the app'), lost.message);
      // Checkpoints come every 4 epochs (the first, epoch 0, long replaced by the time of the loss).
      check(lost.checkpoint !== undefined && lost.checkpoint.epoch >= 4 && lost.checkpoint.epoch <= 12, `checkpoint at epoch ${lost.checkpoint?.epoch}`);
      check(lost.checkpoint!.history.length === lost.checkpoint!.epoch, 'the checkpoint carries the reports up to it');
      const fresh = await createContext();
      try {
        const net = new NeuralNetwork(fresh, { layers: [5, 8, 3], seed: 99 });
        net.restoreCheckpoint(lost.checkpoint!);
        assertClose('Θ restored', await net.getTheta(), lost.checkpoint!.theta, { atol: 0, rtol: 0 });
        await net.fit(x, y, { epochs: 30 - lost.checkpoint!.epoch, batchSize: 6, optimizer: 'adam', learningRate: 0.02 });
        const acc = await accuracyOf(net, x, y);
        check(acc > 0.6, `trained on after restoring: ${acc}`);
        net.destroy();
      } finally {
        fresh.destroy();
      }
    },
  },
);

cases.push({
  name: 'GPU limits: on a context limited to 4 KiB bindings, 8 KiB buffers and 16 workgroups per dimension, data split into chunks and a batch of 100 into parts train like an unlimited context',
  async run(gpu) {
    const { x, y } = data(9, 300, 7, 3);
    const held = data(10, 90, 7, 3);
    const small = await createContext({ device: gpu.ctx.device, limits: { maxStorageBufferBindingSize: 4096, maxBufferSize: 8192, maxComputeWorkgroupsPerDimension: 16 } });
    const big = await createContext({ device: gpu.ctx.device });
    try {
      check(small.limits.maxStorageBufferBindingSize === 4096 && small.limits.maxComputeWorkgroupsPerDimension === 16, 'the lowered limits are the context’s');
      check(small.device.limits.maxStorageBufferBindingSize > 4096, 'the device itself keeps its own');
      for (const batchSize of [100, 'full'] as const) {
        const run = async (ctx: typeof small) => {
          const net = new NeuralNetwork(ctx, { layers: [7, 5, 3], seed: 6 });
          try {
            const result = await net.fit(x, y, { epochs: 6, batchSize, optimizer: 'adam', learningRate: 0.02, seed: 1, validation: held });
            return { theta: await net.getTheta(), history: result.history, h: await net.predictProbabilities(held.x) };
          } finally {
            net.destroy();
          }
        };
        const [a, b] = [await run(small), await run(big)];
        // The same sums in another grouping (per chunk, per part): equal to f32 rounding.
        assertClose(`Θ, batch ${batchSize}`, a.theta, b.theta, { atol: 1e-5, rtol: 1e-4 });
        assertClose(`validation cost per epoch, batch ${batchSize}`, a.history.map((r) => r.validation!.cost), b.history.map((r) => r.validation!.cost), { atol: 1e-5, rtol: 1e-4 });
        assertClose(`h, batch ${batchSize}`, a.h, b.h, { atol: 1e-5, rtol: 1e-4 });
      }
      // 300 examples at 4 KiB per binding and 64 rows per dispatch: 5 chunks of at most 64 rows.
      check(small.stats().buffers <= 2, `no buffer left but the two placeholders: ${small.stats().buffers}`);
    } finally {
      small.destroy();
      big.destroy();
    }
  },
});

export const reliabilityCases = cases;
