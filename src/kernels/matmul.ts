// Matrix multiply C = act(α·op(A)·op(B) + β·C + bias) on the GPU: shaders/matmul.wgsl, linked
// with one activation of the registry (src/activations.ts) for its epilogue. The float64 oracle
// is src/reference/matmul.ts.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import matmulWgsl from '../../shaders/matmul.wgsl?raw';
import { ACTIVATION_NAMES, type ActivationName, NO_ACTIVATION } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { type Dispatch, type KernelSpec, encodeDispatch, encodePass, grid1d } from '../gpu/kernel.js';
import { type GpuMatrix, type GpuVector, checkBindable, checkDistinct, checkMatrix, checkVector } from '../gpu/matrix.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { withActivation } from './activation.js';
import { blockedDispatches, blockedGrid, blockedPipeline, epiloguePipeline } from './matmul_blocked.js';
import { shapeClass, tuned } from '../gpu/tuning.js';
import { type Epilogue, directGrid, directPipeline, matmulDirectKernel } from './matmul_direct.js';
import { MAX_SLICES, checkSplit, chooseSplit, sliceDepth, splitReduceKernel } from './matmul_split.js';
import { BufferUsage } from '../gpu/flags.js';

/** Invocations per workgroup of split-K's sum. */
const SPLIT_REDUCE_WORKGROUP = 256;

/** matmul.wgsl linked with `activation` (NO_ACTIVATION when the epilogue applies none). */
export function matmulKernel(activation: ActivationName = NO_ACTIVATION): KernelSpec {
  return withActivation('matmul', [gemmLib, matmulWgsl], activation);
}

/** Workgroup shape: invocations along M and N (each computes a 4×4 block of C) and K-step. */
export interface Tiling {
  WG_M: number;
  WG_N: number;
  TILE_K: number;
  /**
   * matmul_blocked.wgsl instead: 16 × 16 blocks of C per invocation in registers, no workgroup
   * memory (software adapters; WG_M, WG_N and TILE_K then only name the block for tests).
   */
  BLOCKED?: boolean;
  /** matmul_direct.wgsl instead: one invocation per element of C (small products on software adapters). */
  DIRECT?: boolean;
}

/**
 * Multiply-adds (m·n·k) up to which a software adapter runs a product with the direct kernel:
 * measured on SwiftShader, 1×25×401 (a one-row prediction) 250 µs against the blocked kernel's
 * 400, 25×401×1 alike, 200×8×9 360 against 240, and 16×25×401 3.1 ms against 0.4.
 */
export const SMALL_PRODUCT = 12_288;

/**
 * Picks the tiling for C = op(A)·op(B) of M×N with inner dimension K. Every tiling is exact for
 * every shape; only speed differs, and what is fast differs by adapter class. The table, with the
 * measurement behind each entry (docs/benchmarks.md has the runs):
 *
 * | adapter  | shape                 | tiling  | why                                                       |
 * |----------|-----------------------|---------|-----------------------------------------------------------|
 * | software | m·n·k ≤ SMALL_PRODUCT | direct  | one invocation per element: its pipelines build in ms,    |
 * |          |                       |         | and a 16 × 16 block wastes most of a one-row product      |
 * | software | every other shape     | blocked | SwiftShader runs an invocation as one lane of a 4-wide    |
 * |          |                       |         | SIMD group on a CPU thread: a barrier switches contexts   |
 * |          |                       |         | and a branch per load costs more than the load, so one    |
 * |          |                       |         | 16 × 16 register block with branch-free loads wins on     |
 * |          |                       |         | every shape training makes: 5000×401·401×25 at 2.6–2.8    |
 * |          |                       |         | GFLOP/s (the tilings it replaced: 1.1), its gradient      |
 * |          |                       |         | 25×5000·5000×401 at 3.1 (0.8), batch-100 shapes 1.4–1.9   |
 * |          |                       |         | (0.5–0.7), 1024² 4.0–4.5 (64 × 64 tile: 1.4)              |
 * | hardware | N ≤ 16                | narrow  | 32 × 16 tile: less padding on thin outputs (H100)         |
 * | hardware | M, N ≥ 512            | large   | 64 × 64 tile, deepest K-step in 16 KiB of workgroup       |
 * |          |                       |         | memory: fewest loads per multiply-add (H100)              |
 * | hardware | otherwise             | medium  | 32 × 32 tile: enough workgroups to fill the GPU (H100)    |
 * | hardware | < 64 tiles, K ≥ 512   | + split | K cut into slices (matmul_split.ts): 13 tiles of the      |
 * |          |                       |         | gradient cannot fill a GPU; not yet measured on one       |
 */
export function chooseTiling(shape: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }, software: boolean): Tiling {
  const { m, n } = shape;
  if (software) return m * n * shape.k <= SMALL_PRODUCT ? TILINGS.direct : TILINGS.blocked;
  if (n <= 16) return TILINGS.narrow;
  if (m >= 512 && n >= 512) return TILINGS.large;
  return TILINGS.medium;
}

/**
 * The tilings chooseTiling picks from, and the candidates a timing (src/tune/matmul.ts) may pick
 * instead on a hardware adapter: tall, wide and shallow are the tiled kernel's other workgroup
 * shapes. Every unsplit tiled tiling sums each element of C in the same order (k = 0 … K − 1),
 * so they give the same bits whichever runs; tests run every one of them.
 */
export const TILINGS = {
  large: { WG_M: 16, WG_N: 16, TILE_K: 32 },
  medium: { WG_M: 8, WG_N: 8, TILE_K: 32 },
  narrow: { WG_M: 8, WG_N: 4, TILE_K: 16 },
  tall: { WG_M: 16, WG_N: 8, TILE_K: 32 },
  wide: { WG_M: 8, WG_N: 16, TILE_K: 32 },
  shallow: { WG_M: 16, WG_N: 16, TILE_K: 16 },
  blocked: { WG_M: 4, WG_N: 4, TILE_K: 4, BLOCKED: true },
  direct: { WG_M: 1, WG_N: 1, TILE_K: 1, DIRECT: true },
} as const satisfies Record<string, Tiling>;


function checkTiling(t: Tiling, limits: GPUSupportedLimits): Tiling {
  if (t.WG_M * t.WG_N > limits.maxComputeInvocationsPerWorkgroup) {
    throw new ArgumentError('options.tiling', `${t.WG_M}×${t.WG_N} invocations exceed this device's maxComputeInvocationsPerWorkgroup (${limits.maxComputeInvocationsPerWorkgroup})`);
  }
  const bytes = 16 * t.TILE_K * (t.WG_M + t.WG_N); // two tiles of TILE_K × 4·WG f32
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new ArgumentError('options.tiling', `needs ${bytes} bytes of workgroup memory, over this device's ${limits.maxComputeWorkgroupStorageSize}`);
  }
  return t;
}

export interface MatmulOptions {
  /** Use Aᵀ: `a` is stored K×M. */
  transA?: boolean;
  /** Use Bᵀ: `b` is stored N×K (a weight matrix Θ with one row per output unit). */
  transB?: boolean;
  /** α, scales op(A)·op(B). Default 1. */
  alpha?: number;
  /** β, scales the C already in the buffer. Default 0: C is overwritten and never read. */
  beta?: number;
  /** N values, bias[j] added to column j of C after α and β. */
  bias?: GpuVector;
  /** g applied last, a layer's forward pass: a registered activation. Default none ('identity'). */
  activation?: ActivationName;
  /**
   * Multiply last by g′ of this activation, computed from the saved activation `gate`
   * (a hidden layer's δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ ⊙ g′(z⁽ˡ⁾)). Not with `activation`.
   */
  gradient?: ActivationName;
  /** M×N saved activation G = g(z) that `gradient` reads. */
  gate?: GpuMatrix;
  /** Overrides the tiling chosen for the shape (tests use it to cover every tiling). */
  tiling?: Tiling;
  /**
   * Cut K into this many slices computed side by side, then added in a fixed order (deterministic
   * split-K, src/kernels/matmul_split.ts). Default: chooseSplit's pick — 1 on software adapters.
   */
  splitK?: number;
}

/** The epilogue's options checked against C's shape, m × n. */
function checkEpilogue(options: MatmulOptions, m: number, n: number) {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const { activation, gradient } = options;
  if (activation && gradient) throw new ArgumentError('options.gradient', 'cannot be combined with options.activation: the epilogue applies g or multiplies by g′, not both');
  const bias = options.bias && checkVector('options.bias', options.bias);
  if (bias && bias.length !== n) throw new ArgumentError('options.bias', `must have ${n} entries (one per column of c), got ${bias.length}`);
  const gate = options.gate && checkMatrix('options.gate', options.gate);
  if (gradient && !gate) throw new ArgumentError('options.gate', `is needed with options.gradient (the saved activation G = ${gradient}(z))`);
  if (gate && !gradient) throw new ArgumentError('options.gate', 'is only used with options.gradient');
  if (gate && (gate.rows !== m || gate.cols !== n)) throw new ArgumentError('options.gate', `must be ${m}×${n} like c, got ${gate.rows}×${gate.cols}`);
  return { alpha, beta, activation, gradient, bias, gate };
}

const ACTIVATION = kinds.choice(ACTIVATION_NAMES);
const TILE = kinds.integer(1, 1024);

/** Every option of createMatmul and matmul, and its kind (the type makes the list complete). */
const MATMUL_OPTIONS = optionTable<MatmulOptions>('createMatmul options', {
  transA: kinds.boolean, transB: kinds.boolean, alpha: kinds.f32(' (α)'), beta: kinds.f32(' (β)'),
  bias: kinds.data('a GpuVector { buffer, length }'), activation: ACTIVATION, gradient: ACTIVATION, gate: kinds.data('a GpuMatrix { buffer, rows, cols }'),
  tiling: kinds.object<Tiling>({ WG_M: kinds.required(TILE), WG_N: kinds.required(TILE), TILE_K: kinds.required(TILE), BLOCKED: kinds.boolean, DIRECT: kinds.boolean }),
  splitK: kinds.integer(1, MAX_SLICES),
});

/** A matrix multiply bound to its buffers: build once, encode every step. */
export interface MatmulOp {
  /** The multiply's dispatches, in order: one, or split-K's partial products and their sum. */
  readonly dispatches: readonly Dispatch[];
  /** Records the multiply into `pass`. */
  encode(pass: GPUComputePassEncoder): void;
  /** Frees what the op made (uniforms, split-K's partials); the matrices belong to the caller. */
  destroy(): void;
}

/** C's shape and the operands' transposes: what picks a product's pipelines. */
export interface MatmulShape {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
}

/** What createMatmul decided for a shape: the tiling, its grid, and split-K's slices. */
interface MatmulPlan {
  tiling: Tiling;
  blocked: boolean;
  workgroups: [number, number, number];
  slices: number;
}

/**
 * The tiling and split for `shape` (the caller's, else split-K chosen from chooseTiling's pick —
 * a timing, tunedTiling, only reorders the workgroups of an unsplit product, never its sums),
 * checked against the device's limits.
 */
function planMatmul(ctx: GpuContext, shape: MatmulShape, options: Pick<MatmulOptions, 'tiling' | 'splitK'>): MatmulPlan {
  const { m, n, k } = shape;
  const software = ctx.adapter.isFallbackAdapter;
  const chosen = options.tiling ? checkTiling(options.tiling, ctx.limits) : chooseTiling(shape, software);
  const maxGroups = ctx.limits.maxComputeWorkgroupsPerDimension;
  const grid = (t: Tiling): [number, number, number] => (t.BLOCKED ? blockedGrid(m, n, maxGroups) : t.DIRECT ? directGrid(m, n, maxGroups) : [Math.ceil(n / (4 * t.WG_N)), Math.ceil(m / (4 * t.WG_M)), 1]);
  const first = grid(chosen);
  // Split-K: chosen only for products of few tiles (its partials stay small), or as the caller says.
  const untiled = !!(chosen.BLOCKED || chosen.DIRECT);
  const slices = options.splitK === undefined ? (untiled ? 1 : chooseSplit({ k, tiles: first[0] * first[1] }, software)) : checkSplit(options.splitK, untiled);
  const timed = !options.tiling && slices === 1 ? tuned<Tiling>(ctx, shapeClass(shape)) : undefined;
  const tiling = timed ?? chosen;
  const blocked = !!tiling.BLOCKED;
  const workgroups = timed ? grid(timed) : first;
  if (workgroups[0] > maxGroups || workgroups[1] > maxGroups) {
    throw new ArgumentError('c', `${m}×${n} needs ${workgroups[0]}×${workgroups[1]} workgroups, over this device's ${maxGroups} per dimension`);
  }
  if (slices > 1 && slices * m * n * 4 > Math.min(ctx.limits.maxStorageBufferBindingSize, ctx.limits.maxBufferSize)) {
    throw new ArgumentError('options.splitK', `${slices} partial products of ${m}×${n} do not fit one storage binding on this device`);
  }
  return { tiling, blocked, workgroups, slices };
}

/** The pipelines of a tiled product, in dispatch order: the product, or split-K's products and their sum. */
function tiledPipelines(ctx: GpuContext, tiling: Tiling, slices: number, transA: boolean, transB: boolean, g: ActivationName, epilogue: Epilogue): Promise<GPUComputePipeline>[] {
  const shape = { WG_M: tiling.WG_M, WG_N: tiling.WG_N, TILE_K: tiling.TILE_K, TRANS_A: transA, TRANS_B: transB };
  if (slices === 1) return [ctx.kernel(matmulKernel(g)).pipeline({ ...shape, ...epilogue })];
  return [ctx.kernel(matmulKernel(NO_ACTIVATION)).pipeline({ ...shape, SPLIT_K: true }), ctx.kernel(splitReduceKernel(g)).pipeline({ WORKGROUP_SIZE: SPLIT_REDUCE_WORKGROUP, ...epilogue })];
}

/**
 * Compiles the pipelines createMatmul would bind for `shape` with this epilogue (g applied,
 * or ⊙ g′), without binding anything: what a model's warm-up starts.
 */
export function warmMatmul(ctx: GpuContext, shape: MatmulShape, epilogue: { activation?: ActivationName; gradient?: ActivationName; bias?: boolean } = {}): Promise<unknown> {
  const { tiling, blocked, slices } = planMatmul(ctx, shape, {});
  const g = epilogue.activation ?? epilogue.gradient ?? NO_ACTIVATION;
  const flags = epilogueFlags(epilogue.activation, epilogue.gradient, !!epilogue.bias);
  if (tiling.DIRECT) return directPipeline(ctx, g, !!shape.transA, !!shape.transB, flags);
  if (!blocked) return Promise.all(tiledPipelines(ctx, tiling, slices, !!shape.transA, !!shape.transB, g, flags));
  const needed = [blockedPipeline(ctx)];
  if (flags.HAS_BIAS || flags.ACTIVATE || flags.GATE) needed.push(epiloguePipeline(ctx, g, flags));
  return Promise.all(needed);
}

/** The epilogue's overrides: a bias, g applied, or ⊙ g′ ('identity' is neither). */
function epilogueFlags(activation: ActivationName | undefined, gradient: ActivationName | undefined, bias: boolean): Epilogue {
  return { HAS_BIAS: bias, ACTIVATE: !!activation && activation !== NO_ACTIVATION, GATE: !!gradient && gradient !== NO_ACTIVATION };
}

/**
 * Binds C = act(α·op(A)·op(B) + β·C + bias) to its buffers. Checks every shape, offset and
 * stride first and throws ArgumentError naming the argument; nothing is written on failure.
 * Argument order: output, inputs, options.
 */
export async function createMatmul(
  ctx: GpuContext,
  c: GpuMatrix,
  a: GpuMatrix,
  b: GpuMatrix,
  options: MatmulOptions = {},
): Promise<MatmulOp> {
  checkOptions('options', options, MATMUL_OPTIONS);
  const C = checkMatrix('c', c);
  const A = checkMatrix('a', a);
  const B = checkMatrix('b', b);
  const transA = !!options.transA;
  const transB = !!options.transB;
  const [m, k] = transA ? [A.cols, A.rows] : [A.rows, A.cols];
  const [kb, n] = transB ? [B.cols, B.rows] : [B.rows, B.cols];
  const opA = `${transA ? 'aᵀ' : 'a'} is ${m}×${k}`;
  const opB = `${transB ? 'bᵀ' : 'b'} is ${kb}×${n}`;
  if (kb !== k) throw new ArgumentError('b', `inner dimensions differ: ${opA} but ${opB}`);
  if (C.rows !== m || C.cols !== n) throw new ArgumentError('c', `must be ${m}×${n} for ${opA} times ${opB}, got ${C.rows}×${C.cols}`);

  const { alpha, beta, activation, gradient, bias, gate } = checkEpilogue(options, m, n);
  checkDistinct('c', C.buffer, { a: A.buffer, b: B.buffer, 'options.bias': bias?.buffer, 'options.gate': gate?.buffer });
  checkBindable({ a: A.buffer, b: B.buffer, c: C.buffer, 'options.bias': bias?.buffer, 'options.gate': gate?.buffer }, ctx.limits);
  const { tiling, blocked, workgroups, slices } = planMatmul(ctx, { m, n, k, transA, transB }, options);
  const g = activation ?? gradient ?? NO_ACTIVATION;
  const epilogue = epilogueFlags(activation, gradient, !!bias);
  const values = {
    m, n, k,
    a_offset: A.offset, a_stride: A.stride,
    b_offset: B.offset, b_stride: B.stride,
    c_offset: C.offset, c_stride: C.stride,
    bias_offset: bias?.offset ?? 0, bias_stride: bias?.stride ?? 1,
    alpha, beta,
    gate_offset: gate?.offset ?? 0, gate_stride: gate?.stride ?? 1,
    k_slice: slices > 1 ? sliceDepth(k, slices) : k, slices,
    trans: (transA ? 1 : 0) | (transB ? 2 : 0), // the blocked kernel's TRANSPOSE_A | TRANSPOSE_B
  };
  const made: GPUBuffer[] = [];
  try {
    const epilogueBindings = { bias: bias?.buffer ?? ctx.unusedBinding(), gate: gate?.buffer ?? ctx.unusedBinding() };
    let dispatches: Dispatch[];
    if (tiling.DIRECT) {
      const kernel = ctx.kernel(matmulDirectKernel(g));
      const params = ctx.createUniform('matmul params', kernel.params(values));
      made.push(params);
      const pipeline = await directPipeline(ctx, g, transA, transB, epilogue);
      dispatches = [{ label: 'matmul', pipeline, bindGroups: kernel.bindGroups({ a: A.buffer, b: B.buffer, c: C.buffer, ...epilogueBindings, params }), workgroups }];
    } else if (blocked) {
      dispatches = await blockedDispatches(ctx, { a: A.buffer, b: B.buffer, c: C.buffer, ...epilogueBindings }, values, g, epilogue, made);
    } else if (slices === 1) {
      const kernel = ctx.kernel(matmulKernel(g));
      const [pipeline] = tiledPipelines(ctx, tiling, 1, transA, transB, g, epilogue);
      const params = ctx.createUniform('matmul params', kernel.params(values));
      made.push(params);
      dispatches = [{ label: 'matmul', pipeline: await pipeline!, bindGroups: kernel.bindGroups({ a: A.buffer, b: B.buffer, c: C.buffer, ...epilogueBindings, params }), workgroups }];
    } else {
      // The S partial products, then their sum through the epilogue.
      const partials = ctx.createBuffer('matmul split-K partials', slices * m * n * 4, BufferUsage.STORAGE);
      made.push(partials);
      const product = ctx.kernel(matmulKernel(NO_ACTIVATION));
      const reduce = ctx.kernel(splitReduceKernel(g));
      const params = ctx.createUniform('matmul params', product.params(values));
      made.push(params);
      const [productPipeline, reducePipeline] = tiledPipelines(ctx, tiling, slices, transA, transB, g, epilogue);
      dispatches = [
        { label: 'matmul split-K products', pipeline: await productPipeline!, bindGroups: product.bindGroups({ a: A.buffer, b: B.buffer, c: partials, bias: ctx.unusedBinding(), gate: ctx.unusedBinding(), params }), workgroups: [workgroups[0], workgroups[1], slices] },
        { label: 'matmul split-K sum', pipeline: await reducePipeline!, bindGroups: reduce.bindGroups({ a: partials, b: ctx.unusedBinding(), c: C.buffer, ...epilogueBindings, params }), workgroups: grid1d(m * n, SPLIT_REDUCE_WORKGROUP, ctx.limits.maxComputeWorkgroupsPerDimension, 'c') },
      ];
    }
    return {
      dispatches,
      encode: (pass) => {
        for (const d of dispatches) encodeDispatch(pass, d);
      },
      destroy: () => {
        for (const b of made) ctx.release(b);
      },
    };
  } catch (e) {
    for (const b of made) ctx.release(b);
    throw e;
  }
}

/** One-shot C = act(α·op(A)·op(B) + β·C + bias): binds, submits, frees. Throws GpuError on a GPU error. */
export async function matmul(ctx: GpuContext, c: GpuMatrix, a: GpuMatrix, b: GpuMatrix, options: MatmulOptions = {}): Promise<void> {
  const op = await createMatmul(ctx, c, a, b, options);
  try {
    await ctx.submit('matmul', (encoder) => encodePass(encoder, 'matmul', [...op.dispatches]));
  } finally {
    op.destroy();
  }
}
