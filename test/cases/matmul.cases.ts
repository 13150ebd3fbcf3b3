// Matrix multiply against the float64 reference: named edge cases (1×1, primes, one off the
// 64-wide tile, K = 1, 2048 in each dimension), the four transpose combinations, views into
// larger buffers, α/β accumulation, the fused bias + σ epilogue, and seeded random shapes.
// Every output starts as NaN and is surrounded by guard values that must survive.

import fc from 'fast-check';
import { ACTIVATIONS, ACTIVATION_NAMES } from '../../src/activations.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { type MatmulOptions, createMatmul, matmul } from '../../src/kernels/matmul.js';
import { SMALL_PRODUCT, TILINGS, type Tiling, chooseTiling, tileExtent } from '../../src/tune/tilings.js';
import { TUNING_CANDIDATES, tuneMatmul } from '../../src/tune/matmul.js';
import { encodePass } from '../../src/gpu/kernel.js';
import { chooseSplit } from '../../src/kernels/matmul_split.js';
import { type HostMatrix, hostMatrix, matmulReference } from '../../src/reference/matmul.js';
import { Random } from '../../src/random.js';
import { assertClose, check, expectError } from '../support/compare.js';
import type { GpuCase, Layout, Scratch } from '../support/gpu.js';

interface Shape {
  m: number;
  n: number;
  k: number;
}

interface MatmulCase {
  name: string;
  shape: Shape;
  options?: Omit<MatmulOptions, 'bias' | 'gate' | 'saved' | 'saveZ'> & { bias?: boolean };
  layouts?: { a?: Layout; b?: Layout; c?: Layout; saved?: Layout };
  /** Keep z (saveZ) with the forward activation, and check it. */
  saveZ?: boolean;
  /** Scale of the random inputs (large values drive σ into saturation). */
  scale?: number;
  seed?: number;
}

/**
 * Float32 accumulation error grows with K and with the size of the products: the bound
 * K·2⁻²³·max|a|·max|b| is loose enough for any summation order and tight enough that one
 * wrong or missing term (of size ~max|a|·max|b|) fails.
 */
function tolerance(k: number, maxA: number, maxB: number): { atol: number; rtol: number } {
  return { atol: 4 * k * 2 ** -23 * maxA * maxB + 1e-6, rtol: 1e-5 };
}

async function runMatmulCase(gpu: Scratch, c: MatmulCase): Promise<void> {
  const { m, n, k } = c.shape;
  const opts = c.options ?? {};
  const rng = new Random(c.seed ?? m * 1_000_003 + n * 1009 + k);
  const scale = c.scale ?? 1;
  const a = opts.transA ? hostMatrix(k, m, rng.floats(m * k, -scale, scale)) : hostMatrix(m, k, rng.floats(m * k, -scale, scale));
  const b = opts.transB ? hostMatrix(n, k, rng.floats(n * k, -1, 1)) : hostMatrix(k, n, rng.floats(n * k, -1, 1));
  const bias = opts.bias ? rng.floats(n, -2, 2) : undefined;
  const beta = opts.beta ?? 0;
  const c0 = beta !== 0 ? hostMatrix(m, n, rng.floats(m * n)) : undefined;

  const A = gpu.matrix('a', a, c.layouts?.a);
  const B = gpu.matrix('b', b, c.layouts?.b);
  const C = c0 ? gpu.matrix('c', c0, c.layouts?.c) : gpu.output('c', m, n, c.layouts?.c);
  const biasView = bias ? gpu.vector('bias', bias, { offset: 3, tail: 2 }) : undefined;
  // What the forward pass saved for the hidden-δ epilogue: a = g(z), or z where g′ needs it.
  const entry = opts.gradient && ACTIVATIONS[opts.gradient];
  const saved = entry ? hostMatrix(m, n, rng.floats(m * n, -4, 4).map((z) => (entry.derivativeFrom === 'z' ? z : entry.reference.value(z)))) : undefined;
  const savedView = saved ? gpu.matrix('saved', saved, c.layouts?.saved ?? { offset: 2, stride: n + 3, tail: 1 }) : undefined;
  // z kept by the forward epilogue before g, where the case asks for it.
  const zView = c.saveZ ? gpu.output('z', m, n, { offset: 1, stride: n + 2, tail: 3 }) : undefined;
  await matmul(gpu.ctx, C, A, B, { ...opts, bias: biasView, saved: savedView, ...(zView ? { saveZ: zView } : {}) });

  const want = matmulReference(a, b, { ...opts, bias, saved }, c0);
  if (zView) {
    const { activation: _, ...raw } = opts;
    assertClose(`${c.name}: z saved`, await gpu.read(zView), matmulReference(a, b, { ...raw, bias }, c0).data, tolerance(k, scale * Math.abs(opts.alpha ?? 1), 1));
  }
  const got = await gpu.read(C);
  const alpha = Math.abs(opts.alpha ?? 1);
  assertClose(c.name, got, want.data, tolerance(k, scale * alpha, 1));
}

const named: MatmulCase[] = [
  { name: '1×1 · 1×1', shape: { m: 1, n: 1, k: 1 } },
  { name: '1×1 · 1×1 with bias and σ', shape: { m: 1, n: 1, k: 1 }, options: { bias: true, activation: 'sigmoid' } },
  { name: 'row vector 1×300 · 300×70', shape: { m: 1, n: 70, k: 300 } },
  { name: 'column vector 70×300 · 300×1', shape: { m: 70, n: 1, k: 300 } },
  { name: 'K = 1 outer product 70×1 · 1×90', shape: { m: 70, n: 90, k: 1 } },
  { name: 'primes 17×31 · 31×13', shape: { m: 17, n: 13, k: 31 } },
  { name: 'exactly one tile 64×16 · 16×64', shape: { m: 64, n: 64, k: 16 } },
  { name: 'one under the tile 63×15 · 15×63', shape: { m: 63, n: 63, k: 15 } },
  { name: 'one over the tile 65×17 · 17×65', shape: { m: 65, n: 65, k: 17 } },
  { name: 'several tiles 129×200 · 200×131', shape: { m: 129, n: 131, k: 200 } },
  { name: 'M = 2048: 2048×2048 · 2048×9', shape: { m: 2048, n: 9, k: 2048 } },
  { name: 'N = 2048: 3×2048 · 2048×2048', shape: { m: 3, n: 2048, k: 2048 } },
  { name: 'M = N = 2048 at K = 5', shape: { m: 2048, n: 2048, k: 5 } },
  { name: 'Aᵀ · B', shape: { m: 37, n: 41, k: 23 }, options: { transA: true } },
  { name: 'A · Bᵀ', shape: { m: 37, n: 41, k: 23 }, options: { transB: true } },
  { name: 'Aᵀ · Bᵀ', shape: { m: 37, n: 41, k: 23 }, options: { transA: true, transB: true } },
  { name: 'Aᵀ · B past one tile (δᵀa, the gradient shape)', shape: { m: 70, n: 66, k: 130 }, options: { transA: true } },
  {
    name: 'views: offsets and row strides in a, b and c',
    shape: { m: 30, n: 21, k: 19 },
    layouts: { a: { offset: 5, stride: 23, tail: 3 }, b: { offset: 1, stride: 40 }, c: { offset: 7, stride: 29, tail: 4 } },
  },
  {
    name: 'views with Aᵀ and Bᵀ',
    shape: { m: 30, n: 21, k: 19 },
    options: { transA: true, transB: true },
    layouts: { a: { offset: 2, stride: 33 }, b: { offset: 9, stride: 20, tail: 1 }, c: { offset: 1, stride: 22 } },
  },
  { name: 'α = −0.5, β = 0', shape: { m: 20, n: 30, k: 10 }, options: { alpha: -0.5 } },
  { name: 'accumulate: α = 0.25, β = 1', shape: { m: 33, n: 34, k: 35 }, options: { alpha: 0.25, beta: 1 } },
  { name: 'β = 0.5 with bias and σ', shape: { m: 33, n: 34, k: 35 }, options: { beta: 0.5, bias: true, activation: 'sigmoid' } },
  // Every activation of the registry, forward (with saturated logits) and as the δ epilogue.
  ...ACTIVATION_NAMES.flatMap((g): MatmulCase[] => [
    { name: `${g}: dense forward g(X·Θᵀ + b)`, shape: { m: 37, n: 21, k: 45 }, options: { transB: true, bias: true, activation: g } },
    { name: `${g}: saturated logits in the thousands`, shape: { m: 40, n: 40, k: 64 }, options: { bias: true, activation: g }, scale: 1000 },
    { name: `${g}: hidden δ (δ·Θ) ⊙ g′ from the saved ${ACTIVATIONS[g].derivativeFrom}`, shape: { m: 35, n: 19, k: 11 }, options: { gradient: g }, layouts: { b: { offset: 1, stride: 20 }, saved: { offset: 1, stride: 20, tail: 2 } } },
    { name: `${g}: forward keeping z (saveZ) before g`, shape: { m: 23, n: 17, k: 45 }, options: { transB: true, bias: true, activation: g }, saveZ: true },
  ]),
  { name: 'bias without activation', shape: { m: 9, n: 77, k: 12 }, options: { bias: true } },
  // The blocked kernel through views: offsets and strides (aligned on 4 floats or not), blocks on
  // C's edge reading clamped rows and columns, K's partial last step and K a multiple of 4, every
  // transpose, the whole epilogue.
  ...[[false, false], [true, false], [false, true], [true, true]].flatMap(([transA, transB]): MatmulCase[] => [
    {
      name: `blocked, views${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}: 37×23 · 23×41, β, bias, σ`,
      shape: { m: 37, n: 41, k: 23 },
      // The tiling cases' epilogue: the same pipelines (a blocked pipeline takes a second or more to build on SwiftShader).
      options: { transA, transB, tiling: TILINGS.blocked, bias: true, activation: 'sigmoid', beta: 0.5 },
      layouts: { a: { offset: 4, stride: transA ? 40 : 24, tail: 3 }, b: { offset: 7, stride: transB ? 25 : 43, tail: 1 }, c: { offset: 3, stride: 45 } },
    },
    {
      name: `blocked, views${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}: 70×132 · 132×66 (K a multiple of 4), ${transA || transB ? 'β, bias, σ' : 'hidden δ'}`,
      shape: { m: 70, n: 66, k: 132 },
      options: { transA, transB, tiling: TILINGS.blocked, ...(transA || transB ? { bias: true, activation: 'sigmoid' as const, beta: 0.5 } : { gradient: 'sigmoid' as const }) },
      layouts: { a: { offset: 13, stride: transA ? 71 : 133 }, b: { offset: 4, stride: transB ? 136 : 68 }, saved: { offset: 1, stride: 67 } },
    },
  ]),
  // Vec4 staging through views: every run of four aligned (offsets and strides multiples of 4),
  // none aligned, and mixed (K not a multiple of 4: some rows' runs straddle the edge); every
  // transpose; with split-K, slices whose starts are not multiples of 4.
  ...[[false, false], [true, false], [false, true], [true, true]].flatMap(([transA, transB]): MatmulCase[] => {
    const t = `${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`;
    return [
      {
        name: `vec4 loads, aligned views${t}: 70×64 · 64×66, β, bias, σ`,
        shape: { m: 70, n: 66, k: 64 },
        options: { transA, transB, tiling: TILINGS.vec4Medium, bias: true, activation: 'sigmoid', beta: 0.5 },
        layouts: { a: { offset: 4, stride: transA ? 72 : 68, tail: 1 }, b: { offset: 8, stride: transB ? 64 : 68 }, c: { offset: 3, stride: 67 } },
      },
      {
        name: `vec4 loads, unaligned views${t}: 37×23 · 23×41, β, bias, σ`,
        shape: { m: 37, n: 41, k: 23 },
        options: { transA, transB, tiling: TILINGS.vec4Medium, bias: true, activation: 'sigmoid', beta: 0.5 },
        layouts: { a: { offset: 5, stride: transA ? 41 : 27, tail: 3 }, b: { offset: 7, stride: transB ? 25 : 43, tail: 2 } },
      },
      {
        name: `vec4 loads, 8×8 register tiles, mixed runs${t}: 130×45 · 45×131, hidden δ`,
        shape: { m: 130, n: 131, k: 45 },
        options: { transA, transB, tiling: TILINGS.vec4RegLarge, gradient: 'sigmoid' },
      },
      {
        name: `vec4 loads with split-K, 5 slices of 30${t}: 37×150 · 150×41, β, bias, σ`,
        shape: { m: 37, n: 41, k: 150 },
        options: { transA, transB, tiling: TILINGS.vec4Large, splitK: 5, bias: true, activation: 'sigmoid', beta: 0.5 },
      },
    ];
  }),
  // Split-K (hardware adapters pick it for products of few tiles; forced here with a workgroup
  // tiling): slices that straddle TILE_K, more slices than K, every transpose, both epilogues.
  ...[[false, false], [true, false], [false, true], [true, true]].map(([transA, transB]): MatmulCase => ({
    name: `split-K, 7 slices${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}: 37×150 · 150×41, β, bias, σ`,
    shape: { m: 37, n: 41, k: 150 },
    options: { transA, transB, tiling: TILINGS.medium, splitK: 7, bias: true, activation: 'sigmoid', beta: 0.5 },
  })),
  // z kept (saveZ) by every walk of the product: the tiled kernel's store, split-K's sum, the
  // blocked kernel's epilogue pass (the direct kernel: the per-activation cases above).
  { name: 'saveZ in the tiled kernel (workgroup tiles), swish: 70×66 · (64×66)ᵀ', shape: { m: 70, n: 64, k: 66 }, options: { transB: true, tiling: TILINGS.medium, bias: true, activation: 'swish' }, saveZ: true },
  { name: "saveZ in split-K's sum, gelu: 37×150 · 150×41 in 5 slices", shape: { m: 37, n: 41, k: 150 }, options: { tiling: TILINGS.medium, splitK: 5, bias: true, activation: 'gelu' }, saveZ: true },
  { name: "saveZ in the blocked kernel's epilogue pass, mish: 37×23 · 23×41", shape: { m: 37, n: 41, k: 23 }, options: { tiling: TILINGS.blocked, bias: true, activation: 'mish' }, saveZ: true },
  { name: 'split-K, the gradient shape Δ = δᵀa: 25×1000 · 1000×401 (Aᵀ) in 10 slices, accumulating (β = 1)', shape: { m: 25, n: 401, k: 1000 }, options: { transA: true, tiling: TILINGS.medium, splitK: 10, beta: 1 } },
  { name: 'split-K, more slices than K: 5×3 · 3×6 in 5 slices', shape: { m: 5, n: 6, k: 3 }, options: { tiling: TILINGS.narrow, splitK: 5, bias: true, activation: 'sigmoid', beta: 0.5 } },
  { name: 'split-K, hidden δ through views: 35×300 · 300×19 in 3 slices, large tiling', shape: { m: 35, n: 19, k: 300 }, options: { tiling: TILINGS.large, splitK: 3, gradient: 'tanh' }, layouts: { a: { offset: 5, stride: 303 }, b: { offset: 1, stride: 20 } } },
  { name: 'a large square 128×128 · 128×128', shape: { m: 128, n: 128, k: 128 }, options: { bias: true, activation: 'sigmoid', beta: 0.5 } },
  {
    name: 'dense forward σ(X·Θᵀ + b), 100×400 · (25×400)ᵀ',
    shape: { m: 100, n: 25, k: 400 },
    options: { transB: true, bias: true, activation: 'sigmoid' },
  },
  {
    name: 'hidden δ: (δ·Θ) ⊙ G ⊙ (1 − G) from a strided saved activation',
    shape: { m: 100, n: 25, k: 10 },
    options: { gradient: 'sigmoid' },
    layouts: { b: { offset: 1, stride: 26 }, saved: { offset: 1, stride: 26, tail: 2 } },
  },
  { name: 'hidden δ with Aᵀ, Bᵀ, α and β', shape: { m: 33, n: 17, k: 70 }, options: { gradient: 'sigmoid', transA: true, transB: true, alpha: 0.5, beta: 1 } },
  {
    name: 'saturated σ: logits in the thousands stay in [0, 1]',
    shape: { m: 40, n: 40, k: 64 },
    options: { bias: true, activation: 'sigmoid' },
    scale: 1000,
  },
];

/** Every tiling on shapes that straddle its tile edges, transposed or not, with the epilogue. */
function tilingCases(): MatmulCase[] {
  const out: MatmulCase[] = [];
  for (const [name, tiling] of Object.entries(TILINGS) as [string, Tiling][]) {
    const { rows: tm, cols: tn } = tileExtent(tiling);
    const shapes = [
      { m: 1, n: 1, k: 1 },
      { m: tm + 1, n: tn - 1, k: tiling.TILE_K + 1 },
      { m: 2 * tm - 1, n: 2 * tn + 3, k: 3 * tiling.TILE_K },
    ];
    for (const shape of shapes) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        out.push({
          name: `${name} tiling ${tm}×${tn}×${tiling.TILE_K}: ${shape.m}×${shape.k} · ${shape.k}×${shape.n}${transA ? ' transA' : ''}${transB ? ' transB' : ''}`,
          shape,
          options: { transA, transB, tiling, bias: true, activation: 'sigmoid', beta: 0.5 },
        });
      }
    }
  }
  return out;
}

function randomCases(count: number, seed: number): MatmulCase[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, (_, i) => {
    const shape = { m: rng.int(1, 200), n: rng.int(1, 200), k: rng.int(1, 200) };
    const flags = { transA: rng.next() < 0.5, transB: rng.next() < 0.5, bias: rng.next() < 0.5 };
    const g = ACTIVATION_NAMES[rng.int(0, ACTIVATION_NAMES.length - 1)]!;
    const epilogue = (['none', 'activation', 'gradient'] as const)[rng.int(0, 2)]!;
    const options: MatmulCase['options'] = { ...flags, ...(epilogue === 'none' ? {} : { [epilogue]: g }) };
    const act = epilogue === 'none' ? '' : epilogue === 'activation' ? ` ${g}` : ` ⊙${g}′`;
    return {
      name: `random #${i} ${shape.m}×${shape.k} · ${shape.k}×${shape.n} ${Object.keys(flags).filter((f) => flags[f as keyof typeof flags]).join(' ')}${act}`.trim(),
      shape,
      options,
      seed: seed + i,
    };
  });
}

/** The lecture's Θ⁽ˡ⁾ is s₂ × (s₁ + 1) with the bias weights in column 0: one buffer, two views. */
const thetaWithBiasColumn: GpuCase = {
  name: 'dense forward reading Θ with its bias column in place',
  async run(gpu) {
    const [m, s1, s2] = [57, 31, 11];
    const rng = new Random(7);
    const x = hostMatrix(m, s1, rng.floats(m * s1));
    const theta = hostMatrix(s2, s1 + 1, rng.floats(s2 * (s1 + 1)));
    const X = gpu.matrix('x', x);
    const T = gpu.matrix('theta', theta);
    const A = gpu.output('a', m, s2);
    const weights = { buffer: T.buffer, rows: s2, cols: s1, offset: 1, stride: s1 + 1 };
    const bias = { buffer: T.buffer, length: s2, offset: 0, stride: s1 + 1 };
    await matmul(gpu.ctx, A, X, weights, { transB: true, bias, activation: 'sigmoid' });

    const w = hostMatrix(s2, s1);
    const b = new Float64Array(s2);
    for (let i = 0; i < s2; i++) {
      b[i] = theta.data[i * (s1 + 1)]!;
      for (let j = 0; j < s1; j++) w.data[i * s1 + j] = theta.data[i * (s1 + 1) + 1 + j]!;
    }
    const want = matmulReference(x, w, { transB: true, bias: b, activation: 'sigmoid' });
    assertClose(this.name, await gpu.read(A), want.data, tolerance(s1, 1, 1));
  },
};

/**
 * A batch of products in one dispatch (options.batch) gives each product's bits exactly as it
 * alone: for every kernel (direct, blocked and its epilogue pass, workgroup tiles, vec4 loads,
 * split-K), with a shared A, per-product B, bias and saved activation, and C one product after
 * another or side by side within its rows. The products alone are checked against float64 by
 * the cases above.
 */
const batchedProducts: GpuCase = {
  name: 'batched products (options.batch): every kernel gives each product its own bits, A shared, per product or repeated over products (repeatA), B per product or repeated (repeatB), C one after another or side by side',
  async run(gpu) {
    const rng = new Random(31);
    const P = 4;
    const tilings: [string, Tiling, number?][] = [['direct', TILINGS.direct], ['blocked', TILINGS.blocked], ['medium', TILINGS.medium], ['vec4 register tiles', TILINGS.vec4RegLarge], ['split-K', TILINGS.medium, 3]];
    // How many products read each A (P: one A for all, 1: one each) and each B.
    const combos = [[false, true, P, 1, 'activation', false], [true, false, 1, 2, 'gradient', true], [true, true, P, 1, 'none', true], [false, false, 2, 1, 'activation', false], [false, true, 2, 2, 'none', true]] as const;
    for (const [what, tiling, splitK] of tilings) {
      for (const [transA, transB, repeatA, repeatB, epilogue, sideBySide] of combos) {
        const [m, n, k] = [19, 13, 37];
        const name = `${what}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}, each A read by ${repeatA}, each B by ${repeatB}, ${epilogue}, C ${sideBySide ? 'side by side' : 'one after another'}`;
        const [ar, ac] = transA ? [k, m] : [m, k];
        const [br, bc] = transB ? [n, k] : [k, n];
        const [As, Bs] = [P / repeatA, P / repeatB];
        const A = gpu.matrix('a', hostMatrix(As * ar, ac, rng.floats(As * ar * ac)));
        const B = gpu.matrix('b', hostMatrix(Bs * br, bc, rng.floats(Bs * br * bc)));
        const bias = gpu.vector('bias', rng.floats(P * n, -2, 2));
        const saved = gpu.matrix('saved', hostMatrix(P * m, n, rng.floats(P * m * n, 0.05, 0.95)));
        const C = sideBySide ? gpu.output('c', m, P * n) : gpu.output('c', P * m, n);
        const view = (M: typeof A, rows: number, cols: number, p: number, step: number) => ({ buffer: M.buffer, rows, cols, offset: (M.offset ?? 0) + p * step, stride: M.stride ?? cols });
        const options = (p: number): MatmulOptions => ({
          transA, transB, tiling, ...(splitK ? { splitK } : {}), beta: 0,
          ...(epilogue === 'activation' ? { activation: 'tanh' as const, bias: { buffer: bias.buffer, length: n, offset: (bias.offset ?? 0) + p * n } } : {}),
          ...(epilogue === 'gradient' ? { gradient: 'sigmoid' as const, saved: view(saved, m, n, p, m * n) } : {}),
        });
        const cView = sideBySide ? { buffer: C.buffer, rows: m, cols: n, offset: C.offset ?? 0, stride: P * n } : view(C, m, n, 0, m * n);
        const repeats = { ...(repeatA > 1 && repeatA < P ? { repeatA } : {}), ...(repeatB > 1 ? { repeatB } : {}) };
        await matmul(gpu.ctx, cView, view(A, ar, ac, 0, 0), view(B, br, bc, 0, br * bc), {
          ...options(0), batch: { count: P, a: repeatA === P ? 0 : ar * ac, b: br * bc, c: sideBySide ? n : m * n, bias: n, saved: m * n, ...repeats },
        });
        const together = await gpu.read(C);
        for (let p = 0; p < P; p++) {
          const alone = gpu.output('alone', m, n);
          await matmul(gpu.ctx, alone, view(A, ar, ac, Math.floor(p / repeatA), ar * ac), view(B, br, bc, Math.floor(p / repeatB), br * bc), options(p));
          const want = await gpu.read(alone);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const got = sideBySide ? together[i * P * n + p * n + j]! : together[(p * m + i) * n + j]!;
              check(Object.is(got, want[i * n + j]!), `${name}: product ${p} C[${i}][${j}] is ${got} in the batch, ${want[i * n + j]} alone`);
            }
          }
        }
      }
    }
  },
};

/**
 * C's columns in groups (options.columnGroups: each model's a⁽²⁾ after its bias column, when one
 * product serves several models' first layer): every kernel stores each element where the
 * groups put it, with the bits the plain product gives it, the gaps untouched.
 */
const columnGroupProducts: GpuCase = {
  name: 'column groups (options.columnGroups): every kernel stores each element of C where its group puts it, with the plain product\'s bits, the gaps untouched',
  async run(gpu) {
    const rng = new Random(41);
    const [m, n, k, size, gap] = [23, 15, 29, 5, 2];
    const stride = size + gap;
    const a = gpu.matrix('a', hostMatrix(m, k, rng.floats(m * k)));
    const b = gpu.matrix('b', hostMatrix(n, k, rng.floats(n * k)));
    for (const [what, tiling, splitK] of [['direct', TILINGS.direct], ['blocked', TILINGS.blocked], ['medium', TILINGS.medium], ['split-K', TILINGS.medium, 3]] as [string, Tiling, number?][]) {
      const plain = gpu.output('plain', m, n);
      const options: MatmulOptions = { transB: true, activation: 'sigmoid', tiling, ...(splitK ? { splitK } : {}) };
      await matmul(gpu.ctx, plain, a, b, options);
      const rowWidth = (n / size) * stride;
      const grouped = gpu.output('grouped', m, rowWidth, {}, 7);
      await matmul(gpu.ctx, { ...grouped, cols: n, offset: 1, stride: rowWidth }, a, b, { ...options, columnGroups: { size, stride } });
      const [want, got] = [await gpu.read(plain), await gpu.read(grouped)];
      for (let i = 0; i < m; i++) {
        for (let c = 0; c < rowWidth; c++) {
          const inGroup = c >= 1 && (c - 1) % stride < size && c - 1 < (n / size) * stride;
          const j = Math.floor((c - 1) / stride) * size + ((c - 1) % stride);
          const v = got[i * rowWidth + c]!;
          if (inGroup) check(Object.is(v, want[i * n + j]!), `${what}: C[${i}][${j}] stored at column ${c} is ${v}, the plain product's is ${want[i * n + j]}`);
          else check(v === 7, `${what}: the gap at row ${i}, column ${c} was written (${v})`);
        }
      }
    }
  },
};

/** Every bad argument throws ArgumentError naming it, and leaves the output untouched. */
const badArguments: GpuCase = {
  name: 'bad arguments: ArgumentError naming the argument, output untouched',
  async run(gpu) {
    const ctx = gpu.ctx;
    const a = gpu.matrix('a', hostMatrix(4, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    const b = gpu.matrix('b', hostMatrix(3, 2, [1, 2, 3, 4, 5, 6]));
    const c = gpu.output('c', 4, 2, {}, 42);
    const bias3 = gpu.vector('bias', [1, 2, 3]);
    const cases: [string, () => Promise<void>, string[]][] = [
      ['inner dimensions', () => matmul(ctx, c, a, { ...b, rows: 2, cols: 2 }), ['b:', 'inner dimensions', '4×3', '2×2']],
      ['output shape', () => matmul(ctx, { ...c, rows: 3 }, a, b), ['c:', 'must be 4×2']],
      ['transpose changes the shape', () => matmul(ctx, c, a, b, { transA: true }), ['b:', 'aᵀ is 3×4']],
      ['output aliases an input', () => matmul(ctx, { ...a, rows: 4, cols: 2, stride: 3 }, a, b), ['c:', 'shares buffer']],
      ['stride below cols', () => matmul(ctx, c, { ...a, stride: 2 }, b), ['a.stride', '≥ 3']],
      ['view past the end', () => matmul(ctx, c, { ...a, offset: 1 }, b), ['a:', 'needs 13 elements', 'holds 12']],
      ['fractional rows', () => matmul(ctx, c, { ...a, rows: 2.5 }, b), ['a.rows', 'integer']],
      ['zero columns', () => matmul(ctx, c, a, { ...b, cols: 0 }), ['b.cols', '≥ 1']],
      ['NaN alpha', () => matmul(ctx, c, a, b, { alpha: NaN }), ['options.alpha', 'finite']],
      ['infinite beta', () => matmul(ctx, c, a, b, { beta: Infinity }), ['options.beta', 'finite']],
      ['bias length', () => matmul(ctx, c, a, b, { bias: bias3 }), ['options.bias', 'must have 2 entries']],
      ['unknown activation', () => matmul(ctx, c, a, b, { activation: 'swishy' as never }), ['options.activation', 'swishy']],
      ['an inherited key is no activation', () => matmul(ctx, c, a, b, { activation: 'toString' as never }), ['options.activation', 'toString']],
      ['unknown gradient', () => matmul(ctx, c, a, b, { gradient: 'softsign' as never }), ['options.gradient', 'softsign']],
      ['g and g′ at once', () => matmul(ctx, c, a, b, { activation: 'tanh', gradient: 'tanh' }), ['options.gradient', 'cannot be combined']],
      ['g′ epilogue without what it is computed from', () => matmul(ctx, c, a, b, { gradient: 'sigmoid' }), ['options.saved', 'is needed']],
      ['g′ from z without the saved z', () => matmul(ctx, c, a, b, { gradient: 'swish' }), ['options.saved', "layer's z"]],
      ['saved without g′', () => matmul(ctx, c, a, b, { saved: { buffer: a.buffer, rows: 4, cols: 2 } }), ['options.saved', 'only used']],
      ['saved under its former name, gate, without g′', () => matmul(ctx, c, a, b, { gate: { buffer: a.buffer, rows: 4, cols: 2 } }), ['options.gate', 'only used']],
      ['saved of the wrong shape', () => matmul(ctx, c, a, b, { gradient: 'sigmoid', saved: { buffer: bias3.buffer, rows: 1, cols: 3 } }), ['options.saved', 'must be 4×2']],
      ['saved sharing a buffer with an input', () => matmul(ctx, c, a, b, { gradient: 'sigmoid', saved: { buffer: a.buffer, rows: 4, cols: 2 } }), ['options.saved', 'a']],
      ['saveZ without g', () => matmul(ctx, c, a, b, { saveZ: { buffer: a.buffer, rows: 4, cols: 2 } }), ['options.saveZ', 'only used']],
      ['tiling too large', () => matmul(ctx, c, a, b, { tiling: { WG_M: 64, WG_N: 64, TILE_K: 8 } }), ['options.tiling', 'maxComputeInvocationsPerWorkgroup']],
      ['tiling not an integer', () => matmul(ctx, c, a, b, { tiling: { WG_M: 8, WG_N: 0.5, TILE_K: 8 } }), ['options.tiling.WG_N', 'an integer from 1']],
      ['splitK 0', () => matmul(ctx, c, a, b, { splitK: 0, tiling: TILINGS.medium }), ['options.splitK', 'integer from 1 to 64']],
      ['splitK 65', () => matmul(ctx, c, a, b, { splitK: 65, tiling: TILINGS.medium }), ['options.splitK', 'integer from 1 to 64']],
      ['splitK 1.5', () => matmul(ctx, c, a, b, { splitK: 1.5, tiling: TILINGS.medium }), ['options.splitK', 'got 1.5']],
      ['splitK with the blocked kernel', () => matmul(ctx, c, a, b, { splitK: 2, tiling: TILINGS.blocked }), ['options.splitK', 'workgroup tiling']],
      ['splitK with the direct kernel', () => matmul(ctx, c, a, b, { splitK: 2, tiling: TILINGS.direct }), ['options.splitK', 'workgroup tiling']],
      ['not a buffer', () => matmul(ctx, c, { ...a, buffer: {} as GPUBuffer }, b), ['a.buffer', 'GPUBuffer']],
      ['a batch of no products', () => matmul(ctx, c, a, b, { batch: { count: 0 } }), ['options.batch.count', 'an integer from 1']],
      ['a batch count of 1.5', () => matmul(ctx, c, a, b, { batch: { count: 1.5 } }), ['options.batch.count', 'got 1.5']],
      ['a batch whose products write one C', () => matmul(ctx, c, a, b, { batch: { count: 2, a: 0, b: 0, c: 0 } }), ['options.batch.c', 'would write the same elements of C']],
      ['a batch whose products keep z in one place', () => {
        const two = gpu.output('two products', 8, 2);
        const z = gpu.output('z', 4, 2);
        return matmul(ctx, { buffer: two.buffer, rows: 4, cols: 2 }, a, b, { activation: 'swish', saveZ: z, batch: { count: 2, c: 8, saved: 0 } });
      }, ['options.batch.saved', 'would write the same elements of the saved z']],
      ['a batch past the end of b', () => matmul(ctx, c, a, b, { batch: { count: 2, b: 6, c: 8 } }), ['options.batch.b', "product 1's b", 'past the 6']],
      ['a negative batch stride', () => matmul(ctx, c, a, b, { batch: { count: 1, a: -1 } }), ['options.batch.a', 'an integer from 0']],
      ['a batch repeating A over no products', () => matmul(ctx, c, a, b, { batch: { count: 2, c: 8, repeatA: 0 } }), ['options.batch.repeatA', 'an integer from 1']],
      ['a batch whose repeated B runs past its end', () => matmul(ctx, c, a, b, { batch: { count: 3, b: 6, c: 8, repeatB: 2 } }), ['options.batch.b', "product 2's b", 'past the 6']],
      ['a batch that is no object', () => matmul(ctx, c, a, b, { batch: 2 as never }), ['options.batch']],
      ['column groups narrower than their stride allows', () => matmul(ctx, c, a, b, { columnGroups: { size: 2, stride: 1 } }), ['options.columnGroups.stride', 'at least 2']],
      ['column groups past c\'s row stride', () => matmul(ctx, c, a, b, { columnGroups: { size: 1, stride: 3 } }), ['options.columnGroups', 'past c\'s stride 2']],
    ];
    for (const [what, call, parts] of cases) {
      try {
        await expectError(call, ArgumentError, parts);
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      }
    }
    const noStorage = ctx.createBuffer('uniform-only', 48, BufferUsage.UNIFORM);
    try {
      await expectError(() => matmul(ctx, c, { ...a, buffer: noStorage }, b), ArgumentError, ['a.buffer', 'STORAGE']);
    } finally {
      ctx.release(noStorage);
    }
    const after = await gpu.read(c);
    check(after.every((v) => v === 42), `c was written by a failed call: ${Array.from(after)}`);
  },
};

/** Property-based: fast-check draws shapes (1 … 70 each way), transposes, α, β, bias and epilogue; every draw must match float64. */
export const MATMUL_PROPERTY_RUNS = 40;
const property: GpuCase = {
  name: `property (fast-check, ${MATMUL_PROPERTY_RUNS} runs): any shape, transpose, α, β, bias and epilogue matches float64`,
  async run(gpu) {
    const draw = fc.record({
      m: fc.integer({ min: 1, max: 70 }), n: fc.integer({ min: 1, max: 70 }), k: fc.integer({ min: 1, max: 70 }),
      transA: fc.boolean(), transB: fc.boolean(), alpha: fc.constantFrom(1, -0.5, 2), beta: fc.constantFrom(0, 0, 1, 0.25),
      bias: fc.boolean(), epilogue: fc.constantFrom('none', 'none', 'activation', 'gradient'), g: fc.constantFrom(...ACTIVATION_NAMES), seed: fc.nat(1000),
    });
    await fc.assert(
      fc.asyncProperty(draw, async (d) => {
        const { m, n, k, seed, bias, epilogue, g, ...options } = d;
        // The g′ epilogue needs no bias (it is a backward pass); the forward g may have one.
        const c: MatmulCase = { name: JSON.stringify(d), shape: { m, n, k }, seed, options: { ...options, bias: bias && epilogue !== 'gradient', ...(epilogue === 'none' ? {} : { [epilogue]: g }) } };
        await runMatmulCase(gpu, c);
      }),
      { numRuns: MATMUL_PROPERTY_RUNS, seed: 2026 },
    );
  },
};

/**
 * The tiling table: a software adapter takes the direct kernel for products of at most
 * SMALL_PRODUCT multiply-adds and the blocked kernel for the rest, a hardware one neither.
 */
const tilingChoice: GpuCase = {
  name: 'tiling choice: direct for small products and blocked for the rest on software adapters, workgroup tiles on hardware',
  run: async () => {
    const shapes = [
      { m: 1, n: 1, k: 1 }, { m: 5000, n: 25, k: 401, transB: true }, { m: 25, n: 401, k: 5000, transA: true }, { m: 1, n: 25, k: 401, transB: true },
      { m: 100, n: 10, k: 26, transB: true }, { m: 1024, n: 1024, k: 1024 }, { m: 63, n: 64, k: 7, transA: true, transB: true }, { m: 200, n: 8, k: 9 },
    ];
    for (const shape of shapes) {
      const what = `${shape.m}×${shape.k} · ${shape.k}×${shape.n}`;
      const small = shape.m * shape.n * shape.k <= SMALL_PRODUCT;
      check(chooseTiling(shape, true) === (small ? TILINGS.direct : TILINGS.blocked), `software ${what}: not the ${small ? 'direct' : 'blocked'} kernel`);
      check(!chooseTiling(shape, false).BLOCKED && !chooseTiling(shape, false).DIRECT, `hardware ${what}: a software adapter's kernel`);
    }
    check(chooseTiling({ m: 1024, n: 1024, k: 1024 }, false) === TILINGS.large, 'hardware 1024²: not the large tile');
    check(chooseTiling({ m: 5000, n: 10, k: 26 }, false) === TILINGS.narrow, 'hardware N = 10: not the narrow tile');
  },
};

/** Split-K adds its partials in a fixed order: reruns are bit-identical, and hardware picks it only for products of few tiles. */
const splitDeterminism: GpuCase = {
  name: 'split-K: reruns bit-identical (no atomics); chosen on hardware for the tall, thin gradient, never on software adapters or for products with tiles enough',
  run: async (gpu) => {
    const rng = new Random(77);
    const [m, n, k] = [25, 131, 2000];
    const a = gpu.matrix('a', hostMatrix(k, m, rng.floats(m * k)));
    const b = gpu.matrix('b', hostMatrix(k, n, rng.floats(k * n)));
    const runs: Float32Array[] = [];
    for (let i = 0; i < 3; i++) {
      const c = gpu.output('c', m, n);
      await matmul(gpu.ctx, c, a, b, { transA: true, tiling: TILINGS.medium, splitK: 8 });
      runs.push(Float32Array.from(await gpu.read(c)));
    }
    for (const r of runs.slice(1)) check(r.every((v, e) => Object.is(v, runs[0]![e])), 'split-K reruns differ');
    check(chooseSplit({ k: 5000, tiles: 13 }, true) === 1, 'software: split');
    const s = chooseSplit({ k: 5000, tiles: 13 }, false);
    check(s > 1 && 5000 / s >= 256, `hardware gradient 25×401 over 5000: ${s} slices`);
    check(chooseSplit({ k: 1024, tiles: 256 }, false) === 1, 'hardware 1024²: split');
    check(chooseSplit({ k: 300, tiles: 4 }, false) === 1, 'hardware K = 300: split into slices under 256 deep');
  },
};

/**
 * The candidates a timing chooses among sum each element in the same order: whichever runs, C
 * has the same bits (zeros compared by value: a padded tile adds +0 to a −0). A timing forced on
 * the software adapter picks one of them, keeps it for the shape's class — asked again, it runs
 * nothing — and createMatmul then binds it, exactly.
 */
const tuning: GpuCase = {
  name: 'tuning: every timed candidate gives the same bits; tuneMatmul picks one per shape class, keeps it, and createMatmul uses it',
  run: async (gpu) => {
    const rng = new Random(78);
    const [m, n, k] = [3, 130, 70];
    const a = gpu.matrix('a', hostMatrix(m, k, rng.floats(m * k)));
    const b = gpu.matrix('b', hostMatrix(n, k, rng.floats(n * k)));
    const results: Float32Array[] = [];
    for (const name of TUNING_CANDIDATES) {
      const c = gpu.output('c', m, n);
      await matmul(gpu.ctx, c, a, b, { transB: true, tiling: TILINGS[name], activation: 'tanh' });
      results.push(Float32Array.from(await gpu.read(c)));
    }
    for (const [i, r] of results.entries()) check(r.every((v, e) => v === results[0]![e]), `${TUNING_CANDIDATES[i]} differs from ${TUNING_CANDIDATES[0]}`);
    const shape = { m, n, k, transB: true };
    const [first] = await tuneMatmul(gpu.ctx, [shape], { force: true, repeats: 1 });
    check(!first!.cached && TUNING_CANDIDATES.includes(first!.chosen as (typeof TUNING_CANDIDATES)[number]), `tuneMatmul chose ${first!.chosen}`);
    check(Object.keys(first!.milliseconds).length === TUNING_CANDIDATES.length && Object.values(first!.milliseconds).every((t) => t > 0), 'a candidate was not timed');
    const [again] = await tuneMatmul(gpu.ctx, [{ ...shape, m: 4 }], { force: true });
    check(again!.cached && again!.chosen === first!.chosen && Object.keys(again!.milliseconds).length === 0, 'the same class was timed again');
    const c = gpu.output('c', m, n);
    const op = await createMatmul(gpu.ctx, c, a, b, { transB: true, activation: 'tanh' });
    try {
      const chosen = TILINGS[first!.chosen as (typeof TUNING_CANDIDATES)[number]];
      const label = op.dispatches[0]!.pipeline.label;
      const bound = label.includes(`"WG_M":${chosen.WG_M}`) && label.includes(`"TILE_K":${chosen.TILE_K}`) && label.includes('"REG_BLOCKS":2') === ('REG_BLOCKS' in chosen);
      check(bound, `createMatmul bound ${label} for ${first!.chosen}`);
      await gpu.ctx.submit('tuned', (enc) => encodePass(enc, 'tuned', op.dispatches));
    } finally {
      op.destroy();
    }
    const tunedResult = await gpu.read(c);
    check(tunedResult.every((v, e) => v === results[0]![e]), 'the tuned product differs');
    await expectError(() => tuneMatmul(gpu.ctx, [{ m: 0, n: 1, k: 1 }]), ArgumentError, ['shapes[0].m', 'integer ≥ 1']);
  },
};

export const matmulCases: GpuCase[] = [
  { ...tuning, name: `matmul ${tuning.name}` },
  { ...tilingChoice, name: `matmul ${tilingChoice.name}` },
  { ...splitDeterminism, name: `matmul ${splitDeterminism.name}` },
  ...[...named, ...tilingCases(), ...randomCases(12, 2026)].map((c) => ({ name: `matmul ${c.name}`, run: (gpu: Scratch) => runMatmulCase(gpu, c) })),
  { ...thetaWithBiasColumn, name: `matmul ${thetaWithBiasColumn.name}` },
  { ...batchedProducts, name: `matmul ${batchedProducts.name}` },
  { ...columnGroupProducts, name: `matmul ${columnGroupProducts.name}` },
  { ...badArguments, name: `matmul ${badArguments.name}` },
  { ...property, name: `matmul ${property.name}` },
];
