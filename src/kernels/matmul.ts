// Matrix multiply C = act(α·op(A)·op(B) + β·C + bias) on the GPU: shaders/matmul.wgsl, linked
// with one activation of the registry (src/activations.ts) for its epilogue. The float64 oracle
// is src/reference/matmul.ts.

import gemmLib from '../../shaders/lib/gemm.wgsl?raw';
import matmulWgsl from '../../shaders/matmul.wgsl?raw';
import { ACTIVATIONS, ACTIVATION_NAMES, type ActivationName, NO_ACTIVATION } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { type Dispatch, type KernelSpec, encodeDispatch, encodePass, grid1d } from '../gpu/kernel.js';
import { type GpuMatrix, type GpuVector, checkBindable, checkDistinct, checkMatrix, checkVector } from '../gpu/matrix.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { withActivation } from './activation.js';
import { blockedDispatches, blockedGrid, blockedPipeline } from './matmul_blocked.js';
import { shapeClass, tuned } from '../gpu/tuning.js';
import { type Epilogue, directGrid, directPipeline, epiloguePipeline, matmulDirectKernel } from './matmul_direct.js';
import { MAX_SLICES, checkSplit, chooseSplit, sliceDepth, splitReduceKernel } from './matmul_split.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Tiling, checkTiling, chooseTiling, tileExtent } from '../tune/tilings.js';
import { type MatmulBatch, batchGrid, checkBatch, checkColumnGroups, matrixSpan, vectorSpan } from '../gpu/strided.js';

/** Invocations per workgroup of split-K's sum. */
const SPLIT_REDUCE_WORKGROUP = 256;

/** matmul.wgsl linked with `activation` (NO_ACTIVATION when the epilogue applies none). */
export function matmulKernel(activation: ActivationName = NO_ACTIVATION): KernelSpec {
  return withActivation('matmul', [gemmLib, matmulWgsl], activation);
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
   * Multiply last by g′ of this activation, computed from `saved` (a hidden layer's
   * δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ ⊙ g′(z⁽ˡ⁾)). Not with `activation`.
   */
  gradient?: ActivationName;
  /**
   * M×N: what `gradient`'s g′ is computed from — the layer's saved activation a = g(z), or its
   * z where the registry's `derivativeFrom` is 'z' (src/activations.ts).
   */
  saved?: GpuMatrix;
  /** Former name of `saved`, still read. */
  gate?: GpuMatrix;
  /** With `activation`: an M×N matrix the epilogue stores z into before applying g (a layer whose g′ needs z). */
  saveZ?: GpuMatrix;
  /** Overrides the tiling chosen for the shape (tests use it to cover every tiling). */
  tiling?: Tiling;
  /**
   * Cut K into this many slices computed side by side, then added in a fixed order (deterministic
   * split-K, src/kernels/matmul_split.ts). Default: chooseSplit's pick — 1 on software adapters.
   */
  splitK?: number;
  /**
   * Run `count` products in one dispatch, product p at the views' offsets plus p times each
   * operand's stride (0 shares it): src/gpu/strided.ts. Each is summed as it is alone.
   */
  batch?: MatmulBatch;
  /**
   * C's columns stored in groups of `size`, group g starting `stride` elements after group g − 1
   * (one product writing several models' side-by-side activations, each after its bias column).
   */
  columnGroups?: { size: number; stride: number };
}

/** The epilogue's options checked against C's shape, m × n. */
function checkEpilogue(options: MatmulOptions, m: number, n: number) {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const { activation, gradient } = options;
  if (activation && gradient) throw new ArgumentError('options.gradient', 'cannot be combined with options.activation: the epilogue applies g or multiplies by g′, not both');
  const bias = options.bias && checkVector('options.bias', options.bias);
  if (bias && bias.length !== n) throw new ArgumentError('options.bias', `must have ${n} entries (one per column of c), got ${bias.length}`);
  if (options.saved && options.gate) throw new ArgumentError('options.gate', 'is the former name of options.saved: give one of them');
  const savedName = options.gate ? 'options.gate' : 'options.saved';
  const saved = (options.saved ?? options.gate) && checkMatrix(savedName, (options.saved ?? options.gate)!);
  const saveZ = options.saveZ && checkMatrix('options.saveZ', options.saveZ);
  const from = gradient && ACTIVATIONS[gradient].derivativeFrom;
  if (gradient && !saved) throw new ArgumentError('options.saved', `is needed with options.gradient (what ${gradient}′ is computed from: the layer's ${from === 'z' ? 'z' : `activation ${gradient}(z)`})`);
  if (saved && !gradient) throw new ArgumentError(savedName, 'is only used with options.gradient');
  if (saveZ && !activation) throw new ArgumentError('options.saveZ', 'is only used with options.activation');
  for (const [name, v] of [[savedName, saved], ['options.saveZ', saveZ]] as const) {
    if (v && (v.rows !== m || v.cols !== n)) throw new ArgumentError(name, `must be ${m}×${n} like c, got ${v.rows}×${v.cols}`);
  }
  return { alpha, beta, activation, gradient, bias, saved: saved ?? saveZ, saveZ: !!saveZ, savedName: saveZ ? 'options.saveZ' : savedName };
}

/** Every bound buffer fits a binding; C, and the saved matrix (bound writable: SAVE_Z writes it), share a buffer with no other binding. */
function checkBuffers(ctx: GpuContext, buffers: { a: GPUBuffer; b: GPUBuffer; c: GPUBuffer; 'options.bias': GPUBuffer | undefined }, [savedName, saved]: [string, GPUBuffer | undefined]): void {
  const { c, ...inputs } = buffers;
  checkDistinct('c', c, { ...inputs, [savedName]: saved });
  if (saved) checkDistinct(savedName, saved, inputs);
  checkBindable({ ...buffers, [savedName]: saved }, ctx.limits);
}

const ACTIVATION = kinds.choice(ACTIVATION_NAMES);
const TILE = kinds.integer(1, 1024);
const BATCH_STRIDE = kinds.integer(0, 2 ** 32 - 1, ' (elements)');

/** Every option of createMatmul and matmul, and its kind (the type makes the list complete). */
const MATMUL_OPTIONS = optionTable<MatmulOptions>('createMatmul options', {
  transA: kinds.boolean, transB: kinds.boolean, alpha: kinds.f32(' (α)'), beta: kinds.f32(' (β)'),
  bias: kinds.data('a GpuVector { buffer, length }'), activation: ACTIVATION, gradient: ACTIVATION,
  saved: kinds.data('a GpuMatrix { buffer, rows, cols }'), gate: kinds.data('a GpuMatrix { buffer, rows, cols }'), saveZ: kinds.data('a GpuMatrix { buffer, rows, cols }'),
  tiling: kinds.object<Tiling>({ WG_M: kinds.required(TILE), WG_N: kinds.required(TILE), TILE_K: kinds.required(TILE), REG_BLOCKS: kinds.integer(1, 2), VEC4: kinds.boolean, BLOCKED: kinds.boolean, DIRECT: kinds.boolean }),
  splitK: kinds.integer(1, MAX_SLICES),
  columnGroups: kinds.object<{ size: number; stride: number }>({ size: kinds.required(kinds.integer(1, 2 ** 31)), stride: kinds.required(kinds.integer(1, 2 ** 32 - 1)) }),
  batch: kinds.object<MatmulBatch>({
    count: kinds.required(kinds.integer(1, 2 ** 31)), a: BATCH_STRIDE, b: BATCH_STRIDE, c: BATCH_STRIDE, bias: BATCH_STRIDE, saved: BATCH_STRIDE,
    repeatA: kinds.integer(1, 2 ** 31), repeatB: kinds.integer(1, 2 ** 31),
  }),
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
  const grid = (t: Tiling): [number, number, number] => (t.BLOCKED ? blockedGrid(m, n, maxGroups) : t.DIRECT ? directGrid(m, n, maxGroups) : [Math.ceil(n / tileExtent(t).cols), Math.ceil(m / tileExtent(t).rows), 1]);
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

/**
 * The tiling and split-K a product of `shape` gets: what a wider product must be told to sum its
 * elements as this one does (each element's order depends on these and K, never on C's size).
 */
export function matmulPlan(ctx: GpuContext, shape: MatmulShape): Pick<MatmulOptions, 'tiling' | 'splitK'> {
  const { tiling, slices } = planMatmul(ctx, shape, {});
  return { tiling, splitK: slices };
}

/** The pipelines of a tiled product, in dispatch order: the product, or split-K's products and their sum. */
function tiledPipelines(ctx: GpuContext, tiling: Tiling, slices: number, transA: boolean, transB: boolean, g: ActivationName, epilogue: Epilogue): Promise<GPUComputePipeline>[] {
  const shape = { WG_M: tiling.WG_M, WG_N: tiling.WG_N, TILE_K: tiling.TILE_K, ...(tiling.REG_BLOCKS ? { REG_BLOCKS: tiling.REG_BLOCKS } : {}), ...(tiling.VEC4 ? { VEC4: true } : {}), TRANS_A: transA, TRANS_B: transB };
  if (slices === 1) return [ctx.kernel(matmulKernel(g)).pipeline({ ...shape, ...epilogue })];
  return [ctx.kernel(matmulKernel(NO_ACTIVATION)).pipeline({ ...shape, SPLIT_K: true }), ctx.kernel(splitReduceKernel(g)).pipeline({ WORKGROUP_SIZE: SPLIT_REDUCE_WORKGROUP, ...epilogue })];
}

/**
 * Compiles the pipelines createMatmul would bind for `shape` with this epilogue (g applied,
 * or ⊙ g′), without binding anything: what a model's warm-up starts.
 */
export function warmMatmul(ctx: GpuContext, shape: MatmulShape, epilogue: { activation?: ActivationName; gradient?: ActivationName; bias?: boolean; saveZ?: boolean } = {}): Promise<unknown> {
  const { tiling, blocked, slices } = planMatmul(ctx, shape, {});
  const g = epilogue.activation ?? epilogue.gradient ?? NO_ACTIVATION;
  const flags = epilogueFlags(epilogue.activation, epilogue.gradient, !!epilogue.bias, !!epilogue.saveZ);
  if (tiling.DIRECT) return directPipeline(ctx, g, !!shape.transA, !!shape.transB, flags);
  if (!blocked) return Promise.all(tiledPipelines(ctx, tiling, slices, !!shape.transA, !!shape.transB, g, flags));
  const needed = [blockedPipeline(ctx)];
  if (flags.HAS_BIAS || flags.ACTIVATE || flags.GRADIENT) needed.push(epiloguePipeline(ctx, g, flags));
  return Promise.all(needed);
}

/** The epilogue's overrides: a bias, g applied (z saved first), or ⊙ g′ ('identity' is neither). */
function epilogueFlags(activation: ActivationName | undefined, gradient: ActivationName | undefined, bias: boolean, saveZ: boolean): Epilogue {
  const ACTIVATE = !!activation && (activation !== NO_ACTIVATION || saveZ);
  return { HAS_BIAS: bias, ACTIVATE, SAVE_Z: ACTIVATE && saveZ, GRADIENT: !!gradient && gradient !== NO_ACTIVATION };
}

/** Split-K's dispatches: the S partial products of every product of the batch, then their sums through the epilogue. */
async function splitDispatches(
  ctx: GpuContext,
  buffers: { a: GPUBuffer; b: GPUBuffer; c: GPUBuffer; a4: GPUBuffer; b4: GPUBuffer; bias: GPUBuffer; saved: GPUBuffer },
  values: Record<string, number>,
  p: { tiling: Tiling; slices: number; count: number; transA: boolean; transB: boolean; g: ActivationName; epilogue: Epilogue; workgroups: [number, number, number] },
  made: GPUBuffer[],
): Promise<Dispatch[]> {
  const { m, n } = values as { m: number; n: number };
  const floats = p.count * p.slices * m * n;
  if (floats * 4 > Math.min(ctx.limits.maxStorageBufferBindingSize, ctx.limits.maxBufferSize)) {
    throw new ArgumentError('options.batch.count', `${p.count} products of ${p.slices} partial products of ${m}×${n} do not fit one storage binding on this device`);
  }
  const partials = ctx.createBuffer('matmul split-K partials', floats * 4, BufferUsage.STORAGE);
  made.push(partials);
  const product = ctx.kernel(matmulKernel(NO_ACTIVATION));
  const reduce = ctx.kernel(splitReduceKernel(p.g));
  const params = ctx.createUniform('matmul params', product.params(values));
  made.push(params);
  const [productPipeline, reducePipeline] = tiledPipelines(ctx, p.tiling, p.slices, p.transA, p.transB, p.g, p.epilogue);
  const { a, b, c, a4, b4, bias, saved } = buffers;
  return [
    { label: 'matmul split-K products', pipeline: await productPipeline!, bindGroups: product.bindGroups({ a, b, a4, b4, c: partials, bias: ctx.unusedBinding(), saved: ctx.unusedBinding('writable'), params }), workgroups: [p.workgroups[0], p.workgroups[1], p.count * p.slices] },
    { label: 'matmul split-K sum', pipeline: await reducePipeline!, bindGroups: reduce.bindGroups({ a: partials, b: ctx.unusedBinding(), c, bias, saved, params }), workgroups: batchGrid(grid1d(m * n, SPLIT_REDUCE_WORKGROUP, ctx.limits.maxComputeWorkgroupsPerDimension, 'c'), p.count) },
  ];
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

  const { alpha, beta, activation, gradient, bias, saved, saveZ, savedName } = checkEpilogue(options, m, n);
  checkBuffers(ctx, { a: A.buffer, b: B.buffer, c: C.buffer, 'options.bias': bias?.buffer }, [savedName, saved?.buffer]);
  const { tiling, blocked, workgroups: grid, slices } = planMatmul(ctx, { m, n, k, transA, transB }, options);
  const grouped = checkColumnGroups(options.columnGroups, C);
  const { count, ...batch } = checkBatch(options.batch, { a: matrixSpan(A), b: matrixSpan(B), c: matrixSpan(grouped.view), bias: bias && vectorSpan(bias), saved: saved && matrixSpan(saved) }, Math.floor(ctx.limits.maxComputeWorkgroupsPerDimension / slices), grouped.view, saveZ ? saved : undefined);
  const workgroups = batchGrid(grid, count);
  const g = activation ?? gradient ?? NO_ACTIVATION;
  const epilogue = epilogueFlags(activation, gradient, !!bias, saveZ);
  const values = {
    m, n, k,
    a_offset: A.offset, a_stride: A.stride,
    b_offset: B.offset, b_stride: B.stride,
    c_offset: C.offset, c_stride: C.stride,
    bias_offset: bias?.offset ?? 0, bias_stride: bias?.stride ?? 1,
    alpha, beta,
    saved_offset: saved?.offset ?? 0, saved_stride: saved?.stride ?? 1,
    k_slice: slices > 1 ? sliceDepth(k, slices) : k, slices,
    trans: (transA ? 1 : 0) | (transB ? 2 : 0), // the blocked kernel's TRANSPOSE_A | TRANSPOSE_B
    ...batch,
    c_group: grouped.size, c_group_stride: grouped.stride,
    batches: count,
  };
  const made: GPUBuffer[] = [];
  try {
    const epilogueBindings = { bias: bias?.buffer ?? ctx.unusedBinding(), saved: saved?.buffer ?? ctx.unusedBinding('writable') };
    // The tiled kernel's vec4 views of A and B (used by VEC4 only where four floats are inside the
    // matrix, so a buffer under one vec4 is never read through them: a placeholder fills the slot).
    const quads = { a4: A.buffer.size >= 16 ? A.buffer : ctx.unusedBinding(), b4: B.buffer.size >= 16 ? B.buffer : ctx.unusedBinding() };
    let dispatches: Dispatch[];
    if (tiling.DIRECT) {
      const kernel = ctx.kernel(matmulDirectKernel(g));
      const params = ctx.createUniform('matmul params', kernel.params(values));
      made.push(params);
      const pipeline = await directPipeline(ctx, g, transA, transB, epilogue);
      dispatches = [{ label: 'matmul', pipeline, bindGroups: kernel.bindGroups({ a: A.buffer, b: B.buffer, c: C.buffer, ...epilogueBindings, params }), workgroups }];
    } else if (blocked) {
      dispatches = await blockedDispatches(ctx, { a: A.buffer, b: B.buffer, c: C.buffer, ...epilogueBindings }, values, g, epilogue, made, count);
    } else if (slices === 1) {
      const kernel = ctx.kernel(matmulKernel(g));
      const [pipeline] = tiledPipelines(ctx, tiling, 1, transA, transB, g, epilogue);
      const params = ctx.createUniform('matmul params', kernel.params(values));
      made.push(params);
      dispatches = [{ label: 'matmul', pipeline: await pipeline!, bindGroups: kernel.bindGroups({ a: A.buffer, b: B.buffer, c: C.buffer, ...quads, ...epilogueBindings, params }), workgroups }];
    } else {
      dispatches = await splitDispatches(ctx, { a: A.buffer, b: B.buffer, c: C.buffer, ...quads, ...epilogueBindings }, values, { tiling, slices, count, transA, transB, g, epilogue, workgroups }, made);
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
