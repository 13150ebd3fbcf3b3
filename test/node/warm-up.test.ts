// Pipelines built early and only where needed (issue 23): model.warmUp() builds what a fit or a
// prediction will use, so the fit itself builds none; a context that does not warm models
// (the command line's predict) builds, for a one-row prediction, neither the blocked product
// nor anything of training. Each test counts createComputePipelineAsync on a new context (the
// pipeline cache is per context).

import { afterEach, expect, it } from 'vitest';
import { type GpuContext, NeuralNetwork, createContext } from '../../src/index.js';
import { Random } from '../../src/random.js';

const made: GpuContext[] = [];
afterEach(() => {
  for (const ctx of made.splice(0)) ctx.destroy();
});

/** A new context whose pipeline builds are listed by label. */
async function counted(options: { warmModels?: boolean } = {}): Promise<{ ctx: GpuContext; built: string[] }> {
  const ctx = await createContext(options);
  made.push(ctx);
  const built: string[] = [];
  const device = ctx.device;
  const create = device.createComputePipelineAsync.bind(device);
  device.createComputePipelineAsync = (d) => (built.push(d.label ?? ''), create(d));
  return { ctx, built };
}

function data(m: number) {
  const rng = new Random(9);
  return { x: { rows: m, cols: 20, data: Float32Array.from(rng.floats(m * 20)) }, y: Array.from({ length: m }, (_, i) => i % 3) };
}

it('warmUp() builds every pipeline the fit it describes uses: the fit then builds none — also for layers that keep z (swish, GELU: their training forward pass is a pipeline of its own)', async () => {
  for (const [batchSize, optimizer, validation, activation] of [
    ['full', 'adam', false, ['tanh', 'relu']], [16, 'sgd', true, ['tanh', 'relu']], [64, 'momentum', false, ['tanh', 'relu']], [16, 'adam', true, ['swish', 'gelu']],
  ] as const) {
    const { ctx, built } = await counted();
    const net = new NeuralNetwork(ctx, { layers: [20, 12, 8, 3], activation: [...activation], seed: 1 });
    const d = data(200);
    const rows = batchSize === 'full' ? 200 : batchSize;
    await net.warmUp({ rows, optimizer, validationRows: validation ? 200 : undefined });
    const before = built.length;
    expect(before).toBeGreaterThan(3);
    await net.fit(d.x, d.y, { epochs: 2, batchSize, optimizer, ...(validation ? { validation: { x: d.x, y: d.y } } : {}) });
    expect(built.slice(before), `${batchSize} ${optimizer} ${activation.join()}`).toEqual([]);
    net.destroy();
  }
});

it("warmUp({ for: 'predict' }) builds the forward pass and h's output layer only, and predict then builds none — for a layer that keeps z in training too (mish)", async () => {
  for (const activation of ['sigmoid', 'mish'] as const) {
    const { ctx, built } = await counted({ warmModels: false });
    const net = new NeuralNetwork(ctx, { layers: [20, 12, 3], activation, seed: 1 });
    net.setTheta(new Float64Array((20 + 1) * 12 + (12 + 1) * 3).fill(0.01));
    await net.warmUp({ for: 'predict', rows: 50 });
    const before = built.length;
    expect(built.some((l) => /optimizer_update|epoch_end|batch_gather/.test(l))).toBe(false);
    await net.predict(data(50).x);
    expect(built.slice(before), activation).toEqual([]);
    net.destroy();
  }
});

it('a context that does not warm models builds, for a one-row prediction, no blocked product and nothing of training', async () => {
  const { ctx, built } = await counted({ warmModels: false });
  const net = new NeuralNetwork(ctx, { layers: [400, 25, 10], seed: 1 });
  net.setTheta(new Float64Array(401 * 25 + 26 * 10).fill(0.001));
  await net.predict([Array.from({ length: 400 }, (_, i) => (i % 7) / 7)]);
  expect(built.length).toBeGreaterThan(0);
  expect(built.filter((l) => /matmul_blocked|optimizer_update|epoch_end|batch_gather|feature_stats/.test(l))).toEqual([]);
});

it('a model constructed on a warming context starts no build on a software adapter (the product kernel depends on the rows)', async () => {
  const { ctx, built } = await counted();
  const net = new NeuralNetwork(ctx, { layers: [20, 12, 3] });
  await new Promise((r) => setTimeout(r, 50));
  expect(ctx.adapter.isFallbackAdapter ? built : built.filter((l) => !l.includes('matmul'))).toEqual([]);
  net.destroy();
});
