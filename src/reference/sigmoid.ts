// Float64 reference for shaders/lib/sigmoid.wgsl, shaders/sigmoid.wgsl and
// shaders/sigmoid_derivative.wgsl, as the lecture writes them.

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
