// Class labels as users hold them: any strings or numbers (`classes: ['setosa', 'versicolor',
// 'virginica']`), given per example as those labels or as one-hot rows, turned into the class
// indices 0 … K − 1 the GPU trains on — and back, for predict().

import { ArgumentError } from '../gpu/errors.js';
import { kinds } from '../options.js';

/** A label's kind in the option tables. */
export const LABEL = kinds.oneOf('a string or a finite number', kinds.text, kinds.number('a finite number', Number.isFinite));

/** A class as the user names it. */
export type Label = string | number;

/** `labels` checked: `count` distinct strings or finite numbers. */
export function checkLabels(who: string, labels: unknown, count: number): readonly Label[] {
  if (!Array.isArray(labels)) throw new ArgumentError(who, `must be an array of ${count} class labels (strings or numbers)`);
  if (labels.length !== count) throw new ArgumentError(who, `must name ${count} classes, got ${labels.length}`);
  const seen = new Set<Label>();
  labels.forEach((l, i) => {
    if (!(typeof l === 'string' || (typeof l === 'number' && Number.isFinite(l)))) throw new ArgumentError(`${who}[${i}]`, `must be a string or a finite number, got ${JSON.stringify(l)?.slice(0, 40) ?? String(l)}`);
    if (seen.has(l)) throw new ArgumentError(`${who}[${i}]`, `${JSON.stringify(l)} is named twice`);
    seen.add(l);
  });
  return [...labels] as Label[];
}

/** Whether the targets are given as rows (one-hot), not one value per example. */
export function isOneHot(values: ArrayLike<unknown>): boolean {
  const first = values.length > 0 ? values[0] : undefined;
  return typeof first === 'object' && first !== null && typeof (first as ArrayLike<unknown>).length === 'number';
}

/** The class index of each one-hot row: `count` entries, one 1 and the rest 0. */
export function oneHotIndices(name: string, rows: ArrayLike<unknown>, count: number): number[] {
  return Array.from({ length: rows.length }, (_, i) => {
    const row = rows[i] as ArrayLike<unknown> | null;
    if (!row || typeof row !== 'object' || row.length !== count) throw new ArgumentError(`${name}[${i}]`, `must be a one-hot row of ${count} values, like ${name}[0]`);
    let hot = -1;
    for (let k = 0; k < count; k++) {
      const v = row[k];
      if (v === 1 && hot < 0) hot = k;
      else if (v !== 0) throw new ArgumentError(`${name}[${i}]`, `must be one-hot: a single 1 among 0s, got ${JSON.stringify(Array.from(row)).slice(0, 60)}`);
    }
    if (hot < 0) throw new ArgumentError(`${name}[${i}]`, 'must be one-hot: it has no 1');
    return hot;
  });
}

/** The class index of each label, by `labels`; an unknown label is named with the known ones. */
export function labelIndices(name: string, values: ArrayLike<unknown>, labels: readonly Label[]): number[] {
  const index = new Map<unknown, number>(labels.map((l, k) => [l, k]));
  return Array.from({ length: values.length }, (_, i) => {
    const k = index.get(values[i]);
    if (k === undefined) throw new ArgumentError(`${name}[${i}]`, `must be one of the classes ${JSON.stringify(labels).slice(0, 80)}, got ${JSON.stringify(values[i])?.slice(0, 40) ?? String(values[i])}`);
    return k;
  });
}

/**
 * The class predict() gives each example from h (rows of K values): h ≥ 0.5 with one unit, else
 * the argmax (the first on ties) — as the model's label, or as its index without labels.
 */
export function predictedClasses(h: ArrayLike<number>, K: number, labels: readonly Label[] | undefined): Label[] {
  const out = new Array<number>(h.length / K);
  for (let i = 0; i < out.length; i++) {
    let best = K === 1 ? (h[i]! >= 0.5 ? 1 : 0) : 0;
    for (let k = 1; k < K; k++) if (h[i * K + k]! > h[i * K + best]!) best = k;
    out[i] = best;
  }
  return labels ? out.map((k) => labels[k]!) : out;
}
