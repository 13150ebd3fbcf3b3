// Softmax regression (K classes): φₖ = exp(θₖᵀx̃) / Σⱼ exp(θⱼᵀx̃), computed with the largest
// logit subtracted; maximum log-likelihood ℓ(θ) = Σ log φ_{y⁽ⁱ⁾}, optional L2 λ.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import type { FeaturesInput } from '../train/dataset.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { fromSaved, loadOptions } from './saved.js';
import { LABEL, type Label, checkLabels, predictedClasses } from '../train/labels.js';
import { REGRESSION_OPTIONS, type RegressionJSON, RegressionModel, type RegressionOptions } from './regression.js';

export interface SoftmaxOptions<L extends Label = number> extends RegressionOptions {
  /**
   * K ≥ 2, the number of classes (labels 0 … K − 1), or the classes' own labels — any strings
   * or numbers, which fit, cost and evaluate then take (or one-hot rows) and predict returns.
   */
  classes: number | readonly L[];
}

const SOFTMAX_OPTIONS = optionTable<SoftmaxOptions<Label>>('SoftmaxRegression options', {
  ...REGRESSION_OPTIONS,
  classes: kinds.required(kinds.oneOf('an integer from 2 to 65,536 (K) or 2 to 65,536 labels', kinds.integer(2, 65536), kinds.array(LABEL, 2, 65536))),
});

export class SoftmaxRegression<L extends Label = number> extends RegressionModel {
  constructor(ctx: GpuContext, options: SoftmaxOptions<L>) {
    checkOptions('options', options, SOFTMAX_OPTIONS);
    const given = options.classes;
    const count = Array.isArray(given) ? given.length : given;
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
    const theta = new Float64Array(K * cols);
    for (let k = 0; k < K; k++) {
      const row = rows[k]!;
      if (row?.length !== cols) throw new ArgumentError(`rows[${k}]`, `must have ${cols} values like rows[0], got ${row?.length}`);
      for (let j = 0; j < cols; j++) theta[k * cols + j] = row[j]!;
    }
    this.setTheta(theta, normalization);
  }

  static load<L extends Label = number>(ctx: GpuContext, json: RegressionJSON, options: RegressionOptions = {}): SoftmaxRegression<L> {
    const saved = SoftmaxRegression.checked(json); // on the CPU, before anything is allocated
    const given = loadOptions(options, saved);
    const model = fromSaved(saved, () => new SoftmaxRegression<L>(ctx, { ...given, classes: (saved.classes as L[] | undefined) ?? saved.layers[1]! }));
    model.restore(saved);
    return model;
  }
}
