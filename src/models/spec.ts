// What a concrete model is made of (DenseSpec), and the options every model takes.

import type { ActivationName } from '../activations.js';
import type { HeadName } from '../reference/regression.js';
import type { Label } from '../train/labels.js';
import type { TargetKind } from '../train/dataset.js';
import { BUFFER_TARGET, type OptionTable, kinds, optionTable } from '../options.js';
import { MAX_DEGREE } from '../features/polynomial.js';

/** The options every model takes and their kinds (the type makes the list complete). */
export const DENSE_OPTIONS: OptionTable<DenseOptions> = { normalize: kinds.boolean, maxBindingBytes: kinds.integer(16, Number.MAX_SAFE_INTEGER, ' (bytes)'), polynomial: kinds.integer(2, MAX_DEGREE, ' (a degree)') };

/** cost(), gradient(), gradients() and evaluate()'s options. */
export const PENALTY_OPTIONS = optionTable<{ lambda?: number }>('cost, gradient and evaluate options', { lambda: kinds.f32NonNegative(' (λ)') });

/** toONNX()'s options: the app's metadata entries (the library's own keys are its). */
export const ONNX_OPTIONS = optionTable<{ metadata?: Record<string, string> }>('toONNX options', {
  metadata: kinds.record(kinds.text, 'an object of string entries { key: value }'),
});

/** predictInto()'s target. */
export const PREDICT_TARGET = optionTable('predictInto target', BUFFER_TARGET);

export interface DenseOptions {
  /**
   * Normalise features to zero mean and unit standard deviation, with statistics computed on
   * the GPU from the first training set and stored with the model (predictions on raw inputs
   * use them).
   */
  normalize?: boolean;
  /** Lowers the bytes one storage binding may hold (to split data into more chunks); default: the device's limit. */
  maxBindingBytes?: number;
  /**
   * Polynomial features up to this degree (2 … 10): the first layer takes every product of x's
   * features up to it — x₁, x₂, x₁², x₁x₂, x₂², … (scikit-learn's order) — computed as x is read
   * (x in CPU memory), normalised after, saved with the model and in its ONNX file.
   */
  polynomial?: number;
}

/** What a concrete model is made of. */
export interface DenseSpec {
  label: string;
  head: HeadName;
  /** Units of each hidden layer, none for the regression family. */
  hidden: readonly number[];
  /** g of each hidden layer (from the activation registry). */
  activations: readonly ActivationName[];
  /** K: units of the output layer (1 for linear and logistic regression). */
  outputs: number;
  /** Whether the model normalises its features unless options.normalize says otherwise. */
  normalizeByDefault: boolean;
  /** A classifier's labels for its classes 0 … K − 1 (two for a single unit), checked. */
  labels?: readonly Label[];
}

/** The widest row any per-example buffer of a model has, so data chunks are sized for all of them. */
export function widestRow(hidden: readonly number[], outputs: number): number {
  return hidden.reduce((widest, s) => Math.max(widest, s + 1), outputs);
}

/** What y holds: any value (linear), a label 0/1 (logistic), a class 0…K−1 (softmax, K sigmoid units). */
export function targetKindOf(head: HeadName, outputs: number, labels: readonly Label[] | undefined): TargetKind {
  if (head === 'linear') return { kind: 'real' };
  if (head === 'logistic') return { kind: 'binary', labels };
  return { kind: 'class', classes: outputs, labels };
}
