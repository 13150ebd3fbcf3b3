// A classifier's evaluation from its confusion matrix (computed on the GPU,
// src/kernels/confusion.ts): accuracy, and per class precision, recall, F1 and support, with
// their macro averages — as scikit-learn's classification_report gives them (a class never
// predicted has precision 0, one never present recall 0).

import type { Counts } from '../kernels/confusion.js';

export interface ClassReport {
  /** The class: its index, or the model's label for it. */
  label: string | number;
  /** Of the examples predicted as this class, the fraction that are. */
  precision: number;
  /** Of the examples of this class, the fraction predicted as it. */
  recall: number;
  /** 2PR / (P + R). */
  f1: number;
  /** Examples of this class. */
  support: number;
}

export interface Evaluation {
  /** J/m (with the λ asked for) and the fraction predicted right. */
  cost: number;
  accuracy: number;
  /**
   * confusion[t][p]: examples of class t predicted as p — for classifiers of up to 4,096 classes
   * (MAX_DENSE_CLASSES); past that its K² counts would take gigabytes, and it is absent.
   */
  confusion?: number[][];
  classes: ClassReport[];
  /** The unweighted means over classes of precision, recall and F1. */
  macro: { precision: number; recall: number; f1: number };
}

/** The per-class counts of a confusion matrix counts[t][p]: O(C²), once. */
export function countsOf(confusion: readonly (readonly number[])[]): Counts {
  const C = confusion.length;
  const counts = { support: new Float64Array(C), predicted: new Float64Array(C), hits: new Float64Array(C) };
  confusion.forEach((row, t) => {
    row.forEach((c, p) => {
      counts.support[t] = counts.support[t]! + c;
      counts.predicted[p] = counts.predicted[p]! + c;
    });
    counts.hits[t] = row[t]!;
  });
  return counts;
}

/**
 * Accuracy and the per-class report from counts[t][p] (or the per-class counts alone, for
 * classifiers too large for the matrix); `labels` names the classes (default 0 … C − 1).
 */
export function metricsOf(confusion: number[][] | Counts, labels?: readonly (string | number)[]): Omit<Evaluation, 'cost'> {
  const matrix = Array.isArray(confusion) ? confusion : undefined;
  const { support, predicted, hits } = matrix ? countsOf(matrix) : (confusion as Counts);
  const C = support.length;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  let total = 0;
  let right = 0;
  const classes: ClassReport[] = [];
  for (let t = 0; t < C; t++) {
    total += support[t]!;
    right += hits[t]!;
    const precision = ratio(hits[t]!, predicted[t]!);
    const recall = ratio(hits[t]!, support[t]!);
    classes.push({ label: labels?.[t] ?? t, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: support[t]! });
  }
  const mean = (f: (c: ClassReport) => number) => classes.reduce((s, c) => s + f(c), 0) / C;
  return {
    accuracy: ratio(right, total),
    ...(matrix ? { confusion: matrix } : {}),
    classes,
    macro: { precision: mean((c) => c.precision), recall: mean((c) => c.recall), f1: mean((c) => c.f1) },
  };
}
