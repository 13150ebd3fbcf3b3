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

/**
 * erfc(x) = 1 − erf(x) in float64, to about 1e−14 relative: the Maclaurin series of erf for
 * |x| < 2.5 (erfc ≥ 4e−4 there, so 1 − erf loses at most 4 of 16 digits), Laplace's continued
 * fraction beyond (Lentz's method), erfc(x) = 2 − erfc(−x) for x < 0.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x > 27) return 0; // below the smallest float64 (erfc(27) ≈ 5e−319)
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 60 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))).
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** GELU, exact: z·Φ(z), Φ(z) = ½·erfc(−z/√2); g′ from z: Φ(z) + z·φ(z). */
export const geluPair: ActivationReference = {
  value: (z) => z * 0.5 * erfc(-z / Math.SQRT2),
  gradient: (z) => 0.5 * erfc(-z / Math.SQRT2) + z * (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)),
};

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** GELU, tanh approximation: ½z(1 + tanh(u)) = z·σ(2u), u = √(2/π)(z + 0.044715z³); g′ from z. */
export const geluTanhPair: ActivationReference = {
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
