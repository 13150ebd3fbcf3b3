// Forward propagation and backpropagation for a batch, as the lecture writes them, on the GPU:
//
//   forward   a⁽¹⁾ = x̃ (bias unit a₀ = 1 in column 0); z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾; a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾)
//             — one matmul per layer, g fused into its epilogue, into columns 1… of a⁽ˡ⁺¹⁾;
//             the last layer's z⁽ᴸ⁾ stays raw for the output layer
//   output    h, each example's cost, δ⁽ᴸ⁾ = (h − y)/count (shaders/output_delta.wgsl)
//   backward  walking the layers in reverse, l = L − 1 … 1:
//             Δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾ — the gradient D⁽ˡ⁾ of the batch's mean cost, bias column
//             included (one matmul, Aᵀ; accumulated across a full batch's chunks);
//             δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾[:, 1:] ⊙ g′(z⁽ˡ⁾) — one matmul whose epilogue computes g′ from what
//             the forward pass saved: the activation a⁽ˡ⁾ (σ: a ⊙ (1 − a)), or, for a g whose g′
//             needs z (swish, GELU, mish: the registry's derivativeFrom), z⁽ˡ⁾, which that layer's
//             forward epilogue then also stores (saveZ); none for the input layer.
//
// Regularisation ((λ/m)Θ off the bias column) is added by the optimiser update
// (shaders/optimizer_update.wgsl). Every buffer and dispatch is made once per batch binding and
// reused every step. Several models of one shape trained as one (src/train/group.ts) take the
// same passes once for all of them: each product a batch of products, laid out by
// ./placement.ts, each summed as that model's alone. Float64 oracle: src/reference/network.ts
// (forward, backprop).

import { type ActivationName, savesZ } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { encodeDispatch } from '../gpu/kernel.js';
import type { GpuMatrix } from '../gpu/matrix.js';
import { type MatmulOp, createMatmul, matmulPlan } from '../kernels/matmul.js';
import { createOutputDelta } from '../kernels/output_delta.js';
import type { HeadName } from '../reference/regression.js';
import type { BatchBinding, BatchOps, Stacking } from '../train/program.js';
import type { ThetaLayout } from './layout.js';
import { type Placed, Placement, slot } from './placement.js';

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

/** The batch option of a product over the stacked models (none for one model). */
const batchOf = (count: number, strides: { a?: number; b?: number; c?: number; saved?: number; repeatA?: number; repeatB?: number }) => (count === 1 ? {} : { batch: { count, ...strides } });

/** The training sets of a binding (folds trained as one): how many, and the models of each. */
function setsOf(b: BatchBinding, count: number): { count: number; per: number; x: number; y: number } {
  const sets = b.sets ?? { count: 1, x: 0, y: 0 };
  if (count % sets.count !== 0) throw new Error(`${b.label}: ${count} models do not divide into ${sets.count} training sets`);
  return { ...sets, per: count / sets.count };
}

/** `p`'s view from `column` on, `cols` wide. */
const columns = (p: Placed, column: number, cols: number): Placed => ({ view: { ...p.view, cols, offset: (p.view.offset ?? 0) + column, stride: p.view.stride ?? p.view.cols }, batch: p.batch });

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

/**
 * a⁽ˡ⁾ of every layer the products read, l = 1 … L − 1: a⁽¹⁾ = x̃ (the batch's design matrix,
 * shared), then each hidden layer's, rows × (s_l + 1) for every model (./placement.ts), the bias
 * unit a₀ = 1 written once into column 0.
 */
function layerActivations(ctx: GpuContext, owned: Owned, b: BatchBinding, place: Placement): Placed[] {
  const sets = setsOf(b, place.count);
  const a: Placed[] = [{ view: b.x, batch: sets.x, repeat: sets.per }];
  for (let l = 1; l + 1 < place.layers; l++) {
    const buf = owned.buffer(`${b.label} a${l + 1}`, place.activationFloats(l));
    ctx.device.queue.writeBuffer(buf, 0, place.ones(l));
    a.push(place.activation(buf, l));
  }
  return a;
}

/**
 * Forward propagation: a⁽ˡ⁺¹⁾ = g(a⁽ˡ⁾Θ⁽ˡ⁾ᵀ) into columns 1… of the next activation; z⁽ᴸ⁾ raw into
 * `z`. Stacked, each layer's product runs for every model at once; a wide first layer is one
 * product x̃ · [Θ⁽¹⁾ of every model]ᵀ writing each model's a⁽²⁾ after its bias column.
 */
async function forwardPass(ctx: GpuContext, owned: Owned, net: DenseStack, place: Placement, a: Placed[], z: Placed, zs: (Placed | undefined)[]): Promise<MatmulOp[]> {
  const layers = net.layout.layers;
  const L = layers.length;
  const ops: MatmulOp[] = [];
  for (let l = 0; l + 1 < L; l++) {
    const last = l + 2 === L;
    const s = layers[l + 1]!;
    const activation = last ? undefined : net.activations[l];
    if (l === 0 && place.wide) {
      // Each training set's x̃ times its models' Θ⁽¹⁾ (one set: every model's), the sets a batch.
      const x = a[0]!;
      const per = x.repeat ?? place.count;
      const a2 = a[1]!.view;
      const out = { buffer: a2.buffer, rows: a2.rows, cols: per * s, offset: 1, stride: a2.stride };
      // Summed as each model's own product would be: its tiling and split, whatever the width.
      const plan = matmulPlan(ctx, { m: a2.rows, n: s, k: layers[0]! + 1, transB: true });
      const saveZ = zs[1] && { saveZ: { ...zs[1].view, cols: per * s } };
      const sets = batchOf(place.count / per, { a: x.batch, b: per * s * (layers[0]! + 1), c: per * (s + 1), ...(saveZ ? { saved: per * s } : {}) });
      ops.push(owned.op(await createMatmul(ctx, out, x.view, place.wideBlock(net.theta, per), { transB: true, activation, columnGroups: { size: s, stride: s + 1 }, ...saveZ, ...plan, ...sets })));
      continue;
    }
    const theta = place.block(net.theta, l);
    const out = last ? z : columns(a[l + 1]!, 1, s);
    const keep = last ? undefined : zs[l + 1];
    const batch = batchOf(place.count, { a: a[l]!.batch, repeatA: a[l]!.repeat ?? 1, b: theta.batch, c: out.batch, ...(keep ? { saved: keep.batch } : {}) });
    ops.push(owned.op(await createMatmul(ctx, out.view, a[l]!.view, theta.view, { transB: true, activation, ...(keep ? { saveZ: keep.view } : {}), ...batch })));
  }
  return ops;
}

/**
 * Backpropagation, from the last layer to the first: D⁽ˡ⁾ (+)= δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾ into `b.grad`, then
 * δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾[:, 1:] ⊙ g′ from the saved a⁽ˡ⁾ (or z⁽ˡ⁾), for every layer but the input. Stacked, for
 * every model at once; a wide first layer's D⁽¹⁾ is one product [δ⁽²⁾ of every model]ᵀ x̃.
 */
async function backwardPass(ctx: GpuContext, owned: Owned, net: DenseStack, place: Placement, b: BatchBinding, a: Placed[], zs: (Placed | undefined)[], outputDelta: Placed): Promise<MatmulOp[]> {
  const layers = net.layout.layers;
  const { count } = place;
  const beta = b.accumulate ? 1 : 0;
  const ops: MatmulOp[] = [];
  let delta = outputDelta;
  for (let l = layers.length - 2; l >= 0; l--) {
    if (l === 0 && place.wide) {
      // Each training set's models' δ⁽²⁾ᵀ times its x̃ (one set: every model's), the sets a batch.
      const x = a[0]!;
      const per = x.repeat ?? count;
      const d = delta.view;
      const all = { buffer: d.buffer, rows: d.rows, cols: per * d.cols, stride: count * d.cols };
      const plan = matmulPlan(ctx, { m: d.cols, n: layers[0]! + 1, k: d.rows, transA: true });
      const sets = batchOf(count / per, { a: per * d.cols, b: x.batch, c: per * d.cols * (layers[0]! + 1) });
      ops.push(owned.op(await createMatmul(ctx, place.wideBlock(b.grad, per), all, x.view, { transA: true, beta, ...plan, ...sets })));
      break;
    }
    const grad = place.block(b.grad, l);
    ops.push(owned.op(await createMatmul(ctx, grad.view, delta.view, a[l]!.view, { transA: true, beta, ...batchOf(count, { a: delta.batch, b: a[l]!.batch, repeatB: a[l]!.repeat ?? 1, c: grad.batch }) })));
    if (l === 0) break;
    const s = layers[l]!;
    const next = place.delta(owned.buffer(`${b.label} δ${l + 1}`, place.deltaFloats(l)), l);
    // Θ⁽ˡ⁾ without its bias column: the bias unit has no δ.
    const weights = place.block(net.theta, l, 1);
    // What g′ is computed from: the saved a⁽ˡ⁾ (bias column off), or the z⁽ˡ⁾ its forward pass kept.
    const saved = zs[l] ?? columns(a[l]!, 1, s);
    const batch = batchOf(count, { a: delta.batch, b: weights.batch, c: next.batch, saved: saved.batch });
    ops.push(owned.op(await createMatmul(ctx, next.view, delta.view, weights.view, { gradient: net.activations[l - 1], saved: saved.view, ...batch })));
    delta = next;
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
    const count = stacking?.count ?? 1;
    const place = new Placement(net.layout, count, stacking?.first ?? 0, rows);
    const zSlot = slot(rows * K, count);
    const a = layerActivations(ctx, owned, b, place);
    const z = owned.buffer(`${b.label} z${L}`, zSlot * count);
    // δ⁽ᴸ⁾ = (h − y)/count when training; h itself when predicting.
    const deltaOrH = owned.buffer(predict ? `${b.label} h` : `${b.label} δ${L}`, zSlot * count);
    // z⁽ˡ⁺¹⁾ of each hidden layer whose g′ needs it, placed as its δ (only when backpropagating).
    const training = !predict && !b.forwardOnly;
    const zs = a.map((_, l) => (l > 0 && training && savesZ(net.activations[l - 1]!) ? place.delta(owned.buffer(`${b.label} z${l + 1}`, place.deltaFloats(l)), l) : undefined));
    const forward = await forwardPass(ctx, owned, net, place, a, { view: { buffer: z, rows, cols: K }, batch: zSlot }, zs);
    // Every model's output layer in one dispatch (its costs into its slice of the stack's).
    const output = await createOutputDelta(ctx, {
      label: b.label, head: net.head, z, y: b.y.buffer, yOffset: b.y.offset ?? 0, deltaOrH, loss: stacking?.loss ?? b.loss, correct: stacking?.correct ?? b.correct,
      rows, classes: K, rowOffset: b.rowOffset, steps: b.steps, predict, ...(stacking ? { batch: { count, rows: zSlot, examples: stacking.examples, sets: { per: a[0]!.repeat ?? count, y: b.sets?.y ?? 0 } } } : {}),
    });
    owned.buffers.push(output.params);
    const backward = training ? await backwardPass(ctx, owned, net, place, b, a, zs, { view: { buffer: deltaOrH, rows, cols: K }, batch: zSlot }) : [];
    return {
      encode: (pass, offset) => {
        for (const op of forward) op.encode(pass);
        encodeDispatch(pass, output.dispatch, offset);
        for (const op of backward) op.encode(pass);
      },
      destroy: () => owned.destroy(),
      output: predict ? deltaOrH : undefined,
      hidden: a.slice(1).map((layer) => layer.view),
    };
  } catch (err) {
    owned.destroy();
    throw err;
  }
}
