// The optimiser's state between fits: momentum's velocity or Adam's moments (a GPU buffer) and
// the number of steps taken (Adam's bias correction counts from it). A model keeps what its last
// completed fit left, so a fit with options.continueOptimizer goes on as if the two fits were
// one (Keras's repeated fit()): the same updates, bit for bit, as one fit of all their epochs.

import type { OptimizerName } from '../kernels/optimizer_update.js';

export interface OptimizerState {
  optimizer: OptimizerName;
  /** β₁ (or the momentum coefficient) and β₂ the moments were averaged with. */
  beta1: number;
  beta2: number;
  /** P floats (momentum) or 2P (Adam); owned by whoever holds the state. */
  moments: GPUBuffer;
  /** Updates made with these moments. */
  steps: number;
}

/** What of a fit's resolved options decides whether it can go on from a state. */
export interface OptimizerSettings {
  continueOptimizer: boolean;
  optimizer: OptimizerName;
  beta1: number;
  beta2: number;
}

/** Whether a fit with options `o` can go on from `state`: the same optimiser with the same averaging. */
export function continues(state: OptimizerState | undefined, o: OptimizerSettings): boolean {
  return !!state && o.continueOptimizer && state.optimizer === o.optimizer && state.beta1 === o.beta1 && state.beta2 === o.beta2;
}
