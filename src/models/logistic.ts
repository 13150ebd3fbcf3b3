// Logistic regression (binary): h_θ(x) = σ(θᵀx̃), trained by maximum likelihood — gradient
// ascent on ℓ(θ) = Σ [y log h + (1 − y) log(1 − h)], i.e. descent on the cross-entropy cost —
// with optional L2 regularisation λ that leaves θ₀ alone.

import type { GpuContext } from '../gpu/context.js';
import type { FeaturesInput } from '../train/dataset.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { fromSaved, loadOptions } from './saved.js';
import { LABEL, type Label, checkLabels, predictedClasses } from '../train/labels.js';
import { REGRESSION_OPTIONS, type RegressionJSON, type RegressionOptions, VectorRegression } from './regression.js';

export interface LogisticOptions<L extends Label = number> extends RegressionOptions {
  /** The labels of y = 0 and y = 1 — any strings or numbers, which fit takes and predict returns. Default 0 and 1. */
  classes?: readonly [L, L];
}

const LOGISTIC_OPTIONS = optionTable<LogisticOptions<Label>>('LogisticRegression options', { ...REGRESSION_OPTIONS, classes: kinds.array(LABEL) });

export class LogisticRegression<L extends Label = number> extends VectorRegression {
  constructor(ctx: GpuContext, options: LogisticOptions<L> = {}) {
    checkOptions('options', options, LOGISTIC_OPTIONS);
    const labels = options.classes === undefined ? undefined : checkLabels('options.classes', options.classes, 2);
    super(ctx, 'logistic', 1, options, labels);
  }

  /** P(y = 1 | x) = σ(θᵀx̃) for each example. */
  async predictProbability(x: FeaturesInput): Promise<Float64Array> {
    return Float64Array.from(await this.hypothesis(x));
  }

  /** Labels: 1 (or classes[1]) where h ≥ 0.5 (θᵀx̃ ≥ 0), else 0 (or classes[0]). */
  async predict(x: FeaturesInput): Promise<L[]> {
    return predictedClasses(await this.hypothesis(x), 1, this.labels) as L[];
  }

  /**
   * The decision boundary θᵀx̃ = 0 in raw feature units, for plotting: with two features it
   * is the line θ₀ + θ₁x₁ + θ₂x₂ = 0, i.e. x₂ = −(θ₀ + θ₁x₁)/θ₂.
   */
  async decisionBoundary(): Promise<{ theta: Float64Array; x2(x1: number): number }> {
    const theta = await this.getRawTheta();
    return { theta, x2: (x1: number) => -(theta[0]! + theta[1]! * x1) / theta[2]! };
  }

  static load<L extends Label = number>(ctx: GpuContext, json: RegressionJSON, options: RegressionOptions = {}): LogisticRegression<L> {
    const saved = LogisticRegression.checked(json); // on the CPU, before anything is allocated
    const classes = saved.classes as [L, L] | undefined;
    const given = loadOptions(options, saved);
    const model = fromSaved(saved, () => new LogisticRegression<L>(ctx, { ...given, ...(classes ? { classes } : {}) }));
    model.restore(saved);
    return model;
  }
}
