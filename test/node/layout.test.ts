// Where x̃ = [1, (x − μ)/σ] of features in CPU memory is laid out (src/train/design.ts): on the
// CPU on a software adapter, on the GPU by its passes on hardware. Both layouts are forced here
// on the same data — raw and normalised, statistics computed and given, several chunks — and must
// agree with each other and with float64: the GPU layout is what every hardware adapter runs, and
// this machine has none.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { normalizationOf, statsFloats } from '../../src/kernels/feature_stats.js';
import { GpuDataset, type UploadOptions } from '../../src/train/dataset.js';
import type { HostStats } from '../../src/train/design.js';
import { Random } from '../../src/random.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createContext();
});
afterAll(() => ctx?.destroy());

const m = 301;
const n = 7;
const rng = new Random(23);
// Columns of different scales and offsets, one constant (σ = 1 by the rule).
const data = Float32Array.from({ length: m * n }, (_, i) => (i % n === 3 ? 5 : (i % n) * 1000 + rng.uniform(-1, 1) * 10 ** (i % n)));
const y = Float32Array.from({ length: m }, (_, i) => i % 3);

/** x̃ and y of every chunk read back, and μ, σ from the statistics buffer. */
async function upload(layout: 'cpu' | 'gpu', normalize: boolean, given?: HostStats) {
  const stats = ctx.createBuffer('layout stats', statsFloats(n) * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
  const cpu = { stats: given };
  if (given) {
    const s = new Float32Array(statsFloats(n));
    s.set(given.mean, n);
    s.set(given.std, 3 * n);
    ctx.device.queue.writeBuffer(stats, 0, s);
  }
  const o: UploadOptions = { normalize, stats, computeStats: normalize && !given, outputs: 3, layout, cpu, maxBindingBytes: 100 * (n + 1) * 4 };
  const d = await GpuDataset.upload(ctx, 'layout', { rows: m, cols: n, data }, y, o);
  try {
    expect(d.chunks.length).toBe(4);
    const design: number[] = [];
    const targets: number[] = [];
    for (const c of d.chunks) {
      design.push(...(await ctx.read(c.x)));
      targets.push(...(await ctx.read(c.y)));
    }
    return { design, targets, norm: normalizationOf(await ctx.read(stats), n), cpu: cpu.stats };
  } finally {
    d.destroy();
    ctx.release(stats);
  }
}

function float64Stats() {
  const mean = Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => data[i * n + j]!).reduce((s, v) => s + v, 0) / m);
  const std = mean.map((mu, j) => {
    const sd = Math.sqrt(Array.from({ length: m }, (_, i) => (data[i * n + j]! - mu) ** 2).reduce((s, v) => s + v, 0) / m);
    return sd === 0 || sd <= 1e-6 * Math.abs(mu) ? 1 : sd;
  });
  return { mean, std };
}

it('raw features: both layouts write x̃ = [1, x] and y exactly', async () => {
  const [c, g] = [await upload('cpu', false), await upload('gpu', false)];
  expect(c.design).toEqual(g.design);
  expect(c.targets).toEqual(Array.from(y));
  expect(g.targets).toEqual(Array.from(y));
  for (let i = 0; i < m; i++) expect(c.design.slice(i * (n + 1), (i + 1) * (n + 1))).toEqual([1, ...data.subarray(i * n, (i + 1) * n)]);
});

it('normalised, statistics computed: both layouts agree with float64 μ, σ and x̃; the CPU layout keeps its μ, σ for the next upload', async () => {
  const ref = float64Stats();
  const [c, g] = [await upload('cpu', true), await upload('gpu', true)];
  for (const r of [c, g]) {
    for (let j = 0; j < n; j++) {
      expect(Math.abs(r.norm.mean[j]! - ref.mean[j]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ref.mean[j]!)));
      expect(Math.abs(r.norm.std[j]! - ref.std[j]!)).toBeLessThanOrEqual(1e-4 * ref.std[j]!);
    }
    for (let i = 0; i < m; i++) {
      expect(r.design[i * (n + 1)]).toBe(1);
      for (let j = 0; j < n; j++) expect(Math.abs(r.design[i * (n + 1) + 1 + j]! - (data[i * n + j]! - ref.mean[j]!) / ref.std[j]!)).toBeLessThan(2e-3);
    }
  }
  expect(c.cpu?.mean.length).toBe(n);
  expect(g.cpu).toBeUndefined();
  expect(c.norm.std[3]).toBe(1);
});

it('normalised with given statistics: both layouts write the same x̃ to within float32 rounding', async () => {
  const given = { mean: Float32Array.from({ length: n }, (_, j) => j * 1000), std: Float32Array.from({ length: n }, (_, j) => 10 ** (j % 4)) };
  const [c, g] = [await upload('cpu', true, given), await upload('gpu', true, given)];
  c.design.forEach((v, i) => expect(Math.abs(v - g.design[i]!)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(v))));
});
