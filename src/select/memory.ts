// What one model costs on the GPU while it trains, beside the data it shares: checked for K models
// before anything is allocated, so a search too large for the device fails at once and says how
// many models fit. The estimate is an upper bound of what a fit allocates (test/node/selection.test.ts
// measures a fit's peak with ctx.stats() against it): Θ and its fit's copies, the gradient and the
// optimiser's moments, their place in the stack of models trained as one, and per example of a
// step and of the validation pass, every layer's rows.

import { ArgumentError } from '../gpu/errors.js';

/** The default memoryLimit: 1 GiB of models beside the data (WebGPU does not say how much a device has). */
export const DEFAULT_MEMORY_LIMIT = 2 ** 30;

/** What a model's training costs depend on: its batch, its training and validation examples, its epochs. */
export interface TrainingSize {
  batch: number;
  /** Training examples (m): each fit keeps every example's cost and right/wrong. */
  examples: number;
  validationRows: number;
  epochs: number;
}

/** Bytes one model of `layers` costs while it trains in batches of `batch` examples (validation: rows evaluated each epoch). */
export function modelBytes(layers: readonly number[], size: TrainingSize): number {
  const { batch, examples, validationRows, epochs } = size;
  let parameters = 0;
  let units = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    parameters += layers[l + 1]! * (layers[l]! + 1);
    units += layers[l + 1]! + 1;
  }
  // The fit's own: Θ, the decay mask, the gradient (alone), two moments, the last good Θ, the
  // rewind and best-validation copies; and its place in the group's stack (src/train/group.ts):
  // Θ, the gradient, two moments, the last good Θ and the best-validation copy.
  const perParameter = 14 * parameters;
  // Each step's a, z and δ of every layer (and the gathered rows of x̃ and y); the validation pass's a and z.
  const perExample = 4 * (units + layers[0]! + 2);
  // Every training and validation example's cost and right/wrong, the fit's and the stack's.
  const perEpochExample = 4 * (examples + validationRows);
  // The history (the fit's, and its place in the group's), its readback, the step records,
  // uniforms and staging: a fixed part and 32 bytes an epoch.
  const fixed = 32 * epochs + 32768;
  return 4 * (perParameter + perExample * batch + 3 * units * validationRows + perEpochExample) + fixed;
}

/** Throws (before anything is allocated) when `count` models of `each` bytes are over `limit`, saying how many fit. */
export function checkMemory(count: number, each: number, limit: number, what: string): void {
  if (count * each <= limit) return;
  const fit = Math.floor(limit / each);
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 0)} MiB`;
  throw new ArgumentError(
    'models',
    `${count} models of ${what} need about ${mib(count * each)} on the GPU while they train (${mib(each)} each, beside the data), over memoryLimit ${mib(limit)}: ` +
      (fit > 0 ? `at most ${fit} fit at once — train them in groups of ${fit}, or raise memoryLimit if the device has the memory` : 'not one fits — lower the batch size, or raise memoryLimit'),
  );
}
