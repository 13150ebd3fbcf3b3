// Linear regression: h_θ(x) = θᵀx̃ with x̃₀ = 1, cost J(θ) = ½ Σ (h − y)², trained by batch,
// mini-batch or stochastic gradient descent (or momentum, Adam) on the GPU.

import type { GpuContext } from '../gpu/context.js';
import type { FeaturesInput } from '../train/dataset.js';
import { checkOptions } from '../options.js';
import { fromSaved, loadOptions } from './saved.js';
import { REGRESSION_OPTIONS, type RegressionJSON, type RegressionOptions, VectorRegression } from './regression.js';

export class LinearRegression extends VectorRegression {
  constructor(ctx: GpuContext, options: RegressionOptions = {}) {
    checkOptions('options', options, REGRESSION_OPTIONS);
    super(ctx, 'linear', 1, options);
  }

  /** h_θ(x) = θᵀx̃ for each example. */
  async predict(x: FeaturesInput): Promise<Float64Array> {
    return Float64Array.from(await this.hypothesis(x));
  }

  static load(ctx: GpuContext, json: RegressionJSON, options: RegressionOptions = {}): LinearRegression {
    const saved = LinearRegression.checked(json); // on the CPU, before anything is allocated
    const given = loadOptions(options, saved);
    const model = fromSaved(saved, () => new LinearRegression(ctx, given));
    model.restore(saved);
    return model;
  }
}
