// Activation (no bindings, no entry point): softplus, a smooth ReLU.
//
//     a = g(z) = log(1 + eᶻ)        g′(z) = σ(z), from z
//
// Links lib/softplus.wgsl (with lib/exp_neg.wgsl and lib/log1p.wgsl, which it calls) and
// lib/sigmoid.wgsl: both overflow-free for every finite z. g′ is computed from z (the registry's
// derivativeFrom: 'z'): from a it would be 1 − e⁻ᵃ, which cancels for the small a of negative z.
fn activation(z: f32) -> f32 {
  return softplus(z);
}

fn activation_gradient(z: f32) -> f32 {
  return sigmoid(z);
}
