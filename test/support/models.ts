// Model lifetimes in the GPU cases: every model a case makes is destroyed, so the leak check
// (test/support/gpu.ts) can count buffers.

import type { DenseModel } from '../../src/models/dense.js';

/** Runs `body` with the models `make` creates, destroying them afterwards. */
export async function using<T extends DenseModel[]>(make: () => [...T], body: (...models: T) => Promise<void>): Promise<void> {
  const models = make();
  try {
    await body(...models);
  } finally {
    for (const m of models) m.destroy();
  }
}
