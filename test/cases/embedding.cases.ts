// Embedding in an app that owns its device: the README's example (examples/embed.ts) on the
// app's buffers; a context on the app's device frees everything it made on destroy() and never
// touches the device or the app's own buffers; models on one device or on two, trained at the
// same time, end with the very Θ each gets alone (no shared state).

import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { Random } from '../../src/random.js';
import { trainOnAppDevice } from '../../examples/embed.js';
import { blobs } from '../support/data.js';
import { classifyFlowers, fitCurve } from '../../examples/own-data.js';
import { assertClose, check } from '../support/compare.js';
import type { GpuCase } from '../support/gpu.js';

/** Three classes by which of the first three features is largest: learnable, seeded. */
function classes(seed: number, m: number, n: number): { x: Float32Array<ArrayBuffer>; y: Float32Array<ArrayBuffer> } {
  const rng = new Random(seed);
  const x = Float32Array.from(rng.floats(m * n, 0, 1));
  const y = Float32Array.from({ length: m }, (_, i) => {
    const r = x.subarray(i * n, i * n + 3);
    return r.indexOf(Math.max(...r));
  });
  return { x, y };
}

/** A buffer the app made itself (not through the library), holding `data`. */
function appBuffer(device: GPUDevice, label: string, data: Float32Array<ArrayBuffer>, usage: number): GPUBuffer {
  const b = device.createBuffer({ label, size: data.byteLength, usage: usage | BufferUsage.COPY_DST | BufferUsage.COPY_SRC });
  device.queue.writeBuffer(b, 0, data);
  return b;
}

async function isLost(device: GPUDevice): Promise<boolean> {
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]);
}

const cases: GpuCase[] = [
  {
    name: 'the README’s own-data example: string labels, a validation split and early stopping, evaluate and load; a network for regression',
    async run(gpu) {
      const names = ['setosa', 'versicolor', 'virginica'];
      const flowers = blobs(18, [[1.5, 0.25], [4.3, 1.3], [5.6, 2.0]], 40, 0.5);
      const { status, report, predicted } = await classifyFlowers(gpu.ctx, flowers.x, flowers.y.map((k) => names[k]!));
      check(status === 'early-stopped' || status === 'completed', `status ${status}`);
      check(report.accuracy >= 0.9, `accuracy ${report.accuracy}`);
      check(report.classes.map((c) => c.label).join() === names.join(), `report classes ${report.classes.map((c) => c.label)}`);
      check(predicted.join() === names.join(), `predicted ${predicted.join()}`);
      const x = Array.from({ length: 64 }, (_, i) => [i / 63]);
      const y = x.map(([v]) => Math.sin(3 * v!));
      const { mean, at } = await fitCurve(gpu.ctx, x, y);
      check(mean < 0.005 && Math.abs(at[0]! - Math.sin(1.5)) < 0.1, `regression J/m ${mean}, h(0.5) = ${at[0]}`);
    },
  },
  {
    name: 'embedding: the README example trains on the app’s buffers, predicts into one, frees all it made and leaves the device and the app’s data alone',
    async run(gpu) {
      const device = gpu.ctx.device;
      const { x, y } = classes(7, 300, 8);
      const X = appBuffer(device, 'app x', x, BufferUsage.STORAGE);
      const Y = appBuffer(device, 'app y', y, BufferUsage.STORAGE);
      const H = appBuffer(device, 'app h', new Float32Array(300 * 3).fill(NaN), BufferUsage.STORAGE);
      const ctx = await createContext({ device }); // the test's own, to read the app's buffers back
      try {
        const saved = await trainOnAppDevice(device, { x: X, y: Y, m: 300, n: 8 }, H);
        check(!(await isLost(device)), 'the app’s device is still alive after the library destroyed its context');
        assertClose('the app’s x, untouched', await ctx.read(X), x, { atol: 0, rtol: 0 });
        assertClose('the app’s y, untouched', await ctx.read(Y), y, { atol: 0, rtol: 0 });
        const h = await ctx.read(H);
        const net = NeuralNetwork.load(ctx, saved);
        try {
          assertClose('h the example wrote = the saved model’s', h, await net.predictProbabilities({ rows: 300, cols: 8, data: x }), { atol: 0, rtol: 0 });
        } finally {
          net.destroy();
        }
        let right = 0;
        for (let i = 0; i < 300; i++) {
          const row = Array.from(h.subarray(3 * i, 3 * i + 3));
          if (row.indexOf(Math.max(...row)) === y[i]) right++;
        }
        check(right / 300 > 0.8, `the example learnt: ${right} of 300 right`);
      } finally {
        ctx.destroy();
        for (const b of [X, Y, H]) b.destroy();
      }
    },
  },
  {
    name: 'embedding: destroy() returns a context on the app’s device to zero live buffers; models on one device and on two, trained at once, each end with the Θ it gets alone',
    async run(gpu) {
      const { x, y } = classes(8, 120, 6);
      const host = { rows: 120, cols: 6, data: x };
      const options = { epochs: 8, optimizer: 'adam' as const, learningRate: 0.02, batchSize: 16, seed: 4 };
      const alone = async (ctx: GpuContext, seed: number) => {
        const net = new NeuralNetwork(ctx, { layers: [6, 7, 3], seed });
        try {
          await net.fit(host, y, options);
          return await net.getTheta();
        } finally {
          net.destroy();
        }
      };
      const shared = await createContext({ device: gpu.ctx.device });
      const other = await createContext(); // a second device of its own
      try {
        check(!shared.ownsDevice && other.ownsDevice, 'the app’s device is not owned; a requested one is');
        const want = [await alone(shared, 1), await alone(shared, 2), await alone(other, 3)];
        check(shared.stats().buffers <= 2, `after destroy() the models left ${shared.stats().buffers} buffers (at most the context's two 16-byte placeholders)`);
        const nets = [new NeuralNetwork(shared, { layers: [6, 7, 3], seed: 1 }), new NeuralNetwork(shared, { layers: [6, 7, 3], seed: 2 }), new NeuralNetwork(other, { layers: [6, 7, 3], seed: 3 })];
        try {
          await Promise.all(nets.map((n) => n.fit(host, y, options)));
          for (const [i, n] of nets.entries()) assertClose(`model ${i} trained alongside the others`, await n.getTheta(), want[i]!, { atol: 0, rtol: 0 });
        } finally {
          for (const n of nets) n.destroy();
        }
        shared.destroy();
        check(shared.stats().buffers === 0 && shared.stats().bytes === 0, 'destroy() freed every buffer of the context');
        check(!(await isLost(gpu.ctx.device)), 'disposing a context on the app’s device leaves the device alive');
        other.destroy();
        const info = await other.device.lost;
        check(info.reason === 'destroyed', `a context's own device is destroyed by destroy(), reason ${info.reason}`);
      } finally {
        shared.destroy();
        other.destroy();
      }
    },
  },
];

export const embeddingCases = cases;
