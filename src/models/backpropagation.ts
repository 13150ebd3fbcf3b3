// Forward propagation and backpropagation for a batch, as the lecture writes them, on the GPU:
//
//   forward   a⁽¹⁾ = x̃ (bias unit a₀ = 1 in column 0); z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾; a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾)
//             — one matmul per layer, g fused into its epilogue, into columns 1… of a⁽ˡ⁺¹⁾;
//             the last layer's z⁽ᴸ⁾ stays raw for the output layer
//   output    h, each example's cost, δ⁽ᴸ⁾ = (h − y)/count (shaders/output_delta.wgsl)
//   backward  walking the layers in reverse, l = L − 1 … 1:
//             Δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾ — the gradient D⁽ˡ⁾ of the batch's mean cost, bias column
//             included (one matmul, Aᵀ; accumulated across a full batch's chunks);
//             δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾[:, 1:] ⊙ g′(z⁽ˡ⁾) — one matmul whose epilogue computes g′ from the
//             activation a⁽ˡ⁾ the forward pass saved (σ: a ⊙ (1 − a)); none for the input layer.
//
// Regularisation ((λ/m)Θ off the bias column) is added by the optimiser update
// (shaders/optimizer_update.wgsl). Every buffer and dispatch is made once per batch binding and
// reused every step. Float64 oracle: src/reference/network.ts (forward, backprop).

import type { ActivationName } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, encodeDispatch } from '../gpu/kernel.js';
import type { GpuMatrix } from '../gpu/matrix.js';
import { type MatmulOp, createMatmul } from '../kernels/matmul.js';
import { createOutputDelta } from '../kernels/output_delta.js';
import type { HeadName } from '../reference/regression.js';
import type { BatchBinding, BatchOps, Stacking } from '../train/program.js';
import type { ThetaLayout } from './layout.js';

/** What the passes need of a model: Θ's layout and buffer, each hidden layer's g, the output layer. */
export interface DenseStack {
  layout: ThetaLayout;
  theta: GPUBuffer;
  /** g of each hidden layer, a⁽²⁾ … a⁽ᴸ⁻¹⁾. */
  activations: readonly ActivationName[];
  head: HeadName;
}

/** A batch's bound passes; `output` is h when bound for prediction, `hidden` a⁽²⁾ … a⁽ᴸ⁻¹⁾ (rows × (s + 1), bias column 0). */
export type BoundBatch = BatchOps & { output?: GPUBuffer; hidden: GpuMatrix[] };

/** One model (no stacking): a slot of each buffer. */
const ALONE = { count: 1, stride: 0 };

/** Floats per slot of a buffer of `floats` per model: a multiple of 64, so each slot binds at an aligned offset. */
const slot = (floats: number, count: number) => (count === 1 ? floats : Math.ceil(floats / 64) * 64);

/** The batch option of a product over the stacked models (none for one model). */
const batchOf = (count: number, strides: { a?: number; b?: number; c?: number; gate?: number }) => (count === 1 ? {} : { batch: { count, ...strides } });

/** Frees what a batch binding made. */
class Owned {
  readonly ops: MatmulOp[] = [];
  readonly buffers: GPUBuffer[] = [];
  constructor(private readonly ctx: GpuContext) {}
  /** Keeps `op` for destroy() and returns it. */
  op(op: MatmulOp): MatmulOp {
    this.ops.push(op);
    return op;
  }
  buffer(label: string, floats: number): GPUBuffer {
    const buf = this.ctx.createBuffer(label, floats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
    this.buffers.push(buf);
    return buf;
  }
  destroy(): void {
    for (const op of this.ops) op.destroy();
    for (const buf of this.buffers) this.ctx.release(buf);
  }
}

/** a⁽ˡ⁾ of every hidden layer, rows × (s_l + 1) (a slot per stacked model), the bias unit a₀ = 1 written once into column 0. */
function hiddenActivations(ctx: GpuContext, owned: Owned, b: BatchBinding, layers: readonly number[], count: number): GpuMatrix[] {
  const rows = b.x.rows;
  const activations: GpuMatrix[] = [b.x];
  for (let l = 1; l + 1 < layers.length; l++) {
    const cols = layers[l]! + 1;
    const each = slot(rows * cols, count);
    const buf = owned.buffer(`${b.label} a${l + 1}`, each * count);
    const ones = new Float32Array(each * count);
    for (let k = 0; k < count; k++) for (let i = 0; i < rows; i++) ones[k * each + i * cols] = 1;
    ctx.device.queue.writeBuffer(buf, 0, ones);
    activations.push({ buffer: buf, rows, cols });
  }
  return activations;
}

/** Elements between consecutive models' copies of activation l (0: x, shared). */
const activationSlot = (activations: GpuMatrix[], l: number, count: number) => (l === 0 ? 0 : slot(activations[l]!.rows * activations[l]!.cols, count));

/** Forward propagation: a⁽ˡ⁺¹⁾ = g(a⁽ˡ⁾Θ⁽ˡ⁾ᵀ) into columns 1… of the next activation; z⁽ᴸ⁾ raw into `z`. */
async function forwardPass(ctx: GpuContext, owned: Owned, net: DenseStack, activations: GpuMatrix[], z: GpuMatrix, models: { count: number; stride: number; z: number }): Promise<MatmulOp[]> {
  const { layers, blocks } = net.layout;
  const L = layers.length;
  const ops: MatmulOp[] = [];
  for (let l = 0; l + 1 < L; l++) {
    const last = l + 2 === L;
    const theta: GpuMatrix = { buffer: net.theta, ...blocks[l]! };
    const out: GpuMatrix = last ? z : { ...activations[l + 1]!, cols: layers[l + 1]!, offset: 1, stride: layers[l + 1]! + 1 };
    const batch = batchOf(models.count, { a: activationSlot(activations, l, models.count), b: models.stride, c: last ? models.z : activationSlot(activations, l + 1, models.count) });
    ops.push(owned.op(await createMatmul(ctx, out, activations[l]!, theta, { transB: true, activation: last ? undefined : net.activations[l], ...batch })));
  }
  return ops;
}

/**
 * Backpropagation, from the last layer to the first: D⁽ˡ⁾ (+)= δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾ into `b.grad`, then
 * δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾[:, 1:] ⊙ g′ from the saved a⁽ˡ⁾, for every layer but the input.
 */
async function backwardPass(ctx: GpuContext, owned: Owned, net: DenseStack, b: BatchBinding, activations: GpuMatrix[], outputDelta: GpuMatrix, models: { count: number; stride: number; z: number }): Promise<MatmulOp[]> {
  const { layers, blocks } = net.layout;
  const { count } = models;
  const rows = b.x.rows;
  const ops: MatmulOp[] = [];
  let delta = outputDelta;
  let deltaSlot = models.z;
  for (let l = layers.length - 2; l >= 0; l--) {
    const grad: GpuMatrix = { buffer: b.grad, ...blocks[l]! };
    const gradBatch = batchOf(count, { a: deltaSlot, b: activationSlot(activations, l, count), c: models.stride });
    ops.push(owned.op(await createMatmul(ctx, grad, delta, activations[l]!, { transA: true, beta: b.accumulate ? 1 : 0, ...gradBatch })));
    if (l === 0) break;
    const s = layers[l]!;
    const nextSlot = slot(rows * s, count);
    const next: GpuMatrix = { buffer: owned.buffer(`${b.label} δ${l + 1}`, nextSlot * count), rows, cols: s };
    // Θ⁽ˡ⁾ without its bias column: the bias unit has no δ.
    const weights: GpuMatrix = { buffer: net.theta, rows: layers[l + 1]!, cols: s, offset: blocks[l]!.offset + 1, stride: s + 1 };
    const gate: GpuMatrix = { ...activations[l]!, cols: s, offset: 1, stride: s + 1 };
    const deltaBatch = batchOf(count, { a: deltaSlot, b: models.stride, c: nextSlot, gate: activationSlot(activations, l, count) });
    ops.push(owned.op(await createMatmul(ctx, next, delta, weights, { gradient: net.activations[l - 1], gate, ...deltaBatch })));
    delta = next;
    deltaSlot = nextSlot;
  }
  return ops;
}

/**
 * Forward propagation, the output layer, and backpropagation for a batch (or one chunk of a
 * full batch), built once. With `predict`, the output layer writes h and nothing is walked back.
 * With `stacking`, for that many models at once (net.theta and b.grad stacked): see
 * src/train/program.ts Stacking.
 */
export async function bindBatch(ctx: GpuContext, net: DenseStack, b: BatchBinding, predict = false, stacking?: Stacking): Promise<BoundBatch> {
  const owned = new Owned(ctx);
  try {
    const layers = net.layout.layers;
    const L = layers.length;
    const K = layers[L - 1]!;
    const rows = b.x.rows;
    const { count, stride } = stacking ?? ALONE;
    const zSlot = slot(rows * K, count);
    const models = { count, stride, z: zSlot };
    const activations = hiddenActivations(ctx, owned, b, layers, count);
    const z = owned.buffer(`${b.label} z${L}`, zSlot * count);
    const e = owned.buffer(predict ? `${b.label} h` : `${b.label} δ${L}`, zSlot * count);
    const forward = await forwardPass(ctx, owned, net, activations, { buffer: z, rows, cols: K }, models);
    const outputs: Dispatch[] = [];
    for (let k = 0; k < count; k++) {
      const at = (buffer: GPUBuffer) => (count === 1 ? buffer : { buffer, offset: k * zSlot * 4, size: rows * K * 4 });
      const mine = stacking ? stacking.outputs[k]! : b;
      const output = await createOutputDelta(ctx, {
        label: count === 1 ? b.label : `${b.label} model ${k}`, head: net.head, z: at(z), y: b.y.buffer, yOffset: b.y.offset ?? 0, e: at(e), loss: mine.loss, correct: mine.correct,
        rows, classes: K, rowOffset: b.rowOffset, steps: b.steps, predict,
      });
      owned.buffers.push(output.params);
      outputs.push(output.dispatch);
    }
    const backward = predict || b.forwardOnly ? [] : await backwardPass(ctx, owned, net, b, activations, { buffer: e, rows, cols: K }, models);
    return {
      encode: (pass, offset) => {
        for (const op of forward) op.encode(pass);
        outputs.forEach((output, k) => {
          if (!stacking || stacking.active[k]) encodeDispatch(pass, output, offset);
        });
        for (const op of backward) op.encode(pass);
      },
      destroy: () => owned.destroy(),
      output: predict ? e : undefined,
      hidden: activations.slice(1),
    };
  } catch (err) {
    owned.destroy();
    throw err;
  }
}
