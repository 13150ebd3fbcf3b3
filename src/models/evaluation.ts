// The evaluation passes: one full pass over a data set at the current Θ, without updating —
// the cost J (with its accuracy), the gradient D = ∂(J/m)/∂Θ, the hypothesis h (read back or
// written into a caller's buffer), and J at many Θ queued at once (gradient checking). Each is
// the training step's forward pass (and backpropagation, for the gradient) over every chunk,
// closed by the epoch-end reduction or the optimiser's 'gradient' mode.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import type { GpuMatrix } from '../gpu/matrix.js';
import { type Dispatch, encodeDispatch } from '../gpu/kernel.js';
import { STATE, createEpochEnd } from '../kernels/epoch_end.js';
import { createOptimizerUpdate } from '../kernels/optimizer_update.js';
import type { GpuDataset, HostExamples, Targets } from '../train/dataset.js';
import { type GradientProgram, fullBatch } from '../train/program.js';
import { StepTable } from '../train/step-table.js';
import type { BoundBatch } from './backpropagation.js';

/** Cost of the model on a data set: see docs/guide.md, "Which cost is which". */
export interface CostReport {
  /** The lecture's J(θ): Σᵢ cost⁽ⁱ⁾ + (λ/2) Σ θ² over non-bias weights (linear: ½ Σ (h − y)² + …). */
  total: number;
  /** total / m: comparable across data sizes, what training reports per epoch. */
  mean: number;
  /** Fraction labelled right; null for linear regression. */
  accuracy: number | null;
}

/** What a pass needs of a model (checked and trained: the caller has made sure). */
export interface EvaluatedModel {
  ctx: GpuContext;
  label: string;
  program(): GradientProgram;
  upload(x: HostExamples, y: Targets | undefined): Promise<GpuDataset>;
  bindBatch(binding: Parameters<GradientProgram['bindBatch']>[0], predict: boolean): Promise<BoundBatch>;
}

export type PassMode = 'cost' | 'gradient' | 'predict';

/** What a pass leaves for `finish` to read: J and accuracy per run (history), D (grad), h per chunk (outputs). */
export interface PassOutputs {
  m: number;
  /** The data set on the GPU, chunk by chunk (its labels for the confusion matrix). */
  data: GpuDataset;
  history: GPUBuffer;
  grad: GPUBuffer;
  outputs: GPUBuffer[];
  /** Each chunk's hidden activations a⁽²⁾ … a⁽ᴸ⁻¹⁾, rows × (s + 1) with the bias unit in column 0. */
  hidden: GpuMatrix[][];
}

/** The pass's closing dispatch: the epoch end (cost) or the optimiser's gradient-only update. */
async function closing(ctx: GpuContext, program: GradientProgram, mode: PassMode, m: number, lambda: number, b: Record<string, GPUBuffer>, steps: StepTable, uniforms: GPUBuffer[]): Promise<Dispatch[]> {
  const { label, parameters, theta, decay } = program;
  if (mode === 'cost') {
    const end = await createEpochEnd(
      ctx, label, true,
      { examples: m, parameters, lambda, tolerance: 0, patience: 1, aboveFirst: false, earlyPatience: 0, minDelta: 0, firstEpoch: 0, historyStride: 2, historyOffset: 0 },
      { loss: b.loss!, correct: b.correct!, theta, decay, thetaGood: b.thetaGood!, history: b.history!, state: b.state!, steps },
    );
    uniforms.push(end.params);
    return [end.dispatch];
  }
  if (mode === 'gradient') {
    const update = await createOptimizerUpdate(ctx, label, 'gradient', parameters, { lambdaOverM: lambda / m, beta1: 0, beta2: 0, epsilon: 1 }, {
      theta, decay, grad: b.grad!, moments: b.moments!, state: b.state!, steps,
    });
    uniforms.push(update.params);
    return [update.dispatch];
  }
  return [];
}

/**
 * One full pass over (x, y) without updating, in `mode`; `finish` reads what it left. With
 * `variants` (cost mode), J is evaluated at each of those Θ in turn (history slot 2i), all
 * queued without a readback in between, and Θ is put back after.
 */
export async function evaluationPass<T>(
  model: EvaluatedModel,
  X: HostExamples,
  Y: Targets | undefined,
  mode: PassMode,
  lambda: number,
  finish: (out: PassOutputs) => Promise<T>,
  variants?: readonly Float32Array<ArrayBuffer>[],
): Promise<T> {
  const { ctx, label } = model;
  const program = model.program();
  const data = await model.upload(X, Y);
  const m = X.rows;
  const runs = variants?.length ?? 1;
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
  // Everything made is freed in `finally`, also when making one of them fails part-way.
  const made: GPUBuffer[] = [];
  const make = (name: string, floats: number) => {
    made.push(ctx.createBuffer(`${label} ${mode} ${name}`, floats * 4, usage));
    return made[made.length - 1]!;
  };
  const ops: BoundBatch[] = [];
  const uniforms: GPUBuffer[] = [];
  let steps: StepTable | undefined;
  try {
    const buffers = {
      grad: make('gradient', program.parameters),
      loss: make('example costs', m),
      correct: make('example correct', m),
      history: make('result', 2 * runs),
      state: make('state', STATE.size),
      thetaGood: make('θ copy', program.parameters),
      moments: make('moments', 1),
    };
    ctx.device.queue.writeBuffer(buffers.state, 0, new Float32Array(STATE.size)); // not stopped: nothing reads the rest
    const table = (steps = new StepTable(ctx, runs, `${label} ${mode}`));
    table.write(Array.from({ length: runs }, (_, i) => ({ epoch: i, position: 0, count: m, t: 1, rate: 0 })));
    for (const binding of fullBatch(data, `${label} ${mode}`, { grad: buffers.grad, loss: buffers.loss, correct: buffers.correct, steps })) {
      ops.push(await model.bindBatch(binding, mode === 'predict'));
    }
    const tail = await closing(ctx, program, mode, m, lambda, buffers, steps, uniforms);
    const once = (offset: number) =>
      ctx.submit(`${label} ${mode}`, (enc) => {
        const p = enc.beginComputePass({ label: `${label} ${mode}` });
        for (const op of ops) op.encode(p, offset);
        for (const d of tail) encodeDispatch(p, d, offset);
        p.end();
      });
    if (!variants) await once(0);
    else await atEach(ctx, program, buffers.thetaGood, variants, (i) => once(i * table.stride));
    return await finish({ m, data, history: buffers.history, grad: buffers.grad, outputs: ops.map((op) => op.output!), hidden: ops.map((op) => op.hidden) });
  } finally {
    for (const op of ops) op.destroy();
    for (const b of [...made, ...uniforms]) ctx.release(b);
    steps?.destroy();
    data.destroy();
  }
}

/** Runs `pass(i)` with Θ set to each variant in turn, then puts Θ back from a copy kept in `keep`. */
async function atEach(ctx: GpuContext, program: GradientProgram, keep: GPUBuffer, variants: readonly Float32Array<ArrayBuffer>[], pass: (i: number) => Promise<void>): Promise<void> {
  const bytes = program.parameters * 4;
  await ctx.submit(`${program.label} keep θ`, (enc) => enc.copyBufferToBuffer(program.theta, 0, keep, 0, bytes));
  try {
    for (const [i, v] of variants.entries()) {
      ctx.device.queue.writeBuffer(program.theta, 0, v);
      await pass(i);
    }
  } finally {
    await ctx.submit(`${program.label} restore θ`, (enc) => enc.copyBufferToBuffer(keep, 0, program.theta, 0, bytes));
  }
}

/**
 * h as it was read back, K values per example, when every value is finite: never a NaN or ∞
 * answer — parameters or inputs so large that float32 overflows are an ArgumentError.
 */
export function finiteOutputs(h: Float32Array, K: number): Float32Array {
  const bad = h.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ArgumentError('x', `gives h = ${h[bad]} for example ${Math.floor(bad / K)}: this model's parameters with these inputs overflow float32`);
  return h;
}

/**
 * J/m as cost() reports it: a number, never ±∞ or NaN. Targets whose cost overflows at h = 0
 * are refused before (src/train/dataset.ts), so a J that is not finite comes from outputs h
 * that overflow the squared error (or parameters that overflow float32).
 */
export function finiteCost(mean: number): number {
  if (!Number.isFinite(mean)) throw new ArgumentError('x', `gives a cost J/m of ${mean} in float32: this model's outputs h for these inputs (or its parameters) are too large for its cost; examples far outside what it was trained on?`);
  return mean;
}

/** h of every example, chunk after chunk, read back into one m × K array. */
export async function readOutputs(ctx: GpuContext, outputs: GPUBuffer[]): Promise<Float32Array> {
  const parts = await Promise.all(outputs.map((b) => ctx.read(b)));
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A caller's buffer for h of `rows` examples of K values (COPY_DST usage, room from element `offset`). */
export function checkTarget(ctx: GpuContext, target: { buffer: GPUBuffer; offset?: number }, rows: number, K: number, name = 'target'): { buffer: GPUBuffer; offset: number } {
  // Its kinds were checked against the caller's table (BUFFER_TARGET, or hiddenInto's).
  const { buffer } = target;
  const offset = target.offset ?? 0;
  if (!(buffer.usage & BufferUsage.COPY_DST)) throw new ArgumentError(`${name}.buffer`, 'must be a GPUBuffer with COPY_DST usage');
  if (ctx.owns(buffer)) throw new ArgumentError(`${name}.buffer`, "is one of the library's own buffers (a model's Θ or statistics): writing into it would corrupt the model; give a buffer of your own");
  const floats = rows * K;
  if ((offset + floats) * 4 > buffer.size) {
    throw new ArgumentError(`${name}.buffer`, `holds ${buffer.size / 4} floats; ${rows} predictions of ${K} from element ${offset} need ${offset + floats}`);
  }
  return { buffer, offset };
}

/** Copies h of every example, chunk after chunk, into `buffer` from float `offset`, on the GPU. */
export async function copyOutputs(ctx: GpuContext, label: string, outputs: GPUBuffer[], buffer: GPUBuffer, offset: number): Promise<void> {
  await ctx.submit(`${label} predict into`, (enc) => {
    let at = offset * 4;
    for (const out of outputs) {
      enc.copyBufferToBuffer(out, 0, buffer, at, out.size);
      at += out.size;
    }
  });
}
