// Activation (no bindings, no entry point): the exponential linear unit, α = 1.
//
//     a = g(z) = z for z > 0, eᶻ − 1 otherwise        g′(z) = 1 for a > 0, a + 1 otherwise, from a
//
// Links lib/expm1.wgsl: eᶻ − 1 without cancellation near 0 and without overflow (z ≤ 0 there).
// ONNX: Elu with alpha = 1.
fn activation(z: f32) -> f32 {
  if (z > 0.0) {
    return z;
  }
  return expm1_neg(z);
}

fn activation_gradient(a: f32) -> f32 {
  return select(a + 1.0, 1.0, a > 0.0);
}
