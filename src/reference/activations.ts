// Float64 references of the activations (shaders/activations/), as the lecture writes them:
// each a pair, g(z) and g′ computed from what the forward pass saved — the activation a = g(z),
// or z itself where the registry's derivativeFrom says so (src/activations.ts) — the form
// backward uses. src/activations.ts pairs each with its WGSL; tests hold the GPU to these.

/** An activation's float64 pair. */
export interface ActivationReference {
  /** a = g(z). */
  value(z: number): number;
  /** g′(z), from what the forward pass saved: a = g(z), or z (the registry's derivativeFrom). */
  gradient(saved: number): number;
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
export const eluPair: ActivationReference = { value: (z) => (z > 0 ? z : Math.expm1(z)), gradient: (a) => (a > 0 ? 1 : a + 1) };

/** softplus(z) = log(1 + eᶻ), split so that eᶻ never overflows. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** g′ from z: softplus′ = σ. */
export const softplusPair: ActivationReference = { value: softplus, gradient: sigmoid };

/** swish(z) = z·σ(z); g′ from z: σ(z) + z·σ(z)·σ(−z). */
export const swishPair: ActivationReference = {
  value: (z) => z * sigmoid(z),
  gradient: (z) => {
    const s = sigmoid(z);
    return s + z * s * sigmoid(-z);
  },
};

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** GELU, tanh form: ½z(1 + tanh(u)) = z·σ(2u), u = √(2/π)(z + 0.044715z³); g′ from z. */
export const geluPair: ActivationReference = {
  value: (z) => z * sigmoid(2 * GELU_C * z * (1 + GELU_K * z * z)),
  gradient: (z) => {
    const t = 2 * GELU_C * z * (1 + GELU_K * z * z);
    const p = sigmoid(t) * sigmoid(-t);
    return p === 0 ? sigmoid(t) : sigmoid(t) + 2 * z * p * GELU_C * (1 + 3 * GELU_K * z * z);
  },
};

/** mish(z) = z·tanh(softplus(z)); g′ from z: tanh(sp) + z·sech²(sp)·σ(z). */
export const mishPair: ActivationReference = {
  value: (z) => z * Math.tanh(softplus(z)),
  gradient: (z) => {
    const sp = softplus(z);
    const sech = 1 / Math.cosh(sp);
    return Math.tanh(sp) + (z * sech * sech) * sigmoid(z);
  },
};
