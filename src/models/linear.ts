// Linear regression: h_θ(x) = θᵀx̃ with x̃₀ = 1, cost J(θ) = ½ Σ (h − y)², trained by batch,
// mini-batch or stochastic gradient descent (or momentum, Adam) on the GPU.

import type { GpuContext } from '../gpu/context.js';
import type { FeaturesInput } from '../train/dataset.js';
import { checkKeys } from '../keys.js';
import { REGRESSION_OPTION_KEYS, type RegressionJSON, type RegressionOptions, VectorRegression } from './regression.js';

export class LinearRegression extends VectorRegression {
  constructor(ctx: GpuContext, options: RegressionOptions = {}) {
    checkKeys('options', options, REGRESSION_OPTION_KEYS);
    super(ctx, 'linear', 1, options);
  }

  /** h_θ(x) = θᵀx̃ for each example. */
  async predict(x: FeaturesInput): Promise<Float64Array> {
    return Float64Array.from(await this.hypothesis(x));
  }

  static load(ctx: GpuContext, json: RegressionJSON, options: RegressionOptions = {}): LinearRegression {
    const saved = LinearRegression.checked(json); // on the CPU, before anything is allocated
    const model = new LinearRegression(ctx, { ...options, normalize: !!saved.normalization });
    model.restore(saved);
    return model;
  }
}
