// The regression family: one dense layer z = Θx̃ and an output head — the identity (linear
// regression), σ (logistic), softmax — on ./dense.ts, the machinery every model shares.
// ./linear.ts, ./logistic.ts and ./softmax.ts choose the head and shape what predict returns.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { DENSE_OPTIONS, type DenseJSON, DenseModel, type DenseOptions } from './dense.js';
import { optionTable } from '../options.js';
import { checkSaved } from './saved.js';
import type { Label } from '../train/labels.js';

export type { CostReport } from './dense.js';

const NAMES = { linear: 'linear regression', logistic: 'logistic regression', softmax: 'softmax regression' } as const;

/** The options of linear regression, and those every regression model takes. */
export const REGRESSION_OPTIONS = optionTable<RegressionOptions>('LinearRegression options', DENSE_OPTIONS);

export interface RegressionOptions extends DenseOptions {
  /** Default true for the regression family: the lecture's house example diverges without it. */
  normalize?: boolean;
}

/** The model as JSON (`toJSON()` / `load()`): Θ is K × (n + 1), row k = θₖ, column 0 = θ₀. */
export interface RegressionJSON extends DenseJSON {
  format: 'wgsl-learn/regression';
}

export abstract class RegressionModel extends DenseModel {
  protected constructor(ctx: GpuContext, head: keyof typeof NAMES, outputs: number, options: RegressionOptions, labels?: readonly Label[]) {
    super(ctx, { label: NAMES[head], head, hidden: [], activations: [], outputs, normalizeByDefault: true, labels }, options);
  }

  /**
   * Θ for raw inputs: the same hypothesis written on [1, x] instead of [1, (x − μ)/σ], so
   * θₖⱼ(raw) = θₖⱼ/σⱼ and θₖ₀(raw) = θₖ₀ − Σⱼ θₖⱼ μⱼ/σⱼ. K × (n + 1); equal to getTheta()
   * without normalisation.
   */
  async getRawTheta(): Promise<Float64Array> {
    const theta = await this.getTheta();
    const norm = await this.getNormalization();
    if (!norm) return theta;
    const cols = norm.mean.length + 1;
    const raw = Float64Array.from(theta);
    for (let k = 0; k < this.outputs; k++) {
      for (let j = 1; j < cols; j++) {
        raw[k * cols + j] = theta[k * cols + j]! / norm.std[j - 1]!;
        raw[k * cols] = raw[k * cols]! - (theta[k * cols + j]! * norm.mean[j - 1]!) / norm.std[j - 1]!;
      }
    }
    return raw;
  }

  /** The whole model as JSON-ready data. */
  async toJSON(): Promise<RegressionJSON> {
    return { format: 'wgsl-learn/regression', ...(await this.saveDense()) };
  }

  /** Restores a saved model, as checked() returned it, into this (new) model. */
  protected restore(saved: DenseJSON): void {
    this.restoreDense(saved);
  }

  /** Checks a saved regression model on the CPU, whole, before a model is made for it. */
  protected static checked(json: unknown): DenseJSON {
    const saved = checkSaved(json, 'wgsl-learn/regression');
    if (saved.layers.length !== 2) throw new ArgumentError('json.layers', `a regression model has 2 layers (n, K), got ${saved.layers.length}`);
    return saved;
  }
}

/** A model with one output (linear and logistic regression): θ is a vector of n + 1 values, θ₀ first. */
export abstract class VectorRegression extends RegressionModel {
  /** θ in the model's feature space (normalised features when it normalises). */
  async getParameters(): Promise<Float64Array> {
    return this.getTheta();
  }

  /** Sets θ (n + 1 values) and, for a model that normalises and has no statistics yet, μ and σ. */
  setParameters(theta: ArrayLike<number>, normalization?: { mean: ArrayLike<number>; std: ArrayLike<number> }): void {
    this.setTheta(theta, normalization);
  }
}
