// A model's summary, as Keras's model.summary() prints it: each layer with its units, its
// activation (or the output head) and its parameters — s_{l+1} × (s_l + 1), bias weights
// included — and the total, as data and as a printable table.

import type { ActivationName } from '../activations.js';
import type { HeadName } from '../reference/regression.js';
import { ThetaLayout } from './layout.js';

export interface LayerSummary {
  /** 1 for the input layer, up to L. */
  layer: number;
  /** s_l; undefined for the input layer of a model whose number of features is not known yet. */
  units: number | undefined;
  /** The hidden layer's g, the output head, or 'input'. */
  kind: ActivationName | HeadName | 'input';
  /** Θ⁽ˡ⁻¹⁾'s size, s_l × (s_{l−1} + 1), for every layer but the input; undefined while n is unknown. */
  parameters: number | undefined;
}

export interface ModelSummary {
  name: string;
  layers: LayerSummary[];
  /** P, every weight and bias weight; undefined while n is unknown. */
  parameters: number | undefined;
  /** The table, one line per layer, for printing. */
  text: string;
}

const HEADS: Record<HeadName, string> = { linear: 'linear (½(h − y)²)', logistic: 'sigmoid (logistic)', sigmoid: 'sigmoid units (one-vs-all)', softmax: 'softmax' };

export function summarize(name: string, n: number | undefined, rest: readonly number[], activations: readonly ActivationName[], head: HeadName): ModelSummary {
  const blocks = n === undefined ? undefined : new ThetaLayout([n, ...rest]).blocks;
  const layers: LayerSummary[] = [{ layer: 1, units: n, kind: 'input', parameters: undefined }];
  rest.forEach((units, l) => {
    const kind = l + 1 < rest.length ? activations[l]! : head;
    layers.push({ layer: l + 2, units, kind, parameters: blocks && blocks[l]!.rows * blocks[l]!.cols });
  });
  const parameters = blocks && blocks.reduce((s, b) => s + b.rows * b.cols, 0);
  const cell = (v: number | undefined) => (v === undefined ? '?' : v.toLocaleString('en-US'));
  const rows = layers.map((l) => [`${l.layer}`, cell(l.units), l.kind === 'input' ? 'input' : l.layer === layers.length ? HEADS[l.kind as HeadName] : l.kind, l.layer === 1 ? '' : cell(l.parameters)]);
  const header = ['layer', 'units', 'activation', 'parameters'];
  const width = header.map((h, c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), h.length));
  const line = (r: string[]) => r.map((v, c) => (c === 0 || c === 2 ? v.padEnd(width[c]!) : v.padStart(width[c]!))).join('  ').trimEnd();
  const text = [name, line(header), ...rows.map(line), `total parameters: ${cell(parameters)}`].join('\n');
  return { name, layers, parameters, text };
}
