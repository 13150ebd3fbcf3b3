// What a model's first layer takes: x as given, or — with options.polynomial — every product of
// x's features up to that degree (src/features/polynomial.ts), computed on the CPU as x is read,
// so fit, cost, predict and the rest all see the same terms; the saved model and its ONNX file
// carry the map. `raw` is the number of features x has; the first layer's width is the terms'.

import { ArgumentError } from '../gpu/errors.js';
import { checkPolynomial, mapPolynomial, polynomialTerms } from '../features/polynomial.js';
import { type FeaturesInput, readFeatures } from '../train/dataset.js';
import type { TrainOptions } from '../train/options.js';

export class InputMap {
  /** The features x has, once the model has parameters. */
  raw: number | undefined;

  constructor(readonly degree: number | undefined) {}

  /** The first layer's width for x of n features. */
  width(n: number, who = 'options.polynomial'): number {
    return this.degree === undefined ? n : checkPolynomial(who, n, this.degree);
  }

  /** x's width for a first layer of `width` inputs: the n whose terms are that many. */
  rawFor(width: number): number {
    if (this.degree === undefined) return width;
    let n = 1;
    while (this.width(n) < width) n++;
    if (this.width(n) !== width) throw new ArgumentError('theta', `is for a first layer of ${width} inputs: not the terms of degree ${this.degree} of any number of features`);
    return n;
  }

  /** Fixes x's width (when the model's parameters are made). */
  fix(n: number): void {
    this.raw = n;
  }

  /** x as the first layer takes it: itself, or its polynomial terms (x in CPU memory). */
  map(who: string, x: FeaturesInput): FeaturesInput {
    return this.read(who, x).mapped;
  }

  /** map(), and the features x has when they are read to map them (undefined without polynomial features: x is not read here). */
  read(who: string, x: FeaturesInput): { mapped: FeaturesInput; raw: number | undefined } {
    if (this.degree === undefined) return { mapped: x, raw: undefined };
    const X = readFeatures(who, x, this.raw);
    if (!X.data) throw new ArgumentError(who, 'must be in CPU memory for a model with polynomial features (options.polynomial): the terms are computed as x is read; compute them yourself for data in GPU buffers');
    const width = this.width(X.cols, who);
    return { mapped: { rows: X.rows, cols: width, data: mapPolynomial(X.data, X.rows, X.cols, polynomialTerms(X.cols, this.degree)) }, raw: X.cols };
  }

  /** fit's options with the validation set mapped too. */
  mapOptions(options: TrainOptions): TrainOptions {
    const v = options?.validation;
    return this.degree === undefined || !v || typeof v !== 'object' ? options : { ...options, validation: { ...v, x: this.map('options.validation.x', v.x) } };
  }
}
