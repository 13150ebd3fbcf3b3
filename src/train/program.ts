// What the scheduler and a model agree on: the training set on the GPU (TrainingData), what a
// batch's ops are bound to (BatchBinding), and a model as a GradientProgram — its parameters in
// one buffer and a way to bind the gradient of a batch. Types only, plus the full-batch split.

import type { GpuMatrix, GpuVector } from '../gpu/matrix.js';
import type { StepTable } from './step-table.js';
import type { OptimizerState } from './optimizer-state.js';

/** The training set on the GPU: design-matrix rows (x₀ = 1 first) and targets, in chunks. */
export interface TrainingData {
  examples: number;
  /** Columns of the design matrix (n + 1). */
  cols: number;
  chunks: readonly { start: number; rows: number; x: GPUBuffer; y: GPUBuffer }[];
  /**
   * Training sets of `examples` rows each, one after another in one chunk (the folds of a
   * cross-validation trained as one, ./folds.ts); 1 when absent. Each chunk's `rows` counts one set's.
   */
  sets?: number;
}

/** Several training sets in one binding: how many, and the elements between one set's x̃ (and targets) and the next's. */
export interface Sets {
  count: number;
  x: number;
  y: number;
}

/** What a batch's gradient ops are bound to. */
export interface BatchBinding {
  label: string;
  /** Design-matrix rows of the batch (or of one chunk of a full batch). */
  x: GpuMatrix;
  /** Their targets. */
  y: GpuVector;
  /** Index in the batch of x's first row (a full batch's later chunks). */
  rowOffset: number;
  /** Add into `grad` (a full batch's later chunks) instead of overwriting it. */
  accumulate: boolean;
  /** Forward pass and costs only, no backpropagation (`grad` is left alone): validation. */
  forwardOnly?: boolean;
  /** x and y hold this many sets' batches (folds trained as one, models set after set in the stack); x and y are set 0's. */
  sets?: Sets;
  /** P floats: receives the mean gradient (1/count)·Σ ∂cost/∂θ over the batch, unregularised. */
  grad: GPUBuffer;
  /** m floats each: every example's cost and right (1) / wrong (0), at its position in the epoch. */
  loss: GPUBuffer;
  correct: GPUBuffer;
  steps: StepTable;
}

export interface BatchOps {
  /** Records the batch's forward and backward passes; `offset` selects the step record. */
  encode(pass: GPUComputePassEncoder, offset: number): void;
  destroy(): void;
}

/** A model as the scheduler sees it: parameters in one buffer, and a gradient for a batch. */
export interface GradientProgram {
  label: string;
  /** P, the number of parameters. */
  parameters: number;
  /** θ, P floats, updated in place. */
  theta: GPUBuffer;
  /** P floats: 1 for a regularised weight, 0 for a bias term. */
  decay: GPUBuffer;
  /** Whether a label is predicted, so accuracy means something (not for linear regression). */
  hasAccuracy: boolean;
  /** Buffers that checkpoints copy with Θ (a model's normalisation statistics), if any. */
  keep?: GPUBuffer;
  /** The optimiser's state to go on from (options.continueOptimizer); the fit takes it over once its first step is submitted. */
  optimizer?: OptimizerState;
  /** Called once, before the first step is submitted: from then on Θ changes. */
  started?: () => void;
  bindBatch(binding: BatchBinding): Promise<BatchOps>;
  /** The batch's passes for several models of this shape at once (./group.ts), if the model can: Θ of all in `theta`, see Stacking. */
  bindStacked?(binding: BatchBinding, theta: GPUBuffer, stacking: Stacking): Promise<BatchOps>;
  /** With bindStacked: Stacking.first for this model's Θ. */
  stackFirst?: number;
}

/**
 * Models of one shape stacked for one set of passes (./group.ts): `theta` and the binding's grad
 * hold `count` models' parameters as stackedRanges places them; the passes keep every model's
 * matrices (src/models/placement.ts), run each product once for all the models with the batch's
 * x shared (src/gpu/strided.ts), and write each model's costs into its slice of the stack's.
 */
export interface Stacking {
  count: number;
  /** Elements of each model's Θ stored first for all models together (its first layer's block, so one product serves every model's first layer), or 0: Θ model after model. */
  first: number;
  /** Every model's costs and right/wrong, `examples` floats a model (model k's from k·examples); the group copies each into its fit's own before its epoch end. */
  loss: GPUBuffer;
  correct: GPUBuffer;
  examples: number;
}

/**
 * A full batch as one binding per chunk: each chunk's rows at their place in the batch, the
 * first overwriting the gradient and the others adding to it.
 */
export function fullBatch(
  data: TrainingData,
  label: string,
  outputs: Pick<BatchBinding, 'grad' | 'loss' | 'correct' | 'steps' | 'forwardOnly'>,
): BatchBinding[] {
  const sets = data.sets ?? 1;
  return data.chunks.map((chunk, i) => ({
    label: `${label} chunk ${i}`,
    x: { buffer: chunk.x, rows: chunk.rows, cols: data.cols },
    y: { buffer: chunk.y, length: chunk.rows },
    rowOffset: chunk.start,
    accumulate: i > 0,
    ...(sets > 1 ? { sets: { count: sets, x: chunk.rows * data.cols, y: chunk.rows } } : {}),
    ...outputs,
  }));
}

/**
 * Where model k's Θ goes in `count` models' stacked Θ (and its gradient in theirs): the ranges
 * [from (in its own Θ), to (in the stack), floats]. With `first` > 0, every model's first
 * `first` elements come first, model after model, and then every model's rest; else model after model.
 */
export function stackedRanges(parameters: number, first: number, count: number, k: number): [number, number, number][] {
  if (first === 0) return [[0, k * parameters, parameters]];
  const rest = parameters - first;
  return rest === 0 ? [[0, k * first, first]] : [[0, k * first, first], [first, count * first + k * rest, rest]];
}

/**
 * Copies model k's elements between its own buffer and its place in a stacked one, range by range
 * (`ranges` in bytes, as stackedRanges places them): into the stack, or (`back`) out of it.
 * `ownBase` and `stackBase` move both sides (the second half of Adam's moments).
 */
export function copyStacked(enc: GPUCommandEncoder, ranges: readonly [number, number, number][], stack: GPUBuffer, own: GPUBuffer, back: boolean, ownBase = 0, stackBase = 0): void {
  for (const [from, to, bytes] of ranges) {
    if (back) enc.copyBufferToBuffer(stack, stackBase + to, own, ownBase + from, bytes);
    else enc.copyBufferToBuffer(own, ownBase + from, stack, stackBase + to, bytes);
  }
}
