// Sigmoid and its derivative against the float64 reference: the named values the issue fixes
// (σ(−1000) = 0, σ(1000) = 1, σ(0) = 0.5, σ'(0) = 0.25), the edges of f32's exp range,
// sizes around the workgroup, offsets, and a run longer than one dispatch row.

import { ArgumentError } from '../../src/gpu/errors.js';
import { sigmoid, sigmoidDerivative } from '../../src/kernels/activation.js';
import { sigmoid as sigmoidRef, sigmoidDerivativeFromActivation } from '../../src/reference/activations.js';
import { Random } from '../../src/random.js';
import { assertClose, check, expectError } from '../support/compare.js';
import type { GpuCase, Layout, Scratch } from '../support/gpu.js';

// σ has |σ'| ≤ 1/4, so f32 rounding of the input and of exp() keeps it within a few ulps of
// 1; atol covers results that underflow to 0 (σ(−100) ≈ 3.7e−44 is below f32's normal range).
const TOL = { atol: 1e-7, rtol: 4e-7 };

async function sigmoidOf(gpu: Scratch, z: Float64Array, layout: Layout = {}): Promise<Float64Array> {
  const Z = gpu.vector('z', z, layout);
  const A = gpu.vector('a', new Float64Array(z.length).fill(NaN), { offset: (layout.offset ?? 0) + 1, tail: 3 });
  await sigmoid(gpu.ctx, A, Z);
  return gpu.read(A);
}

async function derivativeOf(gpu: Scratch, a: Float64Array, layout: Layout = {}): Promise<Float64Array> {
  const A = gpu.vector('a', a, layout);
  const G = gpu.vector('g', new Float64Array(a.length).fill(NaN), { offset: 2, tail: 1 });
  await sigmoidDerivative(gpu.ctx, G, A);
  return gpu.read(G);
}

const F32_MAX = 3.4028234663852886e38;

const cases: GpuCase[] = [
  {
    name: 'σ at the named values: σ(−1000) = 0, σ(0) = 0.5, σ(1000) = 1, no NaN or ∞',
    async run(gpu) {
      const z = Float64Array.from([-1000, 0, 1000, -0, -F32_MAX, F32_MAX]);
      const a = await sigmoidOf(gpu, z);
      check(a[0] === 0 && a[1] === 0.5 && a[2] === 1 && a[3] === 0.5, `σ(−1000, 0, 1000, −0) = ${Array.from(a.slice(0, 4))}`);
      check(a[4] === 0 && a[5] === 1, `σ(∓f32 max) = ${a[4]}, ${a[5]}`);
    },
  },
  {
    name: "σ'(0) = 0.25 and σ' of saturated activations is 0",
    async run(gpu) {
      const g = await derivativeOf(gpu, Float64Array.from([0.5, 0, 1]));
      check(g[0] === 0.25 && g[1] === 0 && g[2] === 0, `σ'(from a = 0.5, 0, 1) = ${Array.from(g)}`);
    },
  },
  {
    name: "σ around f32's exp overflow (|z| ≈ 88.7) and underflow (|z| ≈ 103)",
    async run(gpu) {
      const z = Float64Array.from([-150, -104, -103, -89, -88.72, -88, -87, -50, -20, -1e-30, 1e-30, 20, 50, 87, 88, 88.72, 89, 104, 150].map(Math.fround));
      const a = await sigmoidOf(gpu, z);
      check(a.every((v) => Number.isFinite(v) && v >= 0 && v <= 1), `σ left [0, 1]: ${Array.from(a)}`);
      assertClose(this.name, a, z.map(sigmoidRef), TOL);
    },
  },
  ...[1, 255, 256, 257, 100_003].map((n) => ({
    name: `σ and σ' of ${n} seeded values in [−20, 20]`,
    async run(gpu: Scratch) {
      const z = new Random(n).floats(n, -20, 20);
      const a = await sigmoidOf(gpu, z, { offset: n % 7, tail: 2 });
      assertClose(`σ, n = ${n}`, a, z.map(sigmoidRef), TOL);
      const aIn = Float64Array.from(a, Math.fround);
      const g = await derivativeOf(gpu, aIn, { offset: 5 });
      assertClose(`σ', n = ${n}`, g, aIn.map(sigmoidDerivativeFromActivation), { atol: 1e-7, rtol: 1e-6 });
    },
  })),
  {
    // 2²⁴ + 1 elements need 65,537 workgroups of 256: more than one dimension of the grid holds.
    name: 'σ of 2²⁴ + 1 values: the grid folds into two dimensions',
    async run(gpu) {
      const n = 2 ** 24 + 1;
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) z[i] = Math.fround(((i * 7919) % 4001) / 100 - 20);
      const a = await sigmoidOf(gpu, z);
      assertClose(this.name, a, z.map(sigmoidRef), TOL);
    },
  },
  {
    name: 'σ bad arguments: ArgumentError naming the argument, output untouched',
    async run(gpu) {
      const ctx = gpu.ctx;
      const z = gpu.vector('z', [1, 2, 3]);
      const a = gpu.vector('a', [7, 7, 7]);
      await expectError(() => sigmoid(ctx, { ...a, length: 2 }, z), ArgumentError, ['a:', 'must have 3 elements']);
      await expectError(() => sigmoid(ctx, z, z), ArgumentError, ['a:', 'shares buffer']);
      const z5 = gpu.vector('z5', [1, 2, 3, 4, 5]);
      await expectError(() => sigmoid(ctx, a, { ...z5, length: 3, stride: 2 }), ArgumentError, ['z.stride', 'contiguous']);
      await expectError(() => sigmoid(ctx, a, { ...z, length: 0 }), ArgumentError, ['z.length', '≥ 1']);
      await expectError(() => sigmoidDerivative(ctx, a, { ...z, offset: 1 }), ArgumentError, ['saved:', 'holds 3']);
      const after = await gpu.read(a);
      check(after.every((v) => v === 7), `a was written by a failed call: ${Array.from(after)}`);
    },
  },
];

export const sigmoidCases: GpuCase[] = cases;
