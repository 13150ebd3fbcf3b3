// A classifier's evaluation from its confusion matrix (computed on the GPU,
// src/kernels/confusion.ts): accuracy, and per class precision, recall, F1 and support, with
// their macro averages — as scikit-learn's classification_report gives them (a class never
// predicted has precision 0, one never present recall 0).

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
  /** confusion[t][p]: examples of class t predicted as p. */
  confusion: number[][];
  classes: ClassReport[];
  /** The unweighted means over classes of precision, recall and F1. */
  macro: { precision: number; recall: number; f1: number };
}

/** Accuracy and the per-class report from counts[t][p]; `labels` names the classes (default 0 … C − 1). */
export function metricsOf(confusion: number[][], labels?: readonly (string | number)[]): Omit<Evaluation, 'cost'> {
  const C = confusion.length;
  const total = confusion.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const classes = confusion.map((row, t): ClassReport => {
    const hit = row[t]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((s, r) => s + r[t]!, 0);
    const precision = ratio(hit, predicted);
    const recall = ratio(hit, support);
    return { label: labels?.[t] ?? t, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const mean = (f: (c: ClassReport) => number) => classes.reduce((s, c) => s + f(c), 0) / C;
  return {
    accuracy: ratio(confusion.reduce((s, row, t) => s + row[t]!, 0), total),
    confusion,
    classes,
    macro: { precision: mean((c) => c.precision), recall: mean((c) => c.recall), f1: mean((c) => c.f1) },
  };
}
