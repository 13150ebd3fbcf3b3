// Linear regression: h_θ(x) = θᵀx̃ with x̃₀ = 1, cost J(θ) = ½ Σ (h − y)², trained by batch,
// mini-batch or stochastic gradient descent (or momentum, Adam) on the GPU.

import type { GpuContext } from '../gpu/context.js';
import type { FeaturesInput, TargetKind } from '../train/dataset.js';
import { type RegressionJSON, RegressionModel, type RegressionOptions } from './regression.js';

export class LinearRegression extends RegressionModel {
  constructor(ctx: GpuContext, options: RegressionOptions = {}) {
    super(ctx, 'linear', 1, options);
  }

  protected targetKind(): TargetKind {
    return { kind: 'real' };
  }

  /** h_θ(x) = θᵀx̃ for each example. */
  async predict(x: FeaturesInput): Promise<Float64Array> {
    return Float64Array.from(await this.hypothesis(x));
  }

  /** θ (n + 1 values, θ₀ first) in the model's feature space (normalised features when it normalises). */
  async getParameters(): Promise<Float64Array> {
    return this.getTheta();
  }

  /** Sets θ (n + 1 values) and, for a model that normalises and has no statistics yet, μ and σ. */
  setParameters(theta: ArrayLike<number>, normalization?: { mean: ArrayLike<number>; std: ArrayLike<number> }): void {
    this.setTheta(theta, normalization);
  }

  static load(ctx: GpuContext, json: RegressionJSON, options: RegressionOptions = {}): LinearRegression {
    const model = new LinearRegression(ctx, { ...options, normalize: !!json?.normalization });
    model.restore(json);
    return model;
  }
}
