// Activation (no bindings, no entry point): the rectified linear unit.
//
//     a = g(z) = max(z, 0)        g′(z) = 1 where a > 0, else 0, from the saved activation
//
// g′(0) is taken as 0 (the subgradient most libraries use). No exp(): nothing can overflow.
fn activation(z: f32) -> f32 {
  return max(z, 0.0);
}

fn activation_gradient(a: f32) -> f32 {
  return select(0.0, 1.0, a > 0.0);
}
