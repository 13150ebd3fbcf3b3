// Float64 references of the activations (shaders/activations/), as the lecture writes them:
// each a pair, g(z) and g′ computed from the saved activation a = g(z), the form backward uses.
// src/activations.ts pairs each with its WGSL; tests hold the GPU to these.

/** An activation's float64 pair. */
export interface ActivationReference {
  /** a = g(z). */
  value(z: number): number;
  /** g′(z), from the saved activation a = g(z). */
  gradient(a: number): number;
}

/** σ(z) = 1 / (1 + e⁻ᶻ), evaluated so that e^(large) never overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** σ'(z) from the saved activation a = σ(z): a(1 − a). */
export function sigmoidDerivativeFromActivation(a: number): number {
  return a * (1 - a);
}

export const sigmoidPair: ActivationReference = { value: sigmoid, gradient: sigmoidDerivativeFromActivation };
export const tanhPair: ActivationReference = { value: Math.tanh, gradient: (a) => 1 - a * a };
export const reluPair: ActivationReference = { value: (z) => Math.max(z, 0), gradient: (a) => (a > 0 ? 1 : 0) };
export const identityPair: ActivationReference = { value: (z) => z, gradient: () => 1 };
