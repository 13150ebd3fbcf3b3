// Softmax regression (K classes): φₖ = exp(θₖᵀx̃) / Σⱼ exp(θⱼᵀx̃), computed with the largest
// logit subtracted; maximum log-likelihood ℓ(θ) = Σ log φ_{y⁽ⁱ⁾}, optional L2 λ.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import type { FeaturesInput } from '../train/dataset.js';
import { checkKeys } from '../keys.js';
import { type Label, checkLabels, predictedClasses } from '../train/labels.js';
import { REGRESSION_OPTION_KEYS, type RegressionJSON, RegressionModel, type RegressionOptions } from './regression.js';

export interface SoftmaxOptions<L extends Label = number> extends RegressionOptions {
  /**
   * K ≥ 2, the number of classes (labels 0 … K − 1), or the classes' own labels — any strings
   * or numbers, which fit, cost and evaluate then take (or one-hot rows) and predict returns.
   */
  classes: number | readonly L[];
}

export class SoftmaxRegression<L extends Label = number> extends RegressionModel {
  constructor(ctx: GpuContext, options: SoftmaxOptions<L>) {
    checkKeys('options', options, [...REGRESSION_OPTION_KEYS, 'classes']);
    const given = options?.classes;
    const count = Array.isArray(given) ? given.length : given;
    if (!Number.isInteger(count) || (count as number) < 2 || (count as number) > 65536) {
      throw new ArgumentError('options.classes', `must be an integer from 2 to 65536 or 2 to 65536 labels, got ${JSON.stringify(given)?.slice(0, 60) ?? String(given)}`);
    }
    const labels = Array.isArray(given) ? checkLabels('options.classes', given, given.length) : undefined;
    super(ctx, 'softmax', count as number, options, labels);
  }

  get classes(): number {
    return this.outputs;
  }

  /** φ for each example: m × K row-major, each row summing to 1. */
  async predictProbabilities(x: FeaturesInput): Promise<Float64Array> {
    return Float64Array.from(await this.hypothesis(x));
  }

  /** The most probable class of each example (the first on ties): its label, or its index. */
  async predict(x: FeaturesInput): Promise<L[]> {
    return predictedClasses(await this.hypothesis(x), this.outputs, this.labels) as L[];
  }

  /** θₖ for each class k: K rows of n + 1 values (θₖ₀ first), in the model's feature space. */
  async getParameters(): Promise<Float64Array[]> {
    const theta = await this.getTheta();
    const cols = theta.length / this.outputs;
    return Array.from({ length: this.outputs }, (_, k) => theta.slice(k * cols, (k + 1) * cols));
  }

  /** Sets θₖ for each class from K rows of n + 1 values (as getParameters returns them). */
  setParameters(rows: ArrayLike<ArrayLike<number>>, normalization?: { mean: ArrayLike<number>; std: ArrayLike<number> }): void {
    const K = this.outputs;
    if (!rows || rows.length !== K) throw new ArgumentError('rows', `must be ${K} rows, one θₖ per class, got ${rows?.length}`);
    const cols = rows[0]?.length ?? 0;
    const theta: number[] = [];
    for (let k = 0; k < K; k++) {
      const row = rows[k]!;
      if (row?.length !== cols) throw new ArgumentError(`rows[${k}]`, `must have ${cols} values like rows[0], got ${row?.length}`);
      theta.push(...Array.from(row));
    }
    this.setTheta(theta, normalization);
  }

  static load<L extends Label = number>(ctx: GpuContext, json: RegressionJSON, options: RegressionOptions = {}): SoftmaxRegression<L> {
    const saved = SoftmaxRegression.checked(json); // on the CPU, before anything is allocated
    const model = new SoftmaxRegression<L>(ctx, { ...options, classes: (saved.classes as L[] | undefined) ?? saved.layers[1]!, normalize: !!saved.normalization });
    model.restore(saved);
    return model;
  }
}
