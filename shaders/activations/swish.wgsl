// Activation (no bindings, no entry point): swish (SiLU), z·σ(z).
//
//     a = g(z) = z·σ(z)        g′(z) = σ(z) + z·σ(z)·σ(−z), from z
//
// g′ needs z (the registry's derivativeFrom: 'z'): a = −0.2291 comes from both z = −2.1
// (g′ = −0.095) and z = −0.682 (g′ = +0.184). Links lib/sigmoid.wgsl: σ is overflow-free, and
// 1 − σ(z) is taken as σ(−z), which does not cancel. The product is ordered so that a saturated
// σ makes it 0, never 0·∞.
fn activation(z: f32) -> f32 {
  return z * sigmoid(z);
}

fn activation_gradient(z: f32) -> f32 {
  let s = sigmoid(z);
  return s + (z * s) * sigmoid(-z);
}
