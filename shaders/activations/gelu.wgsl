// Activation (no bindings, no entry point): GELU, the exact form (Hendrycks & Gimpel 2016; the
// default of PyTorch's nn.GELU, Keras's gelu and ONNX's Gelu). gelu_tanh.wgsl is the tanh
// approximation.
//
//     a = g(z) = z·Φ(z),   Φ(z) = ½·erfc(−z/√2), the standard normal CDF
//     g′(z) = Φ(z) + z·φ(z),   φ(z) = e^(−z²/2)/√(2π), from z
//
// Links lib/erfc.wgsl: Φ to a few parts in 10⁷ relative for every z — also for negative z, where
// ½(1 + erf(z/√2)) would cancel to 0. exp() sees −z²/2 ≤ 0 only; z·φ is 0 when φ underflows (the
// product is ordered so that it is never ∞·0).
const GELU_SQRT1_2: f32 = 0.7071067811865476; // 1/√2
const GELU_INV_SQRT_2PI: f32 = 0.3989422804014327; // 1/√(2π)

fn activation(z: f32) -> f32 {
  return z * (0.5 * erfc(-z * GELU_SQRT1_2));
}

fn activation_gradient(z: f32) -> f32 {
  let phi = GELU_INV_SQRT_2PI * exp(-0.5 * min(z * z, 3.0e38));
  return 0.5 * erfc(-z * GELU_SQRT1_2) + z * phi;
}
