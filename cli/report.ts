// How well a model does on a set of examples, as the command line reports it: a classifier's
// cost, accuracy, per-class precision/recall/F1 and confusion matrix (the library's evaluate(),
// counted on the GPU), or a regression's RMSE, MAE and R² (from its predictions). Its loss/m is the
// examples' mean cost without the λ term (cross-entropy, or ½ squared error in the target's
// units); the progress line's J/m is what training descends: with the λ term, on the
// standardised target of a regression. Two names for two figures.

import type { AnyModel, Evaluation, Label } from '../src/index.js';

export interface RegressionReport {
  /** ½·mean (h − y)², the cost the linear output descends. */
  cost: number;
  rmse: number;
  mae: number;
  /** 1 − SS_res / SS_tot; 0 for a model that always predicts the mean. */
  r2: number;
}

export type Report = ({ kind: 'classification' } & Evaluation) | ({ kind: 'regression' } & RegressionReport);

/** The regression figures of predictions `h` for targets `y`. */
export function regressionReport(h: ArrayLike<number>, y: ArrayLike<number>): RegressionReport {
  const m = y.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += y[i]! / m;
  let sq = 0;
  let abs = 0;
  let tot = 0;
  for (let i = 0; i < m; i++) {
    const e = h[i]! - y[i]!;
    sq += e * e;
    abs += Math.abs(e);
    tot += (y[i]! - mean) ** 2;
  }
  return { cost: sq / (2 * m), rmse: Math.sqrt(sq / m), mae: abs / m, r2: tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot };
}

/** The report of `model` on (x, y): y labels for a classifier, values for a regression. */
export async function reportOn(model: AnyModel, x: { rows: number; cols: number; data: Float32Array }, y: readonly Label[] | Float64Array): Promise<Report> {
  if (model.head === 'linear') {
    const h = (await model.predict(x)) as ArrayLike<number>;
    return { kind: 'regression', ...regressionReport(h, y as Float64Array) };
  }
  const evaluation = await (model as { evaluate(x: unknown, y: unknown): Promise<Evaluation> }).evaluate(x, y as Label[]);
  return { kind: 'classification', ...evaluation };
}

const pct = (v: number) => `${(100 * v).toFixed(2)} %`;

/** One line: the figures that matter most (loss/m: the mean cost without the λ term). */
export function summaryLine(name: string, r: Report): string {
  return r.kind === 'classification'
    ? `${name}: accuracy ${pct(r.accuracy)}, loss/m ${r.cost.toFixed(4)}, macro F1 ${r.macro.f1.toFixed(3)}`
    : `${name}: RMSE ${r.rmse.toPrecision(4)}, MAE ${r.mae.toPrecision(4)}, R² ${r.r2.toFixed(4)}, loss/m ${r.cost.toPrecision(4)}`;
}

/** Classes up to which the confusion matrix is printed (a wider one goes to the metrics file only). */
const MAX_CONFUSION_SHOWN = 20;

/** The per-class table and the confusion matrix, as text. */
export function classificationTable(r: Evaluation): string {
  const names = r.classes.map((c) => String(c.label));
  const w = names.reduce((most, n) => Math.max(most, n.length), 5);
  const rows = r.classes.map((c) => `  ${String(c.label).padEnd(w)}  ${c.precision.toFixed(3).padStart(9)}  ${c.recall.toFixed(3).padStart(6)}  ${c.f1.toFixed(3).padStart(6)}  ${String(c.support).padStart(7)}`);
  const table = [
    `  ${'class'.padEnd(w)}  precision  recall      F1  support`,
    ...rows,
    `  ${'macro'.padEnd(w)}  ${r.macro.precision.toFixed(3).padStart(9)}  ${r.macro.recall.toFixed(3).padStart(6)}  ${r.macro.f1.toFixed(3).padStart(6)}`,
    '',
  ];
  if (!r.confusion) return [...table, `  confusion: not kept for ${names.length.toLocaleString('en')} classes (a ${names.length.toLocaleString('en')}² matrix)`].join('\n');
  if (names.length > MAX_CONFUSION_SHOWN) return [...table, `  confusion: ${names.length} × ${names.length} (too wide to print; --metrics writes it)`].join('\n');
  let cw = names.reduce((most, n) => Math.max(most, n.length), 4);
  for (const row of r.confusion) for (const v of row) cw = Math.max(cw, String(v).length);
  const confusion = r.confusion.map((row, t) => `  ${names[t]!.padEnd(w)}  ${row.map((v) => String(v).padStart(cw)).join(' ')}`);
  return [...table, `  confusion (rows: true class, columns: predicted)`, `  ${''.padEnd(w)}  ${names.map((n) => n.padStart(cw)).join(' ')}`, ...confusion].join('\n');
}
