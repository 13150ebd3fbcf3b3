// Activation (no bindings, no entry point): the identity, a linear unit.
//
//     a = g(z) = z        g′(z) = 1
//
// A matmul with no activation links this one too (and leaves ACTIVATE off).
fn activation(z: f32) -> f32 {
  return z;
}

fn activation_gradient(a: f32) -> f32 {
  return 1.0;
}
