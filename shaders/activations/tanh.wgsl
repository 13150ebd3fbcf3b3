// Activation (no bindings, no entry point): the hyperbolic tangent.
//
//     a = g(z) = tanh(z)        g′(z) = 1 − a², from the saved activation
//
// Links lib/tanh.wgsl (the registry, src/activations.ts, puts it in front): overflow-free for
// every finite z, exact to f32 near 0.
fn activation(z: f32) -> f32 {
  return stable_tanh(z);
}

fn activation_gradient(a: f32) -> f32 {
  return 1.0 - a * a;
}
