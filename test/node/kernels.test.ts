// The GPU cases in Node: Vitest, with WebGPU from the `webgpu` package (Dawn).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { allCases } from '../cases/index.js';
import { runCase } from '../support/gpu.js';

let ctx: GpuContext;
const uncaptured: string[] = [];

beforeAll(async () => {
  ctx = await createContext();
  // Errors outside any error scope: there must be none (every case runs inside scopes).
  ctx.device.onuncapturederror = (e) => uncaptured.push(e.error.message);
  console.log(`[node] adapter: ${JSON.stringify(ctx.adapter)}`);
});

afterAll(() => {
  ctx?.destroy();
});

it('node: the adapter comes from the webgpu package and reports what it is', () => {
  expect(ctx.adapter.source).toBe('node-webgpu');
  expect(typeof ctx.adapter.isFallbackAdapter).toBe('boolean');
  expect(ctx.adapter.vendor + ctx.adapter.architecture + ctx.adapter.description).not.toBe('');
});

for (const c of allCases) {
  it(`node: ${c.name}`, () => runCase(ctx, c));
}

it('node: no GPU error escaped the error scopes in the whole run', () => {
  expect(uncaptured).toEqual([]);
});
