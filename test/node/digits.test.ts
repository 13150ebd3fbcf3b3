// The lecture's digit classifier, trained for real in Node: the 400-25-10 network with λ = 1
// on the 8,000 training digits must reach ≥ 92 % on the 2,000 test digits. Deterministic
// (seeded initialisation and shuffle, fixed-order sums), so not a flaky threshold.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { parseDigits } from '../../src/data/digits.js';
import { NeuralNetwork } from '../../src/models/network.js';

let ctx: GpuContext;

beforeAll(async () => {
  ctx = await createContext();
});

afterAll(() => {
  ctx?.destroy();
});

it('digits: 400-25-10 with λ = 1 reaches ≥ 92 % test accuracy (Adam, batch 100, 20 epochs)', async () => {
  const digits = parseDigits(readFileSync(new URL('../../demo/public/digits-20x20.bin', import.meta.url)));
  const network = new NeuralNetwork(ctx, { layers: [400, 25, 10], seed: 0 });
  try {
    const result = await network.fit(digits.train.x, digits.train.y, { epochs: 20, batchSize: 100, optimizer: 'adam', lambda: 1 });
    expect(result.status).toBe('completed');
    const test = await network.cost(digits.test.x, digits.test.y, { lambda: 1 });
    console.log(`[node] digits 400-25-10: test accuracy ${(100 * test.accuracy!).toFixed(2)} %, last epoch ${JSON.stringify(result.history.at(-1))}`);
    expect(test.accuracy!).toBeGreaterThanOrEqual(0.92);
  } finally {
    network.destroy();
  }
}, 300_000);

it('digits: hidden units of swish and GELU, exact and tanh (g′ from the z each layer keeps), reach at least the sigmoid network\'s test accuracy with the same settings (Adam, batch 100, λ = 1, 5 epochs, seed 0)', async () => {
  const digits = parseDigits(readFileSync(new URL('../../demo/public/digits-20x20.bin', import.meta.url)));
  const accuracy: Record<string, number> = {};
  for (const activation of ['sigmoid', 'swish', 'gelu', 'gelu_tanh'] as const) {
    const network = new NeuralNetwork(ctx, { layers: [400, 25, 10], activation, seed: 0 });
    try {
      const result = await network.fit(digits.train.x, digits.train.y, { epochs: 5, batchSize: 100, optimizer: 'adam', lambda: 1 });
      expect(result.status).toBe('completed');
      accuracy[activation] = (await network.cost(digits.test.x, digits.test.y, { lambda: 1 })).accuracy!;
    } finally {
      network.destroy();
    }
  }
  console.log(`[node] digits 400-25-10, 5 epochs: test accuracy ${Object.entries(accuracy).map(([g, a]) => `${g} ${(100 * a).toFixed(2)} %`).join(', ')}`);
  expect(accuracy.swish!).toBeGreaterThanOrEqual(accuracy.sigmoid!);
  expect(accuracy.gelu!).toBeGreaterThanOrEqual(accuracy.sigmoid!);
  expect(accuracy.gelu_tanh!).toBeGreaterThanOrEqual(accuracy.sigmoid!);
}, 300_000);
