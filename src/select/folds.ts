// How examples are split for model selection: k folds of a seeded permutation (fold f is the
// examples at positions ⌊f·m/k⌋ … ⌊(f+1)·m/k⌋ − 1 of Random(seed).permutation(m)), each fold's
// training part in the examples' own order; and the subsets of a learning curve, the first m_i
// training examples. Examples in CPU memory only: rows are copied, never reordered in place.

import { ArgumentError } from '../gpu/errors.js';
import { Random } from '../random.js';
import { type HostExamples, copyRows, heldOutRows } from '../train/dataset.js';
import type { Label } from '../train/labels.js';

/** Examples in CPU memory: features read (x̃ not yet laid out) and the targets as given (numbers, labels or one-hot rows). */
export interface Examples {
  x: { rows: number; cols: number; data: Float32Array<ArrayBuffer> };
  y: (number | Label | ArrayLike<number>)[];
}

/** A training part and a held-out part of the examples. */
export interface Split {
  train: Examples;
  held: Examples;
}

/** The examples at `rows` (ascending), copied. */
export function pick(X: HostExamples, y: ArrayLike<number | Label | ArrayLike<number>>, rows: readonly number[]): Examples {
  return { x: copyRows(X, rows), y: rows.map((r) => y[r]!) };
}

/** The held-out positions of fold f of k over m examples (ascending example indices). */
export function foldRows(m: number, k: number, seed: number, f: number): number[] {
  const order = new Random(seed).permutation(m);
  return order.slice(Math.floor((f * m) / k), Math.floor(((f + 1) * m) / k)).sort((a, b) => a - b);
}

/** The k splits of k-fold cross-validation. */
export function kFolds(X: HostExamples, Y: ArrayLike<number | Label | ArrayLike<number>>, k: number, seed: number): Split[] {
  const m = X.rows;
  if (!Number.isInteger(k) || k < 2 || k > m) throw new ArgumentError('options.folds', `must be an integer from 2 to the number of examples (${m}), got ${String(k)}`);
  return Array.from({ length: k }, (_, f) => {
    const held = foldRows(m, k, seed, f);
    const out = new Set(held);
    return { train: pick(X, Y, Array.from({ length: m }, (_, i) => i).filter((i) => !out.has(i))), held: pick(X, Y, held) };
  });
}

/** A seeded held-out fraction, held out as fit's validationSplit holds it (heldOutRows). */
export function holdOut(X: HostExamples, y: ArrayLike<number | Label | ArrayLike<number>>, fraction: number, seed: number): Split {
  const { train, held } = heldOutRows(X.rows, fraction, seed);
  return { train: pick(X, y, train), held: pick(X, y, held) };
}
