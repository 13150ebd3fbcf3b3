// Activation (no bindings, no entry point): GELU, the tanh approximation (Hendrycks & Gimpel
// 2016; PyTorch's approximate = 'tanh', Keras's approximate = True). gelu.wgsl is the exact form.
//
//     a = g(z) = ½z(1 + tanh(u)) = z·σ(2u),   u = √(2/π)·(z + 0.044715 z³)
//     g′(z) = σ(2u) + 2z·σ(2u)·σ(−2u)·u′,    u′ = √(2/π)·(1 + 3·0.044715 z²), from z
//
// 1 + tanh(u) = 2σ(2u) exactly: written with σ (lib/sigmoid.wgsl) it neither cancels for
// negative z nor overflows; z³ may reach ±∞ for |z| > 7e12, and σ(±∞) is 1 or 0 exactly. Where
// σ(2u)·σ(−2u) is 0 the second term is 0 (never 0·∞). It differs from the exact form
// ½z(1 + erf(z/√2)) by at most 4.7e−4 (at |z| ≈ 2.7).
const GELU_C: f32 = 0.7978845608028654; // √(2/π)
const GELU_K: f32 = 0.044715;

fn activation(z: f32) -> f32 {
  return z * sigmoid(2.0 * GELU_C * z * (1.0 + GELU_K * z * z));
}

fn activation_gradient(z: f32) -> f32 {
  let t = 2.0 * GELU_C * z * (1.0 + GELU_K * z * z); // 2u
  let s = sigmoid(t);
  let p = s * sigmoid(-t);
  if (p == 0.0) {
    return s;
  }
  return s + 2.0 * z * p * GELU_C * (1.0 + 3.0 * GELU_K * z * z);
}
