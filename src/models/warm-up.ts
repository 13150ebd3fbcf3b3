// Compiling a model's pipelines before they are needed. A pipeline is built once per context
// (src/gpu/kernel.ts) and a first fit or prediction waits for every one it uses: on SwiftShader
// the matrix multiply's took ~0.8 s, and a browser builds them on the GPU process's threads while
// the page goes on. So a model starts building its forward pass's pipelines when it is
// constructed, fit() starts the rest of training's before it uploads the data, and warmUp()
// lets an app (or the command line) build exactly what it will use, and wait for them.
//
// The shapes are those of backpropagation.ts's products for a batch of `rows` examples: what
// picks a pipeline on a hardware adapter (software adapters have one product pipeline for all).

import { type ActivationName, savesZ } from '../activations.js';
import type { GpuContext } from '../gpu/context.js';
import { gatherPipeline } from '../kernels/batch_gather.js';
import { designPipeline } from '../kernels/design_matrix.js';
import { epochEndPipeline } from '../kernels/epoch_end.js';
import { featureStatsPipelines } from '../kernels/feature_stats.js';
import { warmMatmul } from '../kernels/matmul.js';
import { optimizerPipeline } from '../kernels/optimizer_update.js';
import { outputDeltaPipeline } from '../kernels/output_delta.js';
import { type OptionTable, kinds, optionTable } from '../options.js';
import type { HeadName } from '../reference/regression.js';
import { OPTIMIZERS, type OptimizerName } from '../train/options.js';

export interface WarmUpOptions {
  /**
   * What to build for: 'predict' (the forward pass and the output layer's h: predict, cost,
   * evaluate) or 'fit' (training: backpropagation, the update, the epoch end, and the data's
   * upload). Default 'fit'.
   */
  for?: 'predict' | 'fit';
  /** Examples per batch the work will use (a hardware adapter's tiling depends on it). Default 1,000. */
  rows?: number;
  /** fit: the optimiser that will train (default: the model's). */
  optimizer?: OptimizerName;
  /** fit: the examples of a validation set evaluated each epoch (its forward pass runs on all of them at once). */
  validationRows?: number;
}

export const WARM_UP_OPTIONS: OptionTable<WarmUpOptions> = optionTable<WarmUpOptions>('warmUp options', {
  for: kinds.choice(['predict', 'fit']),
  rows: kinds.integer(1, 2 ** 32 - 1),
  optimizer: kinds.choice(OPTIMIZERS),
  validationRows: kinds.integer(1, 2 ** 32 - 1),
});

/** What a model's pipelines depend on. */
export interface WarmModel {
  /** [s₁, …, s_L]: the input's size is a guess (the first hidden layer's) before the model has n. */
  layers: readonly number[];
  activations: readonly ActivationName[];
  head: HeadName;
  normalize: boolean;
  /** The optimiser fit() uses by default for this model. */
  optimizer: OptimizerName;
}

/**
 * The forward pass's products: a⁽ˡ⁺¹⁾ = g(a⁽ˡ⁾Θ⁽ˡ⁾ᵀ), the last one raw. `training`: the pass a
 * training step runs, which also keeps z where g′ needs it (a pipeline of its own); a prediction's
 * or a validation pass's keeps none.
 */
function forward(ctx: GpuContext, model: WarmModel, rows: number, training: boolean): Promise<unknown>[] {
  const { layers, activations } = model;
  return layers.slice(0, -1).map((s, l) => {
    const g = l + 2 === layers.length ? undefined : activations[l];
    return warmMatmul(ctx, { m: rows, n: layers[l + 1]!, k: s + 1, transB: true }, { activation: g, saveZ: training && !!g && savesZ(g) });
  });
}

/** Backpropagation's products: D⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾, and δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ ⊙ g′ for every layer but the input. */
function backward(ctx: GpuContext, model: WarmModel, rows: number): Promise<unknown>[] {
  const { layers, activations } = model;
  return layers.slice(0, -1).flatMap((s, l) => [
    warmMatmul(ctx, { m: layers[l + 1]!, n: s + 1, k: rows, transA: true }),
    ...(l > 0 ? [warmMatmul(ctx, { m: rows, n: s, k: layers[l + 1]! }, { gradient: activations[l - 1] })] : []),
  ]);
}

/**
 * Only the forward pass's products: what every use of a model needs, started when it is
 * constructed. Not on a software adapter: there the product's kernel depends on the batch's size
 * (direct or blocked, chooseTiling), and a guess would build the blocked one's 0.5–1 s pipeline
 * for a prediction of a few rows; fit() and warmUp() know the rows and build the right one.
 */
export function warmForward(ctx: GpuContext, model: WarmModel): Promise<unknown> {
  if (ctx.adapter.isFallbackAdapter) return Promise.resolve();
  return Promise.all(forward(ctx, model, 1000, false));
}

/** Builds every pipeline `o` says the model will use; resolves when all are built (a KernelCompileError if one fails). */
export async function warmUp(ctx: GpuContext, model: WarmModel, o: WarmUpOptions = {}): Promise<void> {
  const rows = o.rows ?? 1000;
  const fit = (o.for ?? 'fit') === 'fit';
  let needed = forward(ctx, model, rows, fit).concat([outputDeltaPipeline(ctx, model.head, !fit)]);
  // A hardware adapter lays out x̃ on the GPU (src/train/design.ts); a software one for data in GPU buffers only.
  if (!ctx.adapter.isFallbackAdapter || (fit && model.normalize)) needed.push(designPipeline(ctx));
  if (fit) {
    needed = needed.concat(backward(ctx, model, rows), [optimizerPipeline(ctx, o.optimizer ?? model.optimizer), epochEndPipeline(ctx, false), gatherPipeline(ctx)]);
    if (o.validationRows) needed = needed.concat(forward(ctx, model, o.validationRows, false), [epochEndPipeline(ctx, true)]);
    if (model.normalize) needed = needed.concat(featureStatsPipelines(ctx));
  }
  await Promise.all(needed);
}
