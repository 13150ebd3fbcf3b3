// load(ctx, source): a saved model back from wherever it was kept (./targets.ts) — JSON of any
// model, or ONNX — as the model class it was saved from.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { LinearRegression } from '../models/linear.js';
import { LogisticRegression } from '../models/logistic.js';
import { type NetworkJSON, NeuralNetwork } from '../models/network.js';
import type { RegressionJSON } from '../models/regression.js';
import { SoftmaxRegression } from '../models/softmax.js';
import type { Label } from '../train/labels.js';
import { loadONNX } from './onnx-load.js';
import { type LoadSource, readSource } from './targets.js';

export type AnyModel = NeuralNetwork<Label> | LinearRegression | LogisticRegression<Label> | SoftmaxRegression<Label>;

/** The model saved at `source` (checked whole before anything is allocated). */
export async function load(ctx: GpuContext, source: LoadSource): Promise<AnyModel> {
  const read = await readSource(source);
  if ('onnx' in read) return loadONNX(ctx, read.onnx);
  const json = read.json as { format?: unknown; head?: unknown };
  if (json?.format === 'wgsl-learn/network') return NeuralNetwork.load<Label>(ctx, json as NetworkJSON);
  if (json?.format === 'wgsl-learn/regression') {
    if (json.head === 'linear') return LinearRegression.load(ctx, json as RegressionJSON);
    if (json.head === 'logistic') return LogisticRegression.load<Label>(ctx, json as RegressionJSON);
    if (json.head === 'softmax') return SoftmaxRegression.load<Label>(ctx, json as RegressionJSON);
    throw new ArgumentError('json.head', `must be linear, logistic or softmax for a regression model, got ${JSON.stringify(json.head)?.slice(0, 40)}`);
  }
  throw new ArgumentError('json.format', `must be 'wgsl-learn/network' or 'wgsl-learn/regression', got ${JSON.stringify(json?.format)?.slice(0, 60)}`);
}
